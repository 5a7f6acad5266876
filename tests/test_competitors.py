"""Every competitor of L2M-GAN's Table 1 end to end at the `test` preset, through the command line as a user runs it:
`fam_nb train METHOD`, then `fam_nb edit` and `fam_nb eval` on the run (StarGAN, CycleGAN, ELEGANT, PA-GAN), and
InterFaceGAN*'s, `fam_nb train vrfam-encoder-id` into a `test` pipeline, is in tests/test_indomain.py."""
import json, os
from pathlib import Path
import pytest, torch
from fam_nb.cli import main
from fam_nb.data.synth import SynthFaces
from fam_nb.editors import load_editor, TRANSLATORS

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

def edit_eval(tmp_path, capsys, ckpt, *method):
    "`fam_nb edit` one photo-sized face and `fam_nb eval` four faces per task; returns the Table 1 row."
    SynthFaces(10).render(0, 48).save(tmp_path/'face.png')
    assert main(['edit', str(tmp_path/'face.png'), '--ckpt', str(ckpt), *method, '--attr', 'Smiling', '--to', '1',
                 '--out', str(tmp_path/'ed')]) == 0, capsys.readouterr().err[-2000:]
    assert (tmp_path/'ed'/'face_edit.png').is_file()
    assert main(['eval', '--ckpt', str(ckpt), *method, '--judge', 'none', '--fid', 'none', '--identity', 'none', '--n', '4', '--bs', '4',
                 '--out', str(tmp_path/'ev')]) == 0, capsys.readouterr().err[-2000:]
    res = json.loads((tmp_path/'ev'/'results.json').read_text())
    assert (tmp_path/'ev'/'table1.md').is_file() and '| Correct |' in (tmp_path/'ev'/'table1.md').read_text()
    return res['rows'][0]

@pytest.mark.parametrize('method', [m for m in TRANSLATORS if m != 'stargan'])     # StarGAN: tests/test_stargan.py
def test_translator_train_edit_eval(method, tmp_path, capsys):
    run = tmp_path/method
    assert main(['train', method, '--preset', 'test', '--out', str(run)]) == 0, capsys.readouterr().err[-2000:]
    assert (run/TRANSLATORS[method]['export']).is_file() and load_editor(run).method == method
    row = edit_eval(tmp_path, capsys, run)
    assert row['n_plus'] == 4 and 1 <= row['n_minus'] <= 4 and 0 <= row['Correct']['mean'] <= 1
