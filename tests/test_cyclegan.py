"""CycleGAN at the `test` preset: train, load the export / folder / ckpt_last, the edit interface, exact resume, refusals."""
import os
import pytest, torch
from fam_nb.core import FamError, atomic_save
from fam_nb.data.synth import SynthFaces
from fam_nb.cyclegan.train import train_cyclegan, load_cyclegan, CycleGANModel, CYCLEGAN_FORMAT

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp('cyclegan')/'run'
    learn = train_cyclegan('synth', ['Smiling'], 'test', out=out, progress=False)
    return out, learn

def test_train_and_load(run):
    out, learn = run
    assert learn.cyclegan.it == 4 and (out/'cyclegan.pt').is_file() and (out/'ckpt_last.pt').is_file()
    ex = torch.load(out/'cyclegan.pt', weights_only=True)
    assert (ex['format'], ex['kind'], ex['iteration']) == (CYCLEGAN_FORMAT, 'export', 4)
    assert sorted(k for k in ex if k in ('G', 'F', 'D_A', 'D_B', 'nets')) == ['F', 'G']          # the generators only
    assert torch.load(out/'ckpt_last.pt', weights_only=True)['kind'] == 'training'
    models = [load_cyclegan(p) for p in (out, out/'cyclegan.pt', out/'ckpt_last.pt')]
    for m in models:
        assert isinstance(m, CycleGANModel) and m.attrs == ['Smiling']
        assert (m.config['img_size'], m.config['iteration'], m.config['preset'], m.config['attrs']) == (32, 4, 'test', ['Smiling'])
    for a, b in zip(models[1].state_dict().values(), models[2].state_dict().values()): assert torch.equal(a, b)

def test_edit_interface(run):
    m = load_cyclegan(run[0])
    x = torch.stack([SynthFaces(64, seed=0).load(i, 32) for i in range(4)])
    c0, c1 = torch.tensor([[0.], [1.], [0.], [1.]]), torch.tensor([[1.], [0.], [0.], [1.]])
    e = m.edit(x, c0, c1)
    assert e.shape == (4, 3, 32, 32) and e.abs().max() <= 1
    assert torch.allclose(e[0], m.G(x[:1])[0], atol=1e-5) and torch.allclose(e[1], m.F(x[1:2])[0], atol=1e-5)
    assert not torch.equal(e[0], x[0]) and torch.equal(e[2:], x[2:])           # c0 == c1: unchanged
    r = m.reconstruct(x, c0)
    assert r.shape == x.shape and torch.equal(r, x)
    assert torch.equal(m.edit(x, c0, c1, strength=0), r)
    assert torch.equal(m.edit(x, c0, c1, strength=0.5), e)                     # no strength knob: full translation
    with pytest.raises(FamError, match='strength'): m.edit(x, c0, c1, strength=-0.5)
    with pytest.raises(FamError, match='0 or 1'): m.edit(x, c0 * 0.5, c1)

def test_resume_matches_one_go(run, tmp_path):
    _, learn = run
    train_cyclegan('synth', 'Smiling', 'test', out=tmp_path/'half', progress=False, iters=2)
    res = train_cyclegan('synth', 'Smiling', 'test', out=tmp_path/'half', progress=False, resume=True)
    assert res.cyclegan.it == 4
    for (k, a), b in zip(learn.model.state_dict().items(), res.model.state_dict().values()): assert torch.equal(a, b), k
    for k in 'AB': assert torch.equal(torch.stack(learn.cyclegan.pools[k].images), torch.stack(res.cyclegan.pools[k].images))
    ca, cb = (torch.load(d/'ckpt_last.pt', weights_only=True) for d in (run[0], tmp_path/'half'))
    for k in 'AB': assert torch.equal(ca['pools'][k]['rng'], cb['pools'][k]['rng'])
    for k in ('G', 'D'):
        sa, sb = ca['optims'][k]['state'], cb['optims'][k]['state']
        assert all(torch.equal(sa[i]['exp_avg'], sb[i]['exp_avg']) for i in sa)

def test_refusals(run, tmp_path):
    with pytest.raises(FamError, match='one attribute'): train_cyclegan('synth', ['Smiling', 'Male'], 'test', out=tmp_path/'two', progress=False)
    with pytest.raises(FamError, match='one attribute'): train_cyclegan('synth', [], 'test', out=tmp_path/'none', progress=False)
    atomic_save(dict(format='fam_nb.stargan', kind='export', iteration=1, config={}), tmp_path/'other.pt')
    with pytest.raises(FamError, match='not a fam_nb CycleGAN file'): load_cyclegan(tmp_path/'other.pt')
    atomic_save({'a': torch.zeros(1)}, tmp_path/'plain.pt')
    with pytest.raises(FamError, match='not a fam_nb CycleGAN file'): load_cyclegan(tmp_path/'plain.pt')
