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


@pytest.mark.parametrize("batch_size, depth, activation", [(2, 6, "tanh"), (16, 20, "tanh"), (8, 12, "relu"),
                                                           (4, 3, "selu")])
def test_stacked_draws_are_lsuv_on_each_draw(batch_size, depth, activation):
    # lsuv_batch_draws runs the draws as one stack (the widget's speed); each draw must still be what lsuv does
    # on an MLP holding the orthonormal start: the same rescalings on the batch, the same held-out variance.
    import warnings

    from initkit.init.lsuv import lsuv
    from initkit.lessons.lsuv_batch import _orthonormal_start
    from initkit.nn.data import cached_dataset
    from initkit.nn.network import MLP

    out = lsuv_batch_draws(batch_size, depth, activation, n_draws=3, width=32, rng=1)
    data = cached_dataset("digits")
    sizes, start = _orthonormal_start(depth, activation, 32, 1)
    for k in range(3):
        gen = np.random.default_rng([1, k])
        batch = data.X_train[gen.choice(len(data.X_train), size=batch_size, replace=False)]
        net = MLP(sizes, activation=activation, init="zeros", dtype=np.float32)
        for layer, W in zip(net.layers, start):
            layer.W[...] = W
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            report = lsuv(net, batch, tol=0.1, orthonormal=False)
            net.forward(data.X_test.astype(np.float32))
        np.testing.assert_array_equal(out["batch_var"][k], report.column("var_after"))
        held = [np.var(z, dtype=np.float64) for z in net.pre_activations]
        np.testing.assert_allclose(out["held_out_var"][k], held, rtol=1e-5)
