"""ELEGANT at the `test` preset: train, load the export / folder / ckpt_last, edit and reconstruct, exact resume, wrong files refused."""
import os
import pytest, torch
from fam_nb.core import FamError
from fam_nb.data.synth import SynthFaces
from fam_nb.elegant.train import train_elegant, load_elegant, ELEGANT_FORMAT

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp('elegant')/'run'
    learn = train_elegant('synth', ['Smiling'], 'test', out=out, progress=False)
    return out, learn

def _faces(n=3, S=32): return torch.stack([SynthFaces(64, seed=0).load(i, S) for i in range(n)])

def test_train_and_load(run):
    out, learn = run
    assert learn.elegant.it == 4 and (out/'elegant.pt').is_file() and (out/'ckpt_last.pt').is_file()
    ck = torch.load(out/'elegant.pt', weights_only=True)
    assert ck['format'] == ELEGANT_FORMAT and ck['kind'] == 'export' and ck['iteration'] == 4
    assert ck['config']['attrs'] == ['Smiling'] and ck['config']['img_size'] == 32 and 'D1' not in ck
    assert torch.load(out/'ckpt_last.pt', weights_only=True)['kind'] == 'training'
    x, c0, c1 = _faces(), torch.zeros(3, 1), torch.ones(3, 1)
    ref = None
    for p in (out, out/'elegant.pt', out/'ckpt_last.pt'):
        m = load_elegant(p)
        assert m.attrs == ['Smiling'] and m.config['img_size'] == 32 and m.config['iteration'] == 4 and m.config['preset'] == 'test'
        e, r = m.edit(x, c0, c1), m.reconstruct(x, c0)
        assert e.shape == r.shape == (3, 3, 32, 32) and e.abs().max() <= 1 and r.abs().max() <= 1
        assert torch.equal(m.edit(x, c0, c1, strength=0), r)                       # strength 0 is the reconstruction
        assert not torch.equal(e, r)
        ref = e if ref is None else ref; assert torch.equal(e, ref)                  # the same editor from all three
        t = m.reference_edit(x, c0, x[:1], c1[:1], torch.tensor([True]))             # one exemplar for the batch
        assert t.shape == (3, 3, 32, 32) and t.abs().max() <= 1
        assert torch.equal(m.reference_edit(x, c0, x[:1], c1[:1], torch.tensor([False])), r)

def test_two_attributes(tmp_path):
    learn = train_elegant('synth', ['Smiling', 'Bangs'], 'test', out=tmp_path/'r2', progress=False, iters=2)
    m = load_elegant(tmp_path/'r2')
    assert m.proto.shape[:2] == (2, 2) and len(m.slices) == 2
    x = _faces(2)
    c0, c1 = torch.tensor([[0., 0.], [1., 1.]]), torch.tensor([[1., 0.], [1., 1.]])
    e = m.edit(x, c0, c1)
    assert torch.equal(e[1], m.reconstruct(x)[1])                                    # no label change: no change
    assert m.reference_edit(x, c0, x.flip(0), c1, torch.tensor([[True, False], [False, True]])).shape == (2, 3, 32, 32)

def test_resume_is_exact(run, tmp_path):
    out, one_go = run
    train_elegant('synth', ['Smiling'], 'test', out=tmp_path/'half', progress=False, iters=2)
    assert torch.load(tmp_path/'half'/'ckpt_last.pt', weights_only=True)['iteration'] == 2
    res = train_elegant('synth', ['Smiling'], 'test', out=tmp_path/'half', progress=False, resume=True)
    a, b = one_go.model.state_dict(), res.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    ca, cb = (torch.load(d/'ckpt_last.pt', weights_only=True) for d in (out, tmp_path/'half'))
    for k in ca['optims']['G']['state']:
        for s in ('exp_avg', 'exp_avg_sq'): assert torch.equal(ca['optims']['G']['state'][k][s], cb['optims']['G']['state'][k][s])
    assert torch.equal(load_elegant(out).proto, load_elegant(tmp_path/'half').proto)

def test_wrong_files_refused(run, tmp_path):
    torch.save({'format': 'fam_nb.stargan', 'config': {}, 'iteration': 0}, tmp_path/'other.pt')
    with pytest.raises(FamError, match='not a fam_nb ELEGANT'): load_elegant(tmp_path/'other.pt')
    (tmp_path/'text.pt').write_text('hello')
    with pytest.raises(FamError): load_elegant(tmp_path/'text.pt')
    with pytest.raises(FamError, match='already holds a run'): train_elegant('synth', ['Smiling'], 'test', out=run[0], progress=False)
