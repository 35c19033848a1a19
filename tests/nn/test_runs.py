"""One interface for several runs: fit_many (batched) and fit_seeds (a loop over fit) summarize alike."""
import numpy as np
import pytest

import initkit as ik


@pytest.fixture(scope="module")
def both():
    data = ik.load_dataset("digits", rng=0)
    make = lambda s: ik.MLP([64, 32, 10], activation="tanh", rng=s)  # noqa: E731
    seeds = [0, 1, 2]
    many = ik.fit_many([make(s) for s in seeds], data, epochs=3, lr=0.05, momentum=0.9, batch_size=64, rngs=seeds)
    looped = ik.fit_seeds(make, data, seeds, epochs=3, lr=0.05, momentum=0.9, batch_size=64)
    return many, looped


@pytest.mark.parametrize("name", ["train_loss", "test_loss", "test_acc"])
def test_final_is_the_same_from_either_trainer(both, name):
    many, looped = both
    assert np.all(np.isfinite(many.final(name)))
    np.testing.assert_allclose(many.final(name), looped.final(name), rtol=1e-9)


def test_steps_to_and_epochs_to_are_the_same_from_either_trainer(both):
    many, looped = both
    threshold = float(np.median(many.step_loss))  # reached by every run, after some steps
    assert np.all(many.steps_to(threshold) > 10)
    np.testing.assert_array_equal(many.steps_to(threshold), looped.steps_to(threshold))
    np.testing.assert_array_equal(many.epochs_to(many.train_loss[0, 1]), looped.epochs_to(many.train_loss[0, 1]))
    assert np.all(many.steps_to(-1.0) == -1) and np.all(looped.epochs_to(-1.0) == -1)
