"""Recruitment by size: which fibre types a muscle uses at each activation."""

import numpy as np
import pytest

from anatomy_viewer.anatomy.recruitment import (
    MODELS,
    fast_pool_recruited,
    fast_share,
    recruited_fibres,
)

A = np.linspace(0.0, 1.0, 201)[None, :]  # samples
F = np.linspace(0.0, 1.0, 11)[:, None]  # muscles: all slow shares from 0 to 1


@pytest.mark.parametrize("model", MODELS)
def test_zero_at_rest_bounded_and_monotonic_in_activation(model):
    share = fast_share(A, F, model)
    assert share.shape == (11, 201)
    assert np.all(share[:, 0] == 0.0)
    assert np.all((share >= 0.0) & (share <= 1.0))
    assert np.all(np.diff(share, axis=1) >= -1e-12)
    pool = fast_pool_recruited(A, F, model)
    assert np.all((pool >= 0.0) & (pool <= 1.0))
    assert np.all(np.diff(pool, axis=1) >= -1e-12)


@pytest.mark.parametrize("model", MODELS)
def test_full_activation_uses_every_fibre(model):
    share = fast_share(np.ones((11, 1)), F, model)
    np.testing.assert_allclose(share[:, 0], 1.0 - F[:, 0], atol=1e-12)
    np.testing.assert_allclose(fast_pool_recruited(np.ones((10, 1)), F[:-1], model), 1.0)


def test_slow_fibres_alone_until_the_activation_exceeds_the_slow_share():
    f = np.array([[0.55], [0.803], [0.3865]])  # gluteus maximus, soleus, rectus femoris
    share = fast_share(A, f)
    for row, slow in zip(share, f[:, 0], strict=True):
        assert np.all(row[A[0] <= slow] == 0.0)
        assert np.all(row[A[0] > slow + 1e-9] > 0.0)
    # at 80 % activation gluteus maximus (55 % slow) runs on (0.8 - 0.55) / 0.8 fast fibres
    assert fast_share(0.8, 0.55) == pytest.approx(0.3125)
    slow, fast = recruited_fibres(A, f)
    np.testing.assert_allclose(slow + fast, np.broadcast_to(A, slow.shape))


def test_smooth_model_recruits_fast_fibres_only_sparingly_at_low_activation():
    share = fast_share(np.array([0.05, 0.2]), 0.5, "bhargava")
    assert share[0] < 0.05 and share[1] < 0.2
    assert fast_share(0.2, 0.5, "bhargava") > fast_share(0.2, 0.5, "size")  # not a threshold


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="not a percent"):
        fast_share(0.5, 55.0)
    with pytest.raises(ValueError, match="NaN"):
        fast_share(np.array([0.2, np.nan]), 0.5)
    with pytest.raises(ValueError, match="unknown recruitment model"):
        fast_share(0.5, 0.5, "random")
    assert fast_share(1.7, 0.5) == fast_share(1.0, 0.5)  # activation clipped to 0..1
