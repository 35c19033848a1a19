"""Many small networks trained side by side, and the seed statistics notebooks 02 and 03 print.

A lesson that compares initializations must run each one over several seeds and report the spread: a
single run of a network started at a large or chaotic scale is one draw from a distribution, and
another BLAS kernel draws another one. ``train_stack`` makes that affordable: K networks of one
architecture have their weights stacked into ``(K, fan_in, fan_out)`` arrays, and each training step is
one batched matrix product per layer for all of them. Every network follows exactly the updates
:func:`initkit.fit` would apply to it alone with the same mini-batch order (a test checks it), so five
seeds of thirteen scales cost about as much Python as one network.

``mean_spread`` formats seed statistics with only the digits the spread allows.
"""
from dataclasses import dataclass

import numpy as np

from ._validation import check_number, check_one_of
from .losses import get_loss
from .training import default_loss


@dataclass
class StackHistory:
    """What happened to each of K networks trained by :func:`train_stack` (columns follow ``nets``).

    ``step_loss`` is (steps, K); ``train_loss`` and ``train_acc`` are (epochs, K) means over each epoch's
    mini-batches. A network whose loss became inf/nan stops there: ``diverged_at`` holds that step
    (1-based, as in :class:`initkit.History`), 0 if it never diverged, and its later entries are nan.
    """

    step_loss: np.ndarray
    train_loss: np.ndarray
    train_acc: np.ndarray
    diverged_at: np.ndarray

    @property
    def diverged(self):
        return self.diverged_at > 0

    @property
    def final_loss(self):
        """The last epoch's training loss of every network (inf where it diverged)."""
        return np.where(self.diverged, np.inf, self.train_loss[-1])


def _stacked_loss(name):
    """Batched versions of the losses in :mod:`initkit.losses`: outputs (K, B, C) -> loss (K,), grad."""

    def softmax_cross_entropy(out, y):
        shifted = out - out.max(axis=2, keepdims=True)
        log_z = np.log(np.exp(shifted).sum(axis=2))
        rows = np.arange(out.shape[1])
        loss = np.mean(log_z - shifted[:, rows, y], axis=1)
        grad = np.exp(shifted - log_z[:, :, None])  # softmax
        grad[:, rows, y] -= 1.0  # dL/dz = p - onehot(y)
        return loss, grad / out.shape[1]

    def sigmoid_binary_cross_entropy(out, y):
        z = out[:, :, 0]
        t = y.astype(out.dtype)
        loss = np.mean(np.logaddexp(0.0, z) - t * z, axis=1)
        e = np.exp(-np.abs(z))
        prob = np.where(z >= 0, 1.0, e) / (1.0 + e)
        return loss, ((prob - t) / z.shape[1])[:, :, None].astype(out.dtype, copy=False)

    def mean_squared_error(out, y):
        diff = out - y.astype(out.dtype).reshape(out.shape[1], -1)
        return 0.5 * np.sum(diff * diff, axis=(1, 2)) / out.shape[1], diff / out.shape[1]

    table = {"softmax_cross_entropy": softmax_cross_entropy,
             "sigmoid_binary_cross_entropy": sigmoid_binary_cross_entropy,
             "mean_squared_error": mean_squared_error}
    check_one_of("loss", name, table)
    return table[name]


def _accuracy(out, y):
    if y.ndim != 1:
        return np.full(out.shape[0], np.nan)
    pred = out.argmax(axis=2) if out.shape[2] > 1 else (out[:, :, 0] > 0)
    return np.mean(pred == y, axis=1)


def train_stack(nets, X, y, *, loss=None, lr=0.1, momentum=0.0, epochs=1, batch_size=32, rng=None):
    """Train the MLPs ``nets`` (one architecture, any weights) together with SGD; returns a :class:`StackHistory`.

    Each network sees the same shuffled mini-batches, drawn as :func:`initkit.fit` draws them from ``rng``,
    and gets the same update ``fit(net, X, y, lr=lr, momentum=momentum, ...)`` would give it; the trained
    weights are written back into ``nets``. No BatchNorm. ``loss`` is a name from :mod:`initkit.losses`
    (default: softmax cross-entropy for several outputs, sigmoid binary cross-entropy for one).
    """
    nets = list(nets)
    if not nets:
        raise ValueError("nets must hold at least one MLP; got an empty list")
    sizes, dtype = nets[0].sizes, nets[0].dtype
    for net in nets:
        if net.sizes != sizes or net.dtype != dtype or net.norm is not None:
            raise ValueError(f"nets must share one architecture {sizes} and dtype {dtype} without BatchNorm; "
                             f"got {net!r} ({net.dtype})")
    check_number("epochs", epochs, low=1, integer=True)
    check_number("batch_size", batch_size, low=1, integer=True)
    check_number("lr", lr, low=0, low_inclusive=False)
    check_number("momentum", momentum, low=0, high=1)
    X, y = np.asarray(X, dtype=dtype), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one label per row; got {len(X)} rows and {len(y)} labels")
    loss_fn = _stacked_loss(get_loss(loss or default_loss(nets[0])).__name__)
    acts = [layer.activation for layer in nets[0].layers]
    Ws = [np.stack([net.layers[l].W for net in nets]) for l in range(len(acts))]  # (K, fan_in, fan_out)
    bs = [np.stack([net.layers[l].b for net in nets])[:, None, :] for l in range(len(acts))]  # (K, 1, fan_out)
    params = [p for pair in zip(Ws, bs) for p in pair]
    velocity = [np.zeros_like(p) for p in params] if momentum else None
    k = len(nets)
    alive = np.ones(k, dtype=bool)
    diverged_at = np.zeros(k, dtype=np.int64)
    gen = np.random.default_rng(rng)
    step_loss, train_loss, train_acc = [], [], []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _ in range(epochs):
            order = gen.permutation(len(X))
            total, correct = np.zeros(k), np.zeros(k)
            for start in range(0, len(X), batch_size):
                idx = order[start:start + batch_size]
                a, inputs, pres = X[idx], [], []
                for act, W, b in zip(acts, Ws, bs):  # forward: z = a W + b, a = phi(z)
                    inputs.append(a)
                    z = a @ W
                    z += b
                    pres.append(z)
                    a = z if act.name == "linear" else act(z)
                value, da = loss_fn(a, y[idx])
                step_loss.append(np.where(alive, value, np.nan))
                bad = alive & ~np.isfinite(value)
                diverged_at[bad] = len(step_loss)
                alive &= ~bad
                grads = []
                for l in range(len(acts) - 1, -1, -1):  # backward: dz = da phi'(z), dW = a^T dz, da_prev = dz W^T
                    dz = da if acts[l].name == "linear" else da * acts[l].derivative(pres[l])
                    grads[:0] = [np.swapaxes(inputs[l], -1, -2) @ dz, dz.sum(axis=-2, keepdims=True)]
                    if l > 0:
                        da = dz @ np.swapaxes(Ws[l], 1, 2)
                keep = alive.astype(dtype)[:, None, None]  # a diverged network stops moving
                for i, (p, g) in enumerate(zip(params, grads)):
                    if momentum:
                        v = velocity[i]
                        v *= momentum
                        v -= lr * g
                        p += keep * v
                    else:
                        p -= keep * (lr * g)
                total += np.where(alive, value, 0.0) * len(idx)
                correct += _accuracy(a, y[idx]) * len(idx)
            train_loss.append(np.where(alive, total / len(X), np.nan))
            train_acc.append(np.where(alive, correct / len(X), np.nan))
    for i, net in enumerate(nets):
        for l, layer in enumerate(net.layers):
            layer.W[...] = Ws[l][i]
            layer.b[...] = bs[l][i, 0]
    return StackHistory(step_loss=np.array(step_loss), train_loss=np.array(train_loss),
                        train_acc=np.array(train_acc), diverged_at=diverged_at)


def mean_spread(values, unit=""):
    """``"mean ± std"`` of seed results, rounded to the spread's leading digit (1 significant digit).

    The mean carries no digit below the spread's: ``mean_spread([0.52, 0.61, 0.58])`` is ``"0.57 ± 0.05"``.
    A zero spread prints the mean to 3 significant digits and ``± 0``.
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):  # inf (a diverged run) gives inf ± nan
        mean, std = float(np.mean(values)), float(np.std(values, ddof=1)) if values.size > 1 else 0.0
    if not np.isfinite(mean) or not np.isfinite(std):
        return f"{mean:.3g} ± {std:.1g}{unit}"
    if std == 0:
        return f"{mean:.3g} ± 0{unit}"
    decimals = -int(np.floor(np.log10(float(f"{std:.1g}"))))  # the spread's leading digit
    if decimals < 0:  # a spread of tens or more: round both to that power of ten
        mean, std, decimals = round(mean, decimals), round(std, decimals), 0
    return f"{mean:.{decimals}f} ± {std:.{decimals}f}{unit}"
