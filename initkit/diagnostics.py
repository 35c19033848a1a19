"""Is initialization the problem? Checks that return data: initial loss, gradients, statistics over training.

Everything here returns plain numbers, records or arrays; :mod:`initkit.plotting` draws them.
"""
import math

import numpy as np

from .gradcheck import gradient_check  # noqa: F401  (public here too: the first check of any backprop)
from .losses import get_loss
from .training import default_loss


def initial_loss_check(net, X, y, loss=None, tolerance=0.25):
    """Compare a fresh classifier's loss with -ln(1/C), the loss of a uniform prediction over C classes.

    Returns ``{"loss", "expected", "ratio", "ok", "message"}``. A ratio well above 1 means the network
    starts confidently wrong: output logits too large, usually from too large a weight scale.
    """
    name = loss or default_loss(net)
    with np.errstate(all="ignore"):
        value, _ = get_loss(name)(net.forward(X), y)
    n_classes = max(net.sizes[-1], 2)
    expected = math.log(n_classes)
    ratio = value / expected
    ok = bool(np.isfinite(value) and abs(ratio - 1) <= tolerance)
    verdict = ("close to chance, as a fresh classifier should be" if ok else
               "far above chance: the network starts confidently wrong (logits too large)" if ratio > 1 else
               "below chance before training: check the labels or the loss")
    return {"loss": value, "expected": expected, "ratio": ratio, "ok": ok,
            "message": f"initial loss {value:.4g} vs -ln(1/{n_classes}) = {expected:.4g}: {verdict}"}


def gradient_norms(net, X, y, loss=None):
    """Per-layer Frobenius norm of dL/dW for one batch: similar magnitudes across layers is healthy."""
    with np.errstate(all="ignore"):
        net.loss_and_gradients(X, y, loss or default_loss(net))
    return np.array([float(np.linalg.norm(layer.dW)) for layer in net.layers])


def training_stats(history, key="act_std"):
    """A record field over training: ``(steps, values)`` with ``values`` of shape (snapshots, layers)."""
    if not history.snapshots:
        raise ValueError("history has no snapshots: train with fit(..., snapshot_every=k)")
    if key not in history.snapshots[0]["layers"][0]:
        known = ", ".join(repr(k) for k in history.snapshots[0]["layers"][0])
        raise ValueError(f"key must be one of {known}; got {key!r}")
    steps = np.array([s["step"] for s in history.snapshots])
    values = np.array([[layer[key] for layer in s["layers"]] for s in history.snapshots], dtype=np.float64)
    return steps, values
