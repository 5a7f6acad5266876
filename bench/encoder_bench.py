"""VR-FAM encoder training-step benchmark: seconds per step (E step, D_W step, total), with and without the ID loss.

    python bench/encoder_bench.py [--preset test synth-demo] [--steps 10] [--device cpu|cuda] [--generator PATH]

Each (preset, identity) pair runs in its own process on SynthFaces at the preset's image size and batch size, with
the preset's perceptual net F (ResNet-18 if present, else the FID Inception) and the VR-FAM losses, with the
progressive stage set to all residuals active (the most expensive stage). The generator is `--generator` (a
rosinality file or a run folder with stylegan2.pt) if given; else for `synth-demo` `runs/stylegan2-synth-demo` when it
exists, else a random stand-in of the shape of the `stylegan2` synth-demo preset (32 px, style_dim 64, n_mlp 4,
32 channels); for `test` the `tiny_generator`. The first step is a warm-up and is not counted. "ID on" uses the
face-api recogniser (or ArcFace with $FAM_NB_ARCFACE); it needs the shared face-api weights.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

def _generator(preset, path):
    from fam_nb.vrfam.stylegan2 import Generator, stylegan2_channels, tiny_generator
    if path: return path, str(path)
    run = ROOT/'runs'/'stylegan2-synth-demo'/'stylegan2.pt'
    if preset == 'synth-demo' and run.is_file(): return run, str(run)
    if preset == 'test': return tiny_generator(32, style_dim=32), 'tiny_generator(32, style_dim=32) (random)'
    ch = {r: c for r, c in stylegan2_channels(2, width=1/16, min_channels=4).items() if r <= 32}
    G = Generator(32, style_dim=64, n_mlp=4, channels=ch).eval()
    return G, f'random stand-in Generator(32, style_dim=64, n_mlp=4, channels={ch})'

def one(preset, steps, device, identity, gpath):
    import torch
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', torch.get_num_threads())))
    from fam_nb.vrfam.encoder_train import train_encoder, get_preset
    cfg = get_preset('vrfam-encoder', preset)
    G, gdesc = _generator(preset, gpath)
    n = steps + 1
    out = tempfile.mkdtemp(prefix=f'enc-bench-{preset}-')
    t = time.perf_counter()
    learn = train_encoder(G, 'synth', preset, out=out, device=device, progress=False, iters=n, ckpt_every=n,
                          sample_every=10 ** 9, identity=identity, progressive_start=0, progressive_every=0,
                          n_synth=max(200, 4 * cfg.bs), amp='off')
    wall = time.perf_counter() - t
    ts = learn.enc.times[1:]
    e, d = (sum(x[i] for x in ts) / len(ts) for i in range(2))
    res = dict(preset=preset, device=device, identity=identity, img_size=cfg.img_size, bs=cfg.bs, steps=len(ts),
               e_step=e, d_step=d, total=e + d, img_per_s=cfg.bs / (e + d), wall_s=wall, generator=gdesc,
               F=learn.enc.F_net.name if learn.enc.F_net is not None else None,
               R=learn.enc.R.kind if learn.enc.R is not None else None, threads=torch.get_num_threads())
    print('RESULT ' + json.dumps(res))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', nargs='+', default=['test', 'synth-demo'])
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--device', default=None)
    ap.add_argument('--generator', default=None, help='rosinality StyleGAN2 file or run folder (default: see above)')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS); ap.add_argument('--identity', default='none', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: return one(a.one, a.steps, a.device or 'cpu', a.identity, a.generator)
    import torch
    dev = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    rows = []
    for p in a.preset:
        for ident in ('none', 'auto'):
            cmd = [sys.executable, __file__, '--one', p, '--steps', str(a.steps), '--device', dev, '--identity', ident]
            if a.generator: cmd += ['--generator', a.generator]
            r = subprocess.run(cmd, capture_output=True, text=True,
                               env={**os.environ, 'FAM_NB_NO_DOWNLOAD': os.environ.get('FAM_NB_NO_DOWNLOAD', '1')})
            line = [l for l in r.stdout.splitlines() if l.startswith('RESULT ')]
            if not line: print(f"{p} identity={ident}: failed\n{r.stderr[-1500:]}"); continue
            rows.append(json.loads(line[0][7:])); print(line[0][7:], flush=True)
    print("\n| preset | px | batch | ID loss | E step s | D_W step s | s/step | images/s | F |\n|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['preset']} | {r['img_size']} | {r['bs']} | {r['R'] or 'off'} | {r['e_step']:.3f} | {r['d_step']:.4f} | "
              f"{r['total']:.3f} | {r['img_per_s']:.1f} | {r['F']} |")
    if rows: print(f"\n{rows[0]['threads']} torch threads, device {dev}, {a.steps} timed steps after 1 warm-up, all residuals active; "
                   f"generators: " + '; '.join(sorted({f"{r['preset']}: {r['generator']}" for r in rows})))

if __name__ == '__main__': main()
