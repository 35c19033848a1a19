"""The vanilla RNN: exact BPTT against finite differences (float64), stacking, initializations, errors."""
import numpy as np
import pytest

import initkit as ik
from initkit.measure.through_time import decay_rate, gradient_through_time, spectrum


def _loss(net, x, target):
    out = net.forward(x)
    diff = out - target
    return 0.5 * float(np.sum(diff * diff)), diff


def _check_bptt(net, x, target):
    _, grad = _loss(net, x, target)
    net.backward(grad)
    analytic = [g.copy() for g in net.gradients()]
    for name, param, g in zip(("W_x", "W_h", "b", "W_y", "b_y"), net.parameters(), analytic):
        num = ik.numerical_gradient(lambda: _loss(net, x, target)[0], param)
        assert ik.relative_error(g, num) < 1e-7, name


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("readout", ["last", "all"])
def test_rnn_bptt_matches_finite_differences(activation, readout):
    rng = np.random.default_rng(0)
    net = ik.RNN(3, 5, 2, activation=activation, recurrent_init="gaussian", scale=1.2, readout=readout, rng=1)
    net.b[:] = rng.normal(0, 0.3, net.b.shape)  # nonzero biases: every term of db is exercised
    x = rng.standard_normal((4, 6, 3))
    target = rng.standard_normal(net.forward(x).shape)
    _check_bptt(net, x, target)


@pytest.mark.parametrize("readout", ["last", "all"])
def test_stacked_rnn_bptt_matches_finite_differences(readout):
    rng = np.random.default_rng(2)
    net = ik.RNN(2, 4, 1, recurrent_init="orthogonal", readout=readout, n_stack=3, rng=3)
    x = rng.standard_normal((3, 4, 5, 2))
    target = rng.standard_normal(net.forward(x).shape)
    _check_bptt(net, x, target)


def test_stacked_network_computes_each_member_exactly():
    nets = [ik.RNN(2, 8, 1, recurrent_init=init, rng=s) for s, init in enumerate(["gaussian", "orthogonal", "identity"])]
    stack = ik.RNN.stack(nets)
    x = np.random.default_rng(0).standard_normal((5, 7, 2))
    out = stack.forward(x)
    for k, net in enumerate(nets):
        np.testing.assert_allclose(out[k], net.forward(x), rtol=1e-12)
    stack.backward(np.ones_like(out))
    nets[1].backward(np.ones((5, 1)))
    np.testing.assert_allclose(stack.gradients()[1][1], nets[1].gradients()[1], rtol=1e-12)


@pytest.mark.parametrize("init", ["gaussian", "orthogonal", "identity"])
def test_recurrent_matrix_has_the_named_spectrum(init):
    n, g = 128, 0.9
    W = ik.recurrent_matrix(n, init, g, rng=0)
    eig, sv = spectrum(W)
    if init == "gaussian":
        # std g / sqrt(n): sum of squares n^2 g^2 / n, relative std sqrt(2 / n^2)
        assert abs(np.sum(W * W) / (n * g * g) - 1) < 5 * np.sqrt(2) / n
        assert abs(np.abs(eig).max() / g - 1) < 0.15  # circular law: radius g (finite-n edge fluctuations)
        assert abs(sv[0] / (2 * g) - 1) < 0.1  # largest singular value 2 g (Marchenko-Pastur edge)
    else:
        np.testing.assert_allclose(sv, g, rtol=1e-10)
        np.testing.assert_allclose(np.abs(eig), g, rtol=1e-10)


def test_gradient_through_time_of_a_linear_orthogonal_rnn_is_scale_to_the_power():
    net = ik.RNN(1, 16, 1, activation="linear", recurrent_init="orthogonal", scale=1.1, rng=0)
    g = gradient_through_time(net, np.zeros((3, 9, 1)), rng=1)
    np.testing.assert_allclose(g, 1.1 ** np.arange(8, -1, -1), rtol=1e-10)
    assert abs(decay_rate(g) - 1.1) < 1e-10


def test_gradient_through_time_matches_the_jacobian_product():
    rng = np.random.default_rng(4)
    net = ik.RNN(2, 6, 1, recurrent_init="gaussian", scale=1.5, rng=5)
    x = rng.standard_normal((1, 5, 2))
    net.forward(x)
    J = np.eye(6)  # dh_T/dh_t as a product of W_h diag(phi'(z_s)) in row-vector form
    frob = [1.0]
    for t in range(4, 0, -1):
        J = (net.W_h * (1 - np.tanh(net.z[0, t]) ** 2)) @ J
        frob.append(np.linalg.norm(J) / np.sqrt(6))
    # one random unit direction estimates ||J||_F / sqrt(n) without bias; average many directions
    est = np.mean([gradient_through_time(net, np.repeat(x, 400, axis=0), rng=s) ** 2 for s in range(5)], axis=0)
    np.testing.assert_allclose(np.sqrt(est), frob[::-1], rtol=0.1)


def test_rnn_rejects_wrong_input_shape_and_names():
    net = ik.RNN(2, 4, 1, rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, T, 2\)"):
        net.forward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="recurrent_init must be one of"):
        ik.RNN(2, 4, 1, recurrent_init="he")
    with pytest.raises(ValueError, match="backward needs a forward pass"):
        ik.RNN(2, 4, 1).backward(np.zeros((1, 1)))


@pytest.mark.parametrize("cls", ["RNN", "LSTM"])
def test_probe_and_lsuv_refuse_recurrent_networks(cls):
    net = getattr(ik, cls)(2, 8, 1, rng=0)
    with pytest.raises(TypeError, match=f"net must be an MLP.*got {cls}"):
        ik.probe(net)
    with pytest.raises(TypeError, match=f"net must be an MLP.*got {cls}"):
        ik.lsuv(net, np.zeros((4, 3, 2)))


def test_stacked_rnn_rejects_a_stack_of_the_wrong_size():
    net = ik.RNN(2, 4, 1, n_stack=3, rng=0)
    with pytest.raises(ValueError, match=r"or \(3, batch, T, 2\)"):
        net.forward(np.zeros((2, 5, 6, 2)))
    with pytest.raises(ValueError, match="nets must share sizes"):
        ik.RNN.stack([ik.RNN(2, 4, 1), ik.RNN(2, 5, 1)])
