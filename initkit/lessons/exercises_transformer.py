"""The exercises of notebook 10 (initializing a transformer): the logit scale, the residual-projection std,
attention entropy and the variance the residual stream gains per block."""
import numpy as np

from ..nn.attention import attention_entropy
from .exercise import Exercise


def _logit_scale(d_k, q_std, k_std):
    # q.k = sum of d_k products with variance q_std^2 k_std^2: Var(q.k) = d_k q_std^2 k_std^2; divide by its std
    return 1.0 / (np.sqrt(d_k) * q_std * k_std)


def _residual_proj_std(std, n_blocks, branches_per_block):
    # N = n_blocks * branches residual branches, each scaled by 1/sqrt(N) (GPT-2: N = 2 n_blocks)
    return std / np.sqrt(n_blocks * branches_per_block)


def _stream_variance(var0, branch_var, n_blocks):
    return var0 + n_blocks * branch_var  # independent branches: the variances add, one term per branch


def _probs_cases():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((2, 3, 6, 6)) * 3
    p = np.exp(logits - logits.max(-1, keepdims=True))
    return [{"probs": np.full((4, 4), 0.25)}, {"probs": np.eye(5)},
            {"probs": p / p.sum(-1, keepdims=True)}, {"probs": np.tril(np.ones((6, 6))) / np.arange(1, 7)[:, None]}]


EXERCISES = {
    "logit_scale": Exercise(
        _logit_scale, [{"d_k": d, "q_std": a, "k_std": b} for d, a, b in ((64, 1.0, 1.0), (16, 1.0, 1.0),
                                                                           (64, 0.5, 2.0), (128, 0.16, 0.16))],
        "q.k is a sum of d_k independent products q_i k_i, each with variance q_std^2 k_std^2; the scale s "
        "makes s q.k have variance 1."),
    "residual_proj_std": Exercise(
        _residual_proj_std, [{"std": s, "n_blocks": L, "branches_per_block": m}
                             for s, L, m in ((0.02, 12, 2), (0.02, 48, 2), (0.02, 1, 2), (0.1, 6, 1))],
        "GPT-2 scales the residual layers' weights by 1/sqrt(N), N the number of residual branches "
        "(n_blocks x branches_per_block)."),
    "attention_entropy": Exercise(
        attention_entropy, _probs_cases(),
        "entropy of a row p is -sum_j p_j ln p_j, with 0 ln 0 = 0 (masked entries); average over all rows "
        "(every axis but the last)."),
    "stream_variance": Exercise(
        _stream_variance, [{"var0": v, "branch_var": b, "n_blocks": L}
                           for v, b, L in ((8e-4, 1e-3, 12), (1.0, 1.0, 48), (0.0, 0.5, 3))],
        "each block adds its branches' variance to the stream (the skip path keeps the old one): "
        "Var(x_L) = Var(x_0) + L b."),
}
