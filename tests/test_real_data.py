"Tests of `fam_nb.data.real` on the development data in ../shared/data (skipped when it is absent)."
import numpy as np, pytest
from fam_nb.core import shared_path
from fam_nb.data.core import DataError
from fam_nb.data.real import load_celeba, load_folder, detect_layout, open_real, scan_images, sub_source

CELEBA, ANIME = shared_path('data', 'celeba_subset'), shared_path('data', 'anime_faces')
needs_celeba = pytest.mark.skipif(CELEBA is None, reason="../shared/data/celeba_subset absent")
needs_anime = pytest.mark.skipif(ANIME is None, reason="../shared/data/anime_faces absent")

@pytest.fixture(scope='module')
def celeba(): return load_celeba(CELEBA)

@needs_celeba
def test_celeba_subset_rows(celeba):
    assert len(celeba) == 8976
    assert len(celeba.attr_names) == 40 and {'Smiling', 'Male'} <= set(celeba.attr_names)
    assert set(np.unique(celeba.table[celeba.attr_names].to_numpy())) == {0, 1}
    assert detect_layout(CELEBA) == 'celeba'

@needs_celeba
def test_celeba_subset_identity_disjoint_split(celeba):
    tb = celeba.table
    assert celeba.split_method == 'identity'  # the subset is all official 'train'
    train, test = set(tb.identity[tb.split == 'train']), set(tb.identity[tb.split == 'test'])
    assert (tb.split == 'test').sum() > 0 and len(test) > 0
    assert not train & test
    assert (tb.identity >= 0).all()
    again = open_real('auto', CELEBA)
    assert (again.table['split'].to_numpy() == tb['split'].to_numpy()).all()  # deterministic

@needs_celeba
def test_celeba_subset_attribute_error_lists_valid_names(celeba):
    with pytest.raises(DataError, match='valid names: 5_o_Clock_Shadow, Arched_Eyebrows') as e: celeba.check_attrs(['Smile'])
    assert 'Smiling' in str(e.value) and 'Young' in str(e.value)

@needs_celeba
def test_celeba_subset_scan_a_few(celeba):
    sub = sub_source(celeba, np.arange(10))
    assert scan_images(sub, 32, progress=False) is sub

@needs_anime
def test_anime_folder():
    src = load_folder(ANIME)
    assert len(src) == 300 and src.attr_names == []
    assert set(src.table['split']) == {'train', 'test'}
    assert detect_layout(ANIME) == 'folder'
