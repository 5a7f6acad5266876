"""The `fam_nb` console command, run as a user runs it (a subprocess)."""
import subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from fam_nb.core import shared_path

def run(*args, cwd=None):
    return subprocess.run(['fam_nb', *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)

def test_help_lists_commands():
    r = run('--help')
    assert r.returncode == 0
    for c in ('data preview', 'data summary', 'train l2m', 'train stylegan2', 'train vrfam-encoder', 'train vrfam-classifier',
              'train vrfam-transformer', 'train interfacegan', 'eval', 'reproduce'): assert c in r.stdout

def test_unknown_command_fails():
    r = run('frobnicate')
    assert r.returncode == 2 and 'commands:' in r.stderr

def test_data_preview_synth_two_attrs(tmp_path):
    out = tmp_path / 'grid.png'
    r = run('data', 'preview', '--data', 'synth:300', '--attr', 'Smiling', '--attr', 'Male', '--out', out, '--n', 4, '--img_size', 32)
    assert r.returncode == 0, r.stderr
    im = Image.open(out)
    assert im.size[0] > 200 and im.size[1] > 200
    assert np.asarray(im.convert('L')).std() > 10   # not a blank image

def test_data_summary_counts():
    r = run('data', 'summary', '--data', 'synth:200', '--attr', 'Eyeglasses')
    assert r.returncode == 0, r.stderr
    assert '-Eyeglasses' in r.stdout and '+Eyeglasses' in r.stdout

@pytest.mark.parametrize('args,msg', [
    (['--data', 'synth:50', '--attr', 'Smile'], 'valid names: Smiling'),
    (['--data', 'celeba:/no/such/folder', '--attr', 'Smiling'], '/no/such/folder'),
    (['--data', 'imagenet:/x'], "unknown --data kind 'imagenet'"),
    (['--data', 'synth:50', '--attr', 'Smiling', '--img_size', '48', '--split', 'test'], None),
])
def test_bad_input_is_one_clear_line(tmp_path, args, msg):
    r = run('data', 'preview', *args, '--out', tmp_path / 'x.png', '--n', 2)
    if msg is None:   # previews accept any size: only training needs powers of two
        assert r.returncode == 0, r.stderr; return
    assert r.returncode == 2
    assert msg in r.stderr and 'Traceback' not in r.stderr

def test_unlabelled_folder_rejects_attributes(tmp_path):
    for i in range(3): Image.new('RGB', (40, 40), (50 * i, 80, 120)).save(tmp_path / f'{i}.png')
    r = run('data', 'preview', '--data', f'folder:{tmp_path}', '--attr', 'Smiling', '--out', tmp_path / 'o.png')
    assert r.returncode == 2 and 'Smiling' in r.stderr

def test_reproduce_quick_uses_shipped_checkpoints(tmp_path):
    # the committed demo checkpoints (checkpoints/MANIFEST.json), checked by SHA-256 and edited without training
    r = run('reproduce', '--quick', '--out', tmp_path, '--runs', tmp_path / 'runs', '--eval_n', 12)
    assert r.returncode == 0, r.stderr
    names = {p.name for p in tmp_path.glob('*.png')}
    assert {'synth_counterfactuals.png', 'synth_smile_strength.png', 'synth_anime_style.png', 'synth_smiling_domains.png'} <= names
    assert {'l2m_synth_smiling_edits.png', 'l2m_synth_male_edits.png', 'synth_smiling_methods.png', 'synth_male_methods.png',
            'vrfam_synth_smiling_alpha.png', 'vrfam_synth_stylegan2_samples.png'} <= names
    bars = (tmp_path / 'synth_bars.md').read_text()
    for m in ('L2M-GAN', 'InterFaceGAN', 'e4e', 'VR-FAM', '+res'): assert m in bars
    assert not (tmp_path / 'runs').exists() or not any((tmp_path / 'runs').rglob('ckpt_last.pt'))   # nothing trained
    if shared_path('data', 'celeba_subset') is not None: assert 'real_celeba_smiling_domains.png' in names
    if shared_path('data', 'anime_faces') is not None: assert 'real_anime_faces.png' in names

def test_corrupt_image_error_or_counted_skip(tmp_path):
    for i in range(4): Image.new('RGB', (40, 40), (60 * i, 90, 120)).save(tmp_path / f'{i}.jpg')
    (tmp_path / '1.jpg').write_bytes((tmp_path / '1.jpg').read_bytes()[:50])
    r = run('data', 'summary', '--data', f'folder:{tmp_path}', '--scan')
    assert r.returncode == 2 and '1.jpg' in r.stderr and 'skip_corrupt' in r.stderr
    r = run('data', 'summary', '--data', f'folder:{tmp_path}', '--skip_corrupt')
    assert r.returncode == 0, r.stderr
    assert 'skipped 1 of 4' in r.stderr and '1.jpg' in r.stderr

def test_edit_errors_are_clear(tmp_path):
    Image.new('RGB', (40, 40), (50, 80, 120)).save(tmp_path / 'f.png')
    r = run('edit', tmp_path / 'f.png', '--ckpt', tmp_path / 'none.ckpt', '--attr', 'Smiling', '--to', 1)
    assert r.returncode != 0 and 'none.ckpt' in r.stderr
    r = run('edit', tmp_path / 'f.png', '--attr', 'Smiling', '--to', 1)
    assert r.returncode == 2 and '--ckpt' in r.stderr

def test_edit_photo_side_by_side(tmp_path):
    "A photo of another size: the CLI says it was cropped and resized, and --side writes it beside the edit at its size."
    Image.new('RGB', (90, 60), (200, 120, 90)).save(tmp_path / 'photo.png')
    ckpt = Path(__file__).parent.parent / 'checkpoints' / 'l2m-smiling.pt'
    r = run('edit', tmp_path / 'photo.png', '--ckpt', ckpt, '--attr', 'Smiling', '--from', 'Smiling=0', '--side', '--out', tmp_path / 'ed')
    assert r.returncode == 0, r.stderr
    assert "centre-cropped and resized to the model's 32x32 px: photo.png (90x60)" in r.stderr
    assert Image.open(tmp_path / 'ed' / 'photo_side.png').size == (120, 60) and Image.open(tmp_path / 'ed' / 'photo_edit.png').size == (32, 32)

def test_study_make_then_tally(tmp_path):
    "A user study of the shipped demo models: the raters' kit, votes from two raters, Table 2; no overwrite of a study."
    root = Path(__file__).parent.parent
    r = run('study', 'make', '--out', tmp_path / 'st', '--n', 3, '--checkpoints', root / 'checkpoints', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    kit = sorted(p.name for p in (tmp_path / 'st' / 'raters').iterdir())
    assert kit == ['items.json', 'sheet.pdf', 'study.html'] and (tmp_path / 'st' / 'key.json').is_file()
    import json
    items = json.loads((tmp_path / 'st' / 'raters' / 'items.json').read_text())['items']
    key = json.loads((tmp_path / 'st' / 'key.json').read_text())['key']
    l2m = lambda it: next(c for c, m in key[it['id']].items() if m == 'L2M-GAN')
    (tmp_path / 'ann.csv').write_text('rater,item,choice\n' + ''.join(f"ann,{it['id']},{l2m(it)}\n" for it in items))
    (tmp_path / 'bob.csv').write_text('rater,item,choice\n' + ''.join(f"bob,{it['id']},none\n" for it in items))
    r = run('study', 'tally', tmp_path / 'ann.csv', tmp_path / 'bob.csv', '--key', tmp_path / 'st' / 'key.json', '--out', tmp_path / 't2.md')
    assert r.returncode == 0, r.stderr
    assert '| L2M-GAN | 50.0%' in r.stdout and '| None | 50.0%' in r.stdout and (tmp_path / 't2.md').is_file()
    r = run('study', 'make', '--out', tmp_path / 'st', '--n', 3, '--checkpoints', root / 'checkpoints', cwd=tmp_path)
    assert r.returncode == 2 and 'key.json exists' in r.stderr
