"""InterFaceGAN* (L2M-GAN Table 1): the in-domain encoder stage of a `test`-preset VR-FAM pipeline, the editor
`load_editor(pipeline, 'interfacegan_id')`, the domain-regularised optimisation, and exact resume of the encoder."""
import csv, json, os, shutil
import pytest, torch
from fam_nb.core import FamError, load_checkpoint
from fam_nb.data.synth import SynthFaces
from fam_nb.editors import load_editor, detect_method
from fam_nb.vrfam.encoder import encode
from fam_nb.vrfam.stylegan2 import load_stylegan2_checkpoint
from fam_nb.vrfam.pipeline import train_pipeline, stage_file, PIPELINE_FILE, LATENT_METHODS
from fam_nb.vrfam.indomain import IDE_FORMAT, train_encoder_id, load_indomain, loss_inv

os.environ.setdefault('FAM_NB_NO_DOWNLOAD', '1')

def toy_judge(x): return {'Smiling': torch.sigmoid(8 * x[:, 0].mean((1, 2)))}   # red channel brightness

@pytest.fixture(scope='module')
def pipe(tmp_path_factory):
    "A `test`-preset pipeline: StyleGAN2, the VR, e4e and in-domain encoders, C, T_k, the boundaries."
    return train_pipeline(tmp_path_factory.mktemp('idpipe')/'pipe', toy_judge, 'synth', ['Smiling'], preset='test', progress=False)

def faces(n=4, size=32): return torch.stack([SynthFaces(64, seed=0).load(i, size) for i in range(n)])

def test_train_pipeline_trains_the_stage(pipe):
    f = stage_file(pipe, 'encoder_id')
    ck = load_checkpoint(f)
    assert (ck['format'], ck['kind'], ck['iteration']) == (IDE_FORMAT, 'export', 4)
    assert ck['D_init'] == str(pipe/'stylegan2'/'ckpt_last.pt')          # D starts from the GAN's discriminator
    rows = list(csv.DictReader(open(f.parent/'log.csv')))
    assert [int(r['iteration']) for r in rows] == [1, 2, 3, 4] and all(float(r['dom']) > 0 for r in rows)
    assert 'interfacegan_id' in LATENT_METHODS and 'interfacegan_id' in detect_method(pipe)[1]

def test_load_editor_interfacegan_id(pipe):
    ed = load_editor(pipe, 'interfacegan_id')
    assert (ed.method, ed.config['variant'], ed.attrs, ed.img_size) == ('interfacegan_id', 'InterFaceGAN*', ['Smiling'], 32)
    assert ed.model.inverter is not None and ed.model.inverter.steps == 2
    x = faces()
    e = ed.edit(x, {'Smiling': 0}, {'Smiling': 1})
    r = ed.reconstruct(x)
    assert e.shape == r.shape == x.shape and torch.isfinite(e).all()
    G = ed.model.G
    with torch.no_grad(): scale = G(torch.randn(64, G.style_dim, generator=torch.Generator().manual_seed(0))).abs().max()
    assert e.abs().max() < scale and r.abs().max() < scale            # G's own range (a 4-step test generator: not yet [-1, 1])
    assert not torch.equal(e, r)
    assert torch.equal(ed.edit(x, {'Smiling': 0}, {'Smiling': 1}, strength=0), r)     # strength 0 is the reconstruction
    ig = load_editor(pipe, 'interfacegan')                                 # same boundaries, another inversion
    assert not torch.allclose(ig.model.invert(x), ed.model.invert(x))

def test_domain_regularised_optimisation_lowers_its_objective(pipe):
    inv = load_indomain(stage_file(pipe, 'encoder_id'), steps=10)
    G = load_stylegan2_checkpoint(stage_file(pipe, 'generator')).eval().requires_grad_(False)
    x = faces()
    w0 = encode(inv.E, x)
    w = inv(G, x)
    obj = lambda w: loss_inv(G, inv.E, x, w, inv.lambdas, inv.F_net)[0].item()     # Eq. 4
    assert w.shape == w0.shape == (4, G.n_latent, G.style_dim)
    assert obj(w) < obj(w0), (obj(w), obj(w0))
    assert torch.equal(load_indomain(stage_file(pipe, 'encoder_id'), steps=0)(G, x), w0)

def test_resume_is_exact(pipe, tmp_path):
    g = stage_file(pipe, 'generator')
    train_encoder_id(g, preset='test', out=tmp_path/'a', progress=False)
    train_encoder_id(g, preset='test', out=tmp_path/'b', progress=False, iters=2)
    train_encoder_id(g, preset='test', out=tmp_path/'b', progress=False, resume=True)
    ca, cb = (load_checkpoint(tmp_path/d/'ckpt_last.pt') for d in 'ab')
    assert ca['iteration'] == cb['iteration'] == 4
    for net in ('encoder', 'D'):
        for k, v in ca['nets'][net].items(): assert torch.equal(v, cb['nets'][net][k]), (net, k)
    for opt in ('encoder', 'D'):
        for i, s in ca['optims'][opt]['state'].items():
            for k, v in s.items(): assert torch.equal(v, cb['optims'][opt]['state'][i][k]), (opt, i, k)
    assert [int(r['iteration']) for r in csv.DictReader(open(tmp_path/'b'/'log.csv'))] == [1, 2, 3, 4]

def test_wrong_files_are_refused(pipe, tmp_path):
    for f in (stage_file(pipe, 'generator'), stage_file(pipe, 'encoder')):
        with pytest.raises(FamError, match='is not an in-domain'): load_indomain(f)
    old = tmp_path/'old'; old.mkdir()                                      # a pipeline from before the stage existed
    (old/PIPELINE_FILE).write_text(json.dumps({'files': {k: str(stage_file(pipe, k)) for k in ('generator', 'boundaries')}}))
    with pytest.raises(FamError, match='the encoder_id stage has no file'): load_editor(old, 'interfacegan_id')
    assert load_editor(old, 'interfacegan').method == 'interfacegan'

def test_cli_train_edit_eval(pipe, tmp_path, capsys):
    "InterFaceGAN* as a user runs it: `fam_nb train vrfam-encoder-id` into a pipeline, then `fam_nb edit` and `fam_nb eval --method interfacegan_id`."
    from fam_nb.cli import main
    from test_competitors import edit_eval
    p = tmp_path/'pipe'; shutil.copytree(pipe, p); shutil.rmtree(stage_file(p, 'encoder_id').parent)
    assert main(['train', 'vrfam-encoder-id', '--out', str(p), '--preset', 'test']) == 0, capsys.readouterr().err[-2000:]
    assert stage_file(p, 'encoder_id').is_file()
    assert main(['train', 'vrfam-encoder-id', '--out', str(p), '--preset', 'test']) == 2                 # never replaced silently
    assert '--resume' in capsys.readouterr().err
    row = edit_eval(tmp_path, capsys, p, '--method', 'interfacegan_id')
    assert row['label'] == 'InterFaceGAN*' and row['n_plus'] == 4 and 1 <= row['n_minus'] <= 4
