"""How many samples does LSUV need? Initialize on a small batch, measure on held-out data.

``lsuv_batch_experiment`` is the function behind notebook 05's slider; ``LSUVView`` draws the per-layer
variance LSUV saw on its batch and the variance on held-out data, with the tolerance band around 1.
"""
import warnings

import numpy as np

from ._validation import check_number
from .data import cached_dataset
from .lsuv import lsuv
from .network import MLP


def lsuv_batch_experiment(batch_size=32, depth=20, activation="tanh", width=128, tol=0.1, rng=0):
    """LSUV on ``batch_size`` digits, then the per-layer pre-activation variance on the held-out test split.

    Returns ``{"report": LSUVReport, "batch_var": array, "held_out_var": array}``.
    """
    check_number("batch_size", batch_size, low=2, integer=True)
    check_number("depth", depth, low=1, integer=True)
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


class LSUVView:
    """Variance per layer: on LSUV's batch (line) and on held-out data (dots), log axis, band = tolerance."""

    def __init__(self, figsize=(7, 3), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.ax = self.fig.add_subplot()
        self.band = None
        (self.batch_line,) = self.ax.plot([], [], "-", color="C0", label="on LSUV's batch")
        (self.held_out,) = self.ax.plot([], [], "o", ms=4, color="C3", label="on held-out data")
        self.ax.set_yscale("log")
        self.ax.set_xlabel("layer")
        self.ax.set_ylabel("pre-activation variance")
        self.ax.legend(fontsize=8, loc="upper left")

    def update(self, result, batch_size, tol=0.1):
        layers = np.arange(1, len(result["held_out_var"]) + 1)
        if self.band is not None:
            self.band.remove()
        self.band = self.ax.axhspan(1 - tol, 1 + tol, color="0.9", zorder=0)
        self.batch_line.set_data(layers, result["batch_var"])
        self.held_out.set_data(layers, result["held_out_var"])
        values = np.r_[result["batch_var"], result["held_out_var"], 1 - tol, 1 + tol]
        values = values[np.isfinite(values) & (values > 0)]
        self.ax.set_xlim(0.5, layers[-1] + 0.5)
        self.ax.set_ylim(values.min() / 1.3, values.max() * 1.3)
        worst = np.nanmax(np.abs(np.log(result["held_out_var"])))
        self.ax.set_title(f"LSUV on {batch_size} samples: held-out variance within a factor "
                          f"{np.exp(worst):.2f} of 1 in every layer", fontsize=9)
        self.fig.canvas.draw()
        return self.fig
