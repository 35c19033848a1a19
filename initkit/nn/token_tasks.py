"""Generated sequence tasks for a tiny language model: copy, reverse or sort a short sequence (no downloads).

A sample is ``x_1 .. x_k SEP y_1 .. y_k`` with ``x_i`` uniform in ``[0, vocab_size - 1)``, ``SEP =
vocab_size - 1`` and ``y`` the copy, the reversal or the sorted ``x``. The model reads the sequence without
its last token and predicts the next token; only the ``k`` predictions of ``y`` count in the loss.
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, Integer, Options
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params

TASKS = {
    "copy": lambda x: x,
    "reverse": lambda x: x[:, ::-1],
    "sort": lambda x: np.sort(x, axis=1),
}


@dataclass
class TokenBatch:
    """Inputs ``tokens`` (n, 2k), next-token ``targets`` (n, 2k) and the ``positions`` that are scored."""
    tokens: np.ndarray
    targets: np.ndarray
    positions: np.ndarray


@validate_params({"task": Options(TASKS), "n": Integer(1, MAX_ELEMENTS), "length": Integer(1, 2**15),
                  "vocab_size": Integer(3, 2**31), "rng": RNG},
                 budget={"n and length": (lambda a: 4 * a["n"] * a["length"], "tokens (n x 2 length x 2)")})
def token_task(task="reverse", n=64, length=4, vocab_size=10, rng=None):
    """``n`` samples of ``task`` on sequences of ``length`` tokens: a :class:`TokenBatch` of T = 2 length.

    A model that guesses uniformly among the ``vocab_size - 1`` symbols scores ln(vocab_size - 1); one
    that learns the task scores 0.

    >>> b = token_task("reverse", n=1, length=3, vocab_size=10, rng=0)
    >>> print(b.tokens[0], b.targets[0, b.positions])
    [7 5 4 9 4 5] [4 5 7]
    """
    x = make_rng(rng).integers(0, vocab_size - 1, (n, length))
    seq = np.concatenate([x, np.full((n, 1), vocab_size - 1), TASKS[task](x)], axis=1)
    return TokenBatch(seq[:, :-1], seq[:, 1:], np.arange(length, 2 * length))
