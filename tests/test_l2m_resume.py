"""Exact resume: a training run killed with SIGKILL and resumed ends with the same weights as an uninterrupted run."""
import os, signal, subprocess, time, csv
import pytest, torch

# BL+OL(L1) has the style transformer and the orthogonality loss but needs no perceptual network, which keeps this fast
ARGS = ['fam_nb', 'train', 'l2m', '--data', 'synth', '--attr', 'Smiling', '--variant', 'BL+OL(L1)', '--preset', 'test', '--iters', '20']
ENV = {**os.environ, 'FAM_NB_NO_DOWNLOAD': '1'}

def _train(out, *extra, **kw):
    return subprocess.run(ARGS + ['--out', str(out), *extra], env=ENV, capture_output=True, text=True, timeout=600, **kw)

def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    a, b = tmp_path / 'a', tmp_path / 'b'
    r = _train(a); assert r.returncode == 0, r.stderr[-2000:]
    p = subprocess.Popen(ARGS + ['--out', str(b)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while not (b / 'ckpt_last.pt').exists():            # kill as soon as the first chunk's checkpoint is written
        assert p.poll() is None, 'the run ended before it could be killed'
        assert time.time() - t0 < 300; time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL); p.wait()
    killed_at = torch.load(b / 'ckpt_last.pt', weights_only=True)['iteration']
    assert killed_at < 20, 'killed too late to test a resume'
    r = _train(b, '--resume'); assert r.returncode == 0, r.stderr[-2000:]
    ca, cb = (torch.load(d / 'ckpt_last.pt', weights_only=True) for d in (a, b))
    assert ca['iteration'] == cb['iteration'] == 20
    for part in ('nets', 'nets_ema'):
        for net in ca[part]:
            for k, v in ca[part][net].items(): assert torch.equal(v, cb[part][net][k]), (part, net, k)
    rows = list(csv.DictReader(open(b / 'log.csv')))
    assert [int(r['iteration']) for r in rows] == list(range(1, 21))   # the log has each iteration once

def test_resume_refuses_other_settings(tmp_path):
    r = _train(tmp_path, '--iters', '2'); assert r.returncode == 0, r.stderr[-2000:]
    r = subprocess.run([*ARGS[:8], 'BL', *ARGS[9:], '--out', str(tmp_path), '--resume'], env=ENV, capture_output=True, text=True)
    assert r.returncode == 2 and "variant 'BL+OL(L1)' in its checkpoint, 'BL' now" in r.stderr, r.stderr[-2000:]
