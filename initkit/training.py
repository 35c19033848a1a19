"""Mini-batch training with a history of loss, accuracy and per-layer statistics.

``fit`` never raises on a diverging run: when the loss becomes non-finite it stops, and the history
says so (``diverged``, ``diverged_at``). Overflow warnings are silenced inside the loop for the same
reason: the divergence is the lesson, and the history reports it.
"""
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_number
from .data import Dataset
from .losses import get_loss
from .optimizers import get_optimizer
from .progress import ProgressBar as _Progress
from .stats import layer_records


@dataclass
class History:
    """What happened during ``fit``: per-epoch metrics, per-step loss, snapshots and divergence."""

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)  # {"step": s, "layers": layer_records(net)}
    diverged: bool = False
    diverged_at: int = None  # the step whose loss was not finite

    @property
    def steps(self):
        return len(self.step_loss)

    def extend(self, other):
        """Append a later History (training continued); snapshot steps are shifted to stay global."""
        offset = self.steps
        for name in ("train_loss", "train_acc", "test_loss", "test_acc", "step_loss"):
            getattr(self, name).extend(getattr(other, name))
        self.snapshots.extend({**s, "step": s["step"] + offset} for s in other.snapshots)
        if other.diverged:
            self.diverged, self.diverged_at = True, other.diverged_at + offset
        return self

    def __repr__(self):
        if self.diverged:
            return f"History(diverged at step {self.diverged_at}: the loss became inf/nan)"
        last = lambda xs: f"{xs[-1]:.4g}" if xs else "-"  # noqa: E731
        return (f"History({len(self.train_loss)} epochs, {self.steps} steps, train_loss={last(self.train_loss)}, "
                f"train_acc={last(self.train_acc)}, test_acc={last(self.test_acc)})")


def accuracy(outputs, y):
    """Fraction correct: argmax for several outputs, output > 0 (sigmoid > 1/2) for a single one.
    NaN for regression targets (a 2-D ``y``), where accuracy has no meaning."""
    y = np.asarray(y)
    if y.ndim != 1:
        return float("nan")
    pred = outputs.argmax(axis=1) if outputs.shape[1] > 1 else (outputs[:, 0] > 0).astype(y.dtype)
    return float(np.mean(pred == y))


def default_loss(net):
    return "softmax_cross_entropy" if net.sizes[-1] > 1 else "sigmoid_binary_cross_entropy"


def train_epoch(net, X, y, loss_fn, optimizer, batch_size, rng, history=None, snapshot_every=None):
    """One pass over shuffled mini-batches; returns (mean loss, accuracy) or None if it diverged."""
    order = rng.permutation(len(X))
    total_loss, correct = 0.0, 0.0
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        out = net.forward(X[idx])
        loss, grad = loss_fn(out, y[idx])
        if history is not None:
            history.step_loss.append(loss)
        if not np.isfinite(loss):
            if history is not None:
                history.diverged, history.diverged_at = True, len(history.step_loss)
            return None
        net.backward(grad)
        snapshot = history is not None and snapshot_every and (len(history.step_loss) - 1) % snapshot_every == 0
        if snapshot:
            records = layer_records(net)
            before = [layer.W.copy() for layer in net.layers]
        optimizer.step(net.parameters(), net.gradients())
        if snapshot:
            for record, layer, old in zip(records, net.layers, before):
                # update:data ratio, std(delta W) / std(W): about 1e-3 is Karpathy's healthy guide
                w_std = float(np.std(old))
                record["update_data_ratio"] = float(np.std(layer.W - old)) / w_std if w_std > 0 else float("nan")
            history.snapshots.append({"step": len(history.step_loss), "layers": records})
        total_loss += loss * len(idx)
        correct += accuracy(out, y[idx]) * len(idx)
    return total_loss / len(X), correct / len(X)


def train_in_chunks(net, data, optimizer, epochs, chunks, batch_size, rng):
    """Train ``net`` on a Dataset for ``epochs`` split into ``chunks``; yield the accumulated History after
    each chunk (so a view can redraw while training runs). Stops early if training diverges."""
    gen, history = np.random.default_rng(rng), History()
    per_chunk = np.diff(np.linspace(0, epochs, chunks + 1).round().astype(int))
    for n in per_chunk[per_chunk > 0]:
        history.extend(fit(net, data, optimizer=optimizer, epochs=int(n), batch_size=batch_size, progress=False,
                           rng=gen))
        yield history
        if history.diverged:
            return


def fit(net, X, y=None, *, X_test=None, y_test=None, loss=None, optimizer="sgd", lr=0.1, momentum=0.0,
        epochs=10, batch_size=32, snapshot_every=None, progress=None, rng=None):
    """Train ``net`` in place and return a :class:`History`.

    ``X`` may be a :class:`~initkit.data.Dataset` (its test split is used for evaluation). ``loss``
    defaults to softmax cross-entropy for several outputs, sigmoid binary cross-entropy for one.
    ``snapshot_every=k`` records :func:`~initkit.stats.layer_records` at steps 1, k+1, 2k+1, ...
    Training metrics are averaged over each epoch's mini-batches; test metrics use the whole test set.
    """
    if isinstance(X, Dataset):
        X, y, X_test, y_test = X.X_train, X.y_train, X.X_test, X.y_test
    if y is None or len(X) != len(y):
        raise ValueError("fit needs X and y with one label per row (or a Dataset)")
    check_number("epochs", epochs, low=1, integer=True)
    check_number("batch_size", batch_size, low=1, integer=True)
    if snapshot_every is not None:
        check_number("snapshot_every", snapshot_every, low=1, integer=True)
    rng = np.random.default_rng(rng)
    X, y = np.asarray(X, dtype=net.dtype), np.asarray(y)
    loss_fn = get_loss(loss or default_loss(net))
    if hasattr(optimizer, "step"):
        opt = optimizer
    else:
        opt = get_optimizer(optimizer, lr=lr, **({"momentum": momentum} if optimizer == "sgd" else {}))
    history, bar = History(), _Progress(epochs, progress)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            result = train_epoch(net, X, y, loss_fn, opt, batch_size, rng, history, snapshot_every)
            if result is None:
                break
            history.train_loss.append(result[0])
            history.train_acc.append(result[1])
            if X_test is not None:
                net.eval()  # BatchNorm: running statistics, not the test batch's own
                out = net.forward(np.asarray(X_test, dtype=net.dtype))
                net.train()
                history.test_loss.append(loss_fn(out, y_test)[0])
                history.test_acc.append(accuracy(out, y_test))
            bar.update(epoch, result[0])
    return history
