import math

import numpy as np
import pytest

import initkit as ik


def check_loss_gradient(loss_fn, logits, y):
    _, grad = loss_fn(logits, y)
    num = ik.numerical_gradient(lambda: loss_fn(logits, y)[0], logits)
    assert ik.relative_error(grad, num) < 1e-6


def test_softmax_cross_entropy_gradient(rng):
    check_loss_gradient(ik.softmax_cross_entropy, rng.standard_normal((6, 4)), rng.integers(0, 4, 6))


def test_sigmoid_bce_gradient(rng):
    check_loss_gradient(ik.sigmoid_binary_cross_entropy, rng.standard_normal((7, 1)), rng.integers(0, 2, 7))


def test_mse_gradient(rng):
    check_loss_gradient(ik.mean_squared_error, rng.standard_normal((5, 3)), rng.standard_normal((5, 3)))


def test_softmax_cross_entropy_hand_value():
    # Uniform logits over C classes: loss = ln C, the initial-loss check.
    loss, grad = ik.softmax_cross_entropy(np.zeros((2, 10)), np.array([3, 7]))
    assert loss == pytest.approx(math.log(10))
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)  # p - onehot sums to 0


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss, grad = ik.softmax_cross_entropy(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert loss == pytest.approx(2000.0) and np.all(np.isfinite(grad))


def test_bce_is_stable_for_huge_logits():
    loss, _ = ik.sigmoid_binary_cross_entropy(np.array([[800.0], [-800.0]]), np.array([0, 1]))
    assert loss == pytest.approx(800.0)


def test_loss_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"y must be 1-D integer labels in \[0, 3\)"):
        ik.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="y must have one entry per sample: logits has 2 rows, y has 3"):
        ik.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="y must hold binary labels 0 or 1"):
        ik.sigmoid_binary_cross_entropy(np.zeros((2, 1)), np.array([0, 2]))


def test_get_loss_resolves_aliases_and_rejects_unknown():
    assert ik.get_loss("mse") is ik.mean_squared_error
    with pytest.raises(ValueError, match="loss must be one of .*'softmax_cross_entropy'; got 'ls'"):
        ik.get_loss("ls")
