"""Losses on the network's raw output (logits), each returning ``(loss, dL/dlogits)``.

The network's last layer is linear; the loss applies the link (softmax, sigmoid) itself, which is both
numerically stable and gives the famous simple gradients. All losses average over the batch.

Stacked networks (:func:`initkit.fit_many`): outputs ``(..., n_samples, n_outputs)`` with targets of the
same leading axes give one loss per network (an array of the leading shape) and dL/d(outputs); network k's
numbers are those of its own ``(n_samples, n_outputs)`` slice, with the same arithmetic.
"""
import numpy as np

from .constraints import AnyOf, Callable, Options
from .validation import check_one_of, validate_params
from .activations import sigmoid


def _check_batch(logits, y, name="logits"):
    """Both as arrays: ``logits`` a float (n_samples >= 1, n_outputs) array, or (n_stack, n_samples, n_outputs)
    for a stack of networks; ``y`` numeric with one entry per sample (per network and sample for a stack);
    ``name``: what the caller calls its first argument (``outputs`` for mean squared error)."""
    logits = np.asarray(logits)
    if not np.issubdtype(logits.dtype, np.floating):
        if not np.issubdtype(logits.dtype, np.number) or np.iscomplexobj(logits):
            raise TypeError(f"{name} must be a real numeric array; got dtype {logits.dtype}")
        logits = logits.astype(np.float64)
    if logits.ndim < 2 or logits.shape[-2] == 0 or logits.shape[-1] == 0:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_outputs) with at least one row and column; "
                         f"got shape {logits.shape}")
    y = np.asarray(y)
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
        raise TypeError(f"y must be a numeric array; got dtype {y.dtype}")
    if y.ndim < logits.ndim - 1 or y.shape[:logits.ndim - 1] != logits.shape[:-1]:
        if logits.ndim > 2 and y.ndim >= logits.ndim - 1:  # a stack: the mismatch may be in the stack axis
            raise ValueError(f"y must have one entry per sample of each network: {name} has shape {logits.shape}, "
                             f"so y's leading shape must be {logits.shape[:-1]}; got y of shape {y.shape}")
        got = f"{y.shape[logits.ndim - 2]}" if y.ndim >= logits.ndim - 1 else "a scalar" if y.ndim == 0 else y.shape
        raise ValueError(f"y must have one entry per sample: {name} has {logits.shape[-2]} rows, y has {got}")
    return logits, y


def _per_network(loss):
    """A float for one network, the array of per-network losses for a stack."""
    return float(loss) if np.ndim(loss) == 0 else loss


def softmax(logits):
    """Softmax along the last axis (each row of a 2-D array), shifted by the max so exp never overflows:
    softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z).

    A row with an infinite or NaN logit comes out NaN (without a warning).

    >>> softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]])).round(3)
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    logits = np.asarray(logits)
    if not np.issubdtype(logits.dtype, np.floating):
        if not np.issubdtype(logits.dtype, np.number) or np.iscomplexobj(logits):
            raise TypeError(f"logits must be a real numeric array; got dtype {logits.dtype}")
        logits = logits.astype(np.float64)
    if logits.ndim == 0 or logits.shape[-1] == 0:
        raise ValueError(f"logits must have at least one entry along the last axis; got shape {logits.shape}")
    with np.errstate(invalid="ignore"):  # an infinite logit makes its row NaN, as it should
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, y):
    """Mean of -log softmax(logits)[y]; y holds integer class labels in [0, n_classes).

    Gradient: (softmax(logits) - onehot(y)) / n. The softmax Jacobian and the log's 1/p cancel, so the
    output error is simply "predicted probabilities minus targets". Zero logits give ln C, the chance level.

    >>> loss, grad = softmax_cross_entropy(np.zeros((4, 10)), np.array([0, 1, 2, 3]))
    >>> round(loss, 4), round(float(np.log(10)), 4), grad.shape, round(float(grad[0, 0]), 3)  # (0.1 - 1) / 4
    (2.3026, 2.3026, (4, 10), -0.225)
    """
    logits, y = _check_batch(logits, y)
    c = logits.shape[-1]
    if not np.issubdtype(y.dtype, np.integer) or y.ndim != logits.ndim - 1 or y.min() < 0 or y.max() >= c:
        raise ValueError(f"y must be 1-D integer labels in [0, {c}); got dtype {y.dtype}, shape {y.shape}")
    return _softmax_cross_entropy(logits, y)


def _softmax_cross_entropy(logits, y):
    """The arithmetic of :func:`softmax_cross_entropy` on checked inputs."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=-1))
    picked = np.take_along_axis(shifted, y[..., None], axis=-1)[..., 0]
    loss = np.mean(log_z - picked, axis=-1)
    grad = np.exp(shifted - log_z[..., None])  # softmax
    np.put_along_axis(grad, y[..., None], np.take_along_axis(grad, y[..., None], axis=-1) - 1.0, axis=-1)
    return _per_network(loss), grad / logits.shape[-2]  # dL/dz = (p - onehot(y)) / n


def sigmoid_binary_cross_entropy(logits, y):
    """Mean binary cross-entropy of sigmoid(logits) against y in {0, 1}; logits has one column.

    ``y`` is a vector ``(n,)`` or a column ``(n, 1)``, as for mean squared error.
    Computed as log(1 + e^z) - y z (stable form). Gradient: (sigmoid(z) - y) / n, shape ``(n, 1)``.

    >>> loss, grad = sigmoid_binary_cross_entropy(np.zeros((2, 1)), np.array([0, 1]))
    >>> round(loss, 4), grad.ravel().tolist()              # ln 2; (1/2 - y) / 2
    (0.6931, [0.25, -0.25])
    """
    logits, y = _check_batch(logits, y)
    if logits.shape[-1] != 1:
        raise ValueError(f"sigmoid_binary_cross_entropy needs 1 output column; got shape {logits.shape}")
    if y.ndim == logits.ndim and y.shape[-1] == 1:
        y = y[..., 0]
    if y.ndim != logits.ndim - 1:
        raise ValueError(f"y must have shape ({logits.shape[-2]},) or ({logits.shape[-2]}, 1); got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold binary labels 0 or 1 for sigmoid_binary_cross_entropy")
    return _sigmoid_binary_cross_entropy(logits, y)


def _sigmoid_binary_cross_entropy(logits, y):
    """The arithmetic of :func:`sigmoid_binary_cross_entropy` on checked inputs (``y`` without its column)."""
    z = logits[..., 0]
    t = y.reshape(z.shape).astype(logits.dtype)
    loss = np.mean(np.logaddexp(0.0, z) - t * z, axis=-1)
    prob = sigmoid(z)
    return _per_network(loss), ((prob - t) / z.shape[-1])[..., None].astype(logits.dtype, copy=False)


def mean_squared_error(outputs, y):
    """Mean over samples of the summed squared error, 0.5 ||outputs - y||^2 averaged: gradient (outputs - y) / n.

    >>> loss, grad = mean_squared_error(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [3.0, 4.0]]))
    >>> loss, grad.tolist()                                # 0.5 * 2^2 / 2 samples
    (1.0, [[0.0, 1.0], [0.0, 0.0]])
    """
    outputs, y = _check_batch(outputs, y, "outputs")
    y = y.astype(outputs.dtype, copy=False)
    if y.ndim == outputs.ndim - 1:
        y = y[..., None]
    if y.shape != outputs.shape:
        raise ValueError(f"y must have the outputs' shape {outputs.shape}; got {y.shape}")
    return _mean_squared_error(outputs, y)


def _mean_squared_error(outputs, y):
    """The arithmetic of :func:`mean_squared_error` on checked inputs."""
    diff = outputs - y.astype(outputs.dtype, copy=False).reshape(outputs.shape)
    n = outputs.shape[-2]
    return _per_network(0.5 * np.sum(diff * diff, axis=(-2, -1)) / n), diff / n


LOSSES = {
    "softmax_cross_entropy": softmax_cross_entropy,
    "sigmoid_binary_cross_entropy": sigmoid_binary_cross_entropy,
    "mean_squared_error": mean_squared_error,
}
_ARITHMETIC = {"softmax_cross_entropy": _softmax_cross_entropy,
               "sigmoid_binary_cross_entropy": _sigmoid_binary_cross_entropy,
               "mean_squared_error": _mean_squared_error}
ALIASES = {"cross_entropy": "softmax_cross_entropy", "bce": "sigmoid_binary_cross_entropy",
           "mse": "mean_squared_error"}


@validate_params({"loss": AnyOf(Options(lambda: {*LOSSES, *ALIASES}), Callable())})
def get_loss(loss):
    """Resolve a loss name (or alias) to its function; a callable is returned unchanged.

    >>> get_loss("mse").__name__, get_loss("cross_entropy") is softmax_cross_entropy
    ('mean_squared_error', True)
    """
    if callable(loss):
        return loss
    name = ALIASES.get(loss, loss) if isinstance(loss, str) else None
    if name is None or name not in LOSSES:
        check_one_of("loss", loss, {*LOSSES, *ALIASES})
    return LOSSES[name]


def unchecked(loss_fn):
    """The arithmetic of one of :data:`LOSSES` without its input checks, for a trainer that checked its
    targets once (:func:`initkit.fit_many`); any other callable is returned unchanged.

    >>> unchecked(softmax_cross_entropy)(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=int))[0]
    array([1.38629436, 1.38629436])
    """
    name = getattr(loss_fn, "__name__", None)
    return _ARITHMETIC[name] if name in LOSSES and LOSSES[name] is loss_fn else loss_fn
