"""The bad-input matrix: every case ends with one clear line (and the right exit status) or a correct refusal, and
nothing is lost. Each case checks the exit status, that no traceback is printed, that the message names the thing at
fault, and, where a run is at stake, that its files are byte-identical afterwards. Most cases fail fast; the
fixtures are three tiny `test`-preset runs."""
import os, sys, json, errno, inspect, shutil, signal, socket, subprocess, time, hashlib
from pathlib import Path
import pytest, torch
from PIL import Image
import fam_nb.cli as cli
from fam_nb.cli import main, COMMANDS, _parser
from fam_nb.core import shared_dir

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')
ROOT = Path(__file__).resolve().parents[1]
L2M = ['train', 'l2m', '--preset', 'test']

def digest(*paths)->dict:
    "SHA-256 of every file under `paths`."
    out = {}
    for p in map(Path, paths):
        for f in sorted([p] if p.is_file() else p.rglob('*')):
            if f.is_file(): out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out

def run(capsys, args, code=2, says=(), keep=())->str:
    "main(args) must return `code`, print no traceback, name every string of `says` on stderr, and leave `keep` byte-identical."
    before = digest(*keep)
    rc = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert rc == code, (rc, err[-2000:])
    assert 'Traceback' not in err, err[-2000:]
    for s in ([says] if isinstance(says, str) else says): assert str(s) in err, (s, err[-2000:])
    if code == 2: assert err.strip().splitlines()[-1].startswith('fam_nb: error: '), err[-2000:]
    assert digest(*keep) == before, 'files changed'
    return err

@pytest.fixture(scope='module')
def w(tmp_path_factory):
    "A work folder with an L2M-GAN run, a pipeline (StyleGAN2 + VR encoder), bad checkpoints and odd files."
    w = tmp_path_factory.mktemp('bad')
    assert main(L2M + ['--out', str(w/'l2m')]) == 0
    assert main(['train', 'stylegan2', '--preset', 'test', '--out', str(w/'pipe')]) == 0
    assert main(['train', 'vrfam-encoder', '--preset', 'test', '--out', str(w/'pipe')]) == 0
    (w/'text.pt').write_text('hello, not a checkpoint\n')
    (w/'empty.pt').write_bytes(b'')
    b = (w/'l2m'/'ckpt_last.pt').read_bytes(); (w/'truncated.pt').write_bytes(b[:len(b) // 2])
    class Evil:
        def __reduce__(self): return (os.system, (f"touch {w/'PWNED'}",))
    torch.save({'x': Evil()}, w/'evil.pt')
    torch.save({'just': torch.zeros(2)}, w/'notckpt.pt')
    (w/'afile').write_text('a file, not a folder\n')
    Image.new('RGB', (40, 40), (120, 90, 80)).save(w/'face.png')
    (w/'notimage.png').write_text('not an image')
    return w

# ---- lost data: never replace a run, never continue it on other data --------------------------------------------
def test_into_an_existing_run_is_refused(w, capsys):
    for attr in ('Male', 'Smiling'):
        run(capsys, L2M + ['--out', w/'l2m', '--attr', attr], says=[w/'l2m', 'already holds a run (iteration 4 of 4', '--resume', '--overwrite'], keep=[w/'l2m'])
    run(capsys, ['train', 'stylegan2', '--preset', 'test', '--out', w/'pipe'], says=[w/'pipe'/'stylegan2', 'already holds a run'], keep=[w/'pipe'])
    run(capsys, ['train', 'vrfam-encoder', '--preset', 'test', '--out', w/'pipe'], says=[w/'pipe'/'encoder-vr', 'already holds a run'], keep=[w/'pipe'])

@pytest.mark.parametrize('extra,says', [
    (['--data', 'synth:100'], "data_id 'synth:64' in its checkpoint, 'synth:100' now"),
    (['--attr', 'Male'], "attrs ['Smiling'] in its checkpoint, ['Male'] now"),
    (['--variant', 'BL'], "variant 'BL+PL+OL(L1)' in its checkpoint, 'BL' now"),
    (['--bs', '2'], 'bs 4 in its checkpoint, 2 now'),
    (['--overwrite'], 'give one of them')])
def test_resume_of_another_run_is_refused(w, capsys, extra, says):
    run(capsys, L2M + ['--out', w/'l2m', '--resume', '--iters', '6', *extra], says=[says], keep=[w/'l2m'])

def test_resume_on_celeba_of_a_synth_run_is_refused(w, capsys):
    celeba = (shared_dir() or Path('/nonexistent'))/'data'/'celeba_subset'
    if not celeba.is_dir(): pytest.skip('../shared/data/celeba_subset is absent (the case the issue saw: SynthFaces carried on into CelebA)')
    run(capsys, L2M + ['--out', w/'l2m', '--resume', '--iters', '6', '--data', f'celeba:{celeba}'],
        says=["data_id 'synth:64' in its checkpoint", f"'celeba:{celeba.resolve()}' now"], keep=[w/'l2m'])

def test_vrfam_resume_on_other_data_is_refused(w, capsys):
    run(capsys, ['train', 'stylegan2', '--preset', 'test', '--out', w/'pipe', '--resume', '--iters', '8', '--data', 'synth:100'],
        says=["data 'synth:64' there, 'synth:100' now"], keep=[w/'pipe'])
    run(capsys, ['train', 'vrfam-encoder', '--preset', 'test', '--out', w/'pipe', '--resume', '--iters', '8', '--data', 'synth:100'],
        says=["data_id 'synth:64' in its checkpoint, 'synth:100' now"], keep=[w/'pipe'])

def test_overwrite_starts_afresh(w, capsys):
    shutil.copytree(w/'l2m', w/'l2m_ow')
    run(capsys, L2M + ['--out', w/'l2m_ow', '--overwrite', '--attr', 'Male', '--iters', '2'], code=0)
    st = torch.load(w/'l2m_ow'/'ckpt_last.pt', weights_only=True)
    assert (st['iteration'], st['config']['attrs']) == (2, ['Male'])
    assert [p.name for p in (w/'l2m_ow').glob('nets_ema_*.ckpt')] == ['nets_ema_000002.ckpt']   # the old run's export went with it

# ---- the run lock -------------------------------------------------------------------------------------------------------------
def _lock(d:Path, pid:int, start='0'):
    (d/'.lock').write_text(json.dumps(dict(pid=pid, host=socket.gethostname(), start=start, since='then', command='fam_nb train l2m')))

def test_a_live_lock_refuses_and_a_stale_one_is_taken_over(w, capsys):
    d = w/'locked'; shutil.copytree(w/'l2m', d)
    sleeper = subprocess.Popen(['sleep', '60'])
    try:
        from fam_nb.train import _proc_start
        _lock(d, sleeper.pid, _proc_start(sleeper.pid))
        run(capsys, L2M + ['--out', d, '--resume', '--iters', '6'], says=[f'in use by process {sleeper.pid}', str(d/'.lock')],
            keep=[d/'ckpt_last.pt', d/'log.csv'])
    finally: sleeper.kill(); sleeper.wait()
    _lock(d, sleeper.pid, '1')                                         # its process is gone: a stale lock
    run(capsys, L2M + ['--out', d, '--resume', '--iters', '6'], code=0)
    assert torch.load(d/'ckpt_last.pt', weights_only=True)['iteration'] == 6 and not (d/'.lock').exists()

def test_ctrl_c_saves_and_a_second_trainer_is_refused_meanwhile(w, capsys):
    d = w/'ctrlc'
    env = {**os.environ, 'FAM_NB_NO_DOWNLOAD': '1', 'OMP_NUM_THREADS': '1'}
    p = subprocess.Popen([sys.executable, '-c', 'import sys; from fam_nb.cli import main; sys.exit(main(sys.argv[1:]))', *L2M, '--out', str(d), '--iters', '100000'], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(900):
            if (d/'log.csv').exists() and len((d/'log.csv').read_text().splitlines()) > 5: break
            time.sleep(0.2)
        else: pytest.fail('the trainer did not start')
        run(capsys, L2M + ['--out', d, '--resume', '--iters', '100000'], says=[f'in use by process {p.pid}'])   # two trainers: refused
        p.send_signal(signal.SIGINT); _, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None: p.kill()
    assert p.returncode == 130 and 'Traceback' not in err, err[-2000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith('fam_nb: interrupted at iteration ') and 'continue with --resume' in last, last
    it = torch.load(d/'ckpt_last.pt', weights_only=True)['iteration']
    rows = (d/'log.csv').read_text().strip().splitlines()
    assert f'interrupted at iteration {it} ' in last and int(rows[-1].split(',')[0]) == it   # the checkpoint holds the last logged iteration
    run(capsys, L2M + ['--out', d, '--resume', '--iters', str(it + 1)], code=0)
    assert torch.load(d/'ckpt_last.pt', weights_only=True)['iteration'] == it + 1

# ---- bad option values: one line, exit 2 -------------------------------------------------------------------------------------
TRAIN = {'l2m': [], 'stargan': [], 'cyclegan': [], 'elegant': [], 'pagan': [], 'stylegan2': [], 'vrfam-encoder': ['--name', 'x'], 'vrfam-classifier': [], 'vrfam-transformer': [],
         'interfacegan': [], 'vrfam': []}

@pytest.mark.parametrize('cmd', list(TRAIN))
def test_unknown_preset_lists_the_valid_ones(w, capsys, cmd):
    out = w/'pipe' if cmd.startswith(('vrfam-', 'interfacegan')) else w/f'np-{cmd}'
    run(capsys, ['train', cmd, '--preset', 'nope', '--out', out, *TRAIN[cmd]], says=["preset 'nope'", 'valid: ', 'test'], keep=[w/'pipe'])

@pytest.mark.parametrize('args,says', [
    (L2M + ['--bs', '0'], '--bs 0: must be at least 1'), (L2M + ['--iters', '0'], '--iters 0: must be at least 1'),
    (L2M + ['--iters', '-1'], '--iters -1: must be at least 1'),
    (['train', 'stylegan2', '--preset', 'test', '--bs', '0'], '--bs 0'), (['train', 'stylegan2', '--preset', 'test', '--iters', '-1'], '--iters -1'),
    (['train', 'vrfam-encoder', '--preset', 'test', '--iters', '0'], '--iters 0'),
    (['train', 'vrfam-classifier', '--preset', 'test', '--epochs', '0'], '--epochs 0'),
    (['train', 'vrfam-transformer', '--preset', 'test', '--steps', '0'], '--steps 0'),
    (['train', 'interfacegan', '--preset', 'test', '--n', '0'], '--n 0'),
    (['train', 'cyclegan', '--preset', 'test', '--attr', 'Smiling', '--attr', 'Male'], 'train one CycleGAN per attribute'),
    (['train', 'pagan', '--preset', 'test', '--bs', '0'], '--bs 0'),
    (['data', 'preview', '--n', '0'], '--n 0'), (['data', 'preview', '--img_size', '0'], '--img_size 0'),
    (['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--n', '0'], '--n 0'),
    (['data', 'summary', '--data', 'synth:0'], "'synth:0'"), (['data', 'summary', '--data', 'synth:-5'], "'synth:-5'"),
    (L2M + ['--data', 'synth:0'], "'synth:0'"), (['data', 'summary', '--data', 'foo:bar'], "unknown --data kind 'foo'"),
    (['data', 'summary', '--data', 'celeba:/nonexistent'], '/nonexistent'),
    (['data', 'summary', '--data', 'synth:9,allow_missing'], 'real data only'),
    (L2M + ['--device', 'tpu'], "--device 'tpu'"), (['train', 'stylegan2', '--preset', 'test', '--device', 'cuda:3'], '--device cuda:3'),
    (['edit', 'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--device', 'tpu'], "--device 'tpu'"),
    (['edit', 'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--to', '2'], 'to'),
    (['edit', 'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Nope'], 'Nope'),
    (['edit', 'nothere.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling'], 'nothere.png'),
    (['edit', 'notimage.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling'], 'notimage.png is not an image'),
    (['edit', 'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--strength', 'nan'], '--strength nan: must be a finite number'),
    (['reproduce', '--eval_n', '0'], '--eval_n 0: must be at least 1'), (['study', 'make', '--n', '0'], '--n 0')])
def test_bad_values(w, capsys, monkeypatch, args, says):
    monkeypatch.chdir(w)
    fn = next(f for k, f in COMMANDS.items() if tuple(args[:len(k)]) == k)
    out = ['--out', w/'bv-out'] if 'out' in inspect.signature(fn).parameters and '--out' not in args else []
    run(capsys, [*args, *out], says=[says], keep=[w/'l2m', w/'pipe'])

def test_cuda_without_cuda(w, capsys):
    if torch.cuda.is_available(): pytest.skip('this machine has CUDA')
    run(capsys, L2M + ['--device', 'cuda', '--out', w/'cu'], says=['--device cuda: CUDA is not available here'])
    run(capsys, ['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--device', 'cuda', '--out', w/'cu2'], says=['CUDA is not available'])

# ---- unreadable checkpoints --------------------------------------------------------------------------------------------------
WHAT = {'text': 'is a text file, not a PyTorch checkpoint', 'empty': 'is empty (0 bytes)', 'truncated': 'is truncated or damaged',
        'evil': "tensors-only mode, which never runs code", 'notckpt': None}

@pytest.mark.parametrize('kind', list(WHAT))
def test_unreadable_checkpoints(w, capsys, kind):
    f, what = w/f'{kind}.pt', WHAT[kind]
    says = [f] + ([what] if what else [])
    for args in (['edit', w/'face.png', '--ckpt', f, '--attr', 'Smiling', '--out', w/f'e-{kind}'],
                 ['eval', '--ckpt', f, '--out', w/f'v-{kind}', '--fid', 'none'],
                 ['train', 'vrfam-encoder', '--preset', 'test', '--generator', f, '--out', w/'pipe', '--name', f'g-{kind}']):
        err = run(capsys, args, says=says)
        assert 'weights_only' not in err
    d = w/f'run-{kind}'; shutil.copytree(w/'l2m', d, dirs_exist_ok=True); shutil.copy(f, d/'ckpt_last.pt')
    err = run(capsys, L2M + ['--out', d, '--resume', '--iters', '6'], says=[d/'ckpt_last.pt', what or 'not a fam_nb training checkpoint'], keep=[d])
    assert 'weights_only' not in err and not (w/'PWNED').exists()

# ---- where output goes ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('args,out,says', [
    (L2M, 'afile', 'afile: is a file, not a folder'), (L2M, 'afile/sub', 'afile is a file, not a folder'),
    (['train', 'stylegan2', '--preset', 'test'], 'afile', 'afile: is a file'),
    (['edit', 'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling'], 'afile', 'afile: is a file'),
    (['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--n', '2', '--fid', 'none', '--judge', 'none', '--identity', 'none'], 'afile', 'afile: is a file'),
    (['data', 'preview'], 'afile/p.png', 'afile is a file, not a folder'), (['reproduce'], 'afile', 'afile: is a file'),
    (['study', 'make'], 'afile', 'afile: is a file')])
def test_out_that_cannot_be_written(w, capsys, monkeypatch, args, out, says):
    monkeypatch.chdir(w)
    run(capsys, [*args, '--out', out], says=[f'--out {out}', says], keep=[w/'afile'])

def test_out_in_an_unwritable_place(capsys):
    if not Path('/proc/self').exists(): pytest.skip('no /proc')
    run(capsys, L2M + ['--out', '/proc/fam_nb_run'], says=['--out /proc/fam_nb_run'])
    run(capsys, ['data', 'preview', '--out', '/proc/fam_nb.png'], says=['--out /proc/fam_nb.png'])

# ---- the disk, memory ---------------------------------------------------------------------------------------------------------
def test_too_little_free_disk_is_said_before_training(w, capsys, monkeypatch):
    import fam_nb.train as tr
    monkeypatch.setattr(tr.shutil, 'disk_usage', lambda p: shutil._ntuple_diskusage(10 ** 9, 10 ** 9 - 10 ** 5, 10 ** 5))
    run(capsys, L2M + ['--out', w/'nodisk'], says=['not enough free space on the disk of', str(w/'nodisk'), 'MB left'])
    assert not (w/'nodisk'/'ckpt_last.pt').exists()

def test_a_full_disk_while_writing_keeps_the_last_checkpoint(w, capsys, monkeypatch):
    d = w/'full'; shutil.copytree(w/'l2m', d)
    def full(obj, f, *a, **k): Path(f).write_bytes(b'x' * 1000); raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(torch, 'save', full)
    run(capsys, L2M + ['--out', d, '--resume', '--iters', '6'], says=['no space left on the disk of', 'ckpt_last.pt', 'is intact'],
        keep=[d/'ckpt_last.pt'])
    assert not [p for p in d.iterdir() if p.name.endswith('.tmp')]

def test_gpu_out_of_memory_suggests_a_smaller_batch(capsys, monkeypatch):
    def oom(*a, **k): raise torch.cuda.OutOfMemoryError('CUDA out of memory. Tried to allocate 2.00 GiB')
    monkeypatch.setattr(cli, 'train_l2m', oom)
    run(capsys, ['train', 'l2m', '--bs', '64', '--out', 'x'], says=['out of GPU memory at --bs 64', 'smaller --bs'])

# ---- options the messages suggest exist -----------------------------------------------------------------------------------------
def test_allow_missing_is_an_option(tmp_path, capsys):
    src = (shared_dir() or Path('/nonexistent'))/'data'/'celeba_subset'
    if not src.is_dir(): pytest.skip('../shared/data/celeba_subset is absent')
    (tmp_path/'img_align_celeba').mkdir()
    for f in ('list_attr_celeba.txt', 'list_eval_partition.txt', 'identity_CelebA.txt'): shutil.copy(src/f, tmp_path/f)
    for f in sorted((src/'img_align_celeba').iterdir())[:30]: shutil.copy(f, tmp_path/'img_align_celeba'/f.name)
    run(capsys, ['data', 'summary', '--data', f'celeba:{tmp_path}'], says=['--data celeba:PATH,allow_missing'])
    run(capsys, ['data', 'summary', '--data', f'celeba:{tmp_path},allow_missing'], code=0)

def test_attr_file_is_an_option(tmp_path, capsys):
    (tmp_path/'imgs').mkdir()
    for i in range(6): Image.new('RGB', (32, 32), (40 * i, 80, 120)).save(tmp_path/'imgs'/f'{i}.png')
    run(capsys, ['data', 'summary', '--data', f"ffhq:{tmp_path/'imgs'}"], says=[f"--data ffhq:{tmp_path/'imgs'},attr_file=CSV"])
    (tmp_path/'a.csv').write_text('name,Smiling\n' + ''.join(f'{i}.png,{i % 2}\n' for i in range(6)))
    run(capsys, ['data', 'summary', '--data', f"ffhq:{tmp_path/'imgs'},attr_file={tmp_path/'a.csv'}", '--attr', 'Smiling'], code=0)

# ---- help ---------------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('k', list(COMMANDS), ids=[' '.join(k) for k in COMMANDS])
def test_every_option_has_help(k):
    p = _parser(COMMANDS[k], 'fam_nb ' + ' '.join(k))
    bare = [a.option_strings[-1] if a.option_strings else a.dest for a in p._actions
            if a.dest not in ('help', 'pdb', 'xtra') and not (a.help or '').strip()]
    assert not bare, f"{' '.join(k)}: no help for {bare}"
