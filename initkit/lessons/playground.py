"""The training playground without its buttons: train a small net from a chosen init, in chunks.

``train_playground`` yields ``(net, history)`` after every chunk of epochs, so a view can update the cost
curve and the decision boundary while training runs; tests and notebook cells call it with fixed values.
The default setup follows the deeplearning.ai initialization assignment: circles, a [2, 10, 5, 1] ReLU
net with a sigmoid output, inits zeros / N(0, 1) x scale / He.
"""

from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import RNG, AnyOf, Callable, Integer, Optional, Options, Real, Sizes
from ..core.registry import ALIASES, INITIALIZERS
from ..core.validation import MAX_ELEMENTS, validate_params
from ..nn.data import DATASETS
from ..nn.data import load_dataset
from ..nn.network import MLP
from ..nn.optimizers import SGD
from ..nn.training import train_in_chunks


# The playground's initializer menu: label -> initializer (name or callable).
INIT_CHOICES = {"zeros": "zeros", "N(0, 1)": "standard_normal", "He": "he_normal", "Xavier": "glorot_normal",
                "LeCun": "lecun_normal"}


INIT = AnyOf(Options(lambda: {*INITIALIZERS, *ALIASES}), Callable())
ACTIVATION = Options(ACTIVATIONS, types=(Activation,))
NET = {"init": INIT, "scale": Real(0, 1e150), "hidden": Sizes(min_len=0, max_len=1000, high=2**14, what="hidden widths"),
       "activation": ACTIVATION}


@validate_params({**NET, "n_in": Integer(1, 2**14), "n_out": Integer(1, 2**14), "rng": RNG},
                 budget={"hidden, n_in and n_out": (
                     lambda a: sum(m * n for m, n in zip([a["n_in"], *a["hidden"]], [*a["hidden"], a["n_out"]])),
                     "weights")})
def build_net(init="he_normal", scale=1.0, hidden=(10, 5), activation="relu", n_in=2, n_out=1, rng=0):
    """An MLP whose weights come from ``init`` and are then multiplied by ``scale``."""
    net = MLP([n_in, *hidden, n_out], activation=activation, init=init, rng=rng)
    for layer in net.layers:
        layer.W *= scale
    return net


@validate_params({"dataset": Options(DATASETS), **NET, "epochs": Integer(1, 10**5), "chunks": Integer(1, 10**4),
                  "lr": Real(0, 1e6, closed="right"), "momentum": Real(0, 1, closed="left"),
                  "batch_size": Optional(Integer(1, MAX_ELEMENTS)), "n_samples": Integer(4, 10**6),
                  "noise": Real(0, 1e6), "rng": RNG},
                 budget={"epochs, n_samples and hidden": (
                     lambda a: a["epochs"] * a["n_samples"] * (2 + sum(a["hidden"])) // 100,
                     "epochs x n_samples x units / 100 (work)")})
def train_playground(dataset="circles", init="he_normal", scale=1.0, *, hidden=(10, 5), activation="relu",
                     epochs=300, chunks=10, lr=0.1, momentum=0.9, batch_size=None, n_samples=400, noise=0.1,
                     rng=0):
    """Train from the chosen initialization, yielding ``(net, history)`` after each of ``chunks`` chunks.

    Full-batch gradient descent with momentum by default (``batch_size=None``), like the assignment.
    The history accumulates across chunks; training stops early if it diverges.
    """
    data = load_dataset(dataset, n_samples=n_samples, noise=noise, rng=rng)
    net = build_net.__wrapped__(init, scale, hidden, activation, data.n_features, 1 if data.n_classes == 2 else data.n_classes, rng)
    opt = SGD(lr=lr, momentum=momentum)
    for history in train_in_chunks(net, data, opt, epochs, chunks, batch_size or len(data.X_train), rng):
        yield net, history, data
