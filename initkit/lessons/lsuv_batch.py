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
from ..core.activations import ACTIVATIONS, Activation, get_activation
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


def _fix_scale(W, x, tol, max_iter, z):
    """LSUV's loop for one layer of one draw, as :func:`initkit.init.lsuv.lsuv` runs it (pre-activation
    variance, target 1, no centering, zero bias): rescale ``W`` in place until Var(x W) is within ``tol`` of 1.
    ``z`` is x W already computed. Returns (variance, the final x W)."""
    var, iterations = float(np.var(z, dtype=np.float64)), 0
    while abs(var - 1.0) >= tol:
        if not np.isfinite(var) or var == 0 or iterations == max_iter:
            break
        W *= W.dtype.type(np.sqrt(1.0 / var))
        iterations += 1
        z = x @ W
        var = float(np.var(z, dtype=np.float64))
    return var, z


def lsuv_batch_draws(batch_size=32, depth=20, activation="tanh", n_draws=5, width=128, tol=0.1, rng=0):
    """LSUV's scaling step on ``n_draws`` independent batches of ``batch_size`` training digits, all from the
    same orthonormal start; the held-out (test split) pre-activation variance per layer for each draw.

    Returns ``{"batch_var": (n_draws, depth + 1), "held_out_var": (n_draws, depth + 1), "worst": (n_draws,)}``,
    where ``worst`` is each draw's largest factor between the held-out variance and 1 (``exp max |ln var|``).
    ``rng`` is an integer seed. float32, so that the widget's step stays fast.

    Each draw is what ``lsuv(net, batch, tol=tol, orthonormal=False)`` on an ``MLP`` holding the orthonormal
    start does (the same rescalings; ``tests/lessons/test_lsuv_batch.py`` checks it against ``lsuv``), but the
    draws go through the layers together, one stacked product per layer: the held-out pass is the step's
    main cost, and a stack saves the per-draw network and per-layer calls. The held-out variance is each
    layer's centered sum of squares in float32 (a relative difference of about 1e-6 from float64).
    """
    check_number("batch_size", batch_size, low=2, integer=True)
    check_number("depth", depth, low=1, integer=True)
    check_number("n_draws", n_draws, low=1, integer=True)
    data = cached_dataset("digits")
    sizes, start = _orthonormal_start(depth, activation, width, int(rng))
    acts = [get_activation(activation)] * depth + [get_activation("linear")]
    batches = []
    for k in range(n_draws):
        gen = np.random.default_rng([int(rng), k])
        batches.append(data.X_train[gen.choice(len(data.X_train), size=min(batch_size, len(data.X_train)),
                                               replace=False)])
    x = np.stack(batches).astype(np.float32)  # (n_draws, batch, features)
    held = np.broadcast_to(data.X_test.astype(np.float32), (n_draws, *data.X_test.shape))
    batch_var, held_out = np.empty((n_draws, depth + 1)), np.empty((n_draws, depth + 1))
    with np.errstate(all="ignore"):
        for layer, (W0, act) in enumerate(zip(start, acts)):
            W = np.repeat(W0[None], n_draws, axis=0)  # each draw's copy of the orthonormal start
            z = x @ W
            for k in range(n_draws):  # LSUV, layer by layer, on each draw's batch
                batch_var[k, layer], z[k] = _fix_scale(W[k], x[k], tol, 10, z[k])
            zh = held @ W  # the held-out pass through the layers LSUV has fixed
            centered = (zh - zh.mean(axis=(1, 2), keepdims=True)).reshape(n_draws, -1)
            for k in range(n_draws):
                var = float(np.dot(centered[k], centered[k])) / centered.shape[1]
                if not np.isfinite(var) and np.isfinite(centered[k]).all():  # squares beyond float32's range
                    var = float(np.var(zh[k], dtype=np.float64))
                held_out[k, layer] = var
            x, held = act(z), act(zh)
    with np.errstate(divide="ignore", invalid="ignore"):
        worst = np.exp(np.nanmax(np.abs(np.log(np.where(held_out > 0, held_out, np.nan))), axis=1))
    return {"batch_var": batch_var, "held_out_var": held_out, "worst": worst}
