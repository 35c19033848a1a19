import numpy as np
import pytest

import initkit as ik
from initkit.init.lsuv import lsuv_fastai


@pytest.fixture
def batch():
    return np.random.default_rng(0).standard_normal((300, 64))


def _net(activation="relu", rng=1):
    return ik.MLP([64] * 6 + [10], activation=activation, init="he_normal", rng=rng)


def test_fold_keeps_the_function_fastai_computes(batch):
    # fast.ai 2019 subtracts a constant after each activation; folded into the next bias, the MLP must
    # compute exactly relu(...) - shift at every hidden layer.
    net = _net()
    report = lsuv_fastai(net, batch, version=2019)
    shifts = report.column("shift")
    a = batch
    for i, layer in enumerate(net.layers[:-1]):
        a = np.maximum(a @ layer.W + layer.b + (shifts[i - 1] * layer.W.sum(axis=0) if i else 0), 0) - shifts[i]
        np.testing.assert_allclose(a.std(ddof=1), 1.0, atol=1e-3)
    net.forward(batch)
    np.testing.assert_allclose(net.activations[-2] - shifts[-1], a, rtol=1e-9, atol=1e-9)


def test_2019_shifts_after_the_activation_so_units_stay_alive(batch):
    # The 2019 loop never touches a pre-activation bias: layer 1 keeps exactly its active units (W is only
    # scaled by a positive factor), and later layers see (a - shift) W, a random offset per unit of either
    # sign, so about half the units stay active on each input and none dies.
    net = _net()
    before = net.copy()
    lsuv_fastai(net, batch, version=2019)
    net.forward(batch)
    before.forward(batch)
    np.testing.assert_array_equal(net.pre_activations[0] > 0, before.pre_activations[0] > 0)
    for z in net.pre_activations[:-1]:
        assert not np.any(np.all(z <= 0, axis=0))  # no dead unit
        assert abs(np.mean(z > 0) - 0.5) < 0.05  # five seeds measured within 0.02 of 1/2


def test_2022_with_general_relu_reaches_zero_mean_unit_std(batch):
    net = _net(ik.Activation("leaky_relu", negative_slope=0.1))
    report = lsuv_fastai(net, batch, version=2022, sub=0.4)
    assert report.converged
    assert np.all(np.abs(report.column("mean_after")) <= 1e-3)
    assert np.all(np.abs(report.column("std_after") - 1) <= 1e-3)


def test_2022_loop_with_plain_relu_kills_units_and_warns(batch):
    net = _net()
    with pytest.warns(RuntimeWarning, match="fast.ai 2022"):
        report = lsuv_fastai(net, batch, version=2022)
    assert not report.converged
    net.forward(batch)
    assert np.mean(np.all(net.pre_activations[0] <= 0, axis=0)) > 0.5


def test_lsuv_fastai_validates_arguments(batch):
    with pytest.raises(ValueError, match="version must be one of 2019, 2022"):
        lsuv_fastai(_net(), batch, version=2020)
    with pytest.raises(ValueError, match="x must be a batch"):
        lsuv_fastai(_net(), batch[:, :10])
