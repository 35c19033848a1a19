import numpy as np
import pytest

import initkit as ik
from initkit.lessons_scale import mean_spread, train_stack


def _xy(rng, n=64, n_in=5, n_classes=3):
    X = rng.standard_normal((n, n_in))
    return X, rng.integers(0, n_classes, n)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_train_stack_matches_fit_for_every_network(rng, momentum):
    X, y = _xy(rng)
    build = lambda seed: ik.MLP([5, 8, 8, 3], activation="tanh", init="glorot_normal", rng=seed)  # noqa: E731
    nets = [build(seed) for seed in range(3)]
    stacked = train_stack(nets, X, y, lr=0.1, momentum=momentum, epochs=3, batch_size=16, rng=7)
    for seed, net in enumerate(nets):
        alone = build(seed)
        history = ik.fit(alone, X, y, lr=0.1, momentum=momentum, epochs=3, batch_size=16, rng=7)
        np.testing.assert_allclose(stacked.step_loss[:, seed], history.step_loss, rtol=1e-12)
        np.testing.assert_allclose(stacked.train_loss[:, seed], history.train_loss, rtol=1e-12)
        np.testing.assert_allclose(stacked.train_acc[:, seed], history.train_acc, rtol=1e-12)
        for a, b in zip(net.layers, alone.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(a.b, b.b, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("loss, n_out", [("sigmoid_binary_cross_entropy", 1), ("mean_squared_error", 2)])
def test_train_stack_matches_fit_for_each_loss(rng, loss, n_out):
    X = rng.standard_normal((40, 3))
    y = rng.integers(0, 2, 40) if n_out == 1 else X[:, :2] @ rng.standard_normal((2, 2))
    build = lambda seed: ik.MLP([3, 6, n_out], activation="relu", init="he_normal", rng=seed)  # noqa: E731
    nets = [build(seed) for seed in range(2)]
    stacked = train_stack(nets, X, y, loss=loss, lr=0.05, epochs=4, batch_size=40, rng=1)
    for seed in range(2):
        history = ik.fit(build(seed), X, y, loss=loss, lr=0.05, epochs=4, batch_size=40, rng=1)
        np.testing.assert_allclose(stacked.step_loss[:, seed], history.step_loss, rtol=1e-12)


def test_train_stack_stops_a_diverging_network_and_keeps_training_the_others(rng):
    X = rng.standard_normal((50, 4))
    y = X @ rng.standard_normal((4, 4))
    nets = [ik.MLP([4] * 9, activation="linear", init=ik.get_initializer("identity", gain=g)) for g in (1.5, 1.0)]
    history = train_stack(nets, X, y, loss="mean_squared_error", lr=0.01, epochs=30, batch_size=50, rng=0)
    alone = ik.fit(ik.MLP([4] * 9, activation="linear", init=ik.get_initializer("identity", gain=1.5)), X, y,
                   loss="mean_squared_error", lr=0.01, epochs=30, batch_size=50, rng=0)
    assert alone.diverged and history.diverged_at[0] == alone.diverged_at
    assert history.diverged.tolist() == [True, False]
    assert np.isnan(history.step_loss[history.diverged_at[0]:, 0]).all()
    assert np.isinf(history.final_loss[0]) and np.isfinite(history.final_loss[1])
    assert history.step_loss[-1, 1] < history.step_loss[0, 1]  # the healthy network kept learning


def test_train_stack_rejects_mixed_architectures():
    nets = [ik.MLP([2, 3, 1], rng=0), ik.MLP([2, 4, 1], rng=0)]
    with pytest.raises(ValueError, match="nets must share one architecture"):
        train_stack(nets, np.zeros((4, 2)), np.zeros(4, dtype=int))


def test_train_stack_rejects_an_unknown_loss():
    with pytest.raises(ValueError, match="loss"):
        train_stack([ik.MLP([2, 3, 1], rng=0)], np.zeros((4, 2)), np.zeros(4, dtype=int), loss="hinge")


@pytest.mark.parametrize("values, expected", [
    ([0.52, 0.61, 0.58], "0.57 ± 0.05"),
    ([107, 127, 87], "110 ± 20"),
    ([0.693, 0.693], "0.693 ± 0"),
    ([0.0012, 0.0013], "0.00125 ± 0.00007"),
])
def test_mean_spread_keeps_only_the_digits_the_spread_allows(values, expected):
    assert mean_spread(values) == expected


def test_mean_spread_reports_a_diverged_run():
    assert mean_spread([np.inf, 1.0]) == "inf ± nan"
