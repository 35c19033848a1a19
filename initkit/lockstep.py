"""Train several same-shaped networks at once (one per seed), and summarize a result over seeds.

One training run is one draw: a conclusion about an initialization needs several seeds. ``fit_lockstep``
trains S MLPs of the same architecture as one stacked computation: layer l's weights become one array of
shape (S, fan_in, fan_out) and each matrix product is one batched ``np.matmul``, so the Python overhead is
paid once per step, not once per network. Member s follows the arithmetic of :func:`initkit.fit` with
``rng=rngs[s]`` (its own shuffling; SGD with momentum; softmax cross-entropy), and a test checks that it
does. The trained weights are written back into the networks.

``mean_spread`` formats a sample as "mean ± std" with only the digits the spread supports, so a printed
result survives another BLAS kernel or thread count.
"""
import math
from dataclasses import dataclass

import numpy as np

from ._validation import check_number
from .data import Dataset

__all__ = ["LockstepHistory", "fit_lockstep", "mean_spread"]


@dataclass
class LockstepHistory:
    """Per-network results, one row per network: ``train_loss``, ``test_loss``, ``test_acc`` have shape
    (S, epochs); ``step_loss`` (S, steps). ``diverged_at[s]`` is the first step whose loss was not finite
    (0 if none); a diverged network's later entries are nan."""

    train_loss: np.ndarray
    test_loss: np.ndarray
    test_acc: np.ndarray
    step_loss: np.ndarray
    diverged_at: np.ndarray

    def first_epoch_below(self, threshold):
        """Per network, the first epoch (1-based) whose training loss is below ``threshold``; 0 if never."""
        below = self.train_loss < threshold
        return np.where(below.any(axis=1), below.argmax(axis=1) + 1, 0)

    def __repr__(self):
        s, epochs = self.train_loss.shape
        return f"LockstepHistory({s} networks, {epochs} epochs, {self.step_loss.shape[1]} steps)"


def _softmax_cross_entropy(logits, y):
    """Per-network mean cross-entropy (S,) and its gradient (S, B, C), as initkit.softmax_cross_entropy."""
    shifted = logits - logits.max(axis=2, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=2))
    picked = np.take_along_axis(shifted, y[:, :, None], axis=2)[:, :, 0]
    loss = np.mean(log_z - picked, axis=1, dtype=np.float64)
    grad = np.exp(shifted - log_z[:, :, None])  # softmax
    np.put_along_axis(grad, y[:, :, None], np.take_along_axis(grad, y[:, :, None], axis=2) - 1, axis=2)
    return loss, grad / logits.shape[1]  # dL/dz = (p - onehot(y)) / batch size


def _forward(acts, Ws, bs, x):
    """Stacked forward pass; returns the output and each layer's (input, pre-activation)."""
    cache = []
    for act, W, b in zip(acts, Ws, bs):
        z = np.matmul(x, W)  # z = x W + b, one product per network
        z += b
        cache.append((x, z))
        x = z if act.name == "linear" else act(z)
    return x, cache


def _backward(acts, Ws, cache, grad):
    """dL/dW and dL/db for every layer, from dL/d(output) of shape (S, B, n_out)."""
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        x, z = cache[l]
        dz = grad if acts[l].name == "linear" else grad * acts[l].derivative(z)  # dL/dz = dL/da * phi'(z)
        dWs[l] = np.matmul(x.transpose(0, 2, 1), dz)  # dL/dW = x^T dz
        dbs[l] = dz.sum(axis=1, keepdims=True)
        if l > 0:
            grad = np.matmul(dz, Ws[l].transpose(0, 2, 1))  # dL/dx = dz W^T
    return dWs, dbs


def fit_lockstep(nets, data, *, epochs=10, lr=0.1, momentum=0.0, batch_size=32, rngs=None):
    """Train the MLPs ``nets`` (same sizes, activations and dtype) on the Dataset ``data``, in lockstep.

    Equivalent to ``[ik.fit(net, data, epochs=epochs, lr=lr, momentum=momentum, batch_size=batch_size,
    rng=r) for net, r in zip(nets, rngs)]`` with a classifier's softmax cross-entropy, but one batched
    computation. ``rngs`` defaults to ``range(len(nets))``. Networks with BatchNorm are not supported.
    Returns a :class:`LockstepHistory`; the networks are updated in place.
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be an initkit Dataset; got {type(data).__name__}")
    nets = list(nets)
    if not nets:
        raise ValueError("nets must hold at least one network; got none")
    first = nets[0]
    names = [[l.activation for l in n.layers] for n in nets]
    for net, acts in zip(nets, names):
        if net.sizes != first.sizes or net.dtype != first.dtype or acts != names[0]:
            raise ValueError("nets must share sizes, activations and dtype; got "
                             f"{first.sizes}/{first.dtype} and {net.sizes}/{net.dtype}")
        if getattr(net, "norm", None):
            raise ValueError("fit_lockstep does not support BatchNorm networks (norm='batch'); use ik.fit")
    check_number("epochs", epochs, low=1, integer=True)
    check_number("batch_size", batch_size, low=1, integer=True)
    check_number("lr", lr, low=0, low_inclusive=False)
    check_number("momentum", momentum, low=0, high=1)
    rngs = list(range(len(nets))) if rngs is None else list(rngs)
    if len(rngs) != len(nets):
        raise ValueError(f"rngs must have one entry per network ({len(nets)}); got {len(rngs)}")
    gens = [np.random.default_rng(r) for r in rngs]
    dtype, acts = first.dtype, names[0]
    Ws = [np.stack([n.layers[l].W for n in nets]) for l in range(len(first.layers))]
    bs = [np.stack([n.layers[l].b for n in nets])[:, None, :] for l in range(len(first.layers))]
    params = Ws + bs
    velocity = [np.zeros_like(p) for p in params]
    X, y = np.asarray(data.X_train, dtype=dtype), np.asarray(data.y_train)
    X_test, y_test = np.asarray(data.X_test, dtype=dtype), np.asarray(data.y_test)
    S, n = len(nets), len(X)
    steps_per_epoch = math.ceil(n / batch_size)
    train_loss, test_loss, test_acc = (np.full((S, epochs), np.nan) for _ in range(3))
    step_loss = np.full((S, epochs * steps_per_epoch), np.nan)
    diverged_at = np.zeros(S, dtype=int)
    step = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(epochs):
            order = np.stack([g.permutation(n) for g in gens])
            total = np.zeros(S)
            for start in range(0, n, batch_size):
                idx = order[:, start:start + batch_size]
                out, cache = _forward(acts, Ws, bs, X[idx])
                loss, grad = _softmax_cross_entropy(out, y[idx])
                step += 1
                bad = ~np.isfinite(loss) & (diverged_at == 0)
                diverged_at[bad] = step
                alive = diverged_at == 0
                step_loss[alive, step - 1] = loss[alive]
                total += loss * idx.shape[1]
                dWs, dbs = _backward(acts, Ws, cache, grad)
                for p, g, v in zip(params, dWs + dbs, velocity):
                    g[~alive] = 0  # a diverged network stops moving (ik.fit stops it)
                    v[~alive] = 0
                    v *= momentum
                    v -= lr * g  # v <- momentum v - lr g;  w <- w + v
                    p += v
            alive = diverged_at == 0
            train_loss[alive, epoch] = total[alive] / n
            out, _ = _forward(acts, Ws, bs, np.broadcast_to(X_test, (S, *X_test.shape)))
            loss, _ = _softmax_cross_entropy(out, np.broadcast_to(y_test, (S, len(y_test))))
            test_loss[alive, epoch] = loss[alive]
            test_acc[alive, epoch] = np.mean(out.argmax(axis=2) == y_test, axis=1)[alive]
    for s, net in enumerate(nets):
        for l, layer in enumerate(net.layers):
            layer.W[...] = Ws[l][s]
            layer.b[...] = bs[l][s, 0]
    return LockstepHistory(train_loss, test_loss, test_acc, step_loss, diverged_at)


def _decimals(spread):
    """Decimal places that show a spread to one significant digit (at least 0)."""
    return max(0, -int(math.floor(math.log10(spread))))


def mean_spread(values, fmt=None, percent=False):
    """``"mean ± std"`` of a sample (std over the sample, ddof=1), rounded to the spread's first digit.

    >>> mean_spread([0.91, 0.95, 0.93])
    '0.93 ± 0.02'

    ``percent=True`` prints fractions as percentages; ``fmt`` forces a format for both numbers. A sample
    without spread prints its mean to 4 significant digits and ``± 0``.
    """
    values = np.asarray(values, dtype=np.float64) * (100 if percent else 1)
    if values.size < 2:
        raise ValueError(f"values must hold at least 2 numbers for a spread; got {values.size}")
    mean, spread = float(np.mean(values)), float(np.std(values, ddof=1))
    unit = " %" if percent else ""
    if fmt is None and not (np.isfinite(spread) and spread > 0):
        return f"{mean:.4g} ± 0{unit}"
    fmt = fmt or f".{_decimals(spread)}f"
    return f"{mean:{fmt}} ± {spread:{fmt}}{unit}"
