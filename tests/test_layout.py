"""The layout rules of fam_nb/, read from the source: dependencies run only downward, methods never import each
other, evaluation never imports a method, modules stay short."""
import ast
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parents[1] / 'fam_nb'
# the layers, bottom to top; a module may import only from its own layer or those below
LAYERS = [('core',), ('data',), ('pretrained',), ('train',), ('l2m', 'vrfam', 'stargan', 'cyclegan', 'elegant', 'pagan'), ('editors',), ('eval',), ('apps',), ('cli',)]
METHODS = {'l2m', 'vrfam', 'stargan', 'cyclegan', 'elegant', 'pagan'}
LEVEL = {part: i for i, parts in enumerate(LAYERS) for part in parts}

def modules():
    "(dotted name under fam_nb, path) of every module but the generated index."
    for p in sorted(PKG.rglob('*.py')):
        if p.name in ('__init__.py', '_modidx.py'): continue
        yield '.'.join(p.relative_to(PKG).with_suffix('').parts), p

def fam_imports(name:str, path:Path)->set:
    "The fam_nb modules (dotted, without 'fam_nb.') that module `name` imports."
    pkg = name.split('.')[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:                       # relative: .x, ..x
                base = pkg[:len(pkg) - node.level + 1]
                mod = '.'.join(base + ([node.module] if node.module else []))
            elif (node.module or '').startswith('fam_nb'): mod = node.module[len('fam_nb.'):]
            else: continue
            out.add(mod)
        elif isinstance(node, ast.Import):
            out |= {a.name[len('fam_nb.'):] for a in node.names if a.name.startswith('fam_nb.')}
    return {m for m in out if m}

def top(mod:str)->str: return mod.split('.')[0]

def test_every_module_is_in_a_layer():
    unknown = sorted({top(n) for n, _ in modules()} - set(LEVEL))
    assert not unknown, f"modules outside the layers {LAYERS}: {unknown}"

@pytest.mark.parametrize('name,path', list(modules()), ids=[n for n, _ in modules()])
def test_imports_run_downward(name, path):
    me = top(name)
    for dep in sorted(fam_imports(name, path)):
        d = top(dep)
        assert d in LEVEL, f"{name} imports {dep}, which is in no layer"
        assert LEVEL[d] <= LEVEL[me], f"{name} (layer {me}) imports {dep} (layer {d}, above it)"
        if me in METHODS and d in METHODS: assert d == me, f"method {me} imports the sibling method {dep}"
        if me == 'eval': assert d not in METHODS, f"{name} imports the method package {dep}; evaluation goes through fam_nb.editors"

def test_rules_catch_a_bad_import(tmp_path):
    "The checker itself: a vrfam module importing l2m, and eval importing vrfam, are seen."
    (tmp_path / 'x.py').write_text('from ..l2m.model import L2MModel\nfrom fam_nb.vrfam.stylegan2 import Generator\n')
    assert fam_imports('vrfam.x', tmp_path / 'x.py') == {'l2m.model', 'vrfam.stylegan2'}

@pytest.mark.parametrize('name,path', list(modules()), ids=[n for n, _ in modules()])
def test_modules_are_short(name, path):
    n = len(path.read_text().splitlines())
    assert n <= (275 if name == 'cli' else 450), f"{name} has {n} lines"   # cli: a thin wrapper per command (15), help for every option

def test_preset_names_mean_one_scale_across_methods():
    "Every trainer registers the four scales, and a scale fixes the image size, SynthFaces count and seed for all."
    import fam_nb.l2m.train, fam_nb.vrfam.gan, fam_nb.vrfam.encoder_train, fam_nb.vrfam.pipeline, fam_nb.vrfam.indomain   # they register their presets
    import fam_nb.stargan.train, fam_nb.cyclegan.train, fam_nb.elegant.train, fam_nb.pagan.train
    from fam_nb.core import PRESETS, SCALES
    for fam in ('l2m', 'stylegan2', 'vrfam-encoder', 'vrfam-encoder-id', 'vrfam-latent', 'stargan', 'cyclegan', 'elegant', 'pagan'):
        assert set(SCALES) <= set(PRESETS[fam]), (fam, sorted(PRESETS[fam]))
        for name in SCALES:
            assert {k: PRESETS[fam][name][k] for k in SCALES[name]} == SCALES[name], (fam, name)
