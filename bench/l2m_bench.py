"""L2M-GAN training-step benchmark: seconds per iteration (D step, G step, EMA), images/s and peak memory per preset.

    python bench/l2m_bench.py [--presets test synth-demo celeba64 paper] [--iters 5] [--device cpu|cuda]

Each preset runs in its own process (so peak memory is its own) on SynthFaces at the preset's image size and batch
size, with the full L2M-GAN variant (perceptual loss and orthogonality loss on). The first iteration is a warm-up and
is not counted. On CUDA both AMP settings are measured. Prints one row per (preset, amp) and a markdown table.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

def one(preset, iters, device, amp):
    import torch
    from fam_nb.l2m.train import train_l2m, get_preset
    cfg = get_preset('l2m', preset)
    out = tempfile.mkdtemp(prefix=f'l2m-bench-{preset}-')
    if device == 'cuda': torch.cuda.reset_peak_memory_stats()
    n = iters + 1
    t = time.perf_counter()
    learn = train_l2m('synth', ['Smiling'], 'L2M-GAN', preset, out=out, device=device, progress=False, iters=n,
                      ckpt_every=n, sample_every=10 ** 9, amp=amp, n_synth=max(200, 4 * cfg.bs))
    wall = time.perf_counter() - t
    ts = learn.l2m.times[1:]
    d, g, e = (sum(x[i] for x in ts) / len(ts) for i in range(3))
    res = dict(preset=preset, device=device, amp=amp, img_size=cfg.img_size, bs=cfg.bs, iters=len(ts),
               d_step=d, g_step=g, ema=e, s_per_it=d + g + e, img_per_s=cfg.bs / (d + g + e),
               peak_rss_gb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20, wall_s=wall,
               F=learn.l2m.F_net.name if learn.l2m.F_net is not None else None, threads=torch.get_num_threads())
    if device == 'cuda': res['peak_gpu_gb'] = torch.cuda.max_memory_allocated() / 2 ** 30
    print('RESULT ' + json.dumps(res))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--presets', nargs='+', default=['test', 'synth-demo', 'celeba64', 'paper'])
    ap.add_argument('--iters', type=int, default=5)
    ap.add_argument('--device', default=None)
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS); ap.add_argument('--amp', default='off', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: return one(a.one, a.iters, a.device or 'cpu', a.amp)
    import torch
    dev = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    rows = []
    for p in a.presets:
        for amp in (['off', 'auto'] if dev == 'cuda' else ['off']):
            r = subprocess.run([sys.executable, __file__, '--one', p, '--iters', str(a.iters), '--device', dev, '--amp', amp],
                               capture_output=True, text=True, env={**os.environ, 'FAM_NB_NO_DOWNLOAD': os.environ.get('FAM_NB_NO_DOWNLOAD', '1')})
            line = [l for l in r.stdout.splitlines() if l.startswith('RESULT ')]
            if not line: print(f"{p} amp={amp}: failed\n{r.stderr[-1500:]}"); continue
            rows.append(json.loads(line[0][7:])); print(line[0][7:], flush=True)
    mem = 'peak GPU GB' if dev == 'cuda' else 'peak RSS GB'
    print(f"\n| preset | px | batch | amp | D step s | G step s | EMA s | s/iter | images/s | {mem} | F |\n|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        m = r.get('peak_gpu_gb', r['peak_rss_gb'])
        print(f"| {r['preset']} | {r['img_size']} | {r['bs']} | {r['amp']} | {r['d_step']:.3f} | {r['g_step']:.3f} | {r['ema']:.4f} | "
              f"{r['s_per_it']:.3f} | {r['img_per_s']:.1f} | {m:.2f} | {r['F']} |")
    print(f"\n{rows[0]['threads'] if rows else '?'} torch threads, device {dev}, {a.iters} timed iterations after 1 warm-up")

if __name__ == '__main__': main()
