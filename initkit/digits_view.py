"""The digits view of the deeplearning.ai initialization article, in Python.

``train_digits`` trains a 5-layer MLP on scikit-learn's digits from a chosen initialization and yields the
network after each chunk of epochs; ``DigitsView`` shows per-layer activation histograms on the test set,
a 10 x 10 grid of test digits (misclassified ones in red) and the cost curve.
"""
import functools

import numpy as np

from ._axes import draw_with_frozen_layout, integer_ticks, set_loss_scale, train_test_legend
from .data import cached_dataset
from .histogram import fixed_histogram, histogram_edges
from .initializers import variance_scaling
from .network import MLP
from .optimizers import SGD
from .training import accuracy, train_in_chunks

# The article's four choices, plus the two this course adds. "Uniform" is U(-1/sqrt(n), 1/sqrt(n)), which is
# also PyTorch's nn.Linear default (kaiming_uniform_ with a = sqrt(5)).
CHOICES = {
    "Zero": "zeros",
    "Uniform": functools.partial(variance_scaling, scale=1 / 3, mode="fan_in", distribution="uniform"),
    "Xavier": "glorot_normal",
    "Standard Normal": "standard_normal",  # N(0, 1)
    "He": "he_normal",
    "LeCun": "lecun_normal",
}
SIZES = [64, 64, 64, 64, 64, 10]  # 5 weight layers


def train_digits(choice="Xavier", activation="tanh", epochs=10, chunks=5, lr=0.05, rng=0):
    """Yield ``(net, history, data)`` after each of ``chunks`` chunks of training from initialization ``choice``."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {', '.join(repr(c) for c in CHOICES)}; got {choice!r}")
    data = cached_dataset("digits")
    net = MLP(SIZES, activation=activation, init=CHOICES[choice], rng=rng)
    for history in train_in_chunks(net, data, SGD(lr=lr, momentum=0.9), epochs, chunks, 64, rng):
        yield net, history, data


def digit_grid(images, correct, side=10):
    """An RGB image of ``side`` x ``side`` 8x8 digits, gray when correct and red when misclassified."""
    n = side * side
    imgs = images[:n].reshape(n, 8, 8)
    lo, hi = imgs.min(), imgs.max()
    imgs = (imgs - lo) / (hi - lo if hi > lo else 1.0)
    tiles = np.ones((n, 10, 10, 3))
    tiles[:, 1:9, 1:9, :] = 1.0 - imgs[..., None]  # dark ink on white
    tiles[~correct[:n], 1:9, 1:9, 1:] *= 0.25  # misclassified: red ink
    return tiles.reshape(side, side, 10, 10, 3).transpose(0, 2, 1, 3, 4).reshape(side * 10, side * 10, 3)


# Fixed histogram ranges per activation: the histograms never choose their own range, so diverged (inf/nan)
# activations cannot break them; values beyond the range count in the end bins and the title says so.
HIST_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, 3.0), "selu": (-2.0, 4.0)}
HIST_BINS = 40


def layer_histograms(net, x, bins=HIST_BINS):
    """Per hidden layer on inputs ``x``: ``(edges, counts, std, beyond)``, counted on fixed edges.

    ``std`` is the activations' std (nan if any value is not finite), ``beyond`` the fraction of finite
    values outside the edges (counted in the end bins). No warnings, whatever the weights.
    """
    name = net.layers[0].activation.name
    low, high = HIST_RANGES.get(name, (-3.0, 3.0))
    edges = histogram_edges(low, high, bins)
    with np.errstate(all="ignore"):
        net.forward(x)
        out = []
        for a in net.activations[:-1]:
            finite = np.isfinite(a)
            std = float(np.std(a, dtype=np.float64)) if finite.all() else float("nan")
            beyond = float(np.mean((a[finite] < low) | (a[finite] > high))) if finite.any() else 0.0
            out.append((edges, fixed_histogram(a, low, high, bins), std, beyond))
    return out


class DigitsView:
    """Per-layer activation histograms, the 100-digit grid and the cost curve; ``update(net, history, data)``.

    A diverged or saturated network is shown, not raised: histograms use fixed edges per activation, each
    titled with the layer's std and, when values pile up beyond the axis, the fraction that does. The
    artists are made once and updated in place (a Train chunk redraws without rebuilding axes).
    """

    def __init__(self, figsize=(10, 4.6), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        hidden = len(SIZES) - 2  # one histogram per hidden layer
        grid = self.fig.add_gridspec(2, hidden, height_ratios=[1, 2.2])
        self.hist_axes = [self.fig.add_subplot(grid[0, i]) for i in range(hidden)]
        self.grid_ax = self.fig.add_subplot(grid[1, : hidden // 2])
        self.cost_ax = self.fig.add_subplot(grid[1, hidden // 2:])
        self._bars = [ax.stairs(np.zeros(HIST_BINS), np.linspace(-1, 1, HIST_BINS + 1), fill=True, color="C0")
                      for ax in self.hist_axes]
        for ax in self.hist_axes:
            ax.set_ylim(0, 1.05)
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
        self._image = self.grid_ax.imshow(np.ones((100, 100, 3)))
        self.grid_ax.set_axis_off()
        ax = self.cost_ax
        (self._train,) = ax.plot([], [], "-", color="C0")
        (self._test,) = ax.plot([], [], "--", color="C0", alpha=0.8)
        self._note = ax.text(0.03, 0.05, "", transform=ax.transAxes, fontsize=8, color="C3")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        integer_ticks(ax.xaxis)
        train_test_legend(ax, fontsize=7, loc="upper right")

    def update(self, net, history, data, label=""):
        with np.errstate(all="ignore"):
            for i, (ax, bars, (edges, counts, std, beyond)) in enumerate(
                    zip(self.hist_axes, self._bars, layer_histograms(net, data.X_test)), start=1):
                bars.set_data(counts / max(counts.max(), 1), edges)
                ax.set_xlim(edges[0], edges[-1])
                note = ("inf/nan" if not np.isfinite(std) else f"std {std:.2g}"
                        + (f", {beyond:.0%} off axis" if beyond >= 0.01 else ""))
                ax.set_title(f"layer {i}\n{note}", fontsize=6.5)
            out = net.activations[-1]
            pred = out.argmax(axis=1)
            correct = (pred == data.y_test) & np.isfinite(out).all(axis=1)
            acc = accuracy(out, data.y_test) if np.isfinite(out).all() else float(np.mean(correct))
        self._image.set_data(digit_grid(data.X_test, correct))
        wrong = int((~correct).sum())
        self.grid_ax.set_title(f"100 test digits (red: wrong)\n{wrong} of {len(correct)} wrong", fontsize=8)
        train, test = history.train_loss, history.test_loss
        self._train.set_data(np.arange(1, len(train) + 1), train)
        self._test.set_data(np.arange(1, len(test) + 1), test)
        self.cost_ax.set_xlim(0.8, max(len(train), 1) + 0.2)
        set_loss_scale(self.cost_ax, train + test)
        self._note.set_text(f"diverged at step {history.diverged_at}" if history.diverged else "")
        cost = train[-1] if train else float("nan")
        state = (f"diverged at step {history.diverged_at}" if history.diverged else
                 f"cost {cost:.3g}, test accuracy {acc:.0%}")
        self.cost_ax.set_title(f"{label.rstrip(': ')}\n{state}" if label else state, fontsize=8)
        draw_with_frozen_layout(self.fig)
        return self.fig
