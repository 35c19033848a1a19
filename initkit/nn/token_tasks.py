"""Generated sequence tasks for a tiny language model: copy, reverse or sort a short sequence (no downloads).

A sample is ``x_1 .. x_k SEP y_1 .. y_k`` with ``x_i`` uniform in ``[0, vocab_size - 1)``, ``SEP =
vocab_size - 1`` and ``y`` the copy, the reversal or the sorted ``x``. The model reads the sequence without
its last token and predicts the next token; only the ``k`` predictions of ``y`` count in the loss.
"""
from dataclasses import dataclass

import numpy as np

from ..core.validation import check_number, check_one_of, make_rng

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


def token_task(task="reverse", n=64, length=4, vocab_size=10, rng=None):
    """``n`` samples of ``task`` on sequences of ``length`` tokens: a :class:`TokenBatch` of T = 2 length.

    A model that guesses uniformly among the ``vocab_size - 1`` symbols scores ln(vocab_size - 1); one
    that learns the task scores 0.

    >>> b = token_task("reverse", n=1, length=3, vocab_size=10, rng=0)
    >>> print(b.tokens[0], b.targets[0, b.positions])
    [7 5 4 9 4 5] [4 5 7]
    """
    check_one_of("task", task, TASKS)
    n = check_number("n", n, low=1, integer=True)
    length = check_number("length", length, low=1, integer=True)
    vocab_size = check_number("vocab_size", vocab_size, low=3, integer=True)
    x = make_rng(rng).integers(0, vocab_size - 1, (n, length))
    seq = np.concatenate([x, np.full((n, 1), vocab_size - 1), TASKS[task](x)], axis=1)
    return TokenBatch(seq[:, :-1], seq[:, 1:], np.arange(length, 2 * length))
