"""StyleGAN2 training-step benchmark: seconds per iteration (D step, G step, EMA, total) and images/s per preset.

    python bench/stylegan2_bench.py [--preset test synth-demo] [--steps 16] [--device cpu|cuda] [--amp off|auto]

Each preset runs in its own process (so peak memory is its own) on SynthFaces at the preset's image size and batch
size. The first iteration is a warm-up and is not counted. The D step includes lazy R1 on the iterations where it
runs (every `d_reg_every`), the G step the lazy path-length step (every `g_reg_every`, when `path_reg` > 0), so the
means over `--steps` iterations are amortised when `--steps` is a multiple of both (16 for the presets here).
On CUDA both AMP settings are measured unless --amp is given. Prints one JSON row per (preset, amp) and a markdown table.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

def one(preset, steps, device, amp):
    import torch
    if device == 'cpu': torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))
    from fam_nb.core import get_preset
    from fam_nb.vrfam.gan import train_stylegan2
    cfg = get_preset('stylegan2', preset)
    out = tempfile.mkdtemp(prefix=f'sg2-bench-{preset}-')
    if device == 'cuda': torch.cuda.reset_peak_memory_stats()
    n = steps + 1
    t = time.perf_counter()
    learn = train_stylegan2('synth', preset, out=out, device=device, progress=False, iters=n, ckpt_every=n,
                            sample_every=10 ** 9, amp=amp, n_synth=max(200, 4 * cfg.bs))
    wall = time.perf_counter() - t
    ts = learn.sg2.times[1:]
    d, g, e = (sum(x[i] for x in ts) / len(ts) for i in range(3))
    nets = learn.model
    res = dict(preset=preset, device=device, amp=amp, img_size=cfg.img_size, bs=cfg.bs, steps=len(ts),
               d_step=d, g_step=g, ema=e, s_per_it=d + g + e, img_per_s=cfg.bs / (d + g + e),
               G_params_M=sum(p.numel() for p in nets.generator.parameters()) / 1e6,
               D_params_M=sum(p.numel() for p in nets.discriminator.parameters()) / 1e6,
               peak_rss_gb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20, wall_s=wall,
               threads=torch.get_num_threads())
    if device == 'cuda':
        res['peak_gpu_gb'] = torch.cuda.max_memory_allocated() / 2 ** 30
        res['gpu'] = torch.cuda.get_device_name()
    print('RESULT ' + json.dumps(res))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', nargs='+', default=['test', 'synth-demo'])
    ap.add_argument('--steps', type=int, default=16, help='timed iterations after one warm-up iteration')
    ap.add_argument('--device', default=None, help='cpu or cuda (default: cuda if available)')
    ap.add_argument('--amp', default=None, help='off, auto, bf16 or fp16 (default: off on CPU, off and auto on CUDA)')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: return one(a.one, a.steps, a.device or 'cpu', a.amp or 'off')
    import torch
    dev = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    amps = [a.amp] if a.amp else (['off', 'auto'] if dev == 'cuda' else ['off'])
    rows = []
    for p in a.preset:
        for amp in amps:
            r = subprocess.run([sys.executable, __file__, '--one', p, '--steps', str(a.steps), '--device', dev, '--amp', amp],
                               capture_output=True, text=True)
            line = [l for l in r.stdout.splitlines() if l.startswith('RESULT ')]
            if not line: print(f"{p} amp={amp}: failed\n{r.stderr[-1500:]}"); continue
            rows.append(json.loads(line[0][7:])); print(line[0][7:], flush=True)
    mem = 'peak GPU GB' if dev == 'cuda' else 'peak RSS GB'
    print(f"\n| preset | px | batch | amp | G / D params (M) | D step s | G step s | EMA s | s/iter | images/s | {mem} |\n"
          f"|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        m = r.get('peak_gpu_gb', r['peak_rss_gb'])
        print(f"| {r['preset']} | {r['img_size']} | {r['bs']} | {r['amp']} | {r['G_params_M']:.2f} / {r['D_params_M']:.2f} | "
              f"{r['d_step']:.4f} | {r['g_step']:.4f} | {r['ema']:.4f} | {r['s_per_it']:.4f} | {r['img_per_s']:.1f} | {m:.2f} |")
    dev_name = rows[0].get('gpu', dev) if rows else dev
    print(f"\n{rows[0]['threads'] if rows else '?'} torch threads, device {dev_name}, {a.steps} timed iterations after 1 warm-up")

if __name__ == '__main__': main()
