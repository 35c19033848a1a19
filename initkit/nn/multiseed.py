"""Many networks trained at once (one per seed or per setting).

One training run is one draw: a conclusion about an initialization needs several seeds, and a lesson that
compares scales needs several settings. ``fit_many`` trains K MLPs of one architecture as one stacked
computation: layer l's weights become one ``(K, fan_in, fan_out)`` array and each matrix product is one
batched ``np.matmul`` (a stacked :class:`~initkit.nn.network.MLP`, the same dense engine as ``fit``), so the
Python overhead is paid once per step, not once per network. Network k gets exactly the update
:func:`initkit.fit` would give it alone (the same optimizer, loss, mini-batch order and divergence rule:
:class:`initkit.nn.divergence.DivergenceCheck`, and the same epoch loop, :func:`initkit.nn.training.epoch_loop`);
tests check it.

Their results are printed with :func:`initkit.measure.summary.mean_spread` (reporting lives in ``measure``).
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, AnyOf, Callable, Constraint, Instance, Integer, Optional, Options, Real
from ..core.array_constraints import Data, Targets
from ..core.losses import ALIASES, LOSSES
from ..core.validation import MAX_ELEMENTS, check_number, make_rng, validate_params
from .divergence import DIVERGENCE_FACTOR, DivergenceCheck, chance_loss
from ..core.losses import get_loss, unchecked
from .network import MLP
from .optimizers import SGD, Adam
from .runs import Runs
from .training import default_loss, epoch_loop, minibatches, training_arrays

__all__ = ["ManyHistory", "fit_many"]


@dataclass
class ManyHistory(Runs):
    """What happened to each of K networks trained by :func:`fit_many`, one row per network.

    ``step_loss`` is (K, steps); ``train_loss``, ``train_acc``, ``test_loss``, ``test_acc`` are (K, epochs)
    (training metrics are means over each epoch's mini-batches; test metrics are empty without a test
    set). A network stops at its first diverged step, as in :func:`initkit.fit`: ``diverged_at`` holds
    that step (1-based; 0 if it never diverged), ``diverged_reason`` why, and its later entries are nan.
    Summaries per network (``final``, ``steps_to``, ``epochs_to``) as for every trainer: :class:`~initkit.nn.runs.Runs`.
    """

    step_loss: np.ndarray
    train_loss: np.ndarray
    train_acc: np.ndarray
    test_loss: np.ndarray
    test_acc: np.ndarray
    diverged_at: np.ndarray
    diverged_reason: list

    @property
    def diverged(self):
        return self.diverged_at > 0

    def __repr__(self):
        k, epochs = self.train_loss.shape
        return (f"ManyHistory({k} networks, {epochs} epochs, {self.step_loss.shape[1]} steps, "
                f"{int(self.diverged.sum())} diverged)")


class _Nets(Constraint):
    """A non-empty list (or tuple) of MLPs."""

    def check(self, name, value, args):
        if not isinstance(value, (list, tuple)) or not value:
            raise TypeError(f"{name} must be a non-empty list of MLPs; got {value!r:.60}")
        for i, net in enumerate(value):
            if not isinstance(net, MLP):
                raise TypeError(f"{name} must be a non-empty list of MLPs; got item {i} of type {type(net).__name__}")
        return value

    def bad_values(self):
        return [None, 3, [], [1, 0], "net"]


def _accuracy(out, y):
    """Per network, the fraction of rows classified right (argmax, or output > 0 for one output)."""
    pred = out.argmax(axis=2) if out.shape[2] > 1 else (out[:, :, 0] > 0)
    return np.mean(pred == y.reshape(pred.shape), axis=1)


@validate_params({"nets": _Nets(),
                  "loss": Optional(AnyOf(Options({*LOSSES, *ALIASES}), Callable())),
                  "X": AnyOf(Data(ndim=2, columns=lambda a: a["nets"][0].sizes[0] if a["nets"] else None),
                             Instance("a Dataset", ("X_train", "y_train"))),
                  "y": Targets("X", lambda a: max(getattr(a["nets"][0], "sizes", [2])[-1], 2) if a["nets"] else None),
                  "y_test": Targets("X_test", lambda a: max(getattr(a["nets"][0], "sizes", [2])[-1], 2) if a["nets"] else None),
                  "lr_scales": Optional(Data(ndim=1, what="(one multiplier per parameter array)", bounds=(0, 1e300),
                                             positive=True)),
                  "lr": AnyOf(Real(0, closed="right"), Data(ndim=1, what="(one learning rate per network)")),
                  "momentum": Real(0, 1), "epochs": Integer(1, 10**6), "batch_size": Integer(1, MAX_ELEMENTS),
                  "divergence_factor": Optional(Real(1, closed="right")), "rng": RNG,
                  "optimizer": Options(("sgd", "adam"))},
                 budget={"epochs and X": (lambda a: a["epochs"] * len(getattr(a["X"], "X_train", a["X"])),
                                          "samples seen (epochs x rows of X)")})
def fit_many(nets, X, y=None, *, X_test=None, y_test=None, loss=None, lr=0.1, momentum=0.0, epochs=10,
             batch_size=32, divergence_factor=DIVERGENCE_FACTOR, rng=None, rngs=None, lr_scales=None,
             optimizer="sgd", progress=None):
    """Train the MLPs ``nets`` (one architecture, any weights) together (SGD or Adam); returns a :class:`ManyHistory`.

    Network k ends exactly where ``ik.fit(nets[k], X, y, lr=lr, momentum=momentum, epochs=epochs,
    batch_size=batch_size, divergence_factor=divergence_factor, rng=...)`` would, with ``rng`` shared by
    every network (one mini-batch order for all) or ``rngs[k]`` (each its own order); the trained weights
    are written back into ``nets``. ``X`` may be a :class:`~initkit.nn.data.Dataset` (its test split gives
    ``test_loss`` and ``test_acc``). ``loss`` as in :func:`initkit.fit`. BatchNorm networks (``norm="batch"``)
    too: each network's BatchNorm normalizes over its own mini-batches, and the test set is evaluated in
    inference mode (running statistics), as in ``fit``.
    ``lr`` is one number or one per network (a learning-rate sweep in one computation); ``lr_scales``
    (optional, one positive number per parameter array, as :class:`initkit.SGD`) multiplies each
    parameter's learning rate: the per-layer multipliers of :func:`initkit.parametrize`.
    ``optimizer="adam"`` trains with :class:`initkit.Adam` at its default betas and eps instead of SGD
    (``momentum`` must then be 0): network k ends where ``ik.fit(nets[k], ..., optimizer=ik.Adam(lr,
    lr_scales=lr_scales))`` would. ``progress`` as in :func:`initkit.fit`.

    The networks are stacked into one ``MLP(..., n_stack=K)`` (:meth:`initkit.MLP.stack`): the same
    :class:`~initkit.nn.network.Dense` engine, losses and optimizers as ``fit``, each product one batched
    matmul, so the Python overhead is paid once per step, not once per network.

    >>> import initkit as ik
    >>> data = ik.load_dataset("digits", rng=0)
    >>> nets = [ik.MLP([64, 16, 10], rng=s) for s in range(3)]
    >>> h = fit_many(nets, data, epochs=2, rngs=range(3))
    >>> h.test_acc.shape
    (3, 2)
    """
    nets = list(nets)  # (the declaration checked that every item is an MLP)
    stack = MLP.stack(nets)
    X, y, X_test, y_test = training_arrays(nets[0], X, y, X_test, y_test, "fit_many")
    if np.ndim(lr) == 0:
        check_number("lr", lr, low=0, low_inclusive=False)
    else:
        lr = np.asarray(lr, dtype=np.float64)
        if lr.shape != (len(nets),) or not np.all(np.isfinite(lr) & (lr > 0)):
            raise ValueError(f"lr must be one positive number or one per network ({len(nets)}); got {lr!r:.80}")
    if optimizer == "adam" and momentum:
        raise ValueError(f"momentum is SGD's; Adam has its own (beta1): got momentum={momentum!r} with Adam")
    if rng is not None and rngs is not None:
        raise ValueError("give rng (one mini-batch order for all networks) or rngs (one per network), not both")
    k, dtype = len(nets), nets[0].dtype
    if rngs is not None:
        gens = [make_rng(r) for r in rngs]
        if len(gens) != k:
            raise ValueError(f"rngs must have one entry per network ({k}); got {len(gens)}")
    else:
        gens = [make_rng(rng)]
    loss_fn = get_loss(loss or default_loss(nets[0]))
    classify = loss_fn.__name__ != "mean_squared_error" or y.ndim == 1
    for targets in (y, y_test) if X_test is not None else (y,):  # the targets suit the loss: checked once, here
        loss_fn(np.zeros((len(targets), nets[0].sizes[-1]), dtype), targets)
    step_loss_fn = unchecked(loss_fn)
    checks = [DivergenceCheck(divergence_factor, *chance_loss(loss_fn, nets[0].sizes[-1], y)) for _ in nets]
    if optimizer == "adam":
        update = Adam(lr=lr, lr_scales=lr_scales)
    else:
        update = SGD(lr=lr, momentum=momentum, lr_scales=lr_scales)
    params, grads = stack.parameters(), stack.gradients()  # backprop fills the same gradient arrays every step
    alive, diverged_at, reasons = np.ones(k, dtype=bool), np.zeros(k, dtype=np.int64), [None] * k
    norms = [layer.norm for layer in stack.layers if layer.norm is not None]
    frozen = {}  # a diverged network's BatchNorm running statistics, as fit leaves them when it stops
    step_loss, train_loss, train_acc, test_loss, test_acc = [], [], [], [], []

    def epoch(_):
        order = np.stack([g.permutation(len(X)) for g in gens])  # (1 or K, n)
        total, correct = np.zeros(k), np.zeros(k)
        for idx in minibatches(order, batch_size):
            if not alive.any():  # every network has stopped: nothing left to compute (the rngs still advance)
                step_loss.append(np.full(k, np.nan))
                continue
            xb = X[idx[0]] if len(gens) == 1 else X[idx]  # (B, d) shared, or (K, B, d)
            yb = y[np.broadcast_to(idx, (k, idx.shape[1]))]
            out = stack.run(xb)
            value, da = step_loss_fn(out, yb)
            step_loss.append(np.where(alive, value, np.nan))
            for i in np.flatnonzero(alive):
                reasons[i] = checks[i](float(value[i]))
                if reasons[i] is not None:
                    alive[i], diverged_at[i] = False, len(step_loss)
                    frozen[i] = [(n.running_mean[i].copy(), n.running_var[i].copy()) for n in norms]
            stack.backprop(da)
            update.apply(params, grads, None if alive.all() else alive.astype(dtype))  # a diverged one stops moving
            total += np.where(alive, value, 0.0) * idx.shape[1]
            if classify:
                correct += _accuracy(out, yb) * idx.shape[1]
        train_loss.append(np.where(alive, total / len(X), np.nan))
        train_acc.append(np.where(alive & classify, correct / len(X), np.nan))
        if X_test is not None and not alive.any():
            test_loss.append(np.full(k, np.nan))
            test_acc.append(np.full(k, np.nan))
        elif X_test is not None:
            stack.eval()  # BatchNorm: running statistics, not the test set's own
            out = stack.run(X_test)
            stack.train()
            targets = np.broadcast_to(y_test, (k, *np.shape(y_test)))
            value, _ = step_loss_fn(out, targets)
            test_loss.append(np.where(alive, value, np.nan))
            test_acc.append(np.where(alive, _accuracy(out, targets), np.nan) if classify else np.full(k, np.nan))
        return float(np.nanmean(train_loss[-1])) if alive.any() else float("nan")  # stopped ones stay NaN

    epoch_loop(epochs, epoch, progress)
    for i, stats in frozen.items():
        for n, (mean, var) in zip(norms, stats):
            n.running_mean[i], n.running_var[i] = mean, var
    stack.unstack_into(nets)
    as_rows = lambda xs: np.array(xs).T if xs else np.empty((k, 0))  # noqa: E731
    return ManyHistory(step_loss=as_rows(step_loss), train_loss=as_rows(train_loss),
                       train_acc=as_rows(train_acc), test_loss=as_rows(test_loss),
                       test_acc=as_rows(test_acc), diverged_at=diverged_at, diverged_reason=reasons)
