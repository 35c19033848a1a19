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


# Issue 20: wrong results without an error, and clear errors.

def test_sigmoid_bce_accepts_column_labels_like_mse():
    logits, y = np.array([[2.0], [-1.0], [0.5]]), np.array([1, 0, 1])
    loss, grad = ik.sigmoid_binary_cross_entropy(logits, y)
    expected = np.mean(np.logaddexp(0, logits[:, 0]) - y * logits[:, 0])
    assert loss == pytest.approx(expected, rel=1e-12) and grad.shape == (3, 1)
    column_loss, column_grad = ik.sigmoid_binary_cross_entropy(logits, y[:, None])
    assert column_loss == loss and column_grad.shape == (3, 1)
    np.testing.assert_array_equal(column_grad, grad)


def test_fit_trains_a_single_output_net_on_column_labels():
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    history = ik.fit(ik.MLP([2, 4, 1], rng=0), X, y.reshape(-1, 1), epochs=3, rng=0)
    assert history.steps == 6 and not history.diverged


def test_softmax_takes_any_array_like():
    np.testing.assert_allclose(ik.softmax([1.0, 2.0]), [1 / (1 + math.e), math.e / (1 + math.e)])
    np.testing.assert_allclose(ik.softmax([[1, 2], [3, 3]]).sum(axis=1), 1.0)


@pytest.mark.parametrize("logits, y, error, match", [
    (np.zeros((0, 3)), np.zeros(0, int), ValueError, "logits must be a 2-D array .* at least one row"),
    (np.zeros(3), np.zeros(3, int), ValueError, "logits must be a 2-D array"),
    (np.zeros((2, 3)), np.array(["a", "b"]), TypeError, "y must be a numeric array"),
    (np.zeros((2, 1)), np.zeros((2, 2)), ValueError, "y must have shape \\(2,\\) or \\(2, 1\\)"),
])
def test_losses_name_what_is_wrong(logits, y, error, match):
    loss = ik.sigmoid_binary_cross_entropy if logits.ndim == 2 and logits.shape[1] == 1 else ik.softmax_cross_entropy
    with pytest.raises(error, match=match):
        loss(logits, y)


@pytest.mark.parametrize("name, n_out", [("softmax_cross_entropy", 4), ("sigmoid_binary_cross_entropy", 1),
                                         ("mean_squared_error", 3)])
def test_stacked_losses_equal_each_networks_own_loss_bitwise(name, n_out, rng):
    loss = ik.get_loss(name)
    out = rng.standard_normal((3, 8, n_out))
    y = (rng.integers(0, n_out if n_out > 1 else 2, (3, 8)) if name != "mean_squared_error"
         else rng.standard_normal((3, 8, n_out)))
    values, grad = loss(out, y)
    assert values.shape == (3,) and grad.shape == out.shape
    for k in range(3):
        value, g = loss(out[k], y[k])
        assert value == values[k] and np.array_equal(g, grad[k])


def test_mean_squared_error_names_its_own_argument_outputs():
    # Issue 26 fuzz: the message said "logits", a name mean_squared_error does not have.
    with pytest.raises(TypeError, match="outputs must be a real numeric array"):
        ik.mean_squared_error(np.array(["a", "b"]), np.zeros(2))
    with pytest.raises(ValueError, match="outputs has 3 rows, y has 2"):
        ik.mean_squared_error(np.ones((3, 1)), np.zeros(2))


def test_softmax_refuses_non_numeric_logits_by_name():
    with pytest.raises(TypeError, match="logits must be a real numeric array; got dtype <U1"):
        ik.softmax(np.array(["a", "b"]))


def test_a_stack_whose_labels_do_not_match_names_both_shapes():
    with pytest.raises(ValueError, match=r"leading shape must be \(3, 5\); got y of shape \(4, 5\)"):
        ik.softmax_cross_entropy(np.zeros((3, 5, 2)), np.zeros((4, 5), dtype=int))
