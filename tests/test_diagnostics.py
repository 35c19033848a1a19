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
