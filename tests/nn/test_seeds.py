import numpy as np
import pytest

import initkit as ik
from initkit.nn.seeds import SeedsHistory, fit_seeds


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


def _net(seed, init="he_normal"):
    return ik.MLP([64, 32, 32, 10], init=init, rng=seed)


def test_fit_seeds_gives_each_seed_exactly_what_fit_gives_it(digits):
    h = fit_seeds(_net, digits, seeds=[3, 7], epochs=2, lr=0.05, momentum=0.9)
    assert h.seeds == [3, 7] and h.train_loss.shape == h.test_acc.shape == (2, 2)
    for row, seed in enumerate([3, 7]):
        net = _net(seed)
        ref = ik.fit(net, digits, epochs=2, lr=0.05, momentum=0.9, rng=seed)
        np.testing.assert_array_equal(h.train_loss[row], ref.train_loss)
        np.testing.assert_array_equal(h.test_acc[row], ref.test_acc)
        np.testing.assert_array_equal(h.step_loss[row], ref.step_loss)
        np.testing.assert_array_equal(h.nets[row].layers[0].W, net.layers[0].W)


def test_fit_seeds_count_means_seeds_zero_to_n_minus_one(digits):
    h = fit_seeds(_net, digits, seeds=3, epochs=1)
    assert h.seeds == [0, 1, 2] and h.final("test_acc").shape == (3,)


def test_diverged_runs_are_reported_and_padded_with_nan(digits):
    # a linear network with N(0, 1) weights and lr 1: every step multiplies the logits, until they overflow
    big = ik.get_initializer("random_normal", std=1.0)
    h = fit_seeds(lambda s: ik.MLP([64, 32, 32, 10], activation="linear", init=big, rng=s), digits, seeds=2,
                  epochs=3, lr=1.0, momentum=0.9)
    assert h.diverged.all()
    assert h.train_loss.shape == (2, 3)  # the epochs asked for, even when no epoch finished
    assert np.isnan(h.final("train_loss")).all()
    assert "2 diverged" in repr(h)


def test_steps_to_finds_the_first_window_below_the_threshold():
    history = ik.History(step_loss=[3.0] * 10 + [0.1] * 20)
    never = ik.History(step_loss=[3.0] * 30)
    h = SeedsHistory([0, 1], [history, never], [None, None])
    # the 10-step mean first drops below 1 when 7 of the last 10 losses are 0.1: at step 17
    np.testing.assert_array_equal(h.steps_to(1.0), [17, -1])


def test_fit_seeds_rejects_its_own_rng_and_empty_seeds(digits):
    with pytest.raises(ValueError, match="do not give rng"):
        fit_seeds(_net, digits, seeds=2, rng=0)
    with pytest.raises(ValueError, match="non-empty"):
        fit_seeds(_net, digits, seeds=[])
    with pytest.raises(ValueError, match="make_net must be a function"):
        fit_seeds(_net(0), digits)
