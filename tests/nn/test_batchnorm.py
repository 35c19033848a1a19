import numpy as np
import pytest

import initkit as ik
from initkit.nn.batchnorm import BatchNorm


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_mlp_with_batchnorm_backprop_matches_finite_differences(activation, rng):
    net = ik.MLP([5, 7, 6, 3], activation=activation, init="glorot_normal", norm="batch", rng=0)
    for layer in net.layers[:-1]:
        layer.norm.gamma[:] = rng.uniform(0.5, 1.5, layer.fan_out)
        layer.norm.beta[:] = rng.normal(0, 0.3, layer.fan_out)
    x, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    records = ik.gradient_check(net, x, y)
    assert {r["param"] for r in records} == {"W", "b", "gamma", "beta"}
    assert all(r["ok"] for r in records), [r for r in records if not r["ok"]]


def test_inference_mode_backward_matches_finite_differences(rng):
    bn = BatchNorm(4)
    bn.forward(rng.standard_normal((50, 4)) * 3 + 1)  # some running statistics
    bn.training = False
    z, dy = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    bn.forward(z)
    dz = bn.backward(dy)
    num = ik.numerical_gradient(lambda: float(np.sum(bn.forward(z) * dy)), z)
    assert ik.relative_error(dz, num) < 1e-8


def test_training_mode_normalizes_each_unit(rng):
    bn = BatchNorm(3)
    out = bn.forward(rng.standard_normal((500, 3)) * [1, 10, 100] + [5, -5, 50])
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), 1, rtol=1e-4)


def test_running_statistics_converge_and_drive_inference(rng):
    bn = BatchNorm(2, momentum=0.1)
    for _ in range(200):
        bn.forward(rng.normal([3.0, -1.0], [2.0, 0.5], (256, 2)))
    np.testing.assert_allclose(bn.running_mean, [3.0, -1.0], atol=0.1)
    np.testing.assert_allclose(bn.running_var, [4.0, 0.25], rtol=0.1)
    bn.training = False
    np.testing.assert_allclose(bn.forward(np.array([[3.0, -1.0]])), 0, atol=0.1)


def test_mlp_train_eval_switch_and_repr():
    net = ik.MLP([4, 8, 2], norm="batch", rng=0)
    assert "norm='batch'" in repr(net) and net.layers[0].norm.training
    net.eval()
    assert not net.layers[0].norm.training and net.layers[-1].norm is None
    with pytest.raises(ValueError, match="norm must be one of None, 'batch'; got 'layer'"):
        ik.MLP([4, 2], norm="layer")


def test_batchnorm_mlp_trains_on_digits():
    data = ik.load_dataset("digits", rng=0)
    net = ik.MLP([64, 100, 100, 10], activation="relu", norm="batch", rng=0)
    history = ik.fit(net, data, epochs=8, lr=0.05, momentum=0.9, rng=0)
    assert history.test_acc[-1] > 0.95
