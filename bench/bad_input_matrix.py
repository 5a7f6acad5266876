"""The bad-input matrix against one checkout of fam_nb, as a hostile new user would run it:

    python bench/bad_input_matrix.py ROOT WORK OUT.json      # ROOT: a checkout (e.g. a `git worktree` of an old commit)

Each case runs `fam_nb ...` in a subprocess with PYTHONPATH=ROOT and is scored clear (a non-zero exit with one
error line and no traceback), traceback, silent (accepted), lost (a run's files changed) or unclear (the line does
not name the thing at fault). The full-disk case mounts a small tmpfs and needs root; it is left out otherwise.
It needs ../shared (CelebA) for the real-data cases. tests/test_bad_input.py holds the same cases as fast tests."""
import sys, os, json, time, shutil, subprocess, signal, hashlib, pickle, re
from pathlib import Path

ROOT, W, OUT = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), Path(sys.argv[3])
SHARED = Path(os.environ.get('FAM_NB_SHARED') or Path(__file__).resolve().parents[2]/'shared')   # fam_nb is not imported here: ROOT's is
ENV = {**os.environ, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1', 'FAM_NB_SHARED': str(SHARED)}
ENV.pop('IN_TEST', None)
PY = [sys.executable, '-c', 'import sys; from fam_nb.cli import main; sys.exit(main(sys.argv[1:]))']

def fam(*args, timeout=600, cwd=None):
    t0 = time.time()
    p = subprocess.run(PY + [str(a) for a in args], env=ENV, cwd=cwd or W, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr, time.time() - t0

def digest(paths):
    out = {}
    for p in paths:
        p = Path(p)
        fs = sorted(q for q in p.rglob('*') if q.is_file()) if p.is_dir() else ([p] if p.exists() else [])
        for q in fs: out[str(q)] = hashlib.sha256(q.read_bytes()).hexdigest()
    return out

RESULTS = []
def case(name, args, expect='error', keep=(), pattern=None, timeout=600, group=''):
    "expect: 'error' (a clear non-zero exit), 'ok' (exit 0)."
    before = digest(keep)
    try: rc, so, se, dt = fam(*args, timeout=timeout)
    except subprocess.TimeoutExpired as e: rc, so, se, dt = None, '', f'(still running after {timeout} s: accepted)', timeout
    after = digest(keep)
    tb = 'Traceback (most recent call last)' in se or 'Traceback (most recent call last)' in so
    lines = [l for l in se.strip().splitlines() if not l.startswith('[fam_nb] INFO') and l.strip()]
    last = lines[-1] if lines else ''
    lost = before != after
    if expect == 'ok': verdict = 'ok' if rc == 0 and not tb else ('traceback' if tb else 'error')
    elif lost: verdict = 'lost'
    elif tb: verdict = 'traceback'
    elif rc == 0 or rc is None: verdict = 'silent'
    elif pattern and not re.search(pattern, se, re.I): verdict = 'unclear'
    else: verdict = 'clear'
    r = dict(group=group, name=name, args=' '.join(map(str, args)), rc=rc, verdict=verdict, last=last[:300], s=round(dt, 1))
    RESULTS.append(r); print(json.dumps(r), flush=True)
    return r

ONLY = os.environ.get('MATRIX_ONLY')
if W.exists() and not ONLY: shutil.rmtree(W)
W.mkdir(parents=True, exist_ok=True)
# ---- fixtures -----------------------------------------------------------------------
def must(*args):
    rc, so, se, dt = fam(*args)
    if rc: raise SystemExit(f"fixture failed: {args}\n{se[-3000:]}")
must('train', 'l2m', '--preset', 'test', '--out', W/'l2m')
must('train', 'stylegan2', '--preset', 'test', '--out', W/'pipe')
must('train', 'vrfam-encoder', '--preset', 'test', '--out', W/'pipe')
(W/'text.pt').write_text('hello, I am not a checkpoint\n')
(W/'empty.pt').write_bytes(b'')
b = (W/'l2m'/'ckpt_last.pt').read_bytes(); (W/'truncated.pt').write_bytes(b[:len(b) // 2])
class Evil:
    def __reduce__(self): return (os.system, ('touch ' + str(W/'PWNED'),))
import torch
torch.save({'x': Evil()}, W/'evil.pt')
torch.save({'just': torch.zeros(2)}, W/'notckpt.pt')
(W/'afile').write_text('a file, not a folder\n')
from PIL import Image
Image.new('RGB', (40, 40), (120, 90, 80)).save(W/'face.png')
(W/'notimage.png').write_text('not an image')
# a CelebA folder whose attribute list names images that are missing
cb = W/'celeba_bad'; (cb/'img_align_celeba').mkdir(parents=True)
src = SHARED/'data/celeba_subset'
for f in ('list_attr_celeba.txt', 'list_eval_partition.txt', 'identity_CelebA.txt'): shutil.copy(src/f, cb/f)
for f in sorted((src/'img_align_celeba').iterdir())[:30]: shutil.copy(f, cb/'img_align_celeba'/f.name)
# an FFHQ-like folder without the attribute CSV
fq = W/'ffhq'; fq.mkdir()
for f in sorted((src/'img_align_celeba').iterdir())[:20]: shutil.copy(f, fq/f.name)
import csv as _csv
with open(W/'ffhq_attrs.csv', 'w', newline='') as fh:
    w = _csv.writer(fh); w.writerow(['name', 'Smiling']); [w.writerow([f.name, i % 2]) for i, f in enumerate(sorted(fq.iterdir()))]

L2M = ['train', 'l2m', '--preset', 'test']
RUN = [W/'l2m']; PIPE = [W/'pipe']
# ---- lost data ------------------------------------------------------------------------
g = 'lost data'
case('l2m into an existing run, other attribute', L2M + ['--out', W/'l2m', '--attr', 'Male'], keep=RUN, group=g)
case('l2m into an existing run, same settings', L2M + ['--out', W/'l2m'], keep=RUN, group=g)
case('l2m --resume, other --data (synth:100)', L2M + ['--out', W/'l2m', '--resume', '--iters', 6, '--data', 'synth:100'], keep=RUN, pattern='data', group=g)
case('l2m --resume, other --data (CelebA)', L2M + ['--out', W/'l2m', '--resume', '--iters', 6, '--data', f'celeba:{src}'], keep=RUN, pattern='data', group=g)
case('l2m --resume, other --attr', L2M + ['--out', W/'l2m', '--resume', '--iters', 6, '--attr', 'Male'], keep=RUN, pattern='attr', group=g)
case('l2m --resume, other --variant', L2M + ['--out', W/'l2m', '--resume', '--iters', 6, '--variant', 'BL'], keep=RUN, pattern='variant', group=g)
case('l2m --resume, other --bs', L2M + ['--out', W/'l2m', '--resume', '--iters', 6, '--bs', 2], keep=RUN, pattern='bs', group=g)
case('l2m --resume, other --preset', ['train', 'l2m', '--preset', 'synth-demo', '--out', W/'l2m', '--resume'], keep=RUN, group=g)
case('stylegan2 into an existing run', ['train', 'stylegan2', '--preset', 'test', '--out', W/'pipe'], keep=PIPE, group=g)
case('stylegan2 --resume, other --data', ['train', 'stylegan2', '--preset', 'test', '--out', W/'pipe', '--resume', '--iters', 8, '--data', 'synth:100'], keep=PIPE, pattern='data', group=g)
case('vrfam-encoder into an existing run', ['train', 'vrfam-encoder', '--preset', 'test', '--out', W/'pipe'], keep=PIPE, group=g)
case('vrfam-encoder --resume, other --data', ['train', 'vrfam-encoder', '--preset', 'test', '--out', W/'pipe', '--resume', '--iters', 8, '--data', 'synth:100'], keep=PIPE, pattern='data', group=g)
case('vrfam-classifier, other --preset than the pipeline', ['train', 'vrfam-classifier', '--preset', 'synth-demo', '--out', W/'pipe'], keep=[W/'pipe'/'stylegan2', W/'pipe'/'encoder-vr'], group=g)
shutil.copytree(W/'l2m', W/'l2m_ow')
case('l2m into an existing run with --overwrite', L2M + ['--out', W/'l2m_ow', '--overwrite', '--attr', 'Male'], expect='ok', group=g)
case('l2m --resume --overwrite together', L2M + ['--out', W/'l2m', '--resume', '--overwrite'], keep=RUN, pattern='one of them', group=g)
# two trainers on one folder
lk = W/'lock'
bg = subprocess.Popen(PY + L2M + ['--out', str(lk), '--iters', '4000'], env=ENV, cwd=W, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(600):
    if (lk/'ckpt_last.pt').exists(): break
    time.sleep(0.5)
case('a second trainer on a folder in use (--resume)', L2M + ['--out', lk, '--resume', '--iters', 4000], pattern=str(bg.pid), timeout=60, group=g)
case('a second trainer on a folder in use (no --resume)', L2M + ['--out', lk, '--iters', 4000], pattern=str(bg.pid), timeout=60, group=g)
bg.kill(); bg.wait()
case('resume after SIGKILL (a stale lock)', L2M + ['--out', lk, '--resume', '--iters', 8], expect='ok', timeout=300, group=g)
# ---- bad options -------------------------------------------------------------------
g = 'bad option'
for cmd, extra in ((['train', 'l2m'], ['--out', W/'bp1']), (['train', 'stylegan2'], ['--out', W/'bp2']),
                   (['train', 'vrfam-encoder'], ['--out', W/'pipe', '--name', 'bp']), (['train', 'vrfam-classifier'], ['--out', W/'pipe']),
                   (['train', 'vrfam-transformer'], ['--out', W/'pipe']), (['train', 'interfacegan'], ['--out', W/'pipe']),
                   (['train', 'vrfam'], ['--out', W/'bp3'])):
    case(f"{' '.join(cmd)} --preset nope", cmd + ['--preset', 'nope'] + extra, pattern='nope', keep=PIPE, group=g)
case('l2m --bs 0', L2M + ['--bs', 0, '--out', W/'b1'], pattern='bs', group=g)
case('stylegan2 --bs 0', ['train', 'stylegan2', '--preset', 'test', '--bs', 0, '--out', W/'b2'], pattern='bs', group=g)
case('vrfam-encoder --bs 0', ['train', 'vrfam-encoder', '--preset', 'test', '--bs', 0, '--out', W/'pipe', '--name', 'b3'], pattern='bs', group=g)
case('l2m --iters 0', L2M + ['--iters', 0, '--out', W/'i1'], pattern='iters', group=g)
case('l2m --iters -1', L2M + ['--iters', -1, '--out', W/'i2'], pattern='iters', group=g)
case('stylegan2 --iters -1', ['train', 'stylegan2', '--preset', 'test', '--iters', -1, '--out', W/'i3'], pattern='iters', group=g)
case('vrfam-encoder --iters 0', ['train', 'vrfam-encoder', '--preset', 'test', '--iters', 0, '--out', W/'pipe', '--name', 'i4'], pattern='iters', group=g)
case('vrfam-classifier --epochs 0', ['train', 'vrfam-classifier', '--preset', 'test', '--epochs', 0, '--out', W/'pipe'], pattern='epochs', group=g)
case('vrfam-transformer --steps 0', ['train', 'vrfam-transformer', '--preset', 'test', '--steps', 0, '--out', W/'pipe'], pattern='steps', group=g)
case('interfacegan --n 0', ['train', 'interfacegan', '--preset', 'test', '--n', 0, '--out', W/'pipe'], pattern='n', group=g)
case('data preview --n 0', ['data', 'preview', '--n', 0, '--out', W/'p0.png'], pattern='n', group=g)
case('data preview --img-size 0', ['data', 'preview', '--img_size', 0, '--out', W/'p1.png'], pattern='img', group=g)
case('data summary --data synth:0', ['data', 'summary', '--data', 'synth:0'], pattern='synth:0', group=g)
case('data summary --data synth:-5', ['data', 'summary', '--data', 'synth:-5'], pattern='synth', group=g)
case('l2m --data synth:0', L2M + ['--data', 'synth:0', '--out', W/'s0'], pattern='synth:0', group=g)
case('data summary --data foo:bar', ['data', 'summary', '--data', 'foo:bar'], pattern='foo', group=g)
case('data summary --data celeba:/nonexistent', ['data', 'summary', '--data', 'celeba:/nonexistent'], pattern='nonexistent', group=g)
case('eval --n 0', ['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--n', 0, '--out', W/'ev0', '--fid', 'none', '--judge', 'none', '--identity', 'none'], pattern='n', group=g)
case('edit --to 2', ['edit', W/'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--to', 2, '--out', W/'e1'], pattern='to', group=g)
case('edit --attr Nope', ['edit', W/'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Nope', '--out', W/'e2'], pattern='Nope', group=g)
case('edit, a missing image', ['edit', W/'nothere.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--out', W/'e3'], pattern='nothere', group=g)
case('edit, a text file as image', ['edit', W/'notimage.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--out', W/'e4'], pattern='notimage', group=g)
# ---- devices --------------------------------------------------------------------------
g = 'device'
case('l2m --device cuda (no CUDA)', L2M + ['--device', 'cuda', '--out', W/'d1'], pattern='cuda', group=g)
case('l2m --device tpu', L2M + ['--device', 'tpu', '--out', W/'d2'], pattern='tpu', group=g)
case('edit --device tpu', ['edit', W/'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--device', 'tpu', '--out', W/'d3'], pattern='tpu', group=g)
case('eval --device cuda (no CUDA)', ['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--device', 'cuda', '--out', W/'d4'], pattern='cuda', group=g)
case('stylegan2 --device cuda:3', ['train', 'stylegan2', '--preset', 'test', '--device', 'cuda:3', '--out', W/'d5'], pattern='cuda', group=g)
# ---- unreadable checkpoints -----------------------------------------------------------
g = 'checkpoint'
for kind in ('text', 'truncated', 'empty', 'evil', 'notckpt'):
    f = W/f'{kind}.pt'
    case(f"edit --ckpt {kind}.pt", ['edit', W/'face.png', '--ckpt', f, '--attr', 'Smiling', '--out', W/f'ec_{kind}'], pattern=f'{kind}.pt', group=g)
    case(f"eval --ckpt {kind}.pt", ['eval', '--ckpt', f, '--out', W/f'vc_{kind}', '--fid', 'none'], pattern=f'{kind}.pt', group=g)
    case(f"vrfam-encoder --generator {kind}.pt", ['train', 'vrfam-encoder', '--preset', 'test', '--generator', f, '--out', W/'pipe', '--name', f'gen_{kind}'], pattern=f'{kind}.pt', group=g)
    d = W/f'run_{kind}'; shutil.copytree(W/'l2m', d); shutil.copy(f, d/'ckpt_last.pt')
    case(f"l2m --resume from a {kind} ckpt_last.pt", L2M + ['--out', d, '--resume', '--iters', 6], pattern='ckpt_last', keep=[d], group=g)
case('edit --ckpt missing.pt', ['edit', W/'face.png', '--ckpt', W/'missing.pt', '--attr', 'Smiling', '--out', W/'ec_m'], pattern='missing.pt', group=g)
case('edit --ckpt a pipeline with a text generator', ['edit', W/'face.png', '--ckpt', W/'pipe_bad', '--attr', 'Smiling', '--out', W/'ec_p'], pattern='pipe_bad', group=g) if shutil.copytree(ROOT/'checkpoints'/'vrfam-synth-demo', W/'pipe_bad') and shutil.copy(W/'text.pt', W/'pipe_bad'/'stylegan2'/'stylegan2.pt') else None
RESULTS.append(dict(group=g, name='no checkpoint ran code', verdict='clear' if not (W/'PWNED').exists() else 'lost'))
# ---- where output goes ------------------------------------------------------------------
g = 'output'
case('l2m --out an existing file', L2M + ['--out', W/'afile'], pattern='afile', keep=[W/'afile'], group=g)
case('l2m --out under a file', L2M + ['--out', W/'afile'/'sub'], pattern='afile', group=g)
case('l2m --out unwritable (/proc)', L2M + ['--out', '/proc/fam_run'], pattern='/proc/fam_run', group=g)
case('stylegan2 --out an existing file', ['train', 'stylegan2', '--preset', 'test', '--out', W/'afile'], pattern='afile', keep=[W/'afile'], group=g)
case('data preview --out into /proc', ['data', 'preview', '--out', '/proc/fam.png'], pattern='/proc/fam.png', group=g)
case('edit --out an existing file', ['edit', W/'face.png', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--attr', 'Smiling', '--out', W/'afile'], pattern='afile', keep=[W/'afile'], group=g)
case('eval --out an existing file', ['eval', '--ckpt', ROOT/'checkpoints'/'l2m-smiling.pt', '--out', W/'afile', '--n', 2, '--fid', 'none', '--judge', 'none', '--identity', 'none'], pattern='afile', keep=[W/'afile'], group=g)
# a full disk while writing a checkpoint
mnt = W/'full'; mnt.mkdir()
size = (W/'l2m'/'ckpt_last.pt').stat().st_size
ok = subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={int(size * 1.5) // 4096 * 4096 + 65536}', 'tmpfs', str(mnt)]).returncode == 0
if ok:
    shutil.copytree(W/'l2m', mnt/'l2m', ignore=shutil.ignore_patterns('nets_ema_*', 'samples'))
    r = case('a full disk while writing a checkpoint', L2M + ['--out', mnt/'l2m', '--resume', '--iters', 8], pattern='space', keep=[mnt/'l2m'/'ckpt_last.pt'], group=g)
    r['temp_left'] = [p.name for p in (mnt/'l2m').iterdir() if p.name.endswith('.tmp')]
    subprocess.run(['umount', str(mnt)])
# ---- options the messages suggest ------------------------------------------------------
g = 'suggested option'
r = case('CelebA rows without images', ['data', 'summary', '--data', f'celeba:{cb}'], pattern='missing', group=g)
r['suggests'] = re.findall(r'--data \S*allow_missing\S*', r['last'])
case('... with the option it names', ['data', 'summary', '--data', f'celeba:{cb},allow_missing'], expect='ok', group=g)
r = case('FFHQ folder without its CSV', ['data', 'summary', '--data', f'ffhq:{fq}'], pattern='attr', group=g)
r['suggests'] = re.findall(r'attr[_-]file\S*', r['last'])
case('... with the option it names', ['data', 'summary', '--data', f"ffhq:{fq},attr_file={W/'ffhq_attrs.csv'}"], expect='ok', group=g)
# ---- help text ---------------------------------------------------------------------------------
g = 'help'
sys.path.insert(0, str(ROOT))
from fam_nb.cli import COMMANDS, _parser
for k, fn in COMMANDS.items():
    p = _parser(fn, 'fam_nb ' + ' '.join(k))
    bare = [a.option_strings[-1] if a.option_strings else a.dest for a in p._actions if a.dest not in ('help', 'pdb', 'xtra') and not (a.help or '').strip()]
    RESULTS.append(dict(group=g, name=f"{' '.join(k)} --help", verdict='clear' if not bare else 'no help', last=', '.join(bare)))
    print(json.dumps(RESULTS[-1]), flush=True)
# ---- Ctrl-C ---------------------------------------------------------------------------------------
g = 'interrupt'
def ctrl_c(ci):
    p = subprocess.Popen(PY + L2M + ['--out', str(ci), '--iters', '4000'], env=ENV, cwd=W, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        if (ci/'log.csv').exists() and len((ci/'log.csv').read_text().splitlines()) > 12: break
        time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    try: so, se = p.communicate(timeout=120); rc = p.returncode
    except subprocess.TimeoutExpired: p.kill(); so, se = p.communicate(); rc = None
    rows = (ci/'log.csv').read_text().strip().splitlines()
    it_ck = torch.load(ci/'ckpt_last.pt', weights_only=True)['iteration'] if (ci/'ckpt_last.pt').exists() else None
    tb = 'Traceback' in se
    v = 'ignored (still running 120 s later)' if rc is None else 'traceback' if tb else ('clear' if it_ck == int(rows[-1].split(',')[0]) else 'checkpoint behind')
    r = dict(group=g, name='Ctrl-C during training', rc=rc, verdict=v, last=[l for l in se.strip().splitlines() if l][-1][:300] if se.strip() else '',
             ckpt_iteration=it_ck, last_logged=rows[-1].split(',')[0])
    RESULTS.append(r); print(json.dumps(r), flush=True)
ctrl_c(W/'ctrlc')
OUT.write_text(json.dumps(RESULTS, indent=1))
from collections import Counter
print(Counter(r['verdict'] for r in RESULTS))
