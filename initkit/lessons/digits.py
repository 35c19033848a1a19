"""The digits view of the deeplearning.ai initialization article, in Python.

``train_digits`` trains a 5-layer MLP on scikit-learn's digits from a chosen initialization and yields the
network after each chunk of epochs; ``DigitsView`` shows per-layer activation histograms on the test set,
a 10 x 10 grid of test digits (misclassified ones in red) and the cost curve.
"""
import numpy as np

from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import RNG, Integer, Options, Real
from ..core.validation import validate_params

from ..nn.data import cached_dataset
from ..core.histogram import fixed_histogram, histogram_edges
from ..nn.network import MLP
from ..nn.optimizers import SGD
from ..nn.training import accuracy, train_in_chunks

# The article's four choices, plus the two this course adds. "Uniform" is U(-1/sqrt(n), 1/sqrt(n)), which is
# PyTorch's nn.Linear default (kaiming_uniform_ with a = sqrt(5)): the initializer table's "pytorch_default".
CHOICES = {
    "Zero": "zeros",
    "Uniform": "pytorch_default",
    "Xavier": "glorot_normal",
    "Standard Normal": "standard_normal",  # N(0, 1)
    "He": "he_normal",
    "LeCun": "lecun_normal",
}
SIZES = [64, 64, 64, 64, 64, 10]  # 5 weight layers


@validate_params({"choice": Options(CHOICES, ordered=True), "activation": Options(ACTIVATIONS, types=(Activation,)),
                  "epochs": Integer(1, 10**4), "chunks": Integer(1, 10**4), "lr": Real(0, 1e6, closed="right"),
                  "rng": RNG})
def train_digits(choice="Xavier", activation="tanh", epochs=10, chunks=5, lr=0.05, rng=0):
    """Yield ``(net, history, data)`` after each of ``chunks`` chunks of training from initialization ``choice``.

    The arguments are checked when it is called, before the first ``next()``."""
    return _train_digits(choice, activation, epochs, chunks, lr, rng)


def _train_digits(choice, activation, epochs, chunks, lr, rng):
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
            counts = fixed_histogram.__wrapped__(a if finite.all() else a[finite], low, high, bins)  # finite values
            out.append((edges, counts, std, beyond))
    return out


def digits_summary(net, data):
    """What the digits view shows of ``net`` on the test set: ``(histograms, correct, accuracy)``.

    ``histograms`` is :func:`layer_histograms` of the hidden layers, ``correct`` a boolean per test digit
    (False where the output is not finite), ``accuracy`` the fraction correct. One forward pass; no
    warnings, whatever the weights (a diverged network is shown, not raised).
    """
    histograms = layer_histograms(net, data.X_test)  # runs the forward pass; net.activations[-1] is the output
    out = net.activations[-1]
    with np.errstate(all="ignore"):
        correct = (out.argmax(axis=1) == data.y_test) & np.isfinite(out).all(axis=1)
        acc = accuracy(out, data.y_test) if np.isfinite(out).all() else float(np.mean(correct))
    return histograms, correct, acc
