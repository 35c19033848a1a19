"""Attention and LayerNorm: exact backprop checked by finite differences in float64; entropy; validation."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.attention import LayerNorm, MultiHeadAttention, attention_entropy


def _check_layer(layer, x, rtol=1e-6):
    """Finite differences of L = sum(forward(x) * G) for the input and every parameter."""
    G = np.random.default_rng(7).standard_normal(layer.forward(x).shape)
    layer.forward(x)
    dx = layer.backward(G)
    grads = [g.copy() for g in layer.gradients()]
    loss = lambda: float(np.sum(layer.forward(x) * G))  # noqa: E731
    assert ik.relative_error(dx, ik.numerical_gradient(loss, x)) < rtol
    for p, g in zip(layer.parameters(), grads):
        assert ik.relative_error(g, ik.numerical_gradient(loss, p)) < rtol


def test_layernorm_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    ln = LayerNorm(6)
    ln.gamma[...] = rng.uniform(0.5, 1.5, 6)
    ln.beta[...] = rng.standard_normal(6)
    _check_layer(ln, rng.standard_normal((2, 3, 6)))


def test_layernorm_output_has_zero_mean_unit_variance_per_token():
    x = np.random.default_rng(1).normal(3, 5, (4, 7, 32))
    y = LayerNorm(32).forward(x)
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), 1, rtol=1e-5)


@pytest.mark.parametrize("n_heads,causal,scale", [(1, True, None), (2, False, None), (2, True, 1.0)])
def test_attention_backward_matches_finite_differences(n_heads, causal, scale):
    att = MultiHeadAttention(8, n_heads, std=0.4, logit_scale=scale, causal=causal, rng=3)
    _check_layer(att, np.random.default_rng(4).standard_normal((2, 5, 8)))


def test_causal_attention_gives_no_weight_to_future_tokens():
    att = MultiHeadAttention(8, 2, std=0.5, causal=True, rng=0)
    att.forward(np.random.default_rng(0).standard_normal((3, 6, 8)))
    assert np.all(att.probs[..., np.triu_indices(6, k=1)[0], np.triu_indices(6, k=1)[1]] == 0)
    np.testing.assert_allclose(att.probs.sum(-1), 1)


def test_default_logit_scale_is_inverse_sqrt_dk():
    assert MultiHeadAttention(64, 4, rng=0).logit_scale == pytest.approx(1 / 4)


def test_unscaled_logits_have_variance_dk():
    # q, k with unit-variance entries (W std 1/sqrt(d), x ~ N(0, 1)): Var(q.k) = d_k (Vaswani et al. 2017)
    d, n = 64, 4096
    att = MultiHeadAttention(d, 1, std=d ** -0.5, logit_scale=1.0, causal=False, rng=0)
    att.forward(np.random.default_rng(1).standard_normal((n // 16, 16, d)))
    var = att.logits.var()
    assert abs(var / d - 1) < 0.15  # 4096 x 16 correlated logits; std error of the variance well under 15%


def test_entropy_is_log_t_for_uniform_and_zero_for_one_hot():
    T = 16
    assert attention_entropy(np.full((T, T), 1 / T)) == pytest.approx(np.log(T))
    assert attention_entropy(np.eye(T)) == 0.0


def test_attention_rejects_d_not_multiple_of_heads():
    with pytest.raises(ValueError, match="d must be a multiple of n_heads"):
        MultiHeadAttention(10, 3)
