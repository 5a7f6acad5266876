"""Re-execute the tour notebooks in place, keeping their outputs and (for the widget tour) the widget state, as they are committed.

    pip install nbclient          # a maintainer's tool, not a dependency of fam_nb
    python bench/execute_tours.py [nbs/94_tour_l2m.ipynb ...]   # default: every nbs/9*_tour_*.ipynb

Run it after the shipped checkpoints change, then `nbdev_clean`; each tour's outputs are then those of the checkpoints committed beside it.
"""
import sys, time
from pathlib import Path

def main(paths):
    try: import nbformat; from nbclient import NotebookClient
    except ImportError: sys.exit("bench/execute_tours.py: needs nbclient (pip install nbclient)")
    for p in paths:
        p, t = Path(p), time.perf_counter()
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=1800, kernel_name='python3', store_widget_state=True,
                       resources={'metadata': {'path': str(p.parent)}}).execute()
        nbformat.write(nb, p)
        print(f"executed {p} in {time.perf_counter() - t:.0f} s")

if __name__ == '__main__':
    main(sys.argv[1:] or sorted(Path(__file__).resolve().parent.parent.glob('nbs/9*_tour_*.ipynb')))
