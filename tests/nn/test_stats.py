import warnings

import numpy as np
import pytest

import initkit as ik
from initkit.nn.stats import moments


@pytest.mark.parametrize("scale", [1e-44, 1e-30, 1e-20, 1e-10, 1.0, 1e10, 1e20, 1e30])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_moments_are_accurate_at_every_scale(scale, dtype):
    # Regression (issue 20): float32 squares underflowed below |x| ~ 1e-19, so nonzero signals showed std 0.
    x = (np.random.default_rng(0).normal(0.3, 1.0, 5000) * scale).astype(dtype)
    ref = x.astype(np.float64)
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(moments(x), [ref.mean(), ref.std(), np.mean(ref * ref)], rtol=tol)


def test_moments_of_special_arrays():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert moments(np.zeros(4, np.float32)) == (0.0, 0.0, 0.0)
        mean, std, m2 = moments(np.array([np.inf, 1.0], np.float32))
        assert mean == np.inf and np.isnan(std) and m2 == np.inf
        assert all(np.isnan(moments(np.array([]))))


def test_explorer_never_shows_std_0_for_a_nonzero_float32_signal():
    result, _ = ik.explore(weight_std=1e-3, activation="elu")
    nonzero = [r["act_std"] > 0 for r in result.records]
    assert result.vanished_at is None and all(nonzero), result.column("act_std")


def test_layer_records_needs_a_pass_first():
    with pytest.raises(ValueError, match="layer_records needs a forward and backward pass first"):
        ik.layer_records(ik.MLP([2, 3, 1], rng=0))
    with pytest.raises(TypeError, match="net must be an MLP"):
        ik.layer_records("net")


def test_a_mean_square_beyond_float64_is_inf_not_an_overflow_error():
    from initkit.nn.stats import moments

    mean, std, m2 = moments(np.array([1e300, -1e300, 3e299]))
    assert m2 == np.inf and np.isfinite(mean) and np.isfinite(std)
