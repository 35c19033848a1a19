import numpy as np
import pytest

import initkit as ik
from initkit.nn.multiseed import fit_many


def _xy(rng, n=64, n_in=5, n_classes=3):
    X = rng.standard_normal((n, n_in))
    return X, rng.integers(0, n_classes, n)


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


def _nets(seeds, dtype=np.float64, activation="relu", sizes=(64, 32, 32, 10)):
    return [ik.MLP(list(sizes), activation=activation, init="he_normal", dtype=dtype, rng=s) for s in seeds]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_fit_many_matches_fit_for_every_network_with_a_shared_order(rng, momentum):
    X, y = _xy(rng)
    build = lambda seed: ik.MLP([5, 8, 8, 3], activation="tanh", init="glorot_normal", rng=seed)  # noqa: E731
    nets = [build(seed) for seed in range(3)]
    stacked = fit_many(nets, X, y, lr=0.1, momentum=momentum, epochs=3, batch_size=16, rng=7)
    for seed, net in enumerate(nets):
        alone = build(seed)
        history = ik.fit(alone, X, y, lr=0.1, momentum=momentum, epochs=3, batch_size=16, rng=7)
        np.testing.assert_allclose(stacked.step_loss[seed], history.step_loss, rtol=1e-12)
        np.testing.assert_allclose(stacked.train_loss[seed], history.train_loss, rtol=1e-12)
        np.testing.assert_allclose(stacked.train_acc[seed], history.train_acc, rtol=1e-12)
        for a, b in zip(net.layers, alone.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(a.b, b.b, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("loss, n_out", [("sigmoid_binary_cross_entropy", 1), ("mean_squared_error", 2)])
def test_fit_many_matches_fit_for_each_loss(rng, loss, n_out):
    X = rng.standard_normal((40, 3))
    y = rng.integers(0, 2, 40) if n_out == 1 else X[:, :2] @ rng.standard_normal((2, 2))
    build = lambda seed: ik.MLP([3, 6, n_out], activation="relu", init="he_normal", rng=seed)  # noqa: E731
    nets = [build(seed) for seed in range(2)]
    stacked = fit_many(nets, X, y, loss=loss, lr=0.05, epochs=4, batch_size=40, rng=1)
    for seed in range(2):
        history = ik.fit(build(seed), X, y, loss=loss, lr=0.05, epochs=4, batch_size=40, rng=1)
        np.testing.assert_allclose(stacked.step_loss[seed], history.step_loss, rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_each_network_follows_fit_with_its_own_seed(digits, activation):
    seeds = [3, 7, 11]
    stacked, single = _nets(seeds, activation=activation), _nets(seeds, activation=activation)
    history = fit_many(stacked, digits, epochs=3, lr=0.05, momentum=0.9, batch_size=50, rngs=seeds)
    for s, (net, ref) in enumerate(zip(stacked, single)):
        h = ik.fit(ref, digits, epochs=3, lr=0.05, momentum=0.9, batch_size=50, rng=seeds[s])
        np.testing.assert_allclose(history.train_loss[s], h.train_loss, rtol=1e-9)
        np.testing.assert_allclose(history.test_loss[s], h.test_loss, rtol=1e-9)
        np.testing.assert_allclose(history.test_acc[s], h.test_acc, rtol=0, atol=0)
        np.testing.assert_allclose(history.step_loss[s], h.step_loss, rtol=1e-9)
        for a, b in zip(net.layers, ref.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-9, atol=1e-12)  # weights written back
            np.testing.assert_allclose(a.b, b.b, rtol=1e-9, atol=1e-12)


def test_batchnorm_networks_follow_fit_and_a_diverged_one_keeps_fits_running_statistics(digits):
    build = lambda seed, std: ik.MLP([64, 32, 32, 10], activation="relu", norm="batch", rng=seed,  # noqa: E731
                                     init=ik.get_initializer("random_normal", std=std))
    settings = dict(epochs=2, lr=0.05, momentum=0.9, batch_size=64)
    stds = [0.1, 0.05, 1e3]  # the last one's output layer (no BatchNorm after it) overflows the loss at once
    stacked = [build(s, std) for s, std in enumerate(stds)]
    history = fit_many(stacked, digits, rngs=range(3), **settings)
    assert history.diverged.tolist() == [False, False, True]
    for s, (net, std) in enumerate(zip(stacked, stds)):
        ref = build(s, std)
        h = ik.fit(ref, digits, rng=s, progress=False, **settings)
        assert h.diverged == history.diverged[s] and (not h.diverged or h.diverged_at == history.diverged_at[s])
        if not h.diverged:
            np.testing.assert_allclose(history.train_loss[s], h.train_loss, rtol=1e-9)
            np.testing.assert_allclose(history.test_loss[s], h.test_loss, rtol=1e-9)  # inference mode, as fit
        for a, b in zip(net.layers, ref.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-9, atol=1e-12)
            if b.norm is not None:
                for name in ("gamma", "beta", "running_mean", "running_var"):
                    np.testing.assert_allclose(getattr(a.norm, name), getattr(b.norm, name), rtol=1e-9, atol=1e-12)


def test_fit_many_stops_a_diverging_network_where_fit_does_and_keeps_training_the_others(rng):
    X = rng.standard_normal((50, 4))
    y = X @ rng.standard_normal((4, 4))
    nets = [ik.MLP([4] * 9, activation="linear", init=ik.get_initializer("identity", gain=g)) for g in (1.5, 1.0)]
    history = fit_many(nets, X, y, loss="mean_squared_error", lr=0.01, epochs=30, batch_size=50, rng=0)
    alone = ik.fit(ik.MLP([4] * 9, activation="linear", init=ik.get_initializer("identity", gain=1.5)), X, y,
                   loss="mean_squared_error", lr=0.01, epochs=30, batch_size=50, rng=0)
    assert alone.diverged and history.diverged_at[0] == alone.diverged_at
    assert history.diverged_reason[0] == alone.diverged_reason
    np.testing.assert_allclose(history.step_loss[0, :alone.diverged_at], alone.step_loss, rtol=1e-12)
    assert history.diverged.tolist() == [True, False]
    assert np.isnan(history.step_loss[0, history.diverged_at[0]:]).all()
    assert np.isnan(history.final("train_loss")[0]) and np.isfinite(history.final("train_loss")[1])
    assert history.step_loss[1, -1] < history.step_loss[1, 0]  # the healthy network kept learning


def test_when_every_network_has_stopped_the_history_keeps_its_shape_and_the_rng_its_draws(digits):
    nets = _nets([0, 1])
    for net in nets:
        for layer in net.layers:
            layer.W *= 1e200  # the loss overflows at the first step
    gen = np.random.default_rng(5)
    history = fit_many(nets, digits, epochs=3, lr=0.1, batch_size=500, rng=gen)
    assert history.diverged_at.tolist() == [1, 1]
    assert history.step_loss.shape == (2, 3 * 3) and history.test_acc.shape == (2, 3)  # 1347 rows: 3 batches
    assert np.isnan(history.step_loss[:, 1:]).all() and np.isnan(history.test_loss).all()
    expected = np.random.default_rng(5)
    for _ in range(3):
        expected.permutation(len(digits.X_train))  # one shuffle per epoch, as if training had gone on
    assert gen.integers(10**9) == expected.integers(10**9)


def test_an_overflowing_network_is_frozen_and_reported_like_fit(digits):
    nets, ref = _nets([0, 1], dtype=np.float32), _nets([1], dtype=np.float32)[0]
    for net in (nets[1], ref):
        for layer in net.layers:
            layer.W *= 1e15  # float32 logits overflow to inf at the first step
    history = fit_many(nets, digits, epochs=2, lr=1.0, batch_size=64, rngs=[0, 1])
    expected = ik.fit(ref, digits, epochs=2, lr=1.0, batch_size=64, rng=1)
    assert expected.diverged and history.diverged_at[1] == expected.diverged_at
    assert history.diverged_at[0] == 0 and np.all(np.isfinite(history.train_loss[0]))
    assert np.all(np.isnan(history.train_loss[1]))


def test_epochs_to_is_the_first_epoch_below_the_threshold(digits):
    history = fit_many(_nets([0, 1]), digits, epochs=4, lr=0.05, momentum=0.9, batch_size=32, rngs=[0, 1])
    first = history.epochs_to(1.0)
    assert first.tolist() != [-1, -1]  # the threshold is reached, so the test below compares real epochs
    assert np.all(history.epochs_to(-1.0) == -1)  # a loss is never negative
    for s in range(2):
        below = np.flatnonzero(history.train_loss[s] < 1.0)
        assert first[s] == (below[0] + 1 if below.size else -1)


def test_fit_many_rejects_mismatched_networks_and_arguments(digits):
    with pytest.raises(ValueError, match="nets must share one architecture"):
        fit_many(_nets([0]) + _nets([1], sizes=(64, 16, 10)), digits, epochs=1)
    with pytest.raises(ValueError, match="rngs must have one entry per network"):
        fit_many(_nets([0, 1]), digits, epochs=1, rngs=[0])
    with pytest.raises(ValueError, match="not both"):
        fit_many(_nets([0, 1]), digits, epochs=1, rng=0, rngs=[0, 1])
    with pytest.raises(ValueError, match="loss"):
        fit_many([ik.MLP([2, 3, 1], rng=0)], np.zeros((4, 2)), np.zeros(4, dtype=int), loss="hinge")
    with pytest.raises(ValueError, match="share one architecture"):
        fit_many([ik.MLP([2, 3, 2], norm="batch", rng=0), ik.MLP([2, 3, 2], rng=1)], np.zeros((4, 2)),
                 np.zeros(4, dtype=int))


@pytest.mark.parametrize("kwargs, match", [
    ({"y": np.array([-1, 0, 1, 0])}, "y must hold class labels 0 to 1; got values from -1"),
    ({"loss": ""}, "loss must be one of .*got ''"),
    ({"X": np.ones((4, 3), dtype=complex)}, "X must be real; got complex"),
])
def test_fit_many_refuses_what_fit_refuses(kwargs, match):
    # Issue 26: fit_many trained on label -1 and took loss='' as the default loss.
    args = {"X": np.ones((4, 3)), "y": np.array([0, 1, 0, 1]), **kwargs}
    with pytest.raises((TypeError, ValueError), match=match):
        ik.fit_many([ik.MLP([3, 2], rng=0)], args.pop("X"), args.pop("y"), epochs=1, **args)


def test_nets_that_are_not_mlps_are_refused_by_name():
    with pytest.raises(TypeError, match="nets must be a non-empty list of MLPs; got item 0 of type int"):
        ik.fit_many([1, 0], np.ones((4, 3)), np.array([0, 1, 0, 1]), epochs=1)
