"""Train the ResNet-18 attribute classifier (L2M-GAN's Acc judge) and print its per-attribute test accuracy and wall time.

    python bench/train_classifier.py --data celeba:../shared/data/celeba_subset --attrs Smiling Male \
        --img_size 64 --epochs 8 --out runs/attr_clf_celeba64 [--threads 2]

Trains on the train split of `--data` only; the test split (identity-disjoint for CelebA) is used for reporting.
Writes OUT/attr_classifier.pt (format 'fam_nb.attr_classifier') and OUT/metrics.json.
"""
import argparse, json, os, time

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default='synth:2000', help="a --data value, e.g. celeba:/path or synth:2000")
    ap.add_argument('--attrs', nargs='+', default=['Smiling', 'Male'])
    ap.add_argument('--img_size', type=int, default=64)
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--pretrained', default='auto', help="'auto', a resnet18 ImageNet state-dict path, or 'none'")
    ap.add_argument('--device', default=None)
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch decides)')
    ap.add_argument('--out', default=None, help='folder for attr_classifier.pt and metrics.json')
    ap.add_argument('--no_progress', action='store_true')
    a = ap.parse_args()
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    from fam_nb.eval.classifier import train_attr_classifier
    t = time.perf_counter()
    clf, m = train_attr_classifier(a.data, a.attrs, img_size=a.img_size, epochs=a.epochs, bs=a.bs, lr=a.lr, out=a.out,
                                   seed=a.seed, pretrained=False if a.pretrained == 'none' else a.pretrained,
                                   device=a.device, progress=not a.no_progress)
    wall = time.perf_counter() - t
    print(f"\ndata {a.data}: {m['n_train']} train, {m['n_test']} test images; {a.img_size} px, {a.epochs} epochs, "
          f"bs {a.bs}, lr {a.lr}, init {clf.init}, {torch.get_num_threads()} torch threads, device {clf.config['device']}")
    print('| attribute | test accuracy | majority baseline |\n|---|---|---|')
    for k, v in m['test_acc'].items(): print(f"| {k} | {v:.4f} | {m['majority_baseline'][k]:.4f} |")
    print(f"wall time: {wall:.1f} s" + (f"; checkpoint: {os.path.join(a.out, 'attr_classifier.pt')}" if a.out else ''))
    print('RESULT ' + json.dumps({'data': a.data, 'test_acc': m['test_acc'], 'majority_baseline': m['majority_baseline'],
                                  'wall_s': wall, 'img_size': a.img_size, 'epochs': a.epochs}))

if __name__ == '__main__': main()
