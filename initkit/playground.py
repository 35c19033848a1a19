"""The training playground without its buttons: train a small net from a chosen init, in chunks.

``train_playground`` yields ``(net, history)`` after every chunk of epochs, so a view can update the cost
curve and the decision boundary while training runs; tests and notebook cells call it with fixed values.
The default setup follows the deeplearning.ai initialization assignment: circles, a [2, 10, 5, 1] ReLU
net with a sigmoid output, inits zeros / N(0, 1) x scale / He.
"""
import numpy as np

from ._axes import draw_with_frozen_layout, integer_ticks, set_loss_scale, train_test_legend
from ._validation import check_number
from .data import load_dataset
from .network import MLP
from .optimizers import SGD
from .plotting import plot_decision_boundary, plot_history
from .training import train_in_chunks


# The playground's initializer menu: label -> initializer (name or callable).
INIT_CHOICES = {"zeros": "zeros", "N(0, 1)": "standard_normal", "He": "he_normal", "Xavier": "glorot_normal",
                "LeCun": "lecun_normal"}


def build_net(init="he_normal", scale=1.0, hidden=(10, 5), activation="relu", n_in=2, n_out=1, rng=0):
    """An MLP whose weights come from ``init`` and are then multiplied by ``scale``."""
    check_number("scale", scale, low=0)
    net = MLP([n_in, *hidden, n_out], activation=activation, init=init, rng=rng)
    for layer in net.layers:
        layer.W *= scale
    return net


def train_playground(dataset="circles", init="he_normal", scale=1.0, *, hidden=(10, 5), activation="relu",
                     epochs=300, chunks=10, lr=0.1, momentum=0.9, batch_size=None, n_samples=400, noise=0.1,
                     rng=0):
    """Train from the chosen initialization, yielding ``(net, history)`` after each of ``chunks`` chunks.

    Full-batch gradient descent with momentum by default (``batch_size=None``), like the assignment.
    The history accumulates across chunks; training stops early if it diverges.
    """
    check_number("epochs", epochs, low=1, integer=True)
    check_number("chunks", chunks, low=1, integer=True)
    data = load_dataset(dataset, n_samples=n_samples, noise=noise, rng=rng)
    net = build_net(init, scale, hidden, activation, data.n_features, 1 if data.n_classes == 2 else data.n_classes, rng)
    opt = SGD(lr=lr, momentum=momentum)
    for history in train_in_chunks(net, data, opt, epochs, chunks, batch_size or len(data.X_train), rng):
        yield net, history, data


class PlaygroundView:
    """Cost curve and decision boundary side by side; ``update(net, history, data)`` redraws both.

    The cost axis is logarithmic only when the loss spans more than a decade (a flat loss stays flat on a
    linear axis from 0); solid is the training set, dashed the test set, as the legend says.
    """

    def __init__(self, figsize=(5.8, 2.9), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.cost_ax, self.boundary_ax = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})

    def update(self, net, history, data, label=""):
        self.cost_ax.clear()
        self.boundary_ax.clear()
        plot_history(history, ax=self.cost_ax, label="train loss")
        set_loss_scale(self.cost_ax, history.train_loss + history.test_loss)
        integer_ticks(self.cost_ax.xaxis)
        train_test_legend(self.cost_ax, fontsize=7, loc="upper right")
        acc = f"train {history.train_acc[-1]:.0%}, test {history.test_acc[-1]:.0%}" if history.test_acc else "diverged"
        self.cost_ax.set_title(f"{label}{acc}", fontsize=8)
        with np.errstate(all="ignore"):
            plot_decision_boundary(net, data.X_train, data.y_train, ax=self.boundary_ax)
        self.boundary_ax.set_title("decision boundary (training set)", fontsize=8)
        draw_with_frozen_layout(self.fig)  # draw now, not idle: the kernel stays busy until training ends
        return self.fig
