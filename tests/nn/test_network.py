import numpy as np
import pytest

import initkit as ik


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu",
                                        "gelu", "softplus", "swish"])
@pytest.mark.parametrize("depth", [1, 2, 4])
def test_backprop_matches_finite_differences(activation, depth, rng):
    sizes = [5] + [6] * depth + [3]
    net = ik.MLP(sizes, activation=activation, init="glorot_normal",
                 bias_init=ik.get_initializer("random_normal", std=0.1), rng=rng)
    x, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    for record in ik.gradient_check(net, x, y, "softmax_cross_entropy"):
        assert record["rel_error"] < 1e-6, record


@pytest.mark.parametrize("loss, n_out", [("sigmoid_binary_cross_entropy", 1), ("mean_squared_error", 2)])
def test_backprop_with_other_losses(loss, n_out, rng):
    net = ik.MLP([3, 5, 5, n_out], activation="tanh", init="glorot_normal", rng=rng)
    x = rng.standard_normal((6, 3))
    y = rng.integers(0, 2, 6) if n_out == 1 else rng.standard_normal((6, n_out))
    assert max(r["rel_error"] for r in ik.gradient_check(net, x, y, loss)) < 1e-6


def test_input_gradient_matches_finite_differences(rng):
    net = ik.MLP([4, 6, 3], activation="tanh", init="glorot_normal", rng=rng)
    x, y = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    _, grad = ik.softmax_cross_entropy(net.forward(x), y)
    dx = net.backward(grad, need_input_grad=True).dx
    num = ik.numerical_gradient(lambda: ik.softmax_cross_entropy(net.forward(x), y)[0], x)
    assert ik.relative_error(dx, num) < 1e-6


def test_hand_worked_forward_and_sgd_step():
    # 2 -> 2 (relu) -> 1 (linear), MSE 0.5 (out - y)^2 on one sample, worked out on paper:
    net = ik.MLP([2, 2, 1], activation="relu", init="zeros")
    net.layers[0].W[:] = [[1.0, -1.0], [2.0, 0.5]]
    net.layers[0].b[:] = [0.0, 0.5]
    net.layers[1].W[:] = [[1.0], [-2.0]]
    net.layers[1].b[:] = [0.5]
    x, y = np.array([[1.0, 1.0]]), np.array([[1.0]])
    # z1 = [1 + 2, -1 + 0.5 + 0.5] = [3, 0]; a1 = relu = [3, 0]; out = 3 - 0 + 0.5 = 3.5
    out = net.forward(x)
    np.testing.assert_allclose(net.layers[0].z, [[3.0, 0.0]])
    np.testing.assert_allclose(out, [[3.5]])
    loss, grad = ik.mean_squared_error(out, y)
    assert loss == pytest.approx(0.5 * 2.5**2)  # 3.125
    g = net.backward(grad)
    # dL/dout = 2.5; dW2 = a1^T 2.5 = [7.5, 0]; db2 = 2.5
    np.testing.assert_allclose(g.dW[1], [[7.5], [0.0]])
    np.testing.assert_allclose(g.db[1], [2.5])
    # dL/da1 = 2.5 W2^T = [2.5, -5]; relu'(z1) = [1, 0] (z = 0 counts as inactive) -> dz1 = [2.5, 0]
    np.testing.assert_allclose(g.da[0], [[2.5, -5.0]])
    np.testing.assert_allclose(g.dW[0], [[2.5, 0.0], [2.5, 0.0]])
    ik.SGD(lr=0.1).step(net.parameters(), net.gradients())
    np.testing.assert_allclose(net.layers[0].W, [[0.75, -1.0], [1.75, 0.5]])
    np.testing.assert_allclose(net.layers[1].W, [[0.25], [-2.0]])
    np.testing.assert_allclose(net.layers[1].b, [0.25])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_network_keeps_its_dtype(dtype, rng):
    net = ik.MLP([4, 8, 3], dtype=dtype, rng=0)
    out = net.forward(rng.standard_normal((5, 4)))
    g = net.backward(ik.softmax_cross_entropy(out, np.array([0, 1, 2, 0, 1]))[1])
    assert out.dtype == dtype and all(d.dtype == dtype for d in g.dW)


def test_forward_keeps_every_layer(rng):
    net = ik.MLP([4, 8, 8, 3], activation="tanh", init="glorot_normal", rng=0)
    x = rng.standard_normal((5, 4))
    net.forward(x)
    assert [z.shape for z in net.pre_activations] == [(5, 8), (5, 8), (5, 3)]
    np.testing.assert_allclose(net.activations[0], np.tanh(x @ net.layers[0].W))


def test_per_layer_activation_and_init():
    net = ik.MLP([4, 8, 8, 3], activation=["tanh", "relu"], init=["glorot_normal", "he_normal", "zeros"], rng=0)
    assert [l.activation.name for l in net.layers] == ["tanh", "relu", "linear"]
    assert not net.layers[2].W.any()
    assert "init=['glorot_normal', 'he_normal', 'zeros']" in repr(net)


def test_repr_reads_like_the_architecture():
    assert repr(ik.MLP([64, 128, 128, 10], rng=0)) == "MLP(64 -> 128 -> 128 -> 10, activation='relu', init='he_normal')"


def test_seeded_networks_are_identical():
    a, b = ik.MLP([4, 8, 3], rng=5), ik.MLP([4, 8, 3], rng=5)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)


def test_mlp_rejects_bad_sizes_and_inputs():
    with pytest.raises(ValueError, match="sizes must be a list of at least 2 layer widths"):
        ik.MLP([4])
    with pytest.raises(ValueError, match="each entry of sizes must be >= 1; got 0"):
        ik.MLP([4, 0, 3])
    with pytest.raises(ValueError, match="activation must be a single value or a list of 2"):
        ik.MLP([4, 5, 5, 3], activation=["relu"])
    with pytest.raises(ValueError, match=r"x must have 4 columns \(the input size\); got shape \(2, 5\)"):
        ik.MLP([4, 3], rng=0).forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"x must be a 2-D array; got shape \(4,\)"):
        ik.MLP([4, 3], rng=0).forward(np.zeros(4))


# Issue 20: networks refuse what they cannot compute with, instead of computing something else.

def test_dense_rejects_unknown_norm():
    with pytest.raises(ValueError, match="norm must be one of None, 'batch'; got 'layer'"):
        ik.Dense(2, 3, norm="layer")


@pytest.mark.parametrize("init, match", [
    (lambda shape, rng=None, dtype=None: np.ones(shape[1]), r"returned an array of shape \(3,\); expected \(2, 3\)"),
    (lambda shape, rng=None, dtype=None: np.full(shape, np.nan), "returned non-finite values"),
])
def test_mlp_checks_what_a_custom_initializer_returns(init, match):
    with pytest.raises(ValueError, match=match):
        ik.MLP([2, 3], init=init)


def test_misspelled_dtype_is_refused():
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'float64'; got 'float23'"):
        ik.MLP([2, 3], dtype="float23")


def test_backward_before_forward_and_wrong_gradient_shape_say_so():
    net = ik.MLP([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match="backward needs a forward pass first"):
        net.backward(np.ones((4, 1)))
    net.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"grad_output must have the shape of the last output \(4, 1\)"):
        net.backward(np.ones((4, 2)))


def test_sizes_beyond_memory_are_refused_with_the_limit():
    with pytest.raises(ValueError, match=r"sizes asks for weights in all layers = 1e\+12 elements, above the limit"):
        ik.MLP([10**6, 10**6])


# --- the stacked engine: n_stack networks in one Dense/MLP ---------------------------------------------------

def _stacked_loss(net, x, y):
    """Sum over the stack of each network's softmax cross-entropy, and dL/d(outputs)."""
    value, grad = ik.softmax_cross_entropy(net.forward(x), y)
    return float(np.sum(value)), grad


@pytest.mark.parametrize("shared_input", [True, False])
@pytest.mark.parametrize("activation", ["tanh", "relu", "gelu"])
def test_stacked_backprop_matches_finite_differences(shared_input, activation, rng):
    net = ik.MLP([4, 5, 5, 3], activation=activation, init="glorot_normal",
                 bias_init=ik.get_initializer("random_normal", std=0.1), n_stack=3, rng=rng)
    x = rng.standard_normal((6, 4) if shared_input else (3, 6, 4))
    y = rng.integers(0, 3, (3, 6))
    _, grad = _stacked_loss(net, x, y)
    net.backward(grad)
    for p, g in zip(net.parameters(), net.gradients()):
        num = ik.numerical_gradient(lambda: _stacked_loss(net, x, y)[0], p)
        assert ik.relative_error(g, num) < 1e-6


def test_each_stack_member_computes_exactly_what_its_own_network_computes(rng):
    nets = [ik.MLP([4, 6, 6, 3], activation="tanh", rng=s) for s in range(3)]
    stack = ik.MLP.stack(nets)
    x, y = rng.standard_normal((7, 4)), rng.integers(0, 3, (3, 7))
    _, grad = ik.softmax_cross_entropy(stack.forward(x), y)
    stack.backward(grad)
    for k, net in enumerate(nets):
        _, g = ik.softmax_cross_entropy(net.forward(x), y[k])
        net.backward(g)
        assert np.array_equal(stack.layers[-1].a[k], net.layers[-1].a)  # bitwise: the same arithmetic
        for got, want in zip(stack.gradients(), net.gradients()):
            assert np.array_equal(got[k], want)


def test_stack_and_unstack_into_round_trip_and_refuse_mixed_architectures():
    nets = [ik.MLP([3, 4, 2], rng=s) for s in range(2)]
    stack = ik.MLP.stack(nets)
    assert stack.n_stack == 2 and stack.layers[0].W.shape == (2, 3, 4) and stack.layers[0].b.shape == (2, 4)
    stack.layers[0].W[1] += 1.0
    stack.unstack_into(nets)
    assert np.array_equal(nets[1].layers[0].W, stack.layers[0].W[1])
    with pytest.raises(ValueError, match="share one architecture"):
        ik.MLP.stack([ik.MLP([3, 4, 2], rng=0), ik.MLP([3, 5, 2], rng=0)])
    with pytest.raises(ValueError, match="share one architecture"):
        ik.MLP.stack([ik.MLP([3, 4, 2], norm="batch", rng=0), ik.MLP([3, 4, 2], rng=1)])
    with pytest.raises(ValueError, match="at least one MLP"):
        ik.MLP.stack([])


def test_a_stack_of_batchnorm_networks_computes_what_each_network_computes(rng):
    nets = [ik.MLP([3, 5, 5, 2], activation="tanh", norm="batch", rng=s) for s in range(3)]
    for s, net in enumerate(nets):  # members that differ in gamma, beta and running statistics
        for layer in net.layers[:-1]:
            layer.norm.gamma += 0.1 * s
            layer.norm.beta -= 0.2 * s
            layer.norm.running_var *= 1 + s
    x = rng.standard_normal((7, 3))
    for mode in ("train", "eval"):
        copies = [net.copy() for net in nets]
        stack = ik.MLP.stack(copies)
        getattr(stack, mode)()
        out = stack.forward(x)
        stack.backward(np.ones_like(out))
        for k, net in enumerate(copies):
            getattr(net, mode)()
            np.testing.assert_allclose(out[k], net.forward(x), rtol=1e-12, atol=1e-14)
            net.backward(np.ones_like(out[k]))
            for layer, stacked in zip(net.layers[:-1], stack.layers[:-1]):
                np.testing.assert_allclose(stacked.dW[k], layer.dW, rtol=1e-12, atol=1e-14)
                np.testing.assert_allclose(stacked.norm.dgamma[k], layer.norm.dgamma, rtol=1e-12, atol=1e-14)
                np.testing.assert_allclose(stacked.norm.running_mean[k], layer.norm.running_mean, rtol=1e-12)
        stack.layers[0].norm.gamma[2] = 3.0
        stack.unstack_into(copies)
        assert np.all(copies[2].layers[0].norm.gamma == 3.0) and repr(stack.layers[0].norm).endswith("n_stack=3)")


def test_stacked_input_must_match_the_stack(rng):
    net = ik.MLP([3, 4, 2], n_stack=2, rng=0)
    assert net.forward(rng.standard_normal((2, 5, 3))).shape == (2, 5, 2)
    with pytest.raises(ValueError, match=r"x must have 3 columns \(the input size\) \(a stack"):
        net.forward(rng.standard_normal((4, 5, 3)))


def test_dense_without_bias_from_given_arrays(rng):
    W = rng.standard_normal((3, 2))
    layer = ik.Dense.from_arrays(W, None, "tanh")
    x = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(layer.forward(x), np.tanh(x @ W))
    dx = layer.backward(np.ones((4, 2)), need_weight_grad=False)
    assert layer.dW is None and layer.parameters() == [W]
    np.testing.assert_allclose(dx, (1 - np.tanh(x @ W) ** 2) @ W.T)
