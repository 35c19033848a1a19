"""initkit.nn.blocks: the transformer block (pre-LN and post-LN) and its feed-forward layer, checked by finite
differences."""
import numpy as np
import pytest

from initkit.nn.blocks import Block, FeedForward

STDS = dict(qkv=0.3, attn_proj=0.3, fc=0.3, mlp_proj=0.3)


def _fd_input_gradient(layer, x, dy, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        grad[idx] = (np.sum(layer.forward(xp) * dy) - np.sum(layer.forward(xm) * dy)) / (2 * eps)
    return grad


@pytest.mark.parametrize("norm", ["pre", "post"])
def test_block_backward_matches_finite_differences(norm):
    rng = np.random.default_rng(0)
    block = Block(6, n_heads=2, d_ff=8, norm=norm, stds=STDS, rng=1)
    x, dy = rng.standard_normal((2, 3, 6)), rng.standard_normal((2, 3, 6))
    block.forward(x)
    dx = block.backward(dy)
    np.testing.assert_allclose(dx, _fd_input_gradient(block, x, dy), rtol=1e-5, atol=1e-8)


def test_feed_forward_backward_and_parameter_gradients():
    rng = np.random.default_rng(2)
    ff = FeedForward(4, 8, fc_std=0.5, proj_std=0.5, rng=0)
    x, dy = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    ff.forward(x)
    np.testing.assert_allclose(ff.backward(dy), _fd_input_gradient(ff, x, dy), rtol=1e-5, atol=1e-8)
    assert [p.shape for p in ff.parameters()] == [g.shape for g in ff.gradients()]


def test_pre_ln_block_keeps_the_skip_path_and_rejects_unknown_norm():
    zero = dict(qkv=0.3, attn_proj=0.0, fc=0.3, mlp_proj=0.0)  # both branches end in zero projections
    block = Block(6, n_heads=2, stds=zero, rng=0)
    x = np.random.default_rng(1).standard_normal((2, 3, 6))
    np.testing.assert_allclose(block.forward(x), x, atol=1e-12)  # pre-LN: y = x when the branches add 0
    with pytest.raises(ValueError, match="norm"):
        Block(6, norm="middle")
