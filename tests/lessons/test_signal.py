"""Notebook 08's step (initkit.lessons.signal): inputs, random networks at (sigma_w^2, sigma_b^2), and the
measurements of signal_step held against mean-field theory with tolerances from the spread over networks."""
import numpy as np
import pytest

import initkit as ik
from initkit.lessons.signal import input_pairs, random_mlp, scaled_weights, signal_step
from initkit.measure import mean_field as mf
from stats_helpers import std_tolerance


def test_input_pairs_have_the_requested_length_and_correlation():
    x = input_pairs(5, 40, 0.3, q0=2.0, rng=0)
    a, b = x[0::2], x[1::2]
    np.testing.assert_allclose(np.mean(a * a, axis=1), 2.0)
    np.testing.assert_allclose(np.mean(b * b, axis=1), 2.0)
    np.testing.assert_allclose(np.sum(a * b, axis=1) / np.sqrt(np.sum(a * a, axis=1) * np.sum(b * b, axis=1)), 0.3)


def test_gaussian_weights_have_variance_sigma_w2_over_fan_in():
    W = scaled_weights(1.76, "gaussian")((300, 200), rng=0)
    assert W.std() == pytest.approx(np.sqrt(1.76 / 300), rel=std_tolerance(W.size))


@pytest.mark.parametrize("shape", [(64, 128), (128, 64), (96, 96)])
def test_orthogonal_weights_scale_the_squared_length_like_gaussian_ones_on_average(shape):
    # x W has per-unit mean square sigma_w^2 |x|^2 / fan_in: exactly when fan_in <= fan_out (W W^T = g^2 I).
    W = scaled_weights(2.0, "orthogonal")(shape, rng=1)
    fan_in, fan_out = shape
    if fan_in <= fan_out:
        np.testing.assert_allclose(W @ W.T, 2.0 * fan_out / fan_in * np.eye(fan_in), atol=1e-12)
    else:
        np.testing.assert_allclose(W.T @ W, 2.0 * np.eye(fan_out), atol=1e-12)
    x = np.random.default_rng(2).standard_normal((2000, fan_in))
    per_unit = np.mean((x @ W) ** 2) / np.mean(x * x)
    assert per_unit == pytest.approx(2.0, rel=0.05)


def test_random_mlp_biases_have_variance_sigma_b2():
    net = random_mlp([50, 400, 400, 10], 1.5, 0.09, output_activation="linear", rng=0)
    b = np.concatenate([layer.b for layer in net.layers])
    assert b.std() == pytest.approx(0.3, rel=std_tolerance(b.size))
    assert net.layers[-1].activation.name == "linear" and net.layers[0].activation.name == "tanh"


def test_scaled_weights_rejects_an_unknown_law():
    with pytest.raises(ValueError, match="weights must be one of"):
        scaled_weights(1.0, "uniform")


@pytest.mark.parametrize("sw2, sb2, c0", [(1.0, 0.05, 0.2), (2.5, 0.05, 0.6), (25 / 9, 0.0, 0.95)])
def test_measured_correlation_follows_the_correlation_map(sw2, sb2, c0):
    runs = np.array([signal_step(sw2, sb2, c0=c0, depth=8, width=256, n_pairs=8, spectrum=False, rng=s).corr
                     for s in range(6)])
    theory = signal_step(sw2, sb2, c0=c0, depth=8, width=16, n_pairs=1).corr_theory
    tol = 5 * runs.std(axis=0, ddof=1) / np.sqrt(len(runs)) + 2.0 / 256  # 5 standard errors + O(1/width) bias
    assert np.all(np.abs(runs.mean(axis=0) - theory) < tol)


def test_measured_gradient_growth_follows_chi1():
    # ln of (dL/da at layer 1 / at the last layer), measured over networks, against theory (chi_1 ~ 1.13 per layer)
    logs = []
    for s in range(10):
        r = signal_step(2.5, 0.05, depth=20, width=256, n_pairs=4, spectrum=False, rng=s)
        logs.append(np.log(r.grad[0] / r.grad[-1]) - np.log(r.grad_theory[0] / r.grad_theory[-1]))
    logs = np.array(logs)
    assert abs(logs.mean()) < 5 * logs.std(ddof=1) / np.sqrt(len(logs))
    assert r.grad_theory[0] / r.grad_theory[-1] > 5  # the effect measured is large: growth, not noise


def test_signal_step_gradient_is_the_networks_own_backward():
    r = signal_step(1.76, 0.05, depth=3, width=8, n_pairs=1, rng=np.random.default_rng(3))
    rng = np.random.default_rng(3)
    net = random_mlp([8] * 4, 1.76, 0.05, rng=rng)
    x = input_pairs(1, 8, 0.5, rng=rng)
    net.forward(x)
    da = net.backward(rng.standard_normal((2, 8))).da
    np.testing.assert_allclose(r.grad, [np.mean(g * g) for g in da])


def test_jacobian_of_a_random_mlp_matches_finite_differences():
    net = random_mlp([5, 6, 6, 4], 1.8, 0.05, rng=0)  # tanh on every layer, the output too
    x = np.random.default_rng(1).standard_normal((1, 5))
    J = ik.jacobian(net, x)[0]
    h = 1e-6
    numeric = np.stack([(net.forward(x + h * e) - net.forward(x - h * e))[0] / (2 * h) for e in np.eye(5)])
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-9)


def test_orthogonal_linear_network_is_an_exact_isometry():
    net = random_mlp([32] * 41, 1.0, 0.0, "linear", "orthogonal", rng=0)
    s = ik.singular_values(net, np.ones((1, 32)))[0]
    np.testing.assert_allclose(s, 1.0, rtol=1e-10)


def test_relu_jacobian_rank_is_at_most_the_fewest_active_units():
    net = random_mlp([32] * 21, 2.0, 0.0, "relu", "orthogonal", rng=0)
    x = input_pairs(1, 32, 0.0, rng=0)[:1]
    s = ik.singular_values(net, x)[0]
    fewest = min(int(np.sum(layer.z[0] > 0)) for layer in net.layers)
    assert np.sum(s > 1e-10 * s.max()) <= fewest < 32


def test_phase_follows_chi1():
    assert signal_step(1.0, 0.05, depth=2, width=8, n_pairs=1).phase == "ordered"
    assert signal_step(float(mf.critical_weight_var(0.05)), 0.05, depth=2, width=8, n_pairs=1).phase == "critical"
    assert signal_step(3.0, 0.05, depth=2, width=8, n_pairs=1).phase == "chaotic"


def test_signal_step_rejects_bad_sizes():
    with pytest.raises(ValueError, match="depth"):
        signal_step(depth=0)
    with pytest.raises(ValueError, match="c0"):
        signal_step(c0=2.0)


@pytest.mark.parametrize("weights", ["gaussian", "orthogonal"])
def test_cached_network_equals_a_fresh_random_mlp(weights):
    # signal_step with an int rng rescales one cached unit network; the draws are those of random_mlp.
    from initkit.lessons.signal import _scaled_network

    net = _scaled_network(4, 16, 2.5, 0.1, "tanh", weights, seed=7)
    fresh = random_mlp([16] * 5, 2.5, 0.1, "tanh", weights, rng=7)
    for a, b in zip(net.parameters(), fresh.parameters()):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    again = _scaled_network(4, 16, 1.0, 0.0, "tanh", weights, seed=7)  # the cache is not modified in place
    np.testing.assert_allclose(again.layers[0].W * np.sqrt(2.5), net.layers[0].W, rtol=1e-12)


def test_without_spectrum_the_jacobian_is_skipped():
    r = signal_step(1.5, 0.05, depth=3, width=8, spectrum=False)
    assert r.singular.size == 0 and np.isnan(r.spread)
    assert r.corr.shape == (3,)
