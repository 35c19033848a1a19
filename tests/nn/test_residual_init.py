"""initkit.nn.residual_init: the named residual schemes and the variance each block adds."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.residual_init import SCHEMES, apply_scheme, branch_variance_factor, scheme_factors


@pytest.mark.parametrize("scheme, last, alpha", [("he", 1.0, 1.0), ("scaled", 1 / 4, 1.0), ("gpt2", 1 / np.sqrt(32), 1.0),
                                                 ("zero_last", 0.0, 1.0), ("rezero", 1.0, 0.0)])
def test_branch_gain_is_two_first_squared_last_squared(scheme, last, alpha):
    f = scheme_factors(scheme, 16)
    assert f["last"] == pytest.approx(last) and f["alpha"] == alpha
    assert f["c"] == pytest.approx(2 * f["first"] ** 2 * last**2)


def test_variance_grows_by_one_plus_alpha_squared_c_per_block():
    assert branch_variance_factor(1.0, 2.0) == 3.0  # He on both branch layers: 3^L
    L = 50
    c = scheme_factors("scaled", L)["c"]  # 2 / L
    assert branch_variance_factor(1.0, c) ** L == pytest.approx((1 + 2 / L) ** L)
    assert (1 + 2 / L) ** L < np.exp(2)


def test_fixup_zeroes_the_branch_end_and_the_classifier():
    net = ik.ResidualMLP(8, 16, 4, 3, init_scheme="fixup", rng=0)
    assert all(np.all(block.branch[1].W == 0) for block in net.blocks)
    assert np.all(net.layers[-1].W == 0)
    assert scheme_factors("fixup", 4)["first"] == pytest.approx(4 ** -0.5)


def test_zero_gamma_needs_batchnorm_and_unknown_schemes_are_named():
    net = ik.ResidualMLP(8, 16, 2, 3, rng=0)
    with pytest.raises(ValueError, match="needs norm='batch'"):
        apply_scheme(net, "zero_gamma")
    with pytest.raises(ValueError, match="init_scheme"):
        scheme_factors("nope", 3)
    assert set(SCHEMES) >= {"he", "gpt2", "fixup", "skipinit", "rezero", "zero_gamma"}
