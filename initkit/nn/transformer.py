"""A small decoder-only transformer (token + position embeddings, blocks, final LN, output head) and its
initialization schemes by name, with exact hand-written backpropagation.

``forward(tokens)`` takes integer tokens ``(batch, T)`` and returns logits ``(batch, T, vocab_size)``;
``backward(dlogits)`` fills every gradient. ``stream`` holds the residual stream entering each block and
after the last one (``n_blocks + 1`` arrays), the quantity the course measures.
"""
import numpy as np

from ..core.losses import softmax_cross_entropy
from ..core.constraints import RNG, Bool, Dtype, Integer, Optional, Options, Real
from ..core.validation import make_rng, validate_params
from .attention import LayerNorm, normal_weights
from .blocks import ACTIVATION, Block, NORM_PLACES
from .module import Module

INIT_SCHEMES = {
    "gpt2": "N(0, std^2) everywhere, residual projections (Wo, W2) std / sqrt(2 n_blocks) (Radford et al. 2019)",
    "normal": "N(0, std^2) for every weight (std = 0.02 by default), residual projections included",
    "zero_proj": "N(0, std^2), residual projections zero: every block starts as the identity",
    "xavier": "Glorot normal, std sqrt(2 / (fan_in + fan_out)), for every matrix; embeddings N(0, std^2)",
}


MAX_BLOCKS = 1000  # a transformer deeper than this at these widths is a typo, and its forward pass a hang


@validate_params({"init": Options(INIT_SCHEMES), "d": Integer(1, 2**13), "n_blocks": Integer(1, MAX_BLOCKS),
                  "d_ff": Optional(Integer(1, 2**15)), "vocab_size": Optional(Integer(2, 2**20)), "std": Real(0)})
def init_stds(init, d, n_blocks, *, d_ff=None, vocab_size=None, std=0.02):
    """The std of each kind of weight under scheme ``init`` (a key of ``INIT_SCHEMES``).

    GPT-2 (Radford et al. 2019, Language Models are Unsupervised Multitask Learners, section 2.3) draws
    every weight from N(0, 0.02^2) and scales the weights of residual layers by 1/sqrt(N), N = 2 n_blocks
    residual branches (attention and MLP per block): with independent branches, the residual stream's
    variance grows by the sum of the branches' variances, so 2 n_blocks terms of variance 1/N each add 1.

    >>> s = init_stds("gpt2", d=768, n_blocks=12)
    >>> print(s["qkv"], round(s["attn_proj"], 5), round(init_stds("xavier", 64, 2)["qkv"], 4))
    0.02 0.00408 0.125
    """
    d_ff = 4 * d if d_ff is None else d_ff
    out = dict(embed=std, pos=std, qkv=std, attn_proj=std, fc=std, mlp_proj=std, head=std)
    if init == "gpt2":
        out["attn_proj"] = out["mlp_proj"] = std / np.sqrt(2 * n_blocks)
    elif init == "zero_proj":
        out["attn_proj"] = out["mlp_proj"] = 0.0
    elif init == "xavier":
        glorot = lambda a, b: float(np.sqrt(2.0 / (a + b)))  # noqa: E731
        out.update(qkv=glorot(d, d), attn_proj=glorot(d, d), fc=glorot(d, d_ff), mlp_proj=glorot(d_ff, d),
                   head=glorot(d, vocab_size or d))
    return out


def _n_weights(a):
    d, d_ff = a["d"], a["d_ff"] or 4 * a["d"]
    return (2 * a["vocab_size"] + a["max_len"]) * d + a["n_blocks"] * (4 * d * d + 2 * d * d_ff)


class Transformer(Module):
    """Decoder-only transformer: ``x_0 = E[tokens] + P[positions]``, ``x_{l+1} = Block_l(x_l)``,
    logits = ``LN_f(x_L) W_head`` (pre-LN; post-LN blocks end in a LN, so no final LN), ``W_head = E^T`` when
    ``tied`` (Press & Wolf 2017; GPT-2). ``init`` names a scheme of :data:`INIT_SCHEMES`; ``proj_std`` and
    ``qk_std`` override the residual-projection and query/key stds; ``logit_scale`` None is 1/sqrt(d_k).

    >>> net = Transformer(10, d=16, n_blocks=2, max_len=8, rng=0)
    >>> logits = net.forward(np.zeros((3, 8), dtype=int))
    >>> print(net, logits.shape, len(net.stream))
    Transformer(vocab 10, d=16, 2 pre-LN blocks, 1 heads, init='gpt2') (3, 8, 10) 3
    """

    @validate_params({"vocab_size": Integer(2, 2**20), "d": Integer(1, 2**13), "n_blocks": Integer(1, MAX_BLOCKS),
                      "n_heads": Integer(1, lambda a: a["d"]), "max_len": Integer(1, 2**16),
                      "d_ff": Optional(Integer(1, 2**15)), "norm": Options(NORM_PLACES), "init": Options(INIT_SCHEMES),
                      "std": Real(0), "proj_std": Optional(Real(0)), "qk_std": Optional(Real(0)),
                      "logit_scale": Optional(Real(0)), "tied": Bool, "activation": ACTIVATION, "causal": Bool,
                      "dtype": Dtype, "rng": RNG},
                     budget={"vocab_size, d, n_blocks and d_ff": (_n_weights, "weights")})
    def __init__(self, vocab_size, d=32, n_blocks=2, n_heads=1, max_len=16, *, d_ff=None, norm="pre",
                 init="gpt2", std=0.02, proj_std=None, qk_std=None, logit_scale=None, tied=False,
                 activation="gelu", causal=True, dtype=np.float64, rng=None):
        self.vocab_size, self.max_len = vocab_size, max_len
        rng = make_rng(rng)
        self.d, self.n_blocks, self.n_heads, self.norm, self.init, self.tied = d, n_blocks, n_heads, norm, init, tied
        self.dtype = dtype
        stds = init_stds.__wrapped__(init, d, n_blocks, d_ff=d_ff, vocab_size=vocab_size, std=std)
        if proj_std is not None:
            stds["attn_proj"] = stds["mlp_proj"] = proj_std
        if qk_std is not None:
            stds["qk"] = qk_std
        self.stds = stds
        self.E = normal_weights(rng, (vocab_size, d), stds["embed"], dtype)
        self.P = normal_weights(rng, (max_len, d), stds["pos"], dtype)
        self.blocks = [Block(d, n_heads, d_ff, norm=norm, activation=activation, stds=stds,
                             logit_scale=logit_scale, causal=causal, dtype=dtype, rng=rng) for _ in range(n_blocks)]
        self.ln_f = LayerNorm(d, dtype=dtype) if norm == "pre" else None
        self.W_head = None if tied else normal_weights(rng, (d, vocab_size), stds["head"], dtype)
        self.dE, self.dP = np.zeros_like(self.E), np.zeros_like(self.P)
        self.dW_head = None if tied else np.zeros_like(self.W_head)
        self.stream = []

    @property
    def head(self):
        """The output projection (d, vocab_size): ``E^T`` when tied."""
        return self.E.T if self.tied else self.W_head

    def _check_tokens(self, tokens):
        tokens = np.asarray(tokens)
        if (tokens.ndim != 2 or not np.issubdtype(tokens.dtype, np.integer) or tokens.shape[1] > self.max_len
                or tokens.size == 0 or tokens.min() < 0 or tokens.max() >= self.vocab_size):
            raise ValueError(f"tokens must be a 2-D integer array (batch, T) with T <= max_len={self.max_len} and "
                             f"values in [0, {self.vocab_size}); got dtype {tokens.dtype}, shape {tokens.shape}")
        return tokens

    def forward(self, tokens):
        self.tokens = self._check_tokens(tokens)
        x = self.E[self.tokens] + self.P[: self.tokens.shape[1]]  # x_0 = E[token] + P[position]
        self.stream = [x]
        for block in self.blocks:
            x = block.forward(x)
            self.stream.append(x)
        self.final = self.ln_f.forward(x) if self.ln_f is not None else x
        return self.final @ self.head  # logits = LN_f(x_L) W_head

    def backward(self, dlogits):
        dlogits = np.asarray(dlogits, dtype=self.dtype)
        dhead = np.tensordot(self.final, dlogits, axes=((0, 1), (0, 1)))  # dL/dW_head = final^T dlogits
        dx = dlogits @ self.head.T
        if self.ln_f is not None:
            dx = self.ln_f.backward(dx)
        for block in reversed(self.blocks):
            dx = block.backward(dx)
        self.dE[...] = 0.0
        np.add.at(self.dE, self.tokens, dx)  # each row of E receives the gradients of its occurrences
        if self.tied:
            self.dE += dhead.T  # E is also the output head
        else:
            self.dW_head[...] = dhead
        self.dP[...] = 0.0
        self.dP[: dx.shape[1]] = dx.sum(axis=0)
        return dx

    def loss(self, tokens, targets, positions=None):
        """Forward pass, mean cross-entropy of the predictions at ``positions`` (a slice or index array of
        the T axis; all by default) against ``targets`` (batch, T), and backward pass; returns the loss."""
        logits = self.forward(tokens)
        sel = slice(None) if positions is None else positions
        picked = logits[:, sel]
        value, grad = softmax_cross_entropy(picked.reshape(-1, self.vocab_size), np.asarray(targets)[:, sel].ravel())
        dlogits = np.zeros_like(logits)
        dlogits[:, sel] = grad.reshape(picked.shape)
        self.backward(dlogits)
        return value

    def parameters(self):
        out = [self.E, self.P]
        for block in self.blocks:
            out += block.parameters()
        out += self.ln_f.parameters() if self.ln_f is not None else []
        return out + ([] if self.tied else [self.W_head])

    def gradients(self):
        out = [self.dE, self.dP]
        for block in self.blocks:
            out += block.gradients()
        out += self.ln_f.gradients() if self.ln_f is not None else []
        return out + ([] if self.tied else [self.dW_head])

    def __repr__(self):
        return (f"Transformer(vocab {self.vocab_size}, d={self.d}, {self.n_blocks} {self.norm}-LN blocks, "
                f"{self.n_heads} heads, init={self.init!r}{', tied' if self.tied else ''})")
