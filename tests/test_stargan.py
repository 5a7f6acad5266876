"""StarGAN end to end at the `test` preset: train, then `fam_nb edit` and `fam_nb eval` on the run, like every method."""
import os
from pathlib import Path
import torch
from fam_nb.cli import main
from fam_nb.data.synth import SynthFaces
from fam_nb.editors import load_editor
from fam_nb.stargan.train import train_stargan

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

def test_train_edit_eval(tmp_path, capsys):
    run = tmp_path/'stargan'
    learn = train_stargan('synth', ['Smiling'], 'test', out=run, progress=False)
    assert learn.stargan.it == 4 and (run/'stargan.pt').is_file()
    for p in (run, run/'stargan.pt', run/'ckpt_last.pt'): assert load_editor(p).method == 'stargan'
    SynthFaces(10).render(0, 48).save(tmp_path/'face.png')
    assert main(['edit', str(tmp_path/'face.png'), '--ckpt', str(run), '--attr', 'Smiling', '--to', '1', '--out', str(tmp_path/'ed')]) == 0
    assert (tmp_path/'ed'/'face_edit.png').is_file()
    assert main(['eval', '--ckpt', str(run), '--judge', 'none', '--fid', 'none', '--identity', 'none', '--n', '4', '--bs', '4',
                 '--out', str(tmp_path/'ev')]) == 0, capsys.readouterr().err[-2000:]
    assert (tmp_path/'ev'/'table1.md').is_file() and (tmp_path/'ev'/'synth_gt.md').is_file()
    ed = load_editor(run)
    x = torch.stack([SynthFaces(64, seed=0).load(i, 32) for i in range(2)])
    assert torch.equal(ed.edit(x, None, {'Smiling': 1}, strength=0), ed.reconstruct(x, {'Smiling': 0}))   # strength 0 keeps the source labels
