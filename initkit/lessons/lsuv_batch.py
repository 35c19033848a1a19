"""How many samples does LSUV need? Initialize on a small batch, measure on held-out data.

``lsuv_batch_experiment`` is the function behind notebook 05's checked cell (one draw of the batch);
``lsuv_batch_draws`` repeats it over several draws of the batch from one orthonormal start, so a view can
show the spread: with 2 samples one draw can look better than a draw of 4 by luck. ``LSUVView`` draws the
held-out variance per layer for every draw, the median, and the tolerance band around 1.
"""
import functools
import warnings

import numpy as np

from ..core.constraints import RNG, Integer, Options, Real
from ..core.activations import ACTIVATIONS, Activation
from ..core.validation import check_number, validate_params
from ..core.basic_init import orthogonal
from ..nn.data import cached_dataset
from ..init.lsuv import lsuv
from ..nn.network import MLP


BATCH = {"batch_size": Integer(2, 10**6), "depth": Integer(1, 1000),
         "activation": Options(ACTIVATIONS, types=(Activation,)), "width": Integer(1, 4096),
         "tol": Real(0, 1e6, closed="right"), "rng": RNG}
BUDGET = {"depth and width": (lambda a: a["depth"] * a["width"] ** 2, "weights (depth x width^2)")}


@validate_params(BATCH, budget=BUDGET)
def lsuv_batch_experiment(batch_size=32, depth=20, activation="tanh", width=128, tol=0.1, rng=0):
    """LSUV on ``batch_size`` digits, then the per-layer pre-activation variance on the held-out test split.

    Returns ``{"report": LSUVReport, "batch_var": array, "held_out_var": array}``.
    """
    data = cached_dataset("digits")
    gen = np.random.default_rng(rng)
    batch = data.X_train[gen.choice(len(data.X_train), size=min(batch_size, len(data.X_train)), replace=False)]
    net = MLP([data.n_features] + [width] * depth + [data.n_classes], activation=activation, rng=gen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # non-convergence is visible in the report and the plot
        report = lsuv(net, batch, tol=tol, rng=gen)
    net.forward(data.X_test)
    held_out = np.array([z.var() for z in net.pre_activations])
    return {"report": report, "batch_var": report.column("var_after"), "held_out_var": held_out}


@functools.lru_cache(maxsize=8)
def _orthonormal_start(depth, activation, width, seed):
    """One orthonormal initialization (LSUV's first step), shared by every draw of the batch."""
    data = cached_dataset("digits")
    sizes = [data.n_features] + [width] * depth + [data.n_classes]
    gen = np.random.default_rng([seed, 0x15])
    weights = tuple(orthogonal((a, b), rng=gen, dtype=np.float32) for a, b in zip(sizes[:-1], sizes[1:]))
    for W in weights:
        W.setflags(write=False)
    return sizes, weights


def lsuv_batch_draws(batch_size=32, depth=20, activation="tanh", n_draws=5, width=128, tol=0.1, rng=0):
    """LSUV's scaling step on ``n_draws`` independent batches of ``batch_size`` training digits, all from the
    same orthonormal start; the held-out (test split) pre-activation variance per layer for each draw.

    Returns ``{"batch_var": (n_draws, depth + 1), "held_out_var": (n_draws, depth + 1), "worst": (n_draws,)}``,
    where ``worst`` is each draw's largest factor between the held-out variance and 1 (``exp max |ln var|``).
    ``rng`` is an integer seed. float32, so that the widget's step stays fast.
    """
    check_number("batch_size", batch_size, low=2, integer=True)
    check_number("depth", depth, low=1, integer=True)
    check_number("n_draws", n_draws, low=1, integer=True)
    data = cached_dataset("digits")
    sizes, start = _orthonormal_start(depth, activation, width, int(rng))
    x_test = data.X_test.astype(np.float32)
    batch_var, held_out = [], []
    # One network for every draw (building one costs as much as its LSUV): each draw restarts it from the
    # orthonormal weights; LSUV without centering rescales W only, so the zero biases stay as built.
    net = MLP(sizes, activation=activation, init="zeros", dtype=np.float32)
    for k in range(n_draws):
        gen = np.random.default_rng([int(rng), k])
        batch = data.X_train[gen.choice(len(data.X_train), size=min(batch_size, len(data.X_train)), replace=False)]
        for layer, W in zip(net.layers, start):
            layer.W[...] = W
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # non-convergence shows in the plot
            report = lsuv(net, batch, tol=tol, orthonormal=False)
            net.forward(x_test)
            held_out.append([float(np.var(z, dtype=np.float64)) for z in net.pre_activations])
        batch_var.append(report.column("var_after"))
    held_out = np.array(held_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        worst = np.exp(np.nanmax(np.abs(np.log(np.where(held_out > 0, held_out, np.nan))), axis=1))
    return {"batch_var": np.array(batch_var), "held_out_var": held_out, "worst": worst}
