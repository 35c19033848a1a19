"""Many networks trained at once (one per seed or per setting).

One training run is one draw: a conclusion about an initialization needs several seeds, and a lesson that
compares scales needs several settings. ``fit_many`` trains K MLPs of one architecture as one stacked
computation: layer l's weights become one ``(K, fan_in, fan_out)`` array and each matrix product is one
batched ``np.matmul``, so the Python overhead is paid once per step, not once per network. Network k gets
exactly the update :func:`initkit.fit` would give it alone (SGD with momentum, the same loss, the same
mini-batch order, the same divergence rule: :class:`initkit.nn.divergence.DivergenceCheck`); tests check it.

Their results are printed with :func:`initkit.measure.summary.mean_spread` (reporting lives in ``measure``).
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, AnyOf, Callable, Instance, Integer, Optional, Options, Real
from ..core.array_constraints import Data, Targets
from ..core.losses import ALIASES, LOSSES
from ..core.validation import MAX_ELEMENTS, check_number, make_rng, validate_params
from .divergence import DIVERGENCE_FACTOR, DivergenceCheck, chance_loss
from ..core.losses import get_loss
from .runs import Runs
from .stacked_updates import StackedAdam, StackedSGD, step_sizes
from .training import default_loss, training_arrays

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


def _stacked_loss(name):
    """Batched versions of the losses in :mod:`initkit.core.losses`: outputs (K, B, C), targets with K rows ->
    per-network loss (K,) and dL/d(outputs), with the arithmetic of the single-network loss."""

    def softmax_cross_entropy(out, y):
        shifted = out - out.max(axis=2, keepdims=True)
        log_z = np.log(np.exp(shifted).sum(axis=2))
        picked = np.take_along_axis(shifted, y[:, :, None], axis=2)[:, :, 0]
        loss = np.mean(log_z - picked, axis=1)
        grad = np.exp(shifted - log_z[:, :, None])  # softmax
        np.put_along_axis(grad, y[:, :, None], np.take_along_axis(grad, y[:, :, None], axis=2) - 1.0, axis=2)
        return loss, grad / out.shape[1]  # dL/dz = (p - onehot(y)) / batch size

    def sigmoid_binary_cross_entropy(out, y):
        z = out[:, :, 0]
        t = y.reshape(z.shape).astype(out.dtype)
        loss = np.mean(np.logaddexp(0.0, z) - t * z, axis=1)
        e = np.exp(-np.abs(z))
        prob = np.where(z >= 0, 1.0, e) / (1.0 + e)
        return loss, ((prob - t) / z.shape[1])[:, :, None].astype(out.dtype, copy=False)

    def mean_squared_error(out, y):
        diff = out - y.astype(out.dtype).reshape(out.shape)
        return 0.5 * np.sum(diff * diff, axis=(1, 2)) / out.shape[1], diff / out.shape[1]

    table = {f.__name__: f for f in (softmax_cross_entropy, sigmoid_binary_cross_entropy, mean_squared_error)}
    if name not in table:
        raise ValueError(f"loss must be one of {sorted(table)} for fit_many; got {name!r}")
    return table[name]


def _accuracy(out, y):
    """Per network, the fraction of rows classified right (argmax, or output > 0 for one output)."""
    pred = out.argmax(axis=2) if out.shape[2] > 1 else (out[:, :, 0] > 0)
    return np.mean(pred == y.reshape(pred.shape), axis=1)


def _forward(acts, Ws, bs, x):
    """Stacked forward pass z = x W + b, a = phi(z); returns the output and each layer's (input, z)."""
    cache = []
    for act, W, b in zip(acts, Ws, bs):
        z = x @ W
        z += b
        cache.append((x, z))
        x = z if act.name == "linear" else act(z)
    return x, cache


def _backward(acts, Ws, cache, da):
    """dL/dW and dL/db of every layer from da = dL/d(output): dz = da phi'(z), dW = x^T dz, da_prev = dz W^T."""
    grads = []
    for l in range(len(Ws) - 1, -1, -1):
        x, z = cache[l]
        dz = da if acts[l].name == "linear" else da * acts[l].derivative(z)
        grads[:0] = [np.swapaxes(x, -1, -2) @ dz, dz.sum(axis=-2, keepdims=True)]
        if l > 0:
            da = dz @ np.swapaxes(Ws[l], -1, -2)
    return grads


def _stack(nets):
    nets = list(nets)
    if not nets:
        raise ValueError("nets must hold at least one MLP; got an empty list")
    first = nets[0]
    acts = [layer.activation for layer in first.layers]
    for net in nets:
        if not (hasattr(net, "layers") and hasattr(net, "sizes")):
            raise TypeError(f"nets must hold MLPs; got {type(net).__name__}")
        if net.sizes != first.sizes or net.dtype != first.dtype or [l.activation for l in net.layers] != acts:
            raise ValueError(f"nets must share one architecture (sizes, activations, dtype); got {first!r} "
                             f"({first.dtype}) and {net!r} ({net.dtype})")
        if getattr(net, "norm", None) is not None:
            raise ValueError("fit_many does not support BatchNorm networks (norm='batch'); use ik.fit")
    return nets, acts


@validate_params({"nets": Instance("a non-empty list of MLPs", types=(list, tuple)),
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
             optimizer="sgd"):
    """Train the MLPs ``nets`` (one architecture, any weights) together (SGD or Adam); returns a :class:`ManyHistory`.

    Network k ends exactly where ``ik.fit(nets[k], X, y, lr=lr, momentum=momentum, epochs=epochs,
    batch_size=batch_size, divergence_factor=divergence_factor, rng=...)`` would, with ``rng`` shared by
    every network (one mini-batch order for all) or ``rngs[k]`` (each its own order); the trained weights
    are written back into ``nets``. ``X`` may be a :class:`~initkit.nn.data.Dataset` (its test split gives
    ``test_loss`` and ``test_acc``). ``loss`` as in :func:`initkit.fit`. No BatchNorm.
    ``lr`` is one number or one per network (a learning-rate sweep in one computation); ``lr_scales``
    (optional, one positive number per parameter array, as :class:`initkit.SGD`) multiplies each
    parameter's learning rate: the per-layer multipliers of :func:`initkit.parametrize`.
    ``optimizer="adam"`` trains with :class:`initkit.Adam` at its default betas and eps instead of SGD
    (``momentum`` must then be 0): network k ends where ``ik.fit(nets[k], ..., optimizer=ik.Adam(lr,
    lr_scales=lr_scales))`` would.

    >>> import initkit as ik
    >>> data = ik.load_dataset("digits", rng=0)
    >>> nets = [ik.MLP([64, 16, 10], rng=s) for s in range(3)]
    >>> h = fit_many(nets, data, epochs=2, rngs=range(3))
    >>> h.test_acc.shape
    (3, 2)
    """
    nets, acts = _stack(nets)
    X, y, X_test, y_test = training_arrays(nets[0], X, y, X_test, y_test, "fit_many")
    if np.ndim(lr) == 0:
        check_number("lr", lr, low=0, low_inclusive=False)
    else:
        lr = np.asarray(lr, dtype=np.float64)
        if lr.shape != (len(nets),) or not np.all(np.isfinite(lr) & (lr > 0)):
            raise ValueError(f"lr must be one positive number or one per network ({len(nets)}); got {lr!r:.80}")
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
    stacked_loss = _stacked_loss(loss_fn.__name__)
    classify = loss_fn.__name__ != "mean_squared_error" or y.ndim == 1
    checks = [DivergenceCheck(divergence_factor, *chance_loss(loss_fn, nets[0].sizes[-1], y)) for _ in nets]
    Ws = [np.stack([net.layers[l].W for net in nets]) for l in range(len(acts))]  # (K, fan_in, fan_out)
    bs = [np.stack([net.layers[l].b for net in nets])[:, None, :] for l in range(len(acts))]  # (K, 1, fan_out)
    params = [p for pair in zip(Ws, bs) for p in pair]
    rates = step_sizes(lr, lr_scales, params, dtype)
    update = (StackedAdam if optimizer == "adam" else StackedSGD)(params, rates, momentum=momentum)
    alive, diverged_at, reasons = np.ones(k, dtype=bool), np.zeros(k, dtype=np.int64), [None] * k
    step_loss, train_loss, train_acc, test_loss, test_acc = [], [], [], [], []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _ in range(epochs):
            order = np.stack([g.permutation(len(X)) for g in gens])  # (1 or K, n)
            total, correct = np.zeros(k), np.zeros(k)
            for start in range(0, len(X), batch_size):
                idx = order[:, start:start + batch_size]
                xb = X[idx[0]] if len(gens) == 1 else X[idx]  # (B, d) shared, or (K, B, d)
                yb = y[np.broadcast_to(idx, (k, idx.shape[1]))]
                out, cache = _forward(acts, Ws, bs, xb)
                value, da = stacked_loss(out, yb)
                step_loss.append(np.where(alive, value, np.nan))
                for i in np.flatnonzero(alive):
                    reasons[i] = checks[i](float(value[i]))
                    if reasons[i] is not None:
                        alive[i], diverged_at[i] = False, len(step_loss)
                keep = alive.astype(dtype)[:, None, None]  # a diverged network stops moving
                update.step(params, _backward(acts, Ws, cache, da), keep)
                total += np.where(alive, value, 0.0) * idx.shape[1]
                if classify:
                    correct += _accuracy(out, yb) * idx.shape[1]
            train_loss.append(np.where(alive, total / len(X), np.nan))
            train_acc.append(np.where(alive & classify, correct / len(X), np.nan))
            if X_test is not None:
                out, _ = _forward(acts, Ws, bs, X_test)
                targets = np.broadcast_to(y_test, (k, *np.shape(y_test)))
                value, _ = stacked_loss(out, targets)
                test_loss.append(np.where(alive, value, np.nan))
                test_acc.append(np.where(alive, _accuracy(out, targets), np.nan) if classify else np.full(k, np.nan))
    for i, net in enumerate(nets):
        for l, layer in enumerate(net.layers):
            layer.W[...] = Ws[l][i]
            layer.b[...] = bs[l][i, 0]
    as_rows = lambda xs: np.array(xs).T if xs else np.empty((k, 0))  # noqa: E731
    return ManyHistory(step_loss=as_rows(step_loss), train_loss=as_rows(train_loss),
                       train_acc=as_rows(train_acc), test_loss=as_rows(test_loss),
                       test_acc=as_rows(test_acc), diverged_at=diverged_at, diverged_reason=reasons)
