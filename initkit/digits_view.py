"""The digits view of the deeplearning.ai initialization article, in Python.

``train_digits`` trains a 5-layer MLP on scikit-learn's digits from a chosen initialization and yields the
network after each chunk of epochs; ``DigitsView`` shows per-layer activation histograms on the test set,
a 10 x 10 grid of test digits (misclassified ones in red) and the cost curve.
"""
import functools

import numpy as np

from .data import cached_dataset
from .initializers import variance_scaling
from .network import MLP
from .optimizers import SGD
from .registry import get_initializer
from .training import accuracy, train_in_chunks

# The article's four choices, plus the two this course adds. "Uniform" is U(-1/sqrt(n), 1/sqrt(n)), which is
# also PyTorch's nn.Linear default (kaiming_uniform_ with a = sqrt(5)).
CHOICES = {
    "Zero": "zeros",
    "Uniform": functools.partial(variance_scaling, scale=1 / 3, mode="fan_in", distribution="uniform"),
    "Xavier": "glorot_normal",
    "Standard Normal": get_initializer("random_normal", std=1.0),  # N(0, 1)
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


class DigitsView:
    """Per-layer activation histograms, the 100-digit grid and the cost curve; ``update(net, history, data)``."""

    def __init__(self, figsize=(10, 4.6), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        hidden = len(SIZES) - 2  # one histogram per hidden layer
        grid = self.fig.add_gridspec(2, hidden, height_ratios=[1, 2.2], hspace=0.45, wspace=0.35, left=0.05,
                                     right=0.98)
        self.hist_axes = [self.fig.add_subplot(grid[0, i]) for i in range(hidden)]
        self.grid_ax = self.fig.add_subplot(grid[1, : hidden // 2])
        self.cost_ax = self.fig.add_subplot(grid[1, hidden // 2:])

    def update(self, net, history, data, label=""):
        from .plot_training import plot_history

        net.forward(data.X_test)
        pred = net.activations[-1].argmax(axis=1)
        correct = pred == data.y_test
        for i, (ax, a) in enumerate(zip(self.hist_axes, net.activations[:-1]), start=1):
            ax.clear()
            ax.hist(a.ravel(), bins=40, range=(-1, 1) if net.layers[0].activation.name == "tanh" else None, color="C0")
            ax.set_title(f"layer {i}", fontsize=8)
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
        self.grid_ax.clear()
        self.grid_ax.imshow(digit_grid(data.X_test, correct))
        self.grid_ax.set_axis_off()
        wrong = int((~correct).sum())
        self.grid_ax.set_title(f"100 test digits (red: misclassified); {wrong} of {len(correct)} wrong", fontsize=9)
        self.cost_ax.clear()
        plot_history(history, ax=self.cost_ax, label="train")
        cost = history.train_loss[-1] if history.train_loss else float("nan")
        self.cost_ax.set_title(f"{label}cost {cost:.3g}, test accuracy {accuracy(net.activations[-1], data.y_test):.0%}",
                               fontsize=9)
        self.fig.canvas.draw()
        return self.fig
