"""A transformer block: attention and an MLP, each on a residual branch, with pre- or post-layer-norm.

Pre-LN (GPT-2; Xiong et al. 2020): ``h = x + Attn(LN1(x))``, ``y = h + MLP(LN2(h))``: the residual stream
``x`` is never normalized, each branch reads a normalized copy. Post-LN (Vaswani et al. 2017):
``h = LN1(x + Attn(x))``, ``y = LN2(h + MLP(h))``: the stream is normalized after every branch.
Hidden states are ``(batch, T, d)``; weights ``(fan_in, fan_out)``; no biases.
"""
import numpy as np

from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.constraints import RNG, Bool, Dtype, Instance, Integer, Optional, Options, Real
from ..core.validation import make_rng, validate_params
from .attention import LayerNorm, MultiHeadAttention, normal_weights
from .module import Module

NORM_PLACES = ("pre", "post")
ACTIVATION = Options(ACTIVATIONS, types=(Activation,))


class FeedForward(Module):
    """The position-wise MLP ``phi(x W1) W2`` with ``W1 (d, d_ff)`` ~ N(0, fc_std^2) and ``W2 (d_ff, d)`` ~
    N(0, proj_std^2) (``W2`` is the MLP's residual projection).

    >>> ff = FeedForward(4, 16, fc_std=0.5, proj_std=0.25, rng=0)
    >>> print(ff.forward(np.ones((2, 3, 4))).shape, ff.backward(np.ones((2, 3, 4))).shape)
    (2, 3, 4) (2, 3, 4)
    """

    @validate_params({"d": Integer(1, 2**13), "d_ff": Integer(1, 2**15), "activation": ACTIVATION,
                      "fc_std": Real(0), "proj_std": Real(0), "dtype": Dtype, "rng": RNG})
    def __init__(self, d, d_ff, activation="gelu", *, fc_std=0.02, proj_std=0.02, dtype=np.float64, rng=None):
        rng = make_rng(rng)
        self.activation = get_activation(activation)
        self.W1 = normal_weights(rng, (d, d_ff), fc_std, dtype)
        self.W2 = normal_weights(rng, (d_ff, d), proj_std, dtype)
        self.dW1, self.dW2 = np.zeros_like(self.W1), np.zeros_like(self.W2)

    def forward(self, x):
        self.x = x
        self.z = x @ self.W1  # z = x W1
        self.a = self.activation(self.z)  # a = phi(z)
        return self.a @ self.W2

    def backward(self, dy):
        axes = ((0, 1), (0, 1))
        self.dW2[...] = np.tensordot(self.a, dy, axes=axes)  # dL/dW2 = a^T dy
        dz = (dy @ self.W2.T) * self.activation.derivative(self.z)  # dL/dz = dL/da phi'(z)
        self.dW1[...] = np.tensordot(self.x, dz, axes=axes)  # dL/dW1 = x^T dz
        return dz @ self.W1.T

    def own_parameters(self):
        return [self.W1, self.W2]

    def own_gradients(self):
        return [self.dW1, self.dW2]


class Block(Module):
    """One transformer block (pre-LN or post-LN). ``stds`` maps each weight kind to its init std:
    ``qkv`` (and optionally ``qk`` for Wq, Wk alone), ``attn_proj`` (Wo), ``fc`` (W1), ``mlp_proj`` (W2); see :func:`initkit.init_stds`.

    >>> stds = dict(qkv=0.1, attn_proj=0.1, fc=0.1, mlp_proj=0.1)
    >>> block = Block(8, n_heads=2, stds=stds, rng=0)
    >>> x = np.random.default_rng(1).standard_normal((2, 4, 8))
    >>> print(block, block.forward(x).shape)
    Block(d=8, n_heads=2, d_ff=32, norm='pre', activation='gelu') (2, 4, 8)
    """

    @validate_params({"d": Integer(1, 2**13), "n_heads": Integer(1, lambda a: a["d"]),
                      "d_ff": Optional(Integer(1, 2**15)), "norm": Options(NORM_PLACES), "activation": ACTIVATION,
                      "stds": Optional(Instance("a dict of stds", types=(dict,))), "logit_scale": Optional(Real(0)),
                      "causal": Bool, "dtype": Dtype, "rng": RNG})
    def __init__(self, d, n_heads=1, d_ff=None, *, norm="pre", activation="gelu", stds=None, logit_scale=None,
                 causal=True, dtype=np.float64, rng=None):
        d_ff = 4 * d if d_ff is None else d_ff
        stds = {"qkv": 0.02, "attn_proj": 0.02, "fc": 0.02, "mlp_proj": 0.02, **(stds or {})}
        rng = make_rng(rng)
        self.norm, self.d, self.d_ff = norm, d, d_ff
        self.ln1, self.ln2 = LayerNorm(d, dtype=dtype), LayerNorm(d, dtype=dtype)
        self.attn = MultiHeadAttention(d, n_heads, std=stds["qkv"], qk_std=stds.get("qk"), proj_std=stds["attn_proj"],
                                       logit_scale=logit_scale, causal=causal, dtype=dtype, rng=rng)
        self.mlp = FeedForward(d, d_ff, activation, fc_std=stds["fc"], proj_std=stds["mlp_proj"], dtype=dtype,
                               rng=rng)

    def forward(self, x):
        if self.norm == "pre":
            self.attn_out = self.attn.forward(self.ln1.forward(x))
            h = x + self.attn_out  # h = x + Attn(LN1(x))
            self.mlp_out = self.mlp.forward(self.ln2.forward(h))
            return h + self.mlp_out  # y = h + MLP(LN2(h))
        self.attn_out = self.attn.forward(x)
        h = self.ln1.forward(x + self.attn_out)  # h = LN1(x + Attn(x))
        self.mlp_out = self.mlp.forward(h)
        return self.ln2.forward(h + self.mlp_out)  # y = LN2(h + MLP(h))

    def backward(self, dy):
        if self.norm == "pre":
            dh = dy + self.ln2.backward(self.mlp.backward(dy))  # the skip path plus the MLP branch
            return dh + self.ln1.backward(self.attn.backward(dh))
        du = self.ln2.backward(dy)  # u = h + MLP(h)
        dh = du + self.mlp.backward(du)
        dw = self.ln1.backward(dh)  # w = x + Attn(x)
        return dw + self.attn.backward(dw)

    def children(self):
        return [self.ln1, self.attn, self.ln2, self.mlp]

    def __repr__(self):
        return (f"Block(d={self.d}, n_heads={self.attn.n_heads}, d_ff={self.d_ff}, norm={self.norm!r}, "
                f"activation={self.mlp.activation.name!r})")
