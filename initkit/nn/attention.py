"""Multi-head self-attention and layer normalization with exact, hand-written backpropagation.

Inputs are batched hidden states ``x`` of shape ``(batch, T, d)``. Weights follow the package layout
``(fan_in, fan_out)``: a projection computes ``x @ W``. No biases (their init is zero in every scheme the
course compares, so they would change nothing at initialization). Each layer's ``forward`` keeps what
``backward`` needs; ``backward(dy)`` stores the weight gradients dL/dW and returns dL/dx.
"""
import numpy as np

from ..core.constraints import RNG, Bool, Dtype, Integer, Optional, Real
from ..core.array_constraints import Data
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params
from .module import Module


def normal_weights(rng, shape, std, dtype):
    """``std * N(0, 1)`` of ``shape``, drawn directly in ``dtype`` (float32 draws are twice as fast)."""
    w = rng.standard_normal(shape, dtype=dtype)
    w *= std
    return w


class LayerNorm(Module):
    """Layer normalization over the last axis (Ba, Kiros & Hinton 2016, Layer Normalization):
    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``, gamma = 1 and beta = 0 at initialization.

    >>> ln = LayerNorm(4)
    >>> y = ln.forward(np.array([[[1.0, 2.0, 3.0, 4.0]]]))
    >>> print(np.round(y, 3), round(float(y.std()), 3))
    [[[-1.342 -0.447  0.447  1.342]]] 1.0
    """

    @validate_params({"d": Integer(1, MAX_ELEMENTS), "eps": Real(0, closed="right"), "dtype": Dtype})
    def __init__(self, d, eps=1e-5, dtype=np.float64):
        self.d, self.eps = d, eps
        self.gamma, self.beta = np.ones(d, dtype), np.zeros(d, dtype)
        self.dgamma, self.dbeta = np.zeros_like(self.gamma), np.zeros_like(self.beta)
        self.xhat = self.inv_std = None

    def forward(self, x):
        mu = x.mean(axis=-1, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + self.eps)
        self.xhat = (x - mu) * self.inv_std  # xhat = (x - mean) / sqrt(var + eps)
        return self.gamma * self.xhat + self.beta

    def backward(self, dy):
        axes = tuple(range(dy.ndim - 1))
        self.dgamma[...] = (dy * self.xhat).sum(axis=axes)  # dL/dgamma = sum dy * xhat
        self.dbeta[...] = dy.sum(axis=axes)
        g = dy * self.gamma  # dL/dxhat
        # dL/dx = (g - mean(g) - xhat mean(g xhat)) / sqrt(var + eps): the mean and the scale are not free
        return self.inv_std * (g - g.mean(axis=-1, keepdims=True)
                               - self.xhat * (g * self.xhat).mean(axis=-1, keepdims=True))

    def own_parameters(self):
        return [self.gamma, self.beta]

    def own_gradients(self):
        return [self.dgamma, self.dbeta]


@validate_params({"probs": Data(ndim=(1, 2, 3, 4), what="of attention rows (..., T)")})
def attention_entropy(probs):
    """Mean entropy (nats) of the attention rows ``probs[..., i, :]``: ln T for uniform attention, 0 for
    one-hot. Masked entries are exactly 0 and contribute nothing (0 ln 0 = 0).

    >>> print(round(attention_entropy(np.full((1, 8), 1 / 8)), 4), round(float(np.log(8)), 4))
    2.0794 2.0794
    """
    p = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return float(-plogp.sum(axis=-1).mean()) + 0.0  # + 0.0: one-hot rows give 0, not -0


class MultiHeadAttention(Module):
    """Self-attention (Vaswani et al. 2017, Attention Is All You Need, section 3.2):
    ``head_h = softmax(s * Q_h K_h^T + mask) V_h`` with ``Q = x Wq``, ``K = x Wk``, ``V = x Wv`` split into
    ``n_heads`` heads of ``d_k = d / n_heads``, and output ``concat(heads) Wo``.

    ``logit_scale`` is ``s``: None for Vaswani's 1/sqrt(d_k) (if q and k have unit-variance entries, q.k has
    variance d_k, and s q.k unit variance), or any number (1.0 is unscaled attention). ``causal=True`` masks
    the future (token i attends to tokens 0..i). Weights are N(0, std^2); ``qk_std`` (Wq, Wk) and ``proj_std``
    (Wo, the residual projection) override ``std``.

    >>> att = MultiHeadAttention(16, n_heads=2, std=0.25, rng=0)
    >>> x = np.random.default_rng(1).standard_normal((3, 5, 16))
    >>> y = att.forward(x); dx = att.backward(np.ones_like(y))
    >>> print(y.shape, dx.shape, att.d_k, np.allclose(att.probs.sum(-1), 1))
    (3, 5, 16) (3, 5, 16) 8 True
    """

    @validate_params({"d": Integer(1, 2**13), "n_heads": Integer(1, lambda a: a["d"]), "std": Real(0),
                      "qk_std": Optional(Real(0)), "proj_std": Optional(Real(0)), "logit_scale": Optional(Real(0)),
                      "causal": Bool, "dtype": Dtype, "rng": RNG})
    def __init__(self, d, n_heads=1, *, std=0.02, qk_std=None, proj_std=None, logit_scale=None, causal=True,
                 dtype=np.float64, rng=None):
        self.d, self.n_heads = d, n_heads
        if d % n_heads:
            raise ValueError(f"d must be a multiple of n_heads; got d={d}, n_heads={n_heads}")
        self.d_k = d // n_heads
        qk_std = std if qk_std is None else qk_std
        proj_std = std if proj_std is None else proj_std
        self.logit_scale = 1.0 / np.sqrt(self.d_k) if logit_scale is None else logit_scale
        self.causal = causal
        rng = make_rng(rng)
        draw = lambda s: normal_weights(rng, (d, d), s, dtype)  # noqa: E731
        self.Wq, self.Wk, self.Wv, self.Wo = draw(qk_std), draw(qk_std), draw(std), draw(proj_std)
        self.dWq, self.dWk, self.dWv, self.dWo = (np.zeros_like(w) for w in (self.Wq, self.Wk, self.Wv, self.Wo))
        self.probs = None

    def _split(self, z):  # (B, T, d) -> (B, H, T, d_k)
        B, T, _ = z.shape
        return z.reshape(B, T, self.n_heads, self.d_k).transpose(0, 2, 1, 3)

    def _merge(self, z):  # (B, H, T, d_k) -> (B, T, d)
        B, H, T, dk = z.shape
        return z.transpose(0, 2, 1, 3).reshape(B, T, H * dk)

    def forward(self, x):
        self.x = x
        self.q, self.k, self.v = (self._split(x @ W) for W in (self.Wq, self.Wk, self.Wv))
        self.logits = self.logit_scale * (self.q @ self.k.transpose(0, 1, 3, 2))  # s Q K^T, (B, H, T, T)
        T = x.shape[1]
        if self.causal:
            self.logits = np.where(np.tri(T, dtype=bool), self.logits, -np.inf)  # token i sees 0..i
        shifted = self.logits - self.logits.max(axis=-1, keepdims=True)
        e = np.exp(shifted)
        self.probs = e / e.sum(axis=-1, keepdims=True)  # P = softmax(s Q K^T)
        self.heads = self._merge(self.probs @ self.v)  # concat_h P_h V_h
        return self.heads @ self.Wo

    def backward(self, dy):
        axes = (0, 1)
        self.dWo[...] = np.tensordot(self.heads, dy, axes=(axes, axes))  # dL/dWo = heads^T dy
        dheads = self._split(dy @ self.Wo.T)
        P = self.probs
        dv = P.transpose(0, 1, 3, 2) @ dheads  # dL/dV = P^T dheads
        dP = dheads @ self.v.transpose(0, 1, 3, 2)  # dL/dP = dheads V^T
        self.dlogits = P * (dP - (dP * P).sum(axis=-1, keepdims=True))  # softmax Jacobian: P (dP - <dP, P>)
        ds = self.logit_scale * self.dlogits  # masked entries: P = 0, so no gradient
        dq = ds @ self.k  # dL/dQ = s dlogits K
        dk = ds.transpose(0, 1, 3, 2) @ self.q  # dL/dK = s dlogits^T Q
        dx = 0.0
        for W, dW, dz in ((self.Wq, self.dWq, dq), (self.Wk, self.dWk, dk), (self.Wv, self.dWv, dv)):
            dz = self._merge(dz)
            dW[...] = np.tensordot(self.x, dz, axes=(axes, axes))  # dL/dW = x^T dz
            dx = dx + dz @ W.T  # dL/dx sums the three paths
        return dx

    def own_parameters(self):
        return [self.Wq, self.Wk, self.Wv, self.Wo]

    def own_gradients(self):
        return [self.dWq, self.dWk, self.dWv, self.dWo]

    def __repr__(self):
        return (f"MultiHeadAttention(d={self.d}, n_heads={self.n_heads}, logit_scale={self.logit_scale:.3g}, "
                f"causal={self.causal})")
