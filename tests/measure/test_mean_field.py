"""Mean-field maps (initkit.measure.mean_field) against Monte Carlo, closed forms and the scalar theory."""
import numpy as np
import pytest

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


@pytest.mark.parametrize("c", [-0.6, 0.0, 0.4, 0.9])
def test_correlation_map_matches_monte_carlo(c):
    rng = np.random.default_rng(1)
    sw2, sb2 = 2.2, 0.05
    q = float(mf.fixed_point_q(sw2, sb2))
    z1, z2 = rng.standard_normal((2, N_MC))
    u1, u2 = np.sqrt(q) * z1, np.sqrt(q) * (c * z1 + np.sqrt(1 - c * c) * z2)
    samples = (sw2 * np.tanh(u1) * np.tanh(u2) + sb2) / q
    assert abs(mf.correlation_map(c, sw2, sb2) - samples.mean()) < mc_tolerance(samples)


@pytest.mark.parametrize("c", [-0.9, -0.3, 0.0, 0.5, 0.95])
def test_relu_correlation_map_is_the_arc_cosine_kernel(c):
    # Cho & Saul (2009): for ReLU at sigma_w^2 = 2, sigma_b = 0, c' = (sqrt(1 - c^2) + (pi - arccos c) c) / pi.
    # ReLU's kink lies on a slanted line of the product rule's plane: accurate to about 1e-4, not 1e-12.
    exact = (np.sqrt(1 - c * c) + (np.pi - np.arccos(c)) * c) / np.pi
    assert mf.correlation_map(c, 2.0, 0.0, "relu", q=1.0) == pytest.approx(exact, abs=2e-4)


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


@pytest.mark.parametrize("sw2, sb2", [(1.0, 0.05), (2.5, 0.05), (25 / 9, 0.0)])
def test_slope_of_correlation_map_at_one_is_chi1(sw2, sb2):
    q, h = mf.fixed_point_q(sw2, sb2), 1e-5
    slope = (mf.correlation_map(1.0, sw2, sb2) - mf.correlation_map(1.0 - h, sw2, sb2)) / h
    assert slope == pytest.approx(mf.chi1_grid(sw2, q), rel=1e-3)


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


def test_xi_c_is_minus_one_over_log_chi1_in_the_ordered_phase():
    sw2, sb2 = 1.2, 0.05
    chi = mf.chi1_grid(sw2, mf.fixed_point_q(sw2, sb2))
    assert mf.depth_scales(sw2, sb2)[1] == pytest.approx(-1 / np.log(chi), rel=1e-4)


def test_xi_q_is_the_rate_at_which_the_length_map_converges():
    sw2, sb2 = 2.5, 0.05
    q_star, q = mf.fixed_point_q(sw2, sb2), 1.5
    gaps = []
    for _ in range(12):
        q = float(mf.length_map(q, sw2, sb2))
        gaps.append(abs(q - q_star))
    rate = gaps[-1] / gaps[-2]  # |q_l - q*| ~ exp(-l / xi_q) once close to q*
    assert -1 / np.log(rate) == pytest.approx(mf.depth_scales(sw2, sb2)[0], rel=1e-3)


def test_xi_c_in_the_chaotic_phase_is_the_rate_of_the_correlation_map():
    sw2, sb2 = 3.0, 0.05
    c_star = mf.correlation_fixed_point(sw2, sb2)
    assert 0 < c_star < 1
    q, c, gaps = mf.fixed_point_q(sw2, sb2), 0.9, []
    h = 1e-5  # chi_c is the slope of the correlation map at its fixed point c*
    slope = (mf.correlation_map(c_star + h, sw2, sb2, q=q) - mf.correlation_map(c_star - h, sw2, sb2, q=q)) / (2 * h)
    assert mf.chi_c(sw2, sb2) == pytest.approx(slope, rel=1e-6)
    for _ in range(120):
        c = float(mf.correlation_map(c, sw2, sb2, q=q))
        gaps.append(abs(c - c_star))
    assert -1 / np.log(gaps[-1] / gaps[-2]) == pytest.approx(mf.depth_scales(sw2, sb2)[1], rel=1e-2)


def test_depth_scales_are_infinite_at_criticality_not_negative():
    xi_q, xi_c = mf.depth_scales(1.0, 0.0)
    assert xi_c == np.inf or xi_c > 1e3


def test_propagate_linear_keeps_length_and_correlation():
    q, c = mf.propagate(0.3, 5, 1.0, 0.0, "linear", q0=2.0)
    np.testing.assert_allclose(q, 2.0)
    np.testing.assert_allclose(c, 0.3)


def test_propagate_first_layer_sees_the_raw_input():
    q, c = mf.propagate(0.5, 2, 1.5, 0.1, q0=1.0)
    assert q[0] == pytest.approx(1.6) and c[0] == pytest.approx((1.5 * 0.5 + 0.1) / 1.6)
    assert q[1] == pytest.approx(mf.length_map(1.6, 1.5, 0.1))


def test_propagate_rejects_a_correlation_outside_minus_one_one():
    with pytest.raises(ValueError, match="c0"):
        mf.propagate(1.5, 3, 1.0)


def test_no_finite_fixed_point_is_reported_as_inf_not_the_bracket_edge():
    # GELU at sigma_b^2 = 0 grows like ReLU for large q: above sigma_w^2 ~ 2.03 nothing stops q_l
    q = mf.fixed_point_q(np.array([1.5, 2.5, 3.5]), 0.0, "gelu")
    assert q[0] < 1e-10 and np.isinf(q[1:]).all()
    assert np.isinf(mf.fixed_point_q(2.5, 0.0, "relu"))


def test_critical_weight_var_is_nan_where_no_root_exists():
    assert np.isnan(mf.critical_weight_var(0.0, "gelu")) and np.isnan(mf.critical_weight_var(0.0, "swish"))
    assert np.isnan(mf.critical_weight_var(0.05, high=1.5))  # ordered over the whole interval
    assert mf.critical_weight_var(0.0, "relu") == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: mf.critical_weight_var(bias_var=np.nan), "bias_var must be (finite|>= 0)"),
    (lambda: mf.critical_weight_var(high=-1.0), "high must be > 0.01; got -1.0"),
    (lambda: mf.length_map(-1.0, 1.5), "q must be (finite|>= 0)"),
    (lambda: mf.depth_scales(1.5, bias_var=-1.0), "bias_var must be (finite|>= 0)"),
])
def test_bad_scales_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()
