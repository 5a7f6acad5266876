"""Check the PyTorch ports of the face-api judges against CelebA labels and identities.

    OMP_NUM_THREADS=1 python bench/faceapi_check.py [--data celeba:PATH] [--split test] [--limit N] [--ablations]

On the images of one split (default: the identity-disjoint test split of the CelebA subset, 896 images) it prints,
for three framings of the aligned 89x109 images (the FACE_BOX crop, the full frame stretched to a square, and the
centre square that `FaceSource.load` makes):
- gender accuracy of P(male) > 0.5 against CelebA `Male`;
- agreement of P(happy) > 0.5 with CelebA `Smiling`;
- identity-verification ROC-AUC of the embedding cosine on all same-identity pairs of those images plus as many
  random different-identity pairs (seeded), computed with the rank (Mann-Whitney) formula.
Targets from the reference: gender ~95%, Smiling ~89%, AUC ~0.90 with the crop.
`--ablations` also runs the crop with deliberate mistakes (BGR input, no mean subtraction, 'same' padding in the
recogniser's strided convs) to show which choices the numbers depend on.
"""
import argparse, time
import numpy as np, pandas as pd, torch
from fam_nb.core import shared_path
from fam_nb.data.core import load_image
from fam_nb.data.loaders import open_data
from fam_nb.pretrained.faceapi import *
from fam_nb.pretrained.faceapi import ResDownBlock

def roc_auc(score, y)->float:
    "ROC-AUC by the rank formula: P(score of a positive > score of a negative), ties counting one half."
    score, y = np.asarray(score, dtype=np.float64), np.asarray(y).astype(bool)
    r = pd.Series(score).rank(method='average').to_numpy()
    n1, n0 = y.sum(), (~y).sum()
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))

def make_pairs(ident, seed:int=0, max_same:int=None)->tuple:
    "All same-identity pairs (i < j), optionally a seeded subset, and as many distinct random different-identity pairs."
    ident = np.asarray(ident); rng = np.random.default_rng(seed)
    same = [(i, j) for i in range(len(ident)) for j in range(i + 1, len(ident)) if ident[i] == ident[j]]
    if max_same is not None and len(same) > max_same: same = [same[k] for k in sorted(rng.choice(len(same), max_same, replace=False))]
    diff = set()
    while len(diff) < len(same):
        i, j = sorted(rng.choice(len(ident), 2, replace=False))
        if ident[i] != ident[j]: diff.add((int(i), int(j)))
    P = np.array(same + sorted(diff))
    return P, np.r_[np.ones(len(same)), np.zeros(len(diff))]

@torch.no_grad()
def judge(X, box, rec, ag, ex, bs:int=64, flip_rgb:bool=False)->dict:
    "Embeddings, P(male), ages and expression probabilities of all images in X for one framing."
    E, PM, AGE, PE = [], [], [], []
    for k in range(0, len(X), bs):
        x = X[k:k + bs]
        if flip_rgb: x = x.flip(1)
        E.append(rec.embed(face_crop(x, box, rec.in_size)))
        c = face_crop(x, box, 112)
        a, m = ag(c); AGE.append(a); PM.append(m); PE.append(ex(c))
    return {'emb': torch.cat(E), 'p_male': torch.cat(PM).numpy(), 'age': torch.cat(AGE).numpy(), 'p_expr': torch.cat(PE).numpy()}

def scores(r:dict, tab, P, y)->dict:
    e = r['emb']; cos = (e[P[:, 0]] * e[P[:, 1]]).sum(1).numpy()
    return {'gender_acc': ((r['p_male'] > 0.5) == tab.Male.to_numpy()).mean(),
            'smiling_agree': ((r['p_expr'][:, EXPRESSIONS.index('happy')] > 0.5) == tab.Smiling.to_numpy()).mean(),
            'id_auc': roc_auc(cos, y), 'cos_same': cos[y == 1].mean(), 'cos_diff': cos[y == 0].mean()}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default=None, help="a --data spec; default celeba:<shared>/data/celeba_subset")
    ap.add_argument('--split', default='test', choices=['test', 'train', 'all'])
    ap.add_argument('--limit', type=int, default=None, help="a seeded sample of this many images of the split")
    ap.add_argument('--max_same', type=int, default=None, help="at most this many same-identity pairs (seeded)")
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--faceapi_dir', default=None)
    ap.add_argument('--ablations', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    data = a.data or f"celeba:{shared_path('data', 'celeba_subset')}"
    src = open_data(data)
    rows = src.indices(None if a.split == 'all' else a.split)
    if a.limit is not None and a.limit < len(rows): rows = np.sort(np.random.default_rng(a.seed).choice(rows, a.limit, replace=False))
    tab = src.table.iloc[rows].reset_index(drop=True)
    X = torch.stack([load_image(p) for p in tab.path])  # (N,3,H,W) full aligned frames in [-1,1]
    H, W = X.shape[-2:]
    P, y = make_pairs(tab.identity.to_numpy(), a.seed, a.max_same)
    rec, ag, ex = load_face_recognizer(a.faceapi_dir), load_age_gender(a.faceapi_dir), load_expression(a.faceapi_dir)
    print(f"data {data}, split {a.split}: {len(tab)} images of {H}x{W}, {tab.identity.nunique()} identities; "
          f"{int(y.sum())} same-identity + {int((1 - y).sum())} different-identity pairs (seed {a.seed}); "
          f"Male {tab.Male.mean():.1%}, Smiling {tab.Smiling.mean():.1%}; {torch.get_num_threads()} thread(s)")
    for n in (rec, ag, ex): print('  ', n.identity())
    s = min(H, W)
    framings = {'crop FACE_BOX': FACE_BOX, 'full frame (stretched)': (0, 0, 1, 1),
                'centre square': ((W - s) // 2 / W, (H - s) // 2 / H, ((W - s) // 2 + s) / W, ((H - s) // 2 + s) / H)}
    print(f"{'framing':26s} {'gender acc':>10s} {'smiling agr':>11s} {'id ROC-AUC':>10s} {'cos same':>9s} {'cos diff':>9s}")
    res = {}
    for name, box in framings.items():
        r = res[name] = judge(X, box, rec, ag, ex, a.bs)
        m = scores(r, tab, P, y)
        print(f"{name:26s} {m['gender_acc']:10.1%} {m['smiling_agree']:11.1%} {m['id_auc']:10.3f} {m['cos_same']:9.3f} {m['cos_diff']:9.3f}")
    r = res['crop FACE_BOX']
    smile = tab.Smiling.to_numpy()
    corr = {e: np.corrcoef(r['p_expr'][:, k], smile)[0, 1] for k, e in enumerate(EXPRESSIONS)}
    print("crop: correlation of each expression probability with Smiling: " + ', '.join(f"{e} {c:+.2f}" for e, c in corr.items()))
    print(f"crop: argmax expression counts {dict(zip(EXPRESSIONS, np.bincount(r['p_expr'].argmax(1), minlength=7).tolist()))}")
    print(f"crop: mean predicted age {r['age'].mean():.1f} (Young=1: {r['age'][tab.Young.to_numpy() == 1].mean():.1f}, "
          f"Young=0: {r['age'][tab.Young.to_numpy() == 0].mean():.1f})")
    if a.ablations:
        print("ablations (crop FACE_BOX):")
        m = scores(judge(X, FACE_BOX, rec, ag, ex, a.bs, flip_rgb=True), tab, P, y)
        print(f"  BGR instead of RGB input:          gender {m['gender_acc']:.1%}, smiling {m['smiling_agree']:.1%}, id AUC {m['id_auc']:.3f}")
        for net in (ag, ex): net.mean_rgb.zero_()
        m = scores(judge(X, FACE_BOX, rec, ag, ex, a.bs), tab, P, y)
        print(f"  no mean subtraction (age/gender, expression): gender {m['gender_acc']:.1%}, smiling {m['smiling_agree']:.1%}")
        ag, ex = load_age_gender(a.faceapi_dir), load_expression(a.faceapi_dir)
        ag.divisor, ex.divisor = 255.0, 256.0
        m = scores(judge(X, FACE_BOX, rec, ag, ex, a.bs), tab, P, y)
        print(f"  divisors swapped (age/gender 255, expression 256): gender {m['gender_acc']:.1%}, smiling {m['smiling_agree']:.1%}")
        rec.conv32_down.conv.tf_padding = 'same'
        for mod in rec.modules():
            if isinstance(mod, ResDownBlock): mod.conv1.conv.tf_padding = 'same'
        m = scores(judge(X, FACE_BOX, rec, ag, ex, a.bs), tab, P, y)
        print(f"  recogniser strided convs with 'same' padding: id AUC {m['id_auc']:.3f}")
    print(f"total {time.perf_counter() - t0:.0f} s")

if __name__ == '__main__': main()
