import math

import numpy as np
import pytest

import initkit as ik
from initkit import diagnostics


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


def test_fresh_classifier_with_small_output_layer_starts_near_ln_c(digits):
    # He hidden layers, a small last layer (Karpathy's advice): logits near 0, loss near ln C.
    net = ik.MLP([64, 64, 10], init=["he_normal", ik.get_initializer("random_normal", std=0.01)], rng=0)
    check = diagnostics.initial_loss_check(net, digits.X_train, digits.y_train)
    assert check["expected"] == pytest.approx(math.log(10))
    assert check["ok"] and "close to chance" in check["message"]


def test_large_init_starts_confidently_wrong(digits):
    net = ik.MLP([64, 64, 10], init=ik.get_initializer("random_normal", std=1.0), rng=0)
    check = diagnostics.initial_loss_check(net, digits.X_train, digits.y_train)
    assert not check["ok"] and check["ratio"] > 2 and "confidently wrong" in check["message"]


def test_gradient_norms_match_layer_gradients(digits):
    net = ik.MLP([64, 32, 32, 10], rng=0)
    norms = diagnostics.gradient_norms(net, digits.X_train[:100], digits.y_train[:100])
    np.testing.assert_allclose(norms, [np.linalg.norm(l.dW) for l in net.layers])


def test_training_stats_shape_and_errors(digits):
    history = ik.fit(ik.MLP([64, 32, 32, 10], rng=0), digits, epochs=1, batch_size=128, snapshot_every=3, rng=0)
    steps, values = diagnostics.training_stats(history, "grad_data_ratio")
    assert values.shape == (len(steps), 3) and steps[0] == 1
    with pytest.raises(ValueError, match="key must be one of .*'act_std'.*got 'bogus'"):
        diagnostics.training_stats(history, "bogus")
    with pytest.raises(ValueError, match="history has no snapshots"):
        diagnostics.training_stats(ik.History())


@pytest.fixture(scope="module")
def batch(digits):
    return digits.X_train[:256], digits.y_train[:256]


def _deep(init, activation="tanh", rng=1):
    return ik.MLP([64] + [128] * 5 + [10], activation=activation, init=init, rng=rng)


def test_gradient_table_pairs_each_layers_weight_and_backpropagated_gradient(batch):
    net = _deep("glorot_normal")
    table = diagnostics.gradient_table(net, *batch)
    _, grads = net.loss_and_gradients(*batch, "softmax_cross_entropy")
    assert [r["layer"] for r in table] == list(range(1, 7))
    for r, layer, da in zip(table, net.layers, grads.da):
        assert r["dW_norm"] == pytest.approx(np.linalg.norm(layer.dW))
        assert r["da_std"] == pytest.approx(np.std(da))
        assert r["grad_data_ratio"] == pytest.approx(np.std(layer.dW) / np.std(layer.W))


def test_weight_gradients_stay_flat_while_backpropagated_gradients_vanish(batch):
    # Glorot & Bengio 2010, 4.2.1: in a net with tiny weights dL/dW is flat across layers, dL/da is not.
    table = diagnostics.gradient_table(_deep(ik.get_initializer("random_normal", std=0.01)), *batch)
    dW = np.array([r["dW_norm"] for r in table])
    da = np.array([r["da_std"] for r in table])
    assert dW.max() / dW.min() < 2
    assert da[-1] / da[0] > 1e4  # each layer down multiplies dL/da by about sqrt(128) * 0.01 = 0.11


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_update_data_check_passes_a_healthy_he_relu_network(batch, seed):
    check = diagnostics.update_data_check(_deep("he_normal", "relu", seed), *batch, lr=0.01)
    assert check["ok"], check["message"]
    assert np.all((check["ratios"] > 1e-4) & (check["ratios"] < 1e-2))
    assert "within" in check["message"] and check["verdicts"] == []


def test_update_data_check_fails_a_network_with_tiny_weights_that_gradient_norms_call_flat(batch):
    net = _deep(ik.get_initializer("random_normal", std=0.01))
    norms = diagnostics.gradient_norms(net, *batch)
    assert norms.max() / norms.min() < 2  # the old check ("similar magnitudes") would pass it
    check = diagnostics.update_data_check(net, *batch, lr=0.02)
    assert not check["ok"] and not check["layers_ok"].any()
    assert np.all(check["ratios"] < 1e-5)
    assert "barely moves" in check["message"] and len(check["verdicts"]) == 6


def test_update_data_check_fails_a_zero_initialized_network(batch):
    check = diagnostics.update_data_check(_deep("zeros"), *batch, lr=0.02)
    assert not check["ok"] and not check["layers_ok"].any()
    assert "weights all equal (std 0)" in check["verdicts"][0]


def test_update_data_check_flags_layers_that_would_be_thrown_around(batch):
    check = diagnostics.update_data_check(_deep(ik.get_initializer("random_normal", std=1.0), "relu"), *batch, lr=0.02)
    assert not check["ok"] and np.all(check["ratios"] > 1)
    assert "thrown around" in check["verdicts"][0]


def test_update_data_check_ratio_is_lr_times_grad_data_ratio(batch):
    net = _deep("glorot_normal")
    table = diagnostics.gradient_table(net, *batch)
    check = diagnostics.update_data_check(net, *batch, lr=0.03)
    np.testing.assert_allclose(check["ratios"], [0.03 * r["grad_data_ratio"] for r in table])


def test_update_data_check_rejects_a_non_positive_lr(batch):
    with pytest.raises(ValueError, match="lr"):
        diagnostics.update_data_check(_deep("glorot_normal"), *batch, lr=0)


@pytest.mark.parametrize("band", [(), [1e-2], (1e-2, 1e-4)])
def test_update_data_check_refuses_a_band_that_is_not_a_low_high_pair(band):
    # Issue 26 fuzz: band=() raised "not enough values to unpack".
    X, y = np.random.default_rng(0).standard_normal((20, 4)), np.arange(20) % 2
    with pytest.raises(ValueError, match="band must be a \\(low, high\\) pair"):
        diagnostics.update_data_check(ik.MLP([4, 8, 2], rng=0), X, y, lr=0.01, band=band)
