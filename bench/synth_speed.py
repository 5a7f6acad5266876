"""SynthFaces render speed: time N faces at SIZE px on this machine and print the figures.

    python bench/synth_speed.py [--n 10000] [--size 64] [--workers 1]

The issue's target: 10,000 faces at 64 px in under 60 s on 2 CPU cores.
"""
import argparse, os, time
from concurrent.futures import ProcessPoolExecutor
import numpy as np
from fam_nb.data.synth import sample_face, render_face

def _render_range(args):
    seed, lo, hi, size, style = args
    for i in range(lo, hi): render_face(sample_face(seed, i), size, style)
    return hi - lo

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=10000); ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--workers', type=int, default=1); ap.add_argument('--style', default='photo')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.workers <= 1: _render_range((a.seed, 0, a.n, a.size, a.style))
    else:
        cuts = np.linspace(0, a.n, a.workers + 1).astype(int)
        with ProcessPoolExecutor(a.workers) as ex:
            list(ex.map(_render_range, [(a.seed, lo, hi, a.size, a.style) for lo, hi in zip(cuts[:-1], cuts[1:])]))
    dt = time.perf_counter() - t0
    print(f"SynthFaces: {a.n} faces, {a.size} px, style {a.style}, {a.workers} worker(s), {os.cpu_count()} CPUs: "
          f"{dt:.1f} s total, {1e3 * dt / a.n:.2f} ms per face, {a.n / dt:.0f} faces/s")
    if a.size == 64:
        est = dt * 10000 / a.n
        print(f"target (10,000 faces at 64 px in under 60 s): {est:.1f} s for 10,000 -> {'met' if est < 60 else 'MISSED'}")

if __name__ == '__main__': main()
