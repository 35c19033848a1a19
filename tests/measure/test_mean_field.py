"""The correlation side of mean field (initkit.measure.mean_field) against Monte Carlo, closed forms and the scalar
theory."""
import warnings

import numpy as np
import pytest

from initkit import theory
from initkit.core.activations import get_activation
from initkit.measure import mean_field as mf

N_MC = 400_000


def mc_tolerance(samples, sigmas=5.0):
    """Five standard errors of a Monte Carlo mean: a false failure is a one-in-a-million event."""
    return sigmas * np.std(samples) / np.sqrt(samples.size)


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


@pytest.mark.parametrize("sw2, sb2", [(1.0, 0.05), (2.5, 0.05), (25 / 9, 0.0)])
def test_slope_of_correlation_map_at_one_is_chi1(sw2, sb2):
    q, h = mf.fixed_point_q(sw2, sb2), 1e-5
    slope = (mf.correlation_map(1.0, sw2, sb2) - mf.correlation_map(1.0 - h, sw2, sb2)) / h
    assert slope == pytest.approx(mf.chi1_grid(sw2, q), rel=1e-3)


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


@pytest.mark.parametrize("call, message", [
    (lambda: mf.critical_weight_var(bias_var=np.nan), "bias_var must be (finite|>= 0)"),
    (lambda: mf.critical_weight_var(high=-1.0), "high must be > 0.01; got -1.0"),
    (lambda: mf.length_map(-1.0, 1.5), "q must be (finite|>= 0)"),
    (lambda: mf.depth_scales(1.5, bias_var=-1.0), "bias_var must be (finite|>= 0)"),
])
def test_bad_scales_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_at_zero_weight_and_bias_variance_chi_c_and_the_depth_scales_are_zero():
    # Issue 26: 0/0 RuntimeWarnings. sigma_w^2 = 0: chi_c = 0 * E[...] = 0 for any c; both maps are constant.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mf.chi_c(0.0, 0.0) == 0.0
        xi_q, xi_c = mf.depth_scales(np.array([0.0, 1.2]), np.array([0.0, 0.05]))
    assert xi_q[0] == 0.0 and xi_c[0] == 0.0 and xi_c[1] == pytest.approx(mf.depth_scales(1.2, 0.05)[1])


@pytest.mark.parametrize("call", [lambda: mf.correlation_map(0.5, 0.0, 0.0), lambda: mf.correlation_fixed_point(0.0, 0.0),
                                  lambda: mf.correlation_map(0.5, 1.0, 0.0, q=0.0)])
def test_the_correlation_of_two_zero_signals_is_refused_not_0_over_0(call):
    with pytest.raises(ValueError, match="undefined where q\\* = 0 .*weight_var_n = bias_var = 0"):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: mf.depth_scales(1e9, 0.05), "weight_var_n and bias_var give q = 1e\\+09, above 30"),
    (lambda: mf.propagate(0.5, 3, 1.0, 0.0, "tanh", q0=1e3), "weight_var_n, bias_var and q0 give q = 1e\\+03"),
    (lambda: mf.chi_c(3.0, 0.0, "relu"), "q\\* = inf: the length map has no finite fixed point"),
])
def test_the_correlation_side_refuses_q_where_its_quadrature_is_not_accurate(call, match):
    # The 2-D product rule was 30 % off for tanh at q = 1e4 (xi_c = 0 at sigma_w^2 = 1e9, returned as a number).
    with pytest.raises(ValueError, match=match):
        call()


def test_scale_free_activations_keep_the_correlation_side_at_any_q():
    q, c = mf.propagate(0.5, 3, 1.0, 0.0, "relu", q0=1e6)  # ReLU: phi(a u) = a phi(u), same accuracy at any q
    assert np.all(np.isfinite(q)) and np.all((0 < c) & (c <= 1))


def test_every_name_of_the_length_side_is_public_as_ik_mean_field_name():
    # The notebooks call ik.mean_field.<name>; the length side lives in mean_field_length since the split.
    import initkit as ik
    from initkit.measure import mean_field_length
    for name in mean_field_length.__all__:
        assert getattr(ik.mean_field, name) is getattr(mean_field_length, name) and name in mf.__all__
