"""Several seeds per experiment: train one network per seed with :func:`initkit.fit`, results stacked.

A conclusion drawn from one training run can be an accident of its seed. ``fit_seeds(make_net, data)``
builds a network per seed (``make_net(seed)``), trains each with :func:`initkit.fit` (the same seed drives
its mini-batch order) and stacks the per-epoch results into arrays with one row per seed, so a cell can
print ``ik.mean_spread(h.final("test_acc"))`` or count the seeds in a category.

:func:`initkit.fit_many` does the same as one batched computation for MLPs (BatchNorm included);
this loop also takes what ``fit`` takes (``snapshot_every``, an optimizer object, any loss) and keeps each
seed's trained network and full History. (At the sizes of notebooks 06 and 07, 64-128 units, the matrix
products dominate, not Python: stacking five seeds measured 0-25 % faster there, not five times.)
"""
from dataclasses import dataclass

import numpy as np

from ..core.array_constraints import Data
from ..core.constraints import AnyOf, Constraint, Instance
from ..core.validation import check_number, validate_params
from .runs import Runs
from .progress import progress_bar
from .training import fit

__all__ = ["SeedsHistory", "fit_seeds"]


def _padded(rows, width):
    out = np.full((len(rows), width), np.nan)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out


@dataclass
class SeedsHistory(Runs):
    """Results of :func:`fit_seeds`, one row per seed; epochs after a divergence are NaN.

    ``histories`` and ``nets``: the :class:`~initkit.nn.training.History` and trained network of each seed.
    Summaries per seed (``final``, ``steps_to``, ``epochs_to``): :class:`~initkit.nn.runs.Runs`.
    """

    seeds: list
    histories: list
    nets: list
    n_epochs: int = None  # the epochs asked for (arrays keep this width even when every run diverged)

    def _stack(self, name, width):
        return _padded([getattr(h, name) for h in self.histories], width)

    @property
    def epochs(self):
        done = max(len(h.train_loss) for h in self.histories)
        return max(done, self.n_epochs or 0)

    @property
    def train_loss(self):
        """(seeds, epochs): mean training loss of each epoch."""
        return self._stack("train_loss", self.epochs)

    @property
    def test_loss(self):
        return self._stack("test_loss", self.epochs)

    @property
    def test_acc(self):
        return self._stack("test_acc", self.epochs)

    @property
    def step_loss(self):
        """(seeds, steps): the loss of every mini-batch."""
        return self._stack("step_loss", max(len(h.step_loss) for h in self.histories))

    @property
    def diverged(self):
        """(seeds,) booleans: the run diverged (see :func:`initkit.fit` for the rule) and stopped."""
        return np.array([h.diverged for h in self.histories])

    def __repr__(self):
        return f"SeedsHistory({len(self.seeds)} seeds, {self.epochs} epochs, {int(self.diverged.sum())} diverged)"


MAX_SEEDS = 10_000  # one trained network each: more is a typo (seeds=10**9 would fill the memory with nets)


class _MakeNet(Constraint):
    """A function seed -> network (not a network: each seed needs its own)."""

    def check(self, name, value, args):
        if not callable(value) or hasattr(value, "layers"):
            raise ValueError(f"{name} must be a function seed -> network; got {type(value).__name__}")
        return value

    def bad_values(self):
        return [None, 3, "net", [1]]


class _Seeds(Constraint):
    """A count n (seeds 0 .. n-1) or a non-empty list of non-negative int seeds, at most :data:`MAX_SEEDS`;
    returned as a list."""

    def check(self, name, value, args):
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return list(range(check_number(name, value, low=1, high=MAX_SEEDS, integer=True)))
        if isinstance(value, (str, bytes, dict, set, bool)) or not hasattr(value, "__len__") or np.ndim(value) != 1:
            raise TypeError(f"{name} must be a positive count or a non-empty list of int seeds; got {value!r:.80}")
        if not 1 <= len(value) <= MAX_SEEDS:
            raise ValueError(f"{name} must be a positive count or a non-empty list of at most {MAX_SEEDS} seeds; got "
                             + ("an empty list" if not len(value) else f"{len(value)} seeds"))
        return [check_number(f"each entry of {name}", s, low=0, integer=True) for s in value]

    def bad_values(self):
        return [None, "abc", 0, -1, 10**9, 1.5, True, [], [-1], [0.5], [[0]], list(range(MAX_SEEDS + 1))]


@validate_params({"make_net": _MakeNet(), "data": AnyOf(Instance("a Dataset", ("X_train",)), Data(ndim=2)),
                  "seeds": _Seeds()})
def fit_seeds(make_net, data, seeds=5, **fit_kwargs):
    """Train ``make_net(seed)`` on ``data`` for each seed with ``ik.fit(net, data, rng=seed, **fit_kwargs)``.

    ``seeds``: a count n (seeds 0 .. n-1) or a list of seeds. Returns a :class:`SeedsHistory`. Progress:
    one bar over every seed's epochs (``progress`` as in ``fit``).

    >>> import initkit as ik
    >>> h = ik.fit_seeds(lambda s: ik.MLP([64, 32, 10], rng=s), ik.load_dataset("digits", rng=0), seeds=3, epochs=2)
    >>> h.test_acc.shape
    (3, 2)
    """
    if "rng" in fit_kwargs:
        raise ValueError("fit_seeds passes each seed as fit's rng; do not give rng")
    bar = progress_bar(fit_kwargs.pop("progress", None), len(seeds) * fit_kwargs.get("epochs", 10))
    nets, histories = [], []
    for seed in seeds:
        net = make_net(seed)
        histories.append(fit(net, data, rng=seed, progress=bar, **fit_kwargs))
        nets.append(net)
    return SeedsHistory(seeds, histories, nets, fit_kwargs.get("epochs", 10))
