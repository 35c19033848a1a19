import numpy as np
import pytest

import initkit as ik
from initkit.measure.jacobian import jacobian, singular_values


def test_jacobian_matches_finite_differences():
    net = ik.MLP([5, 7, 6, 4], activation="tanh", init="glorot_normal",
                 bias_init=ik.get_initializer("random_normal", std=0.3), rng=0)
    x = np.random.default_rng(1).standard_normal((3, 5))
    J = jacobian(net, x)  # d output / d input, output layer linear
    eps = 1e-6
    for i in range(5):
        step = np.zeros(5)
        step[i] = eps
        numeric = (net.forward(x + step) - net.forward(x - step)) / (2 * eps)
        np.testing.assert_allclose(J[:, i, :], numeric, rtol=1e-6, atol=1e-9)


def test_inner_layers_include_the_activation_derivative():
    net = ik.MLP([4, 6, 6, 3], activation="tanh", rng=2)
    x = np.random.default_rng(3).standard_normal((2, 4))
    net.forward(x)
    a1 = net.activations[0]
    J = jacobian(net, x, start=2, stop=2)  # d a_2 / d a_1
    expected = net.layers[1].W[None] * (1 - np.tanh(net.layers[1].z) ** 2)[:, None, :]
    np.testing.assert_allclose(J, expected, rtol=1e-12)
    assert a1.shape == (2, 6)


def test_deep_linear_orthogonal_network_is_an_isometry():
    net = ik.MLP([32] * 21, activation="linear", init="orthogonal", rng=4)
    s = singular_values(net, np.random.default_rng(5).standard_normal((3, 32)))
    np.testing.assert_allclose(s, 1.0, rtol=1e-10)


def test_relu_jacobian_rank_is_at_most_the_fewest_active_units():
    net = ik.MLP([32] * 11, activation="relu", output_activation="relu", init="orthogonal", rng=6)
    x = np.random.default_rng(7).standard_normal((4, 32))
    s = singular_values(net, x)
    net.forward(x)
    fewest = np.min([np.sum(z > 0, axis=1) for z in net.pre_activations], axis=0)
    rank = np.sum(s > 1e-10 * s[:, :1], axis=1)
    assert np.all(rank <= fewest) and np.all(fewest < 32)


def test_jacobian_validates_layer_range():
    net = ik.MLP([4, 5, 3], rng=0)
    with pytest.raises(ValueError, match="stop must be >= 2"):
        jacobian(net, np.zeros((1, 4)), start=2, stop=1)


def _bn_net():
    net = ik.MLP([4, 6, 5, 3], activation="tanh", norm="batch", rng=0)
    rng = np.random.default_rng(1)
    net.forward(rng.normal(2.0, 3.0, (64, 4)))  # training-mode pass: running statistics move away from 0, 1
    for layer in net.layers:
        if layer.norm is not None:
            layer.norm.gamma[...] = rng.uniform(0.5, 2.0, layer.norm.gamma.shape)
    return net.eval()


def test_jacobian_of_batchnorm_in_inference_mode_matches_finite_differences():
    # Issue 26: gamma / sqrt(running_var + eps) was left out (a Jacobian off by 19 %, without a word).
    net = _bn_net()
    x = np.random.default_rng(2).normal(size=(2, 4))
    J = ik.jacobian(net, x)
    h, fd = 1e-6, np.empty_like(J)
    for i in range(4):
        step = np.zeros(4)
        step[i] = h
        fd[:, i, :] = (net.forward(x + step) - net.forward(x - step)) / (2 * h)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-9)


def test_jacobian_refuses_training_mode_and_other_networks():
    net = _bn_net().train()
    with pytest.raises(ValueError, match="BatchNorm in training mode.*net.eval"):
        ik.jacobian(net, np.ones((2, 4)))
    with pytest.raises(TypeError, match="net must be an MLP .*got ResidualMLP"):
        ik.jacobian(ik.ResidualMLP(4, 8, 2, 2, rng=0), np.ones((2, 4)))
    with pytest.raises(TypeError, match="net must be an MLP .*got NoneType"):
        ik.jacobian(None, np.ones((2, 4)))


def test_jacobian_refuses_nan_data_by_name():
    # Issue 26: NaN data gave zeros ("the Jacobian vanished").
    with pytest.raises(ValueError, match="x contains 8 NaN or infinite values"):
        ik.jacobian(ik.MLP([4, 3], rng=0), np.full((2, 4), np.nan))
