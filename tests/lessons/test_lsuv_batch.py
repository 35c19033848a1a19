"""initkit.lessons.lsuv_batch: LSUV on a batch, and how well its variance holds on held-out data."""
import numpy as np
import pytest

from initkit.lessons.lsuv_batch import lsuv_batch_draws, lsuv_batch_experiment


def test_lsuv_reaches_unit_variance_on_its_batch_and_nearly_on_held_out_data():
    out = lsuv_batch_experiment(batch_size=256, depth=4, width=32, rng=0)
    np.testing.assert_allclose(out["batch_var"], 1.0, atol=0.1)  # tol=0.1 on the batch it saw
    assert np.all(np.abs(np.log(out["held_out_var"])) < np.log(2))  # within a factor 2 on unseen digits


def test_small_batches_miss_more_on_held_out_data_than_large_ones():
    small = lsuv_batch_draws(batch_size=4, depth=6, n_draws=5, width=32, rng=0)
    large = lsuv_batch_draws(batch_size=256, depth=6, n_draws=5, width=32, rng=0)
    assert small["held_out_var"].shape == (5, 7) and small["worst"].shape == (5,)
    assert np.median(small["worst"]) > np.median(large["worst"]) >= 1.0


def test_batch_size_is_checked():
    with pytest.raises(ValueError, match="batch_size"):
        lsuv_batch_draws(batch_size=1)
