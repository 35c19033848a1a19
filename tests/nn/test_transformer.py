"""The transformer: finite-difference checks of a block and the whole model (float64), init schemes,
the initial loss, and clear errors from probe/lsuv."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.blocks import Block
from initkit.nn.transformer import init_stds


@pytest.mark.parametrize("norm,activation", [("pre", "gelu"), ("post", "relu")])
def test_block_backward_matches_finite_differences(norm, activation):
    stds = dict(qkv=0.4, attn_proj=0.3, fc=0.3, mlp_proj=0.3)
    block = Block(8, 2, 12, norm=norm, activation=activation, stds=stds, rng=0)
    x = np.random.default_rng(1).standard_normal((2, 4, 8))
    G = np.random.default_rng(2).standard_normal(x.shape)
    block.forward(x)
    dx = block.backward(G)
    grads = [g.copy() for g in block.gradients()]
    loss = lambda: float(np.sum(block.forward(x) * G))  # noqa: E731
    assert ik.relative_error(dx, ik.numerical_gradient(loss, x)) < 1e-6
    for p, g in zip(block.parameters(), grads):
        assert ik.relative_error(g, ik.numerical_gradient(loss, p)) < 1e-6


@pytest.mark.parametrize("norm,tied", [("pre", False), ("post", False), ("pre", True)])
def test_transformer_backward_matches_finite_differences(norm, tied):
    net = ik.Transformer(7, d=8, n_blocks=2, n_heads=2, max_len=6, norm=norm, init="xavier", tied=tied, rng=0)
    rng = np.random.default_rng(1)
    tokens, targets = rng.integers(0, 7, (3, 5)), rng.integers(0, 7, (3, 5))
    pos = np.array([2, 3, 4])
    net.loss(tokens, targets, pos)
    grads = [g.copy() for g in net.gradients()]
    loss = lambda: ik.softmax_cross_entropy(net.forward(tokens)[:, pos].reshape(-1, 7), targets[:, pos].ravel())[0]  # noqa: E731
    assert len(grads) == len(net.parameters())
    for p, g in zip(net.parameters(), grads):
        # some gradients are ~1e-5 (post-LN's early blocks): central differences carry ~1e-11 absolute error
        assert ik.relative_error(g, ik.numerical_gradient(loss, p, h=1e-5)) < 1e-5


def test_gpt2_scales_residual_projections_by_inverse_sqrt_2l():
    s = init_stds("gpt2", 64, 12)
    assert s["attn_proj"] == pytest.approx(0.02 / np.sqrt(24))
    assert s["mlp_proj"] == s["attn_proj"] and s["qkv"] == 0.02
    assert init_stds("zero_proj", 64, 12)["mlp_proj"] == 0.0


def test_weights_have_the_scheme_std():
    net = ik.Transformer(50, d=64, n_blocks=4, max_len=8, init="gpt2", rng=0)
    W2 = net.blocks[0].mlp.W2  # 256 x 64 = 16384 draws: std within 3 / sqrt(2 n) of the target
    assert abs(W2.std() / (0.02 / np.sqrt(8)) - 1) < 3 / np.sqrt(2 * W2.size)
    assert np.all(ik.Transformer(50, d=64, n_blocks=2, init="zero_proj", rng=0).blocks[1].attn.Wo == 0)


def test_initial_loss_is_near_log_vocab_with_small_head():
    V = 64
    net = ik.Transformer(V, d=32, n_blocks=2, max_len=8, init="gpt2", rng=0)
    tokens = np.random.default_rng(1).integers(0, V, (64, 8))
    loss = net.loss(tokens, tokens)
    # logits have std about 0.02 sqrt(32) = 0.11: the loss exceeds ln V by about half their variance
    assert abs(loss - np.log(V)) < 0.05


def test_zero_proj_blocks_are_the_identity_at_init():
    net = ik.Transformer(10, d=16, n_blocks=3, init="zero_proj", rng=0)
    net.forward(np.random.default_rng(0).integers(0, 10, (2, 8)))
    for x in net.stream[1:]:
        np.testing.assert_array_equal(x, net.stream[0])


def test_transformer_rejects_bad_tokens():
    net = ik.Transformer(10, d=8, n_blocks=1, max_len=4, rng=0)
    with pytest.raises(ValueError, match="tokens must be a 2-D integer array"):
        net.forward(np.zeros((2, 5), dtype=int))
    with pytest.raises(ValueError, match="init must be one of"):
        ik.Transformer(10, init="he")


def test_probe_and_lsuv_refuse_a_transformer_with_a_clear_error():
    net = ik.Transformer(10, d=8, n_blocks=1, rng=0)
    with pytest.raises(TypeError, match="net must be an MLP.*got Transformer"):
        ik.probe(net)
    with pytest.raises(TypeError, match="net must be an MLP; got Transformer"):
        ik.lsuv(net, np.zeros((4, 8)))


@pytest.mark.parametrize("shape", [dict(vocab_size=10, d=32, n_blocks=2, n_heads=2, T=8, norm="pre"),
                                   dict(vocab_size=64, d=64, n_blocks=3, n_heads=1, T=16, norm="pre"),
                                   dict(vocab_size=64, d=64, n_blocks=3, n_heads=1, T=16, norm="post")])
def test_backward_matches_directional_derivatives_at_the_notebook_shapes(shape):
    # the notebook's sizes are too large for per-entry finite differences: check <grad, v> along random v
    T = shape.pop("T")
    net = ik.Transformer(max_len=T, init="xavier", rng=0, **shape)
    rng = np.random.default_rng(1)
    tokens = rng.integers(0, shape["vocab_size"], (4, T + 1))
    net.loss(tokens[:, :-1], tokens[:, 1:])
    grads = [g.copy() for g in net.gradients()]
    loss = lambda: ik.softmax_cross_entropy(net.forward(tokens[:, :-1]).reshape(-1, shape["vocab_size"]),  # noqa: E731
                                            tokens[:, 1:].ravel())[0]
    h = 1e-5
    for p, g in zip(net.parameters(), grads):
        v = rng.standard_normal(p.shape)
        v /= np.linalg.norm(v)  # a unit direction: truncation error O(h^2), rounding O(eps / h)
        p += h * v
        up = loss()
        p -= 2 * h * v
        down = loss()
        p += h * v
        numeric, exact = (up - down) / (2 * h), float(np.sum(g * v))
        assert abs(numeric - exact) <= 1e-6 * abs(exact) + 1e-9


@pytest.mark.parametrize("kwargs, error, match", [
    ({"d_ff": -3}, ValueError, "d_ff must be >= 1; got -3"),
    ({"vocab_size": "4"}, TypeError, "vocab_size must be an integer; got '4'"),
])
def test_init_stds_refuses_bad_sizes_by_name(kwargs, error, match):
    # Issue 26: init_stds('gpt2', 8, 2, d_ff=-3, vocab_size='4') was accepted.
    with pytest.raises(error, match=match):
        init_stds("gpt2", 8, 2, **kwargs)
