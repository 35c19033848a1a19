"""The exercises of notebook 09 (residual networks): the growth of the stream, the branch scale that bounds
it, and Fixup's rescaling."""
import numpy as np

from .exercise import Exercise


def _stream_variance(var0, alpha, c, n_blocks):
    return var0 * (1 + alpha**2 * c) ** n_blocks  # each block adds alpha^2 c Var(x_l) to Var(x_l)


def _branch_scale_for_e(n_blocks, c):
    # (1 + alpha^2 c)^L = e  <=>  alpha^2 c = e^(1/L) - 1
    return float(np.sqrt(np.expm1(1.0 / n_blocks) / c))


def _fixup_scale(n_blocks, m):
    return float(n_blocks ** (-1.0 / (2 * m - 2)))  # Fixup: scale the m - 1 non-zero branch layers by L^(-1/(2m-2))


EXERCISES = {
    "residual_stream_variance": Exercise(
        _stream_variance,
        [{"var0": v, "alpha": a, "c": c, "n_blocks": L}
         for v, a, c, L in ((1.0, 1.0, 2.0, 1), (1.0, 1.0, 2.0, 10), (2.0, 0.1, 2.0, 100), (0.5, 0.5, 1.0, 32))],
        "one block: Var(x_{l+1}) = Var(x_l) + alpha^2 Var(F(x_l)) = Var(x_l) (1 + alpha^2 c); repeat it n_blocks "
        "times."),
    "branch_scale_for_e": Exercise(
        _branch_scale_for_e, [{"n_blocks": L, "c": c} for L, c in ((1, 2.0), (8, 2.0), (50, 2.0), (1000, 1.0))],
        "solve (1 + alpha^2 c)^L = e for alpha: take the L-th root of both sides (np.expm1(x) = e^x - 1 is "
        "accurate for small x)."),
    "fixup_scale": Exercise(
        _fixup_scale, [{"n_blocks": L, "m": m} for L, m in ((16, 2), (50, 2), (50, 3), (1000, 4))],
        "Fixup scales the weight layers inside each branch (except the zero last one) by L^(-1/(2m-2))."),
}
