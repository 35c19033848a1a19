"""Notebook 11's experiments: how training changes with width under SP, NTK and muP.

``coordinate_check`` is the muP "coordinate check" (Yang et al. 2022, Tensor Programs V, section 4 /
appendix): train a few SGD or Adam steps at several widths and measure, per layer, how much each coordinate
of the layer's output moved, mean |h_t(x) - h_0(x)| on a fixed probe batch. A parametrization that scales
right keeps that number flat across width; in SP it grows with width. ``lr_sweep`` trains every
(learning rate, seed) pair of one width as one stacked computation (:func:`initkit.fit_many`) and returns the
test loss, so the loss-vs-log2(lr) curve of each width is one call. ``best_log2_lr`` reads the optimum per seed.
"""
from dataclasses import dataclass

import numpy as np

from ..core.losses import softmax_cross_entropy
from ..core.constraints import RNG, Dtype, Instance, Integer, Optional, Options, Real, Sizes
from ..core.array_constraints import Data
from ..core.validation import MAX_ELEMENTS, check_number, make_rng, validate_params
from ..nn.multiseed import fit_many
from ..nn.optimizers import SGD, Adam
from ..nn.parametrization import PARAMETRIZATIONS, parametrize
from ..nn.progress import progress_bar

__all__ = ["CoordinateCheck", "LrSweep", "coordinate_check", "lr_sweep", "best_log2_lr", "width_slope",
           "width_records", "width_selection", "best_lr_shift", "width_init_scales"]


@dataclass
class CoordinateCheck:
    """mean |Delta h| per (seed, width, step, layer): ``delta`` has shape (n_seeds, n_widths, steps, n_layers)."""

    parametrization: str
    widths: list
    delta: np.ndarray
    layer_names: list

    def mean(self):
        """Mean over seeds: (n_widths, steps, n_layers)."""
        return self.delta.mean(axis=0)


@dataclass
class LrSweep:
    """Test loss per (width, learning rate, seed) after training; inf where the run diverged."""

    parametrization: str
    widths: list
    log2_lrs: np.ndarray
    loss: np.ndarray


DATA = Instance("a Dataset (X_train, y_train, X_test, y_test, n_classes)",
                ("X_train", "y_train", "X_test", "y_test", "n_classes"))
WIDTHS = Sizes(min_len=1, max_len=64, high=2**14, what="widths")
COMMON = {"data": DATA, "widths": WIDTHS, "parametrization": Options(PARAMETRIZATIONS), "depth": Integer(2, 100),
          "base_width": Optional(Integer(1, 2**14)), "rng": RNG}
POSITIVE = Data(ndim=1, min_rows=2, what="of positive numbers", bounds=(0, 1e300), positive=True)


def _weights(a, copies=1):
    """Weights of the widest network times the number of networks trained at once."""
    return copies * (a["depth"] + 1) * max(a["widths"]) ** 2


@validate_params({"widths": POSITIVE, "values": POSITIVE})
def width_slope(widths, values):
    """The least-squares slope of log(values) against log(widths): values ~ width**slope.

    >>> print(f"{width_slope([32, 64, 128], [1.0, 2.0, 4.0]):.2f}")
    1.00
    """
    if len(values) != len(widths):
        raise ValueError(f"values must hold one number per width ({len(widths)}); got {len(values)}")
    return float(np.polyfit(np.log(widths), np.log(values), 1)[0])


@validate_params({**COMMON, "lr": Real(0, 1e6, closed="right"), "steps": Integer(1, 100), "seeds": Integer(1, 100),
                  "optimizer": Options(("sgd", "adam")), "batch_size": Integer(1, MAX_ELEMENTS),
                  "n_probe": Integer(1, MAX_ELEMENTS)},
                 budget={"widths, depth and seeds": (lambda a: _weights(a, a["seeds"] * len(a["widths"])),
                                                     "weights trained (seeds x widths x depth x width^2)")})
def coordinate_check(data, widths, parametrization="sp", *, lr=0.1, steps=5, seeds=3, depth=3, base_width=None,
                     optimizer="sgd", batch_size=64, n_probe=128, rng=0):
    """Train ``steps`` steps at each width and record mean |h_t - h_0| of every layer's output on a probe batch.

    ``depth`` weight matrices (input, depth-2 hidden, output); h is each hidden layer's activation (ReLU)
    and the output logits. One mini-batch order per seed, shared by all widths. ``base_width`` defaults
    to the smallest width (there muP = SP). Returns a :class:`CoordinateCheck`.

    >>> import initkit as ik
    >>> data = ik.load_dataset("digits", rng=0)
    >>> cc = coordinate_check(data, [32, 128], "sp", steps=2, seeds=1)
    >>> cc.delta.shape
    (1, 2, 2, 3)
    """
    if steps * batch_size > len(data.X_train):
        raise ValueError(f"steps x batch_size must be <= the {len(data.X_train)} training samples (one pass, no "
                         f"repeats); got steps={steps}, batch_size={batch_size}")
    base_width = min(widths) if base_width is None else base_width
    X, y = data.X_train, data.y_train
    probe = data.X_test[:n_probe]
    delta = np.zeros((seeds, len(widths), steps, depth))
    master = make_rng(rng)
    seed_values = master.integers(0, 2**31, size=seeds)
    for s, seed in enumerate(seed_values):
        order = make_rng(int(seed)).permutation(len(X))[:steps * batch_size].reshape(steps, batch_size)
        for j, width in enumerate(widths):
            sizes = [X.shape[1]] + [width] * (depth - 1) + [data.n_classes]
            net, scales = parametrize(sizes, parametrization, base_width=base_width, optimizer=optimizer,
                                      rng=int(seed) + j)
            opt = (SGD if optimizer == "sgd" else Adam)(lr=lr, lr_scales=scales)
            net.forward(probe)
            h0 = [a.copy() for a in net.activations]
            for t in range(steps):
                _, grad = softmax_cross_entropy(net.forward(X[order[t]]), y[order[t]])
                net.backward(grad)
                opt.step(net.parameters(), net.gradients())
                net.forward(probe)
                delta[s, j, t] = [np.mean(np.abs(a - a0)) for a, a0 in zip(net.activations, h0)]
    names = ["input"] + [f"hidden {i}" for i in range(1, depth - 1)] + ["output"]
    return CoordinateCheck(parametrization, widths, delta, names)


@validate_params({**COMMON, "log2_lrs": Data(ndim=1, min_rows=1, what="of log2 learning rates", bounds=(-60, 60)),
                  "optimizer": Options(("sgd", "adam")), "seeds": Integer(1, 100), "epochs": Integer(1, 1000),
                  "batch_size": Integer(1, MAX_ELEMENTS), "n_train": Optional(Integer(1, MAX_ELEMENTS)), "dtype": Dtype},
                 budget={"widths, log2_lrs, depth and seeds": (
                     lambda a: _weights(a, a["seeds"] * len(a["log2_lrs"])),
                     "weights trained at once (seeds x learning rates x depth x width^2)")})
def lr_sweep(data, widths, log2_lrs, parametrization="sp", *, optimizer="sgd", seeds=3, depth=3, base_width=None,
             epochs=1, batch_size=32, n_train=None, dtype=np.float32, rng=0, progress=None):
    """Test loss of every (width, lr, seed) after ``epochs`` of ``optimizer`` ("sgd" or "adam") training: one
    :func:`initkit.fit_many` per width (one progress bar over all of them; ``progress`` as in ``fit``).

    Networks of one seed share their initial draw (up to the parametrization's scaling) and mini-batch
    order across learning rates, so a curve's wiggles are the learning rate's, not the draw's. Returns an
    :class:`LrSweep` (loss inf where fit's divergence rule stopped the run).

    >>> import initkit as ik
    >>> data = ik.load_dataset("digits", rng=0)
    >>> sw = lr_sweep(data, [32], [-4, -2], seeds=2, n_train=256)
    >>> sw.loss.shape
    (1, 2, 2)
    """
    log2_lrs = log2_lrs.astype(np.float64)
    base_width = min(widths) if base_width is None else base_width
    X, y = data.X_train[:n_train], data.y_train[:n_train]
    seed_values = [int(s) for s in make_rng(rng).integers(0, 2**31, size=seeds)]
    loss = np.zeros((len(widths), len(log2_lrs), seeds))
    bar = progress_bar(progress, len(widths) * epochs)
    for j, width in enumerate(widths):
        sizes = [X.shape[1]] + [int(width)] * (depth - 1) + [data.n_classes]
        nets, scales = [], None
        for _ in log2_lrs:
            for seed in seed_values:
                net, scales = parametrize(sizes, parametrization, base_width=base_width, optimizer=optimizer,
                                          dtype=dtype, rng=seed)
                nets.append(net)
        lrs = np.repeat(2.0 ** log2_lrs, seeds)
        rngs = [seed for _ in log2_lrs for seed in seed_values]
        h = fit_many(nets, X, y, X_test=data.X_test, y_test=data.y_test, lr=lrs, lr_scales=scales,
                     epochs=epochs, batch_size=batch_size, rngs=rngs, optimizer=optimizer, progress=bar)
        final = np.where(h.diverged | ~np.isfinite(h.test_loss[:, -1]), np.inf, h.test_loss[:, -1])
        loss[j] = final.reshape(len(log2_lrs), seeds)
    return LrSweep(parametrization, [int(w) for w in widths], log2_lrs, loss)


def width_records(data, parametrizations=("sp", "mup"), optimizer="adam", rng=0):
    """Small learning-rate sweeps and coordinate checks (about a second of CPU) for the width widget when the
    notebook passes none: widths 32, 64, 128; log2(lr) from -10 to -4; two seeds; 512 training samples.
    Returns ``(sweeps, checks)``, dicts keyed by parametrization."""
    widths = [32, 64, 128]
    sweeps = {p: lr_sweep(data, widths, np.arange(-10, -3), p, optimizer=optimizer, seeds=2, base_width=32,
                          n_train=512, rng=rng) for p in parametrizations}
    checks = {p: coordinate_check(data, widths, p, optimizer=optimizer, lr=2.0**-6, steps=3, seeds=2, rng=rng)
              for p in parametrizations}
    return sweeps, checks


SWEEP = {"sweep": Instance("an LrSweep (from lr_sweep)", types=(LrSweep,))}


@validate_params(SWEEP)
def best_log2_lr(sweep):
    """log2 of the best learning rate of every (width, seed): (n_widths, n_seeds), from the grid."""
    return sweep.log2_lrs[np.argmin(sweep.loss, axis=1)]


def width_selection(sweep, check, width, step=1):
    """The widget's step: what to show for ``width`` (the nearest measured width in each record) after ``step``
    steps: the widths picked, mean |Delta h| per layer there, and the best log2(lr) of every seed."""
    check_number("step", step, low=1, high=check.delta.shape[2], integer=True)
    j = int(np.argmin(np.abs(np.log(sweep.widths) - np.log(width))))
    k = int(np.argmin(np.abs(np.log(check.widths) - np.log(width))))
    best = best_log2_lr.__wrapped__(sweep)[j]
    return {"sweep_width": sweep.widths[j], "check_width": check.widths[k],
            "delta": check.delta[:, k, step - 1].mean(axis=0),
            "best_per_seed": [int(b) if float(b).is_integer() else float(b) for b in best]}


@validate_params(SWEEP)
def best_lr_shift(sweep):
    """How far the best learning rate moves from the narrowest to the widest width, per seed (seeds paired).

    Returns ``(best, shift)``: ``best`` (n_widths, n_seeds) is log2 of each seed's best grid learning rate,
    ``shift`` (n_seeds,) is best[widest] - best[narrowest] in octaves (factors of 2); a mean shift smaller
    than its seed spread is no evidence of a shift.
    """
    best = best_log2_lr.__wrapped__(sweep)
    return best, best[-1] - best[0]


@validate_params({**COMMON, "n_probe": Integer(2, MAX_ELEMENTS)},
                 budget={"widths and depth": (_weights, "weights (depth x width^2)")})
def width_init_scales(data, widths, parametrization="sp", *, depth=3, base_width=None, n_probe=64, rng=0):
    """At initialization, per width: the last hidden features' inner product h(x).h(x') / n averaged over
    probe pairs (x != x'), the rms of the back-propagated gradient dL/dh into them, and the rms of the output.

    These are the factors of one step's output change: Delta f(x) = -lr sum_b h(x).h(x_b) delta_b / B, and of
    a hidden layer's change, lr * n * rms(dL/dh): the derivation of notebook 11. Returns (n_widths, 3).
    """
    base_width = min(widths) if base_width is None else base_width
    x, y = data.X_test[:n_probe], data.y_test[:n_probe]
    if len(x) < 2:
        raise ValueError(f"n_probe needs at least 2 test samples (pairs x != x'); data has {len(data.X_test)}")
    rows = []
    for width in widths:
        sizes = [x.shape[1]] + [int(width)] * (depth - 1) + [data.n_classes]
        net, _ = parametrize(sizes, parametrization, base_width=base_width, rng=rng)
        out = net.forward(x)
        _, grad = softmax_cross_entropy(out, y)
        grads = net.backward(grad * len(x))  # per-example dL/dh (undo the batch mean)
        h = net.activations[-2]
        gram = h @ h.T / width
        off = gram[~np.eye(len(x), dtype=bool)]
        rows.append([off.mean(), np.sqrt(np.mean(grads.da[-2] ** 2)), np.sqrt(np.mean(out ** 2))])
    return np.array(rows)
