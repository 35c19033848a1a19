import warnings

import numpy as np
import pytest

import initkit as ik
from initkit.probe import probe_generator


def test_cs231n_tanh_numbers():
    kw = dict(depth=10, width=500, activation="tanh", n_samples=1000, dtype=np.float64, rng=0)
    small = ik.probe(weight_std=0.01, **kw).records[-1]
    big = ik.probe(weight_std=1.0, **kw).records[-1]
    lecun = ik.probe(init="lecun_normal", **kw).records[-1]
    assert 1e-7 < small["act_std"] < 1e-6  # about 3e-7
    assert big["act_std"] == pytest.approx(0.98, abs=0.02) and 0.85 < big["saturation"] < 0.95
    assert lecun["act_std"] == pytest.approx(0.23, abs=0.02)


def test_probe_of_mlp_matches_its_own_forward():
    net = ik.MLP([32, 64, 64, 10], activation="tanh", init="glorot_normal", rng=0)
    x = np.random.default_rng(1).standard_normal((500, 32))
    result = ik.probe(net, x=x)
    net.forward(x)
    np.testing.assert_allclose(result.column("act_std"), [a.std() for a in net.activations], rtol=1e-10)


def test_weight_gradient_std_matches_direct_computation():
    net = ik.MLP([16, 32, 32, 8], activation="tanh", init="glorot_normal", rng=0)
    x = np.random.default_rng(1).standard_normal((200, 16))
    result = ik.probe(net, x=x, rng=5)
    g = probe_generator(5).standard_normal((200, 8))
    net.forward(x)
    grads = net.backward(g)
    np.testing.assert_allclose(result.column("dW_std"), [d.std() for d in grads.dW], rtol=1e-10)
    np.testing.assert_allclose(result.column("da_std")[:-1], [d.std() for d in grads.da[:-1]], rtol=1e-10)


def test_rescaling_cached_units_equals_fresh_draws():
    a = ik.probe(depth=5, width=64, activation="tanh", weight_std=0.3, rng=7, dtype=np.float64)
    ik.probe(depth=5, width=64, activation="tanh", weight_std=3.0, rng=7, dtype=np.float64)  # warm the cache
    b = ik.probe(depth=5, width=64, activation="tanh", weight_std=0.3, rng=7, dtype=np.float64)
    assert a.records == b.records


def test_histograms_count_every_value():
    r = ik.probe(depth=6, width=64, activation="relu", init="he_normal", n_samples=300, hist_layers=[2, 4, 6])
    assert r.act_hist.shape == (3, 50)
    np.testing.assert_array_equal(r.act_hist.sum(axis=1), 300 * 64)
    np.testing.assert_array_equal(r.grad_hist.sum(axis=1), 300 * 64)


def test_explosion_is_reported_not_raised():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ik.probe(depth=100, width=128, activation="relu", weight_std=100.0)
    assert r.exploded_at is not None and 5 < r.exploded_at < 30
    assert "exploded" in r.status() and np.isnan(r.records[-1]["act_std"])


def test_vanishing_to_zero_is_reported():
    r = ik.probe(depth=100, width=128, activation="tanh", weight_std=1e-3)
    assert r.vanished_at is not None and "vanished" in r.status()


def test_saturation_and_dead_fractions():
    sat = ik.probe(depth=3, width=256, activation="tanh", weight_std=1.0, rng=0).records[-1]["saturation"]
    assert sat > 0.5
    # First layer: symmetric N(0, 1) inputs activate every unit for some sample.
    assert ik.probe(depth=3, width=256, activation="relu", init="he_normal", rng=0).records[0]["dead"] == 0.0
    net = ik.MLP([64, 64, 64], activation="relu", bias_init=ik.get_initializer("constant", value=-100.0), rng=0)
    assert ik.probe(net, n_samples=200).records[0]["dead"] == 1.0


def test_summary_prints_a_table():
    text = ik.probe(depth=4, width=32).summary()
    assert text.splitlines()[0].split() == ["layer", "act_std", "saturation", "da_std"]


def test_probe_validates_arguments():
    with pytest.raises(ValueError, match="depth must be >= 1; got 0"):
        ik.probe(depth=0)
    with pytest.raises(ValueError, match="activation must be one of .*got 'tanhh'"):
        ik.probe(activation="tanhh")
    with pytest.raises(ValueError, match="weight_std must be >= 0; got -1"):
        ik.probe(weight_std=-1.0)


def test_probe_of_a_net_built_with_the_same_seed_is_not_correlated_with_its_weights():
    # Regression: with one stream for both, the probe's input and output gradient were the net's own weights,
    # and the backward std of this linear net came out 1.37 instead of 1.
    net = ik.MLP([512, 128, 512, 128, 512], activation="linear", output_activation="linear",
                 init=ik.get_initializer("variance_scaling", scale=1.0, mode="fan_out", distribution="normal"), rng=0)
    grad = ik.probe(net, n_samples=500, rng=0).column("da_std")
    np.testing.assert_allclose(grad, 1.0, rtol=0.05)
