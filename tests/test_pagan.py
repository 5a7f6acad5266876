"""PA-GAN at the `test` preset: train, load the export / run folder / ckpt_last, edit, reconstruct, masks, exact resume, wrong files refused."""
import os
import pytest, torch
from fam_nb.core import FamError, atomic_save
from fam_nb.data.synth import SynthFaces
from fam_nb.pagan.train import train_pagan, load_pagan, PAGANModel, PAGAN_FORMAT

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp('pagan')/'run'
    learn = train_pagan('synth', ['Smiling'], 'test', out=out, progress=False)
    assert learn.pagan.it == 4 and (out/'pagan.pt').is_file() and (out/'ckpt_last.pt').is_file()
    return out, learn

def test_load_edit_reconstruct(run):
    out, _ = run
    x = torch.stack([SynthFaces(64, seed=0).load(i, 32) for i in range(3)])
    c0 = torch.tensor([[0.], [1.], [0.]])
    for p in (out, out/'pagan.pt', out/'ckpt_last.pt'):
        m = load_pagan(p)
        assert isinstance(m, PAGANModel) and m.attrs == ['Smiling']
        assert (m.config['img_size'], m.config['iteration'], m.config['preset'], m.config['attrs']) == (32, 4, 'test', ['Smiling'])
        e = m.edit(x, c0, 1 - c0)
        assert e.shape == (3, 3, 32, 32) and e.abs().max() <= 1 and torch.isfinite(e).all()
        r = m.reconstruct(x, c0)
        assert r.shape == x.shape and torch.equal(r, x)                      # b = 0: all masks zero, the input exactly
        assert torch.equal(m.edit(x, c0, 1 - c0, strength=0), r)             # strength 0 is the reconstruction
        assert torch.equal(m.edit(x, c0, c0), r)                             # no label change: no change
        mk = m.masks(x, c0, 1 - c0)
        assert mk.shape == (3, 1, 32, 32) and mk.min() >= 0 and mk.max() <= 1
        assert not torch.equal(e, x)                                          # an edit changes something
    with pytest.raises(FamError, match='labels must have 1'): m.edit(x, torch.zeros(3, 2), torch.ones(3, 2))

def test_resume_matches_one_go(run, tmp_path):
    _, learn = run
    half = tmp_path/'half'
    train_pagan('synth', ['Smiling'], 'test', out=half, progress=False, iters=2)
    res = train_pagan('synth', ['Smiling'], 'test', out=half, progress=False, resume=True)
    assert res.pagan.it == 4
    a, b = learn.model.state_dict(), res.model.state_dict()
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), k
    ca, cb = (torch.load(d/'ckpt_last.pt', weights_only=True) for d in (run[0], half))
    for k in ('G', 'D'):
        for n, v in ca['optims'][k]['state'].items():
            for s, t in v.items(): assert torch.equal(t, cb['optims'][k]['state'][n][s]), (k, n, s)

def test_wrong_files_refused(tmp_path):
    atomic_save(dict(format='fam_nb.stargan', kind='export', iteration=1, config={}, G={}), tmp_path/'other.pt')
    with pytest.raises(FamError, match='not a fam_nb PA-GAN file'): load_pagan(tmp_path/'other.pt')
    atomic_save(torch.zeros(3), tmp_path/'tensor.pt')
    with pytest.raises(FamError): load_pagan(tmp_path/'tensor.pt')
    assert PAGAN_FORMAT == 'fam_nb.pagan'
