import math

import numpy as np
import pytest

import initkit as ik
from initkit import theory


def test_relu_with_he_keeps_second_moment_constant():
    p = theory.predict([256] * 31, "relu", init="he_normal")
    np.testing.assert_allclose(p.act_m2, 1.0, rtol=1e-12)
    np.testing.assert_allclose(p.da_var, 1.0, rtol=1e-12)


def test_linear_glorot_standard_init_divides_variance_by_three_per_layer():
    # U[-1/sqrt(n), 1/sqrt(n)] has Var = 1 / (3 n): n Var(W) = 1/3.
    n = 256
    p = theory.predict([n] * 6, "linear", weight_var=1 / (3 * n))
    np.testing.assert_allclose(p.pre_var, (1 / 3) ** np.arange(1, 6), rtol=1e-12)
    np.testing.assert_allclose(theory.linear_variance([n] * 6, 1 / (3 * n)), p.pre_var, rtol=1e-12)


def test_relu_with_lecun_halves_second_moment_per_layer():
    p = theory.predict([512] * 31, "relu", init="lecun_normal")
    np.testing.assert_allclose(p.act_m2, 0.5 ** np.arange(1, 31), rtol=1e-12)


def test_weight_variance_table():
    assert theory.weight_variance("he_normal", 100, 50) == pytest.approx(0.02)
    assert theory.weight_variance("glorot_uniform", 100, 50) == pytest.approx(2 / 150)
    assert theory.weight_variance("orthogonal", 100, 50, gain=2) == pytest.approx(0.04)
    with pytest.raises(ValueError, match="init must be one of .*'he_normal'.*got 'identity'"):
        theory.weight_variance("identity", 3, 3)


def test_tanh_edge_of_chaos_is_near_1_76_for_bias_var_0_05():
    q = theory.fixed_point(1.76, 0.05, "tanh")
    assert theory.chi1(1.76, q, "tanh") == pytest.approx(1.0, abs=2e-3)
    assert theory.chi1(1.5, theory.fixed_point(1.5, 0.05), "tanh") < 1 < theory.chi1(2.0, theory.fixed_point(2.0, 0.05))


def test_selu_lecun_fixed_point_is_unit_variance():
    assert theory.fixed_point(1.0, 0.0, "selu", q0=3.0) == pytest.approx(1.0, abs=1e-9)


def test_prediction_overflows_to_inf_quietly():
    p = theory.predict([256] * 200, "linear", weight_var=4.0)
    assert np.isinf(p.pre_var[-1])


# Theory against measurement, widths >= 256. tanh, linear and selu concentrate: one network is within
# 10 % of the mean-field prediction. ReLU does not: without bias it is positively homogeneous, the inputs
# of a deep layer become nearly collinear, and one network's scale wanders like a log-normal random walk
# with Var[ln |a_L|^2] ~ 5 L / n (Hanin & Rolnick 2018). There the prediction is for the mean over networks.
# SELU under He init leaves its fixed point and grows like a scaled ReLU, with the same spread.
INITS = ("he_normal", "glorot_normal", "lecun_normal")
CASES = [(act, init) for act in ("tanh", "linear") for init in INITS] + [("selu", "glorot_normal"),
                                                                         ("selu", "lecun_normal")]


@pytest.mark.parametrize("activation, init", CASES)
def test_prediction_matches_probe_within_10_percent(activation, init):
    depth, width = 10, 256
    result = ik.probe(depth=depth, width=width, activation=activation, init=init, n_samples=2000,
                      dtype=np.float64, rng=0)
    p = theory.predict([width] * (depth + 1), activation, init=init, input_m2=1.0)
    np.testing.assert_allclose(result.column("act_std"), p.act_std, rtol=0.10)
    np.testing.assert_allclose(result.column("da_std"), p.da_std, rtol=0.10)


@pytest.mark.slow
@pytest.mark.parametrize("activation, init", [("relu", init) for init in INITS] + [("selu", "he_normal")])
def test_relu_prediction_matches_mean_over_networks(activation, init):
    depth, width, networks = 10, 512, 16
    m2 = np.mean([ik.probe(depth=depth, width=width, activation=activation, init=init, n_samples=500,
                           dtype=np.float64, rng=seed, hist_layers=[]).column("act_m2") for seed in range(networks)],
                 axis=0)
    p = theory.predict([width] * (depth + 1), activation, init=init)
    # Relative standard error of a mean of log-normal values with log-variance 5 l / n, four of them.
    tol = 4 * np.sqrt(np.expm1(5 * np.arange(1, depth + 1) / width) / networks)
    assert np.all(np.abs(m2 / p.act_m2 - 1) < tol), (m2 / p.act_m2, tol)


def test_relu_scale_fluctuation_matches_hanin_rolnick():
    depth, width, networks = 10, 128, 200
    logs = [np.log(ik.probe(depth=depth, width=width, activation="relu", init="he_normal", n_samples=1,
                            dtype=np.float64, rng=seed, hist_layers=[], weight_grads=False).records[-1]["act_m2"])
            for seed in range(networks)]
    predicted = 5 * depth / width
    # The sample variance of K near-normal values has relative standard error sqrt(2 / (K - 1)).
    assert abs(np.var(logs, ddof=1) / predicted - 1) < 4 * np.sqrt(2 / (networks - 1))


def test_prediction_with_bias_matches_probe():
    result = ik.probe(depth=8, width=512, activation="tanh", weight_std=math.sqrt(1.76 / 512), bias_std=math.sqrt(0.05),
                      dtype=np.float64, n_samples=1000, rng=1)
    p = theory.predict([512] * 9, "tanh", weight_var=1.76 / 512, bias_var=0.05)
    np.testing.assert_allclose(result.column("pre_std"), p.pre_std, rtol=0.10)


@pytest.mark.parametrize("call, error, match", [
    (lambda: theory.predict([10], weight_var=0.1), ValueError, "sizes must list between 2 and"),
    (lambda: theory.predict([10, 10], weight_var=-0.1), ValueError, "weight_var must be finite and >= 0"),
    (lambda: theory.predict([10, 10, 10], weight_var=[0.1, 0.1, 0.1]), ValueError,
     "weight_var must be one value or a list of 2"),
    (lambda: theory.predict([10, 0], weight_var=0.1), ValueError, "each entry of sizes must be >= 1"),
    (lambda: theory.weight_variance("he_normal", 0, 10), ValueError, "fan_in must be >= 1; got 0"),
    (lambda: theory.weight_variance("he_normal", 10, 10, gain=1e200), ValueError, "gain=1e\\+200 makes Var"),
    (lambda: theory.weight_variance("foo", 10, 10), ValueError, "init must be one of"),
    (lambda: theory.fixed_point(1.0, max_iter=0), ValueError, "max_iter must be >= 1"),
])
def test_theory_names_what_is_wrong(call, error, match):
    # Regression (issue 20): IndexError, ZeroDivisionError and OverflowError from inside.
    with pytest.raises(error, match=match):
        call()


def test_predict_refuses_a_nan_gain_even_beside_weight_var():
    # Issue 26: predict ignored gain (even nan) when weight_var was given.
    with pytest.raises(ValueError, match="gain must be finite; got nan"):
        theory.predict([4, 4], weight_var=1.0, gain=float("nan"))
