"""SynthFaces at the data-set level: determinism across processes, counterfactual ground truth, sizes and styles."""
import subprocess, sys
import numpy as np
from fam_nb.data.synth import SynthFaces, render_face, sample_face, ATTRS

def test_same_image_in_a_fresh_process():
    code = "import numpy as np; from fam_nb.data.synth import *; print(int(np.asarray(render_face(sample_face(7, 123), 64)).astype(np.int64).sum()))"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert int(out) == int(np.asarray(render_face(sample_face(7, 123), 64)).astype(np.int64).sum())

def test_every_attribute_flip_changes_the_image_and_keeps_the_factors():
    ds = SynthFaces(40, seed=3)
    for a in ATTRS:
        for i in range(10):
            x0, x1 = ds.load(i, 64), ds.counterfactual(i, 64, **{a: 1 - ds.faces[i][a]})
            assert (x0 - x1).abs().max() > 0.2, (a, i)
            assert (x0 - x1).abs().mean() < 0.4, (a, i)      # a local change (Young also greys the hair), not a new face

def test_sizes_and_styles():
    f = sample_face(0, 5)
    for size in (32, 64, 128, 256):
        for style in ('photo', 'anime'):
            assert render_face(f, size, style).size == (size, size)
