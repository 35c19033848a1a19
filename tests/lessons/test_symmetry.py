"""initkit.lessons.symmetry.train_with_dropout: full-batch training with inverted dropout on the hidden layers."""
import numpy as np
import pytest

import initkit as ik


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def _constant_net(value=0.3):
    return ik.MLP([2, 6, 4, 1], activation="tanh", init=ik.get_initializer("constant", value=value))


def test_keep_one_is_plain_full_batch_sgd_with_momentum():
    X, y = _data()
    net, ref = ik.MLP([2, 6, 4, 1], activation="tanh", rng=0), ik.MLP([2, 6, 4, 1], activation="tanh", rng=0)
    losses = ik.symmetry.train_with_dropout(net, X, y, keep=1.0, steps=7, lr=0.1, momentum=0.9, rng=0)
    opt, expected = ik.SGD(lr=0.1, momentum=0.9), []
    for _ in range(7):
        loss, grad = ik.sigmoid_binary_cross_entropy(ref.forward(X), y)
        ref.backward(grad)
        opt.step(ref.parameters(), ref.gradients())
        expected.append(loss)
    np.testing.assert_allclose(losses, expected, rtol=1e-12)
    for p, q in zip(net.parameters(), ref.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)


def test_dropout_breaks_the_symmetry_of_a_constant_init_and_no_dropout_keeps_it():
    X, y = _data()
    with_dropout, without = _constant_net(), _constant_net()
    ik.symmetry.train_with_dropout(with_dropout, X, y, keep=0.5, steps=5, rng=1)
    ik.symmetry.train_with_dropout(without, X, y, keep=1.0, steps=5, rng=1)
    assert ik.symmetry.max_unit_difference(without.layers[0].W) == 0.0
    assert ik.symmetry.max_unit_difference(with_dropout.layers[0].W) > 1e-6


def test_dropout_masks_are_seeded_by_rng():
    X, y = _data()
    a, b, c = _constant_net(), _constant_net(), _constant_net()
    la = ik.symmetry.train_with_dropout(a, X, y, keep=0.5, steps=3, rng=2)
    lb = ik.symmetry.train_with_dropout(b, X, y, keep=0.5, steps=3, rng=2)
    lc = ik.symmetry.train_with_dropout(c, X, y, keep=0.5, steps=3, rng=3)
    np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(la, lc)


def test_train_with_dropout_rejects_keep_outside_0_1():
    X, y = _data()
    with pytest.raises(ValueError, match="keep must be > 0; got 0"):
        ik.symmetry.train_with_dropout(_constant_net(), X, y, keep=0)
    with pytest.raises(ValueError, match="keep must be <= 1; got 1.5"):
        ik.symmetry.train_with_dropout(_constant_net(), X, y, keep=1.5)


def test_hidden_units_from_constant_init_stay_identical():
    net, _ = ik.symmetry.train_from_constant(0.1, 0.0, steps=20)
    W = net.layers[0].W
    assert ik.symmetry.max_unit_difference(W) == 0.0 and np.linalg.matrix_rank(W) == 1


def test_noise_breaks_symmetry_and_learns():
    same, h0 = ik.symmetry.train_from_constant(0.1, 0.0)
    diff, h1 = ik.symmetry.train_from_constant(0.1, 0.02)
    assert ik.symmetry.max_unit_difference(diff.layers[0].W) > 0.1
    assert h1.test_acc[-1] > h0.test_acc[-1] + 0.3


def test_unit_symmetry_sees_identical_units_as_rank_one_and_noise_as_full_rank():
    from initkit.lessons.symmetry import train_from_constant, unit_symmetry

    net, _ = train_from_constant(0.1, 0.0, steps=5)
    assert unit_symmetry(net.layers[0].W) == (0.0, 1)
    net, _ = train_from_constant(0.1, 0.05, steps=5)
    difference, rank = unit_symmetry(net.layers[0].W)
    assert difference > 0.01 and rank == 16
    assert unit_symmetry(np.array([[np.inf, 0.0], [0.0, 1.0]]))[1] == "undefined (inf/nan weights)"


@pytest.mark.parametrize("c, noise_std", [(0.1, 0.0), (0.1, 0.02), (-1.0, 0.3)])
def test_testing_once_trains_the_same_network_and_reports_the_same_last_accuracy(c, noise_std):
    # The widget's step evaluates the test split after training only: nothing else may change.
    full_net, full = ik.symmetry.train_from_constant(c, noise_std, steps=10)
    lean_net, lean = ik.symmetry.train_from_constant(c, noise_std, steps=10, test_each_epoch=False)
    for a, b in zip(full_net.layers, lean_net.layers):
        np.testing.assert_array_equal(a.W, b.W)
    assert lean.test_acc == full.test_acc[-1:] and lean.test_loss == full.test_loss[-1:]
    assert lean.train_loss == full.train_loss
