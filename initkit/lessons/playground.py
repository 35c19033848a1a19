"""The training playground without its buttons: train a small net from a chosen init, in chunks.

``train_playground`` yields ``(net, history)`` after every chunk of epochs, so a view can update the cost
curve and the decision boundary while training runs; tests and notebook cells call it with fixed values.
The default setup follows the deeplearning.ai initialization assignment: circles, a [2, 10, 5, 1] ReLU
net with a sigmoid output, inits zeros / N(0, 1) x scale / He.
"""

from ..core.validation import check_number
from ..nn.data import load_dataset
from ..nn.network import MLP
from ..nn.optimizers import SGD
from ..nn.training import train_in_chunks


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
