import warnings

import numpy as np
import pytest

import initkit as ik
from initkit.measure.probe import probe_generator


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


# Issue 20: robust probing, and a real network measured by its own forward and backward.

def test_probe_of_a_batchnorm_net_describes_what_it_computes():
    # The issue-13 example: BatchNorm renormalizes every hidden layer; the probe must see that.
    net = ik.MLP([16, 32, 32, 4], activation="relu", norm="batch", rng=0)
    x = np.random.default_rng(1).normal(3, 2, (200, 16))
    before = [layer.norm.running_mean.copy() for layer in net.layers[:-1]]
    result = ik.probe(net, x=x, rng=0)
    for layer, mean in zip(net.layers[:-1], before):  # the probe ran a copy: the net is untouched
        np.testing.assert_array_equal(layer.norm.running_mean, mean)
    net.forward(x)
    np.testing.assert_allclose(result.column("act_std"), [a.std() for a in net.activations], rtol=1e-10)
    grads = net.backward(probe_generator(0).standard_normal((200, 4)))
    np.testing.assert_allclose(result.column("dW_std"), [d.std() for d in grads.dW], rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("activation", sorted(ik.ACTIVATIONS))
def test_fast_path_agrees_with_an_mlp_carrying_the_same_weights(activation, dtype):
    from initkit.measure.probe import _layers_from_spec, spec_inits
    from initkit.measure.probe_passes import Recorder, net_pass, spec_pass

    act, dt = ik.get_activation(activation), np.dtype(dtype)
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    for init in sorted(spec_inits()):
        Ws, bs, acts, x, g, stds = _layers_from_spec(3, 12, 12, act, init, None, 1.0, 0.1, dt, 40, 3)
        net = ik.MLP([12] * 4, activation=act, output_activation=act, dtype=dtype, rng=0)
        for layer, W, b in zip(net.layers, Ws, bs):
            layer.W[...], layer.b[...] = W, b
        fast = spec_pass(Ws, bs, x, g, Recorder(acts, [W.shape for W in Ws], stds, 20, [1, 2, 3]), True).fields()
        real = net_pass(net, x, g, Recorder(acts, [W.shape for W in Ws], stds, 20, [1, 2, 3]), True).fields()
        for a, b in zip(fast["records"], real["records"]):
            assert a.keys() == b.keys()
            for key in a:
                if isinstance(a[key], float):
                    np.testing.assert_allclose(a[key], b[key], rtol=rtol, atol=1e-30, err_msg=f"{init} {key}")
                else:
                    assert a[key] == b[key]
        assert abs(fast["act_hist"] - real["act_hist"]).sum() <= 2 and abs(fast["grad_hist"] - real["grad_hist"]).sum() <= 2
        assert (fast["exploded_at"], fast["vanished_at"]) == (real["exploded_at"], real["vanished_at"])


def test_probe_of_a_net_with_infinite_weights_reports_without_warning():
    net = ik.MLP([4, 8, 2], rng=0)
    net.layers[0].W[...] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ik.probe(net, n_samples=10)
    assert result.exploded_at == 1


@pytest.mark.parametrize("call, error, match", [
    (lambda: ik.probe(x=np.ones(5)), ValueError, r"x must be a 2-D array .* got shape \(5,\)"),
    (lambda: ik.probe(ik.MLP([4, 3, 2]), x=np.ones((5, 3))), ValueError,
     r"x must have 4 columns \(the network's input size\); got shape \(5, 3\)"),
    (lambda: ik.probe(ik.MLP([4, 3, 2]), hist_layers=[5]), ValueError, "each entry of hist_layers must be <= 2"),
    (lambda: ik.probe(init="foo"), ValueError, "init must be one of .*got 'foo'"),
    (lambda: ik.probe(init="identity"), ValueError, "init must be one of"),
    (lambda: ik.probe(width=10**5), ValueError, "above the limit"),
    (lambda: ik.probe(rng=-1), ValueError, "rng must be"),
    (lambda: ik.probe(rng="abc"), TypeError, "rng must be"),
    (lambda: ik.probe("net"), TypeError, "net must be an MLP"),
])
def test_probe_names_what_is_wrong(call, error, match):
    with pytest.raises(error, match=match):
        call()
