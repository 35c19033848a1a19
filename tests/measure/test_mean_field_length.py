"""The length side of mean field (initkit.measure.mean_field_length) against Monte Carlo, closed forms, the scalar
theory and adaptive quadrature; reached as ``ik.mean_field.<name>``, the public spelling."""
import math
import warnings

import numpy as np
import pytest
from scipy import integrate

from initkit import theory
from initkit.core.activations import get_activation
from initkit.measure import mean_field as mf

N_MC = 400_000


def mc_tolerance(samples, sigmas=5.0):
    """Five standard errors of a Monte Carlo mean: a false failure is a one-in-a-million event."""
    return sigmas * np.std(samples) / np.sqrt(samples.size)


@pytest.mark.parametrize("activation, q", [("tanh", 0.3), ("tanh", 2.0), ("relu", 1.5), ("gelu", 1.0), ("selu", 0.7)])
def test_length_map_matches_monte_carlo(activation, q):
    z = np.random.default_rng(0).standard_normal(N_MC)
    phi = get_activation(activation)
    samples = 1.7 * phi(np.sqrt(q) * z) ** 2 + 0.05
    assert abs(mf.length_map(q, 1.7, 0.05, activation) - samples.mean()) < mc_tolerance(samples)


@pytest.mark.parametrize("sw2, sb2", [(0.8, 0.05), (1.5, 0.05), (1.76, 0.05), (3.0, 0.2), (2.0, 0.0)])
def test_fixed_point_q_agrees_with_the_scalar_iteration(sw2, sb2):
    q = mf.fixed_point_q(sw2, sb2)
    assert q == pytest.approx(theory.fixed_point(sw2, sb2), rel=1e-8)
    assert mf.length_map(q, sw2, sb2) == pytest.approx(q, rel=1e-12)


def test_fixed_point_q_is_zero_in_the_ordered_phase_without_bias():
    assert mf.fixed_point_q(0.9, 0.0) == pytest.approx(0.0, abs=1e-12)


def test_grids_broadcast_like_numpy():
    q = mf.fixed_point_q(np.array([[1.0], [2.0]]), np.array([0.0, 0.05, 0.1]))
    assert q.shape == (2, 3)
    assert q[1, 2] == pytest.approx(theory.fixed_point(2.0, 0.1), rel=1e-8)


@pytest.mark.parametrize("sw2, q, activation", [(1.5, 0.7, "tanh"), (2.0, 1.3, "relu"), (1.0, 1.0, "selu")])
def test_chi1_grid_equals_theory_chi1(sw2, q, activation):
    assert mf.chi1_grid(sw2, q, activation) == pytest.approx(theory.chi1(sw2, q, activation), rel=1e-10)


@pytest.mark.parametrize("sb2, expected", [(0.0, 1.0), (0.01, 1.4242), (0.05, 1.7610), (0.1, 1.9861)])
def test_critical_weight_var_of_tanh(sb2, expected):
    # Independent values (REFERENCES.md); Schoenholz et al. (2017), Fig. 1, read about 1.76 at sigma_b^2 = 0.05.
    assert mf.critical_weight_var(sb2) == pytest.approx(expected, abs=1e-4)


def test_critical_weight_var_of_relu_is_he():
    assert mf.critical_weight_var(0.0, "relu") == pytest.approx(2.0, abs=1e-6)


def test_critical_line_passes_through_the_bisection_points():
    sw2, sb2 = mf.critical_line(np.geomspace(1e-3, 5, 4000))
    for b in [0.01, 0.05, 0.1, 0.2]:
        assert np.interp(b, sb2, sw2) == pytest.approx(mf.critical_weight_var(b), rel=1e-4)
    q = mf.fixed_point_q(sw2[100], sb2[100])
    assert mf.chi1_grid(sw2[100], q) == pytest.approx(1.0, abs=1e-6)


def test_no_finite_fixed_point_is_reported_as_inf_not_the_bracket_edge():
    # GELU at sigma_b^2 = 0 grows like ReLU for large q: above sigma_w^2 ~ 2.03 nothing stops q_l
    q = mf.fixed_point_q(np.array([1.5, 2.5, 3.5]), 0.0, "gelu")
    assert q[0] < 1e-10 and np.isinf(q[1:]).all()
    assert np.isinf(mf.fixed_point_q(2.5, 0.0, "relu"))


def test_critical_weight_var_is_nan_where_no_root_exists():
    assert np.isnan(mf.critical_weight_var(0.0, "gelu")) and np.isnan(mf.critical_weight_var(0.0, "swish"))
    assert np.isnan(mf.critical_weight_var(0.05, high=1.5))  # ordered over the whole interval
    assert mf.critical_weight_var(0.0, "relu") == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize("q", [1.0, 1e3, 1e4, 1e9, 1e100])
def test_large_q_expectations_match_adaptive_quadrature(q):
    # Issue 26: E[tanh'(sqrt(q) z)^2] was 1.7 % off at q = 1e4 and exactly 0 at 1e9 (critical_line divided by 0).
    s = math.sqrt(q)
    exact = 2 * integrate.quad(lambda z: np.cosh(min(s * z, 300.0)) ** -4 * np.exp(-z * z / 2) / math.sqrt(2 * math.pi),
                               0, min(12.0, 50 / s), limit=500, epsabs=0, epsrel=1e-13)[0]
    assert mf.chi1_grid(1.0, q) == pytest.approx(exact, rel=1e-11)


def test_critical_line_at_large_q_is_finite_and_on_the_edge_of_chaos():
    # Issue 26: critical_line(q=1e9) divided by zero; for large q, E[tanh'^2] ~ (4/3) / sqrt(2 pi q).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sw2, sb2 = mf.critical_line(1e9)
    assert sw2 == pytest.approx(math.sqrt(2 * math.pi * 1e9) * 3 / 4, rel=1e-6)
    assert mf.chi1_grid(sw2, 1e9) == pytest.approx(1.0, rel=1e-12) and 0 < sb2 < 1e9


def test_q_zero_is_the_limit_from_above_for_kinked_activations():
    # At q = 0, u = sqrt(q) z keeps z's sign: ReLU averages its slopes 0 and 1 (the critical line starts at He's 2)
    # instead of reading phi'(0) = 0 at the kink and dividing by zero.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mf.critical_line(0.0, "relu")[0] == pytest.approx(2.0, rel=1e-12)
    assert mf.length_map(0.0, 1.0, 0.0, "relu") == 0.0


def test_the_fixed_point_bracket_grows_past_q_max():
    # tanh at sigma_w^2 = 1e9 has q* near 1e9 > q_max = 1e6: a finite fixed point, not inf.
    q = mf.fixed_point_q(1e9, 0.0)
    assert np.isfinite(q) and mf.length_map(q, 1e9, 0.0) == pytest.approx(q, rel=1e-9)
    assert np.isinf(mf.fixed_point_q(3.0, 0.0, "relu"))  # ReLU above 2 grows without bound at any q


def test_critical_weight_var_refuses_too_few_halvings_to_tell_a_root_from_a_jump():
    # n_iter=2 returned nan ("no root") for tanh at sigma_b^2 = 0.05, whose root is 1.761.
    with pytest.raises(ValueError, match="n_iter must be >= 40; got 2"):
        mf.critical_weight_var(0.05, n_iter=2)
