"""Long-memory sequence tasks, generated with ``rng``: the adding problem and the copying-memory problem.

Both are from Hochreiter & Schmidhuber (1997), Long Short-Term Memory, and are the benchmarks of Le, Jaitly &
Hinton (2015) and Arjovsky, Shah & Bengio (2016). A network that cannot carry information over ``T`` steps
does no better than a constant guess, whose loss each function also returns as the baseline.
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, Dtype, Integer
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params


@dataclass
class SequenceBatch:
    """Inputs ``x`` (batch, T, channels), targets ``y`` and ``baseline``: the loss of a network without memory
    (the adding problem: the mean squared error of the best constant; copying: the cross-entropy of blanks
    followed by uniform guesses)."""

    x: np.ndarray
    y: np.ndarray
    baseline: float


@validate_params({"n": Integer(1, MAX_ELEMENTS), "T": Integer(2, MAX_ELEMENTS), "rng": RNG, "dtype": Dtype},
                 budget={"n and T": (lambda a: 4 * a["n"] * a["T"], "values (n x T x 4)")})
def adding_problem(n, T, *, rng=None, dtype=np.float64):
    """``n`` sequences of length ``T`` with 2 channels: values ~ U[0, 1] and a marker that is 1 at exactly
    two steps, one in each half of the sequence; the target is the sum of the two marked values.

    Predicting the constant 1 scores mean squared error Var(u_1 + u_2) = 2/12 = 1/6 (the baseline); a
    network beats it only by remembering the first marked value for up to ``T`` steps.

    >>> batch = adding_problem(4, 10, rng=0)
    >>> print(batch.x.shape, batch.y.shape, batch.x[..., 1].sum(axis=1), round(batch.baseline, 4))
    (4, 10, 2) (4, 1) [2. 2. 2. 2.] 0.1667
    """
    rng = make_rng(rng)
    values = rng.uniform(0.0, 1.0, (n, T))
    half = T // 2
    first = rng.integers(0, half, n)  # one marker in the first half ...
    second = rng.integers(half, T, n)  # ... and one in the second
    marker = np.zeros((n, T))
    rows = np.arange(n)
    marker[rows, first] = marker[rows, second] = 1.0
    x = np.stack([values, marker], axis=-1).astype(dtype)
    y = (values[rows, first] + values[rows, second])[:, None].astype(dtype)
    return SequenceBatch(x, y, 1.0 / 6.0)


@validate_params({"n": Integer(1, MAX_ELEMENTS), "delay": Integer(1, MAX_ELEMENTS), "n_symbols": Integer(2, 2**15),
                  "length": Integer(1, MAX_ELEMENTS), "rng": RNG, "dtype": Dtype},
                 budget={"n, delay, length and n_symbols": (
                     lambda a: a["n"] * (2 * a["length"] + a["delay"]) * (a["n_symbols"] + 3), "values (n x T x channels)")})
def copying_memory(n, delay, *, n_symbols=8, length=10, rng=None, dtype=np.float64):
    """The copying-memory task: ``length`` random symbols (of ``n_symbols``), ``delay`` blanks, a go marker,
    then the network must output the symbols in order; inputs one-hot with ``n_symbols + 2`` channels
    (symbols, blank, go), sequences of ``length + delay + length`` steps (Arjovsky, Shah & Bengio 2016's
    form of Hochreiter & Schmidhuber's task). ``y`` holds the symbol to output at each step (the blank
    class ``n_symbols`` before the recall). The baseline is the cross-entropy of outputting blanks and then
    a uniform guess: ``length ln(n_symbols) / (2 length + delay)``.

    >>> batch = copying_memory(2, 5, length=3, rng=0)
    >>> print(batch.x.shape, batch.y.shape, round(batch.baseline, 3))
    (2, 11, 10) (2, 11) 0.567
    """
    rng = make_rng(rng)
    T = 2 * length + delay
    symbols = rng.integers(0, n_symbols, (n, length))
    tokens = np.full((n, T), n_symbols)  # blank
    tokens[:, :length] = symbols
    tokens[:, length + delay - 1] = n_symbols + 1  # go: recall starts at the next step
    x = np.eye(n_symbols + 2, dtype=dtype)[tokens]
    y = np.full((n, T), n_symbols)
    y[:, length + delay:] = symbols
    return SequenceBatch(x, y, length * np.log(n_symbols) / T)
