"""initkit.measure.probe_passes: the fast pass over weight arrays equals the network's own forward/backward."""
import numpy as np

import initkit as ik
from initkit.measure.probe_passes import RECORD_KEYS, Recorder, net_pass, spec_pass


def test_spec_pass_equals_net_pass_on_the_same_weights():
    net = ik.MLP([16, 32, 32, 8], activation="tanh", init="lecun_normal", rng=0)
    gen = np.random.default_rng(1)
    x, g = gen.standard_normal((64, 16)), gen.standard_normal((64, 8))
    layers = net.layers

    def recorder():
        return Recorder([layer.activation for layer in layers], [layer.W.shape for layer in layers],
                        [float(layer.W.std()) for layer in layers], 20, [1, 2, 3])

    by_net = net_pass(net.copy(), x, g, recorder(), True).fields()
    by_spec = spec_pass([layer.W for layer in layers], [layer.b for layer in layers], x, g, recorder(), True).fields()
    assert len(by_net["records"]) == len(by_spec["records"]) == 3
    for a, b in zip(by_net["records"], by_spec["records"]):
        for key in RECORD_KEYS:
            if key in a:
                np.testing.assert_allclose(a[key], b[key], rtol=1e-6, atol=1e-12, err_msg=key)


def test_recorded_std_is_the_measured_std():
    net = ik.MLP([10, 20, 5], activation="relu", init="he_normal", rng=2)
    gen = np.random.default_rng(3)
    x, g = gen.standard_normal((100, 10)), gen.standard_normal((100, 5))
    rec = Recorder([layer.activation for layer in net.layers], [layer.W.shape for layer in net.layers],
                   [1.0, 1.0], 10, [1, 2])
    records = net_pass(net.copy(), x, g, rec, False).fields()["records"]
    z = x @ net.layers[0].W + net.layers[0].b
    np.testing.assert_allclose(records[0]["pre_std"], z.std(), rtol=1e-6)
    np.testing.assert_allclose(records[0]["act_std"], np.maximum(z, 0).std(), rtol=1e-6)
