"""Symmetry, measured: train from a constant initialization (plus optional noise) and see whether hidden
units stay identical. The function behind notebook 01's slider, and a view that draws each hidden unit's
incoming weight vector as one curve: at noise 0 all curves are one.
"""
import numpy as np

from ..core.constraints import RNG, AnyOf, Bool, Callable, Instance, Integer, Optional, Options, Real
from ..core.array_constraints import Data, Targets
from ..core.activations import ACTIVATIONS, Activation
from ..core.losses import ALIASES, LOSSES
from ..core.validation import validate_params
from ..nn.data import DATASETS
from ..nn.data import cached_dataset
from ..core.losses import get_loss
from ..nn.network import MLP
from ..nn.optimizers import SGD
from ..nn.training import accuracy, default_loss, fit


@validate_params({"W": Data(ndim=2, what="(fan_in, fan_out)")})
def max_unit_difference(W):
    """Largest difference between two hidden units' incoming weights: max over rows of (max - min)."""
    return float(np.ptp(np.asarray(W), axis=1).max())


def unit_symmetry(W):
    """How alike the hidden units are: ``(max_difference, rank)`` of the first layer's weights ``W``
    (fan_in, fan_out). ``rank`` is the numerical rank (1 when every unit is the same), or the string
    "undefined (inf/nan weights)" when W is not finite.

    >>> unit_symmetry(np.full((4, 3), 0.1))  # a constant initialization: three identical units
    (0.0, 1)
    """
    W = np.asarray(W)
    with np.errstate(all="ignore"):
        rank = int(np.linalg.matrix_rank(W)) if np.isfinite(W).all() else "undefined (inf/nan weights)"
        return max_unit_difference.__wrapped__(W), rank


@validate_params({"c": Real(-1e6, 1e6), "noise_std": Real(0, 1e6), "hidden": Integer(1, 4096),
                  "activation": Options(ACTIVATIONS, types=(Activation,)), "steps": Integer(1, 10**5),
                  "lr": Real(0, 1e6, closed="right"), "dataset": Options(DATASETS), "test_each_epoch": Bool,
                  "rng": RNG})
def train_from_constant(c=0.1, noise_std=0.0, *, hidden=16, activation="tanh", steps=50, lr=0.5,
                        dataset="digits", test_each_epoch=True, rng=0):
    """Train an MLP [n_in, hidden, n_out] whose weights start at ``c + noise_std * N(0, 1)``; return (net, history).

    Full-batch SGD, so the only randomness is the noise itself: with ``noise_std = 0`` every hidden unit
    receives exactly the same update at every step and stays identical to the others.
    ``test_each_epoch=False`` (the widget's step) evaluates the test split once, after training: the same
    network, and the history's test loss and accuracy hold only that last evaluation (none if the first step
    diverged), a quarter less work.
    """
    data = cached_dataset(dataset)

    def init(shape, *, rng=None, dtype=np.float64):
        noise = np.random.default_rng(rng).standard_normal(shape) if noise_std else 0.0
        return (c + noise_std * noise) * np.ones(shape, dtype=dtype)

    net = MLP([data.n_features, hidden, data.n_classes], activation=activation, init=init, rng=rng)
    if test_each_epoch:
        history = fit(net, data, epochs=steps, batch_size=len(data.X_train), lr=lr, progress=False, rng=rng)
        return net, history
    history = fit(net, data.X_train, data.y_train, epochs=steps, batch_size=len(data.X_train), lr=lr, progress=False,
                  rng=rng)
    if history.train_loss:  # at least one epoch ran to its end: the test split at the last one, as fit does
        with np.errstate(all="ignore"):
            out = net.forward(np.asarray(data.X_test, dtype=net.dtype))
            history.test_loss.append(get_loss(default_loss(net))(out, data.y_test)[0])
        history.test_acc.append(accuracy(out, data.y_test))
    return net, history



@validate_params({"net": Instance("an MLP", ("layers", "forward", "backward", "dtype")),
                  "X": Data(ndim=2, columns=lambda a: a["net"].sizes[0]),
                  "y": Targets("X", lambda a: max(a["net"].sizes[-1], 2)),
                  "keep": Real(0, 1, closed="right"), "steps": Integer(1, 10**5), "lr": Real(0, 1e6, closed="right"),
                  "momentum": Real(0, 1), "loss": Optional(AnyOf(Options({*LOSSES, *ALIASES}), Callable())),
                  "rng": RNG})
def train_with_dropout(net, X, y, *, keep=0.5, steps=300, lr=0.1, momentum=0.9, loss=None, rng=None):
    """Full-batch SGD (with momentum) on ``net`` with inverted dropout on every hidden layer's output;
    train in place and return the per-step loss of the masked network (a numpy array).

    Each step draws a fresh mask per sample and hidden unit: a unit is kept with probability ``keep`` and
    its output scaled by ``1 / keep``, otherwise zeroed (Srivastava et al. 2014). Two units that start
    identical see different masks and so receive different weight gradients dL/dW: dropout breaks the
    symmetry of a constant initialization. Evaluate ``net.forward`` afterwards for the network without masks.
    """
    rng = np.random.default_rng(rng)
    X, y = np.asarray(X, dtype=net.dtype), np.asarray(y)
    loss_fn, opt = get_loss(loss or default_loss(net)), SGD(lr=lr, momentum=momentum)
    hidden, output = net.layers[:-1], net.layers[-1]
    losses = np.empty(steps)
    for step in range(steps):
        a, masks = X, []
        for layer in hidden:
            mask = (rng.random((len(X), layer.fan_out)) < keep) / keep
            a = layer.forward(a) * mask  # the next layer sees the masked activation
            masks.append(mask)
        losses[step], grad = loss_fn(output.forward(a), y)
        da = output.backward(grad)  # dL/d(masked a)
        for layer, mask in zip(reversed(hidden), reversed(masks)):
            da = layer.backward(da * mask, need_input_grad=layer is not hidden[0])  # dL/da = dL/d(masked a) * mask
        opt.step(net.parameters(), net.gradients())
    return losses
