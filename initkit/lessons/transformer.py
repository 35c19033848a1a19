"""Notebook 10's measurements on transformers at initialization, each one pure function returning arrays:
softmax saturation against the logit scale, the residual stream and attention entropy per block (the
widget's step), rank collapse, and pre-LN against post-LN gradient norms per block.
"""
import functools
from dataclasses import dataclass

import numpy as np

from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.quadrature import gaussian_expectation
from ..core.constraints import RNG, Bool, Dtype, Instance, Integer, Options, Real
from ..core.array_constraints import Data
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params
from ..nn.attention import LayerNorm, MultiHeadAttention, attention_entropy
from ..nn.blocks import FeedForward
from ..nn.transformer import INIT_SCHEMES, MAX_BLOCKS, Transformer, init_stds


@validate_params({"T": Integer(1, MAX_ELEMENTS), "causal": Bool})
def uniform_entropy(T, causal=True):
    """Mean entropy of uniform attention rows: ln T, or the mean of ln(i + 1) over rows i when causal."""
    return float(np.mean(np.log(np.arange(1, T + 1)))) if causal else float(np.log(T))


@validate_params({"probs": Data(ndim=(1, 2, 3, 4), what="of softmax rows (..., T)")})
def softmax_jacobian_norm(probs):
    """Frobenius norm of each row's softmax Jacobian ``J = diag(p) - p p^T``, the factor every gradient
    through the softmax is multiplied by. Row i of J has squared norm ``p_i^2 (1 - p_i)^2 + p_i^2 sum_{j != i}
    p_j^2``; for the row's largest entry, ``1 - p_max`` and ``sum_{j != max} p_j^2`` are summed from the other
    entries (softmax rows sum to 1) instead of subtracted from 1, so near-one-hot rows keep full relative
    precision (the expanded ``sum p^2 - 2 sum p^3 + (sum p^2)^2`` cancels to 0 there). It is 0 for a one-hot
    row and about 1/sqrt(T) for a uniform one.

    >>> print(np.round(softmax_jacobian_norm(np.array([[1.0, 0.0], [0.5, 0.5]])), 4))
    [0.  0.5]
    >>> print(f"{softmax_jacobian_norm(np.array([1 - 1e-12, 1e-12])):.4g}")  # 2 p_1 p_2
    2e-12
    """
    p = np.asarray(probs, dtype=np.float64)
    top = np.argmax(p, axis=-1)[..., None]
    is_top = np.arange(p.shape[-1]) == top
    others = np.where(is_top, 0.0, p)
    s2 = (p * p).sum(axis=-1, keepdims=True)
    one_minus = np.where(is_top, others.sum(axis=-1, keepdims=True), 1.0 - p)  # 1 - p_i
    rest_sq = np.where(is_top, (others * others).sum(axis=-1, keepdims=True), s2 - p * p)  # sum_{j != i} p_j^2
    return np.sqrt((p * p * (one_minus * one_minus + rest_sq)).sum(axis=-1))


def _attention_work(a):
    return a["n"] * a["T"] * (a["T"] + 4 * a["d"]) * len(np.atleast_1d(a["factors"]))


@validate_params({"factors": Data(ndim=(0, 1), min_rows=1, what="of logit-scale factors", bounds=(0, 1e6)), "d": Integer(1, 2**13),
                  "T": Integer(2, 2**12), "n": Integer(1, MAX_ELEMENTS), "rng": RNG},
                 budget={"factors, d, T and n": (_attention_work, "values (factors x n x T x (T + 4 d))")})
def attention_saturation(factors, d=64, T=64, n=16, rng=0):
    """Self-attention (one head, d_k = d, not causal) on x ~ N(0, 1), weights N(0, 1/d) (so q and k have
    unit-variance entries and Var(q.k) = d_k), logit scale ``factor / sqrt(d_k)`` for each factor: 1 is
    Vaswani's scaling, ``sqrt(d_k)`` unscaled attention, larger factors stand for larger Q/K weights.

    Returns a dict of arrays over factors: ``logit_std`` (std of the logits), ``entropy`` (nats, mean over
    rows; ln T when uniform), ``saturated`` (fraction of rows whose largest weight exceeds 0.99) and
    ``jacobian`` (median over rows of the softmax Jacobian's norm, :func:`softmax_jacobian_norm`).
    """
    factors = np.atleast_1d(np.asarray(factors, dtype=np.float64))
    gen = make_rng(rng)
    x = gen.standard_normal((n, T, d))
    att = MultiHeadAttention(d, 1, std=d ** -0.5, causal=False, rng=gen)
    out = {k: np.empty(len(factors)) for k in ("logit_std", "entropy", "saturated", "jacobian")}
    for i, f in enumerate(factors):
        att.logit_scale = f / np.sqrt(att.d_k)
        att.forward(x)
        out["logit_std"][i] = att.logits.std()
        out["entropy"][i] = attention_entropy(att.probs)
        out["saturated"][i] = np.mean(att.probs.max(axis=-1) > 0.99)
        out["jacobian"][i] = np.median(softmax_jacobian_norm(att.probs))
    return out


@dataclass
class StreamRecord:
    """Per block: residual-stream std entering block l (l = 0..L) and attention entropy of block l."""
    stream_std: np.ndarray
    stream_theory: np.ndarray
    entropy: np.ndarray
    uniform_entropy: float
    logit_std: np.ndarray


@validate_params({"d": Integer(1, 2**13), "d_ff": Integer(1, 2**15),
                  "stds": Instance("a dict of stds with keys 'qkv', 'attn_proj', 'fc', 'mlp_proj'",
                                   ("keys", "__getitem__")),
                  "T": Integer(1, MAX_ELEMENTS), "activation": Options(ACTIVATIONS, types=(Activation,))})
def branch_variances(d, d_ff, stds, T, activation="gelu"):
    """Variance each pre-LN branch adds to the residual stream at init (uniform causal attention):
    attention ``(d s_v^2)(d s_o^2) mean_i 1/(i+1)`` (the LN output has unit variance; row i averages i+1
    roughly independent values); MLP ``d_ff s_2^2 E[phi(z)^2]``, ``z ~ N(0, d s_1^2)``."""
    phi = get_activation(activation)
    q = d * stds["fc"] ** 2
    mlp = d_ff * stds["mlp_proj"] ** 2 * gaussian_expectation(lambda z: phi(np.sqrt(q) * z) ** 2)
    attn = d * stds["qkv"] ** 2 * d * stds["attn_proj"] ** 2 * float(np.mean(1.0 / np.arange(1, T + 1)))
    return attn, mlp


def _stream_work(a, depth="depth", batch="batch"):
    """Elements one forward (and backward) pass through the blocks holds: weights and activations."""
    d, T = a["d"], a["T"]
    return a[depth] * (12 * d * d + a[batch] * T * (12 * d + 2 * T))


@functools.lru_cache(maxsize=4)
def _unit_stream_net(depth, d, T, batch, vocab_size, norm, init, dtype, seed):
    """The widget's transformer drawn once per depth and seed, with unit stds on the weights its sliders scale
    (Wq, Wk, the residual projections Wo and W2): ``(net, tokens, unit weights per block)``. A slider step
    then scales copies of them instead of drawing every weight again (most of a step at 48 blocks)."""
    gen = make_rng(seed)
    net = Transformer(vocab_size, d, depth, 1, T, norm=norm, init=init, qk_std=1.0, proj_std=1.0, dtype=dtype,
                      rng=gen)
    tokens = gen.integers(0, vocab_size, (batch, T))
    units = [tuple(w.copy() for w in (b.attn.Wq, b.attn.Wk, b.attn.Wo, b.mlp.W2)) for b in net.blocks]
    return net, tokens, units


def _scaled_stream_net(depth, d, T, batch, vocab_size, norm, init, dtype, seed, qk_scale, proj_scale, logit_factor):
    """:func:`_unit_stream_net` with its weights scaled as :class:`~initkit.nn.transformer.Transformer` draws
    them (``N(0, 1)`` in ``dtype``, then ``*= std``): the same numbers, bit for bit, as a fresh draw."""
    net, tokens, units = _unit_stream_net(depth, d, T, batch, vocab_size, norm, init, dtype, seed)
    stds = init_stds(init, d, depth, vocab_size=vocab_size)
    # Python floats, as the Transformer's parameter check passes them on (a float32 product, not a float64 one)
    qk_std, proj_std = float(qk_scale * stds["qkv"]), float(proj_scale * stds["attn_proj"])
    net.stds = {**stds, "attn_proj": proj_std, "mlp_proj": proj_std, "qk": qk_std}
    logit_scale = float(logit_factor / np.sqrt(d))
    for block, (wq, wk, wo, w2) in zip(net.blocks, units):
        for target, unit, std in ((block.attn.Wq, wq, qk_std), (block.attn.Wk, wk, qk_std),
                                  (block.attn.Wo, wo, proj_std), (block.mlp.W2, w2, proj_std)):
            target[...] = unit
            target *= std
        block.attn.logit_scale = logit_scale
    return net, tokens


LOGIT = Real(0, 1e6)  # a logit scale beyond this saturates every softmax in float32 already


@validate_params({"depth": Integer(1, MAX_BLOCKS), "logit_factor": LOGIT, "qk_scale": LOGIT, "proj_scale": Real(0, 1e6),
                  "init": Options(INIT_SCHEMES), "d": Integer(1, 2**13), "T": Integer(1, 2**12),
                  "batch": Integer(1, MAX_ELEMENTS), "vocab_size": Integer(2, 2**20), "norm": Options(("pre", "post")),
                  "dtype": Dtype, "rng": RNG},
                 budget={"depth, d, T and batch": (_stream_work, "weights and activations")})
def residual_stream(depth=12, logit_factor=1.0, qk_scale=1.0, proj_scale=1.0, *, init="gpt2", d=64, T=16,
                    batch=8, vocab_size=64, norm="pre", dtype=np.float32, rng=0):
    """The widget's step: a pre-LN transformer of ``depth`` blocks (one head, d_k = d) under scheme ``init``,
    with Wq, Wk multiplied by ``qk_scale``, the residual projections by ``proj_scale`` and the logit scale
    ``logit_factor / sqrt(d_k)``; random tokens. Returns a :class:`StreamRecord` with the measured stream
    std per block beside the theory Var(x_l) = Var(x_0) + l (b_attn + b_mlp) of :func:`branch_variances`.
    """
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):  # a seed: reuse the drawn weights
        net, tokens = _scaled_stream_net(depth, d, T, batch, vocab_size, norm, init, np.dtype(dtype), int(rng),
                                         qk_scale, proj_scale, logit_factor)
    else:  # a Generator (its state moves on) or None: draw afresh
        stds = init_stds(init, d, depth, vocab_size=vocab_size)
        gen = make_rng(rng)
        net = Transformer(vocab_size, d, depth, 1, T, norm=norm, init=init, qk_std=qk_scale * stds["qkv"],
                          proj_std=proj_scale * stds["attn_proj"], logit_scale=logit_factor / np.sqrt(d),
                          dtype=dtype, rng=gen)
        tokens = gen.integers(0, vocab_size, (batch, T))
    net.forward(tokens)
    stds = net.stds  # with the overrides applied
    b_attn, b_mlp = branch_variances(d, 4 * d, stds, T)
    var0 = stds["embed"] ** 2 + stds["pos"] ** 2
    return StreamRecord(
        stream_std=np.array([x.std() for x in net.stream]),
        stream_theory=np.sqrt(var0 + np.arange(depth + 1) * (b_attn + b_mlp)),
        entropy=np.array([attention_entropy.__wrapped__(b.attn.probs) for b in net.blocks]),
        uniform_entropy=uniform_entropy.__wrapped__(T),
        logit_std=np.array([b.attn.logits[np.isfinite(b.attn.logits)].std() for b in net.blocks]))


def _cosine_and_rank(x):
    """Mean pairwise cosine similarity of the tokens and effective rank exp(H(sigma / sum sigma)) of each
    (T, d) token matrix (Roy & Vetterli 2007), averaged over the batch."""
    u = x / np.linalg.norm(x, axis=-1, keepdims=True)
    T = x.shape[1]
    cos = ((u @ u.transpose(0, 2, 1)).sum(axis=(1, 2)) - T) / (T * (T - 1))
    s = np.linalg.svd(x, compute_uv=False)
    p = s / s.sum(axis=-1, keepdims=True)
    erank = np.exp(-(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=-1))
    return float(cos.mean()), float(erank.mean())


RANK_VARIANTS = ("attention only", "attention + skip", "attention + skip + MLP")


@validate_params({"depth": Integer(1, MAX_BLOCKS), "d": Integer(1, 2**13), "T": Integer(2, 2**12),
                  "batch": Integer(1, MAX_ELEMENTS), "rng": RNG},
                 budget={"depth, d, T and batch": (_stream_work, "weights and activations")})
def rank_collapse(depth=12, d=64, T=16, batch=8, rng=0):
    """Token cosine similarity and effective rank per layer for the three variants of Dong, Cordonnier &
    Loukas (2021): ``x <- Attn(LN(x))``, ``x <- x + Attn(LN(x))`` and that plus ``x <- x + MLP(LN(x))``,
    with the same weights (N(0, 1/d), bidirectional attention, logit scale 1/sqrt(d)) in each variant.
    Returns ``{variant: (cosine (depth + 1,), effective_rank (depth + 1,))}``."""
    gen = make_rng(rng)
    x0 = gen.standard_normal((batch, T, d))
    layers = [(MultiHeadAttention(d, 1, std=d ** -0.5, causal=False, rng=gen),
               FeedForward(d, 4 * d, "gelu", fc_std=d ** -0.5, proj_std=(4 * d) ** -0.5, rng=gen))
              for _ in range(depth)]
    ln = LayerNorm(d)
    out = {}
    for variant in RANK_VARIANTS:
        x, rows = x0, [_cosine_and_rank(x0)]
        for att, mlp in layers:
            a = att.forward(ln.forward(x))
            x = a if variant == "attention only" else x + a
            if variant.endswith("MLP"):
                x = x + mlp.forward(ln.forward(x))
            rows.append(_cosine_and_rank(x))
        out[variant] = tuple(np.array(c) for c in zip(*rows))
    return out


@validate_params({"norm": Options(("pre", "post")), "n_blocks": Integer(1, MAX_BLOCKS), "d": Integer(1, 2**13),
                  "T": Integer(1, 2**12), "batch": Integer(1, MAX_ELEMENTS), "vocab_size": Integer(2, 2**20),
                  "init": Options(INIT_SCHEMES), "rng": RNG},
                 budget={"n_blocks, d, T and batch": (lambda a: _stream_work(a, "n_blocks"), "weights and activations")})
def layer_gradient_norms(norm="post", n_blocks=6, d=64, T=16, batch=16, vocab_size=64, init="xavier", rng=0):
    """Frobenius norm of dL/dW per block at initialization (W = the MLP's W2 and the attention's Wo and Wv),
    random tokens and next-token targets, Xiong et al. (2020)'s Fig. 3 measurement. Returns
    ``{"mlp_proj": (n_blocks,), "attn_proj": ..., "value": ...}``."""
    gen = make_rng(rng)
    net = Transformer(vocab_size, d, n_blocks, 1, T, norm=norm, init=init, rng=gen)
    tokens = gen.integers(0, vocab_size, (batch, T + 1))
    net.loss(tokens[:, :-1], tokens[:, 1:])
    return {"mlp_proj": np.array([np.linalg.norm(b.mlp.dW2) for b in net.blocks]),
            "attn_proj": np.array([np.linalg.norm(b.attn.dWo) for b in net.blocks]),
            "value": np.array([np.linalg.norm(b.attn.dWv) for b in net.blocks])}
