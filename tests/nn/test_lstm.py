"""The LSTM: exact BPTT against finite differences (float64), the forget-gate bias, stacking."""
import numpy as np
import pytest

import initkit as ik
from initkit.measure.through_time import gradient_through_time


def _loss(net, x, target):
    diff = net.forward(x) - target
    return 0.5 * float(np.sum(diff * diff)), diff


@pytest.mark.parametrize("readout,n_stack", [("last", None), ("all", None), ("last", 2)])
def test_lstm_bptt_matches_finite_differences(readout, n_stack):
    rng = np.random.default_rng(0)
    net = ik.LSTM(3, 4, 2, forget_bias=1.0, recurrent_init="gaussian", scale=1.5, readout=readout,
                  n_stack=n_stack, rng=1)
    net.b += rng.normal(0, 0.5, net.b.shape)
    x = rng.standard_normal(((n_stack,) if n_stack else ()) + (3, 6, 3))
    target = rng.standard_normal(net.forward(x).shape)
    _, grad = _loss(net, x, target)
    net.backward(grad)
    analytic = [g.copy() for g in net.gradients()]
    for name, param, g in zip(("W_x", "W_h", "b", "W_y", "b_y"), net.parameters(), analytic):
        num = ik.numerical_gradient(lambda: _loss(net, x, target)[0], param)
        assert ik.relative_error(g, num) < 1e-7, name


@pytest.mark.parametrize("b_f", [0.0, 1.0, 2.0])
def test_forget_bias_sets_the_initial_forget_gate(b_f):
    net = ik.LSTM(2, 8, 1, forget_bias=b_f, rng=0)
    net.W_x[:] = 0
    net.W_h[:] = 0
    net.forward(np.zeros((2, 3, 2)))
    np.testing.assert_allclose(net.gates[..., 8:16], 1 / (1 + np.exp(-b_f)), rtol=1e-12)
    np.testing.assert_allclose(net.b[[0, 16, 24]], 0.0)


def test_lstm_cell_memory_decays_by_the_forget_gate():
    # with zero weights, dL/dh_T reaches back only through the cell: dc_{t-1} = dc_t f, f = sigma(b_f);
    # but dL/dh_t needs W_h, so measure the cell's factor directly from the stored gates.
    net = ik.LSTM(1, 4, 1, forget_bias=2.0, rng=0)
    net.forward(np.zeros((1, 5, 1)))
    assert np.allclose(net.gates[..., 4:8], 1 / (1 + np.exp(-2.0)))


def test_gradient_through_time_runs_on_an_lstm():
    net = ik.LSTM(2, 16, 1, forget_bias=1.0, rng=0)
    g = gradient_through_time(net, np.random.default_rng(1).standard_normal((4, 20, 2)), rng=0)
    assert g.shape == (20,) and g[-1] == pytest.approx(1.0) and np.all(g[:-1] < 1)
