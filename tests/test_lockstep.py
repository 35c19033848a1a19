import numpy as np
import pytest

import initkit as ik
from initkit.lockstep import fit_lockstep, mean_spread


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


def _nets(seeds, dtype=np.float64, activation="relu", sizes=(64, 32, 32, 10)):
    return [ik.MLP(list(sizes), activation=activation, init="he_normal", dtype=dtype, rng=s) for s in seeds]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_each_member_follows_fit_with_its_seed(digits, activation):
    seeds = [3, 7, 11]
    stacked, single = _nets(seeds, activation=activation), _nets(seeds, activation=activation)
    history = fit_lockstep(stacked, digits, epochs=3, lr=0.05, momentum=0.9, batch_size=50, rngs=seeds)
    for s, (net, ref) in enumerate(zip(stacked, single)):
        h = ik.fit(ref, digits, epochs=3, lr=0.05, momentum=0.9, batch_size=50, rng=seeds[s])
        np.testing.assert_allclose(history.train_loss[s], h.train_loss, rtol=1e-9)
        np.testing.assert_allclose(history.test_acc[s], h.test_acc, rtol=0, atol=0)
        np.testing.assert_allclose(history.step_loss[s], h.step_loss, rtol=1e-9)
        for a, b in zip(net.layers, ref.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-9, atol=1e-12)  # weights written back
            np.testing.assert_allclose(a.b, b.b, rtol=1e-9, atol=1e-12)


def test_diverged_member_is_frozen_and_reported_like_fit(digits):
    nets, ref = _nets([0, 1], dtype=np.float32), _nets([1], dtype=np.float32)[0]
    for net in (nets[1], ref):
        for layer in net.layers:
            layer.W *= 1e15  # float32 logits overflow to inf at the first step
    history = fit_lockstep(nets, digits, epochs=2, lr=1.0, batch_size=64, rngs=[0, 1])
    expected = ik.fit(ref, digits, epochs=2, lr=1.0, batch_size=64, rng=1)
    assert expected.diverged and history.diverged_at[1] == expected.diverged_at
    assert history.diverged_at[0] == 0 and np.all(np.isfinite(history.train_loss[0]))
    assert np.all(np.isnan(history.train_loss[1]))


def test_first_epoch_below(digits):
    history = fit_lockstep(_nets([0, 1]), digits, epochs=4, lr=0.05, momentum=0.9, batch_size=32)
    first = history.first_epoch_below(1.0)
    for s in range(2):
        below = np.flatnonzero(history.train_loss[s] < 1.0)
        assert first[s] == (below[0] + 1 if below.size else 0)


def test_rejects_mismatched_networks(digits):
    with pytest.raises(ValueError, match="nets must share sizes"):
        fit_lockstep(_nets([0]) + _nets([1], sizes=(64, 16, 10)), digits, epochs=1)
    with pytest.raises(ValueError, match="rngs must have one entry per network"):
        fit_lockstep(_nets([0, 1]), digits, epochs=1, rngs=[0])
    with pytest.raises(TypeError, match="data must be an initkit Dataset"):
        fit_lockstep(_nets([0]), (digits.X_train, digits.y_train), epochs=1)


def test_mean_spread_rounds_to_the_spread():
    assert mean_spread([0.91, 0.95, 0.93]) == "0.93 ± 0.02"
    assert mean_spread([10.0, 30.0]) == "20 ± 14"
    assert mean_spread([0.5, 0.7], percent=True) == "60 ± 14 %"
    assert mean_spread([64, 64, 64]) == "64 ± 0"
    with pytest.raises(ValueError, match="at least 2 numbers"):
        mean_spread([1.0])
