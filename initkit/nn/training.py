"""Mini-batch training with a history of loss, accuracy and per-layer statistics.

``fit`` never raises on a diverging run: it stops at the first step whose loss is non-finite or absurdly
far above chance level (see :func:`fit` for the rule), and the history says so (``diverged``,
``diverged_at``, ``diverged_reason``). Overflow warnings are silenced inside the loop for the same reason:
the divergence is the lesson, and the history reports it. Bad data (NaN, inf, wrong shapes) is not a
divergence: it is rejected before the first step.
"""
from dataclasses import dataclass, field

import numpy as np

from ..core.constraints import RNG, AnyOf, Bool, Instance, Integer, Optional, Real
from ..core.array_constraints import Data, Labels
from ..core.validation import MAX_ELEMENTS, check_data, check_labels, check_number, make_rng, validate_params
from .data import Dataset
from .divergence import DIVERGENCE_FACTOR, DivergenceCheck, chance_loss
from ..core.losses import get_loss
from .optimizers import get_optimizer
from .progress import ProgressBar, progress_bar
from .stats import layer_records


@dataclass
class History:
    """What happened during ``fit``: per-epoch metrics, per-step loss, snapshots and divergence.

    >>> h = History(train_loss=[0.7, 0.5], step_loss=[0.8, 0.6, 0.5])
    >>> h.steps, h
    (3, History(2 epochs, 3 steps, train_loss=0.5, train_acc=-, test_acc=-))
    """

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)  # {"step": s, "layers": layer_records(net)}
    diverged: bool = False
    diverged_at: int = None  # the first step whose loss was non-finite or above the divergence limit
    diverged_reason: str = None  # e.g. "loss 6.5e+04 > 1e+04 x chance level ln(10) = 2.3"

    @property
    def steps(self):
        """The number of optimizer steps taken (one loss per step)."""
        return len(self.step_loss)

    def extend(self, other):
        """Append a later History (training continued); snapshot steps are shifted to stay global."""
        offset = self.steps
        for name in ("train_loss", "train_acc", "test_loss", "test_acc", "step_loss"):
            getattr(self, name).extend(getattr(other, name))
        self.snapshots.extend({**s, "step": s["step"] + offset} for s in other.snapshots)
        if other.diverged and not self.diverged:
            self.diverged, self.diverged_at = True, other.diverged_at + offset
            self.diverged_reason = other.diverged_reason
        return self

    def __repr__(self):
        if self.diverged:
            return f"History(diverged at step {self.diverged_at}: {self.diverged_reason})"
        last = lambda xs: f"{xs[-1]:.4g}" if xs else "-"  # noqa: E731
        return (f"History({len(self.train_loss)} epochs, {self.steps} steps, train_loss={last(self.train_loss)}, "
                f"train_acc={last(self.train_acc)}, test_acc={last(self.test_acc)})")


@validate_params({"outputs": Data(ndim=2, what="(n_samples, n_outputs)"),
                  "y": AnyOf(Labels(rows="outputs", classes=lambda a: max(a["outputs"].shape[1], 2)),
                             Data(ndim=2, what="of targets (a column of labels, or regression targets)"))})
def accuracy(outputs, y):
    """Fraction correct: argmax for several outputs, output > 0 (sigmoid > 1/2) for a single one.

    ``y`` holds one label per row of ``outputs`` (a column ``(n, 1)`` is accepted for a single output).
    NaN for regression targets (a 2-D ``y`` with several columns), where accuracy has no meaning.

    >>> round(accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), np.array([0, 1, 1])), 4)     # 2 of 3
    0.6667
    >>> accuracy(np.array([[0.3], [-2.0]]), np.array([1, 1]))                           # logit > 0: class 1
    0.5
    """
    if y.ndim == 2 and y.shape[1] == 1 and outputs.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2:
        return float("nan")
    if y.ndim != 1 or len(y) != len(outputs):
        raise ValueError(f"y must hold one label per row of outputs ({len(outputs)}); got shape {y.shape}")
    pred = outputs.argmax(axis=1) if outputs.shape[1] > 1 else (outputs[:, 0] > 0).astype(np.int64)
    return float(np.mean(pred == y))


def default_loss(net):
    """Softmax cross-entropy for several outputs, sigmoid binary cross-entropy for one.

    >>> import initkit as ik
    >>> default_loss(ik.MLP([2, 3], rng=0)), default_loss(ik.MLP([2, 1], rng=0))
    ('softmax_cross_entropy', 'sigmoid_binary_cross_entropy')
    """
    return "softmax_cross_entropy" if net.sizes[-1] > 1 else "sigmoid_binary_cross_entropy"


def minibatches(order, batch_size):
    """Consecutive slices of ``batch_size`` entries of a shuffled ``order`` (the last one may be shorter);
    ``order`` may hold one permutation per stacked network (rows), sliced together."""
    for start in range(0, order.shape[-1], batch_size):
        yield order[..., start:start + batch_size]


def epoch_loop(epochs, run_epoch, progress=None, stopped=None):
    """The one epoch loop of every trainer: ``run_epoch(epoch)`` for epoch = 1 .. ``epochs`` returns that
    epoch's mean training loss, or None when training stopped (then ``stopped()`` says why on the progress
    display). Floating-point warnings are silenced (a diverging run is a result, reported by the trainer's
    history), and progress goes to the one rate-limited display (:class:`~initkit.nn.progress.ProgressBar`;
    ``progress`` True, False, None for INITKIT_PROGRESS, or a caller's bar to advance, one unit per epoch).
    Returns the number of epochs run to their end.

    >>> epoch_loop(3, lambda epoch: 1.0 / epoch, progress=False)
    3
    """
    bar = progress_bar(progress, epochs)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            loss = run_epoch(epoch)
            if loss is None:
                if bar is progress:  # a caller's bar: count the epochs skipped, the caller goes on
                    bar.advance(epochs - epoch + 1)
                else:
                    bar.finish(stopped() if stopped is not None else "stopped")
                return epoch - 1
            bar.advance(1, loss)
    return epochs


def train_epoch(net, X, y, loss_fn, optimizer, batch_size, rng, history=None, snapshot_every=None, check=None):
    """One pass over shuffled mini-batches; returns (mean loss, accuracy), or None if it diverged.

    ``check`` (a :class:`DivergenceCheck`, default: non-finite loss only) decides divergence per step.
    """
    check = check or DivergenceCheck(None, None, "")
    order = rng.permutation(len(X))
    total_loss, correct = 0.0, 0.0
    for idx in minibatches(order, batch_size):
        out = net.forward(X[idx])
        loss, grad = loss_fn(out, y[idx])
        if history is not None:
            history.step_loss.append(loss)
        reason = check(loss)
        if reason is not None:
            if history is not None:
                history.diverged, history.diverged_at = True, len(history.step_loss)
                history.diverged_reason = reason
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


def train_in_chunks(net, data, optimizer, epochs, chunks, batch_size, rng, divergence_factor=DIVERGENCE_FACTOR):
    """Train ``net`` on a Dataset for ``epochs`` split into ``chunks``; yield the accumulated History after
    each chunk (so a view can redraw while training runs). Stops early if training diverges (as in :func:`fit`).

    >>> import initkit as ik
    >>> runs = train_in_chunks(ik.MLP([2, 8, 2], rng=0), ik.load_dataset("xor", n_samples=40, rng=0),
    ...                        ik.SGD(lr=0.1), epochs=4, chunks=2, batch_size=10, rng=0)
    >>> [len(history.train_loss) for history in runs]       # the same History, 2 then 4 epochs
    [2, 4]
    """
    epochs = check_number("epochs", epochs, low=1, integer=True)
    chunks = check_number("chunks", chunks, low=1, integer=True)
    gen, history = make_rng(rng), History()
    per_chunk = np.diff(np.linspace(0, epochs, chunks + 1).round().astype(int))
    for n in per_chunk[per_chunk > 0]:
        history.extend(fit(net, data, optimizer=optimizer, epochs=int(n), batch_size=batch_size, progress=False,
                           divergence_factor=divergence_factor, rng=gen))
        yield history
        if history.diverged:
            return


def training_arrays(net, X, y, X_test, y_test, caller):
    """(X, y, X_test, y_test) checked for ``net``: ``X`` may be a Dataset (then y, X_test, y_test are its
    splits); data with NaN or inf, or of the wrong shape, raises a ValueError naming ``caller``'s argument."""
    if isinstance(X, Dataset):
        if y is not None or X_test is not None or y_test is not None:
            raise ValueError("give either a Dataset as X, or arrays X, y (and X_test, y_test), not both")
        X, y, X_test, y_test = X.X_train, X.y_train, X.X_test, X.y_test
    if y is None:
        raise ValueError(f"{caller} needs X and y with one label per row (or a Dataset); got y=None")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test go together: give both or neither")
    X = check_data("X", X, net.dtype, net.sizes[0])
    try:
        y = check_labels("y", y, len(X))
    except ValueError as err:
        raise ValueError(f"{caller} needs X and y with one label per row (or a Dataset): {err}") from None
    if X_test is not None:
        X_test = check_data("X_test", X_test, net.dtype, net.sizes[0])
        y_test = check_labels("y_test", y_test, len(X_test))
    return X, y, X_test, y_test


@validate_params({"net": Instance("an MLP", ("forward", "sizes")),
                  "X": AnyOf(Data(ndim=2, columns=lambda a: a["net"].sizes[0]), Instance("a Dataset", ("X_train",))),
                  "epochs": Integer(1, 10**6), "batch_size": Integer(1, MAX_ELEMENTS),
                  "snapshot_every": Optional(Integer(1, 10**9)), "divergence_factor": Optional(Real(1, closed="right")),
                  "progress": AnyOf(Optional(Bool), Instance("a ProgressBar", types=(ProgressBar,))), "rng": RNG},
                 budget={"epochs and X": (lambda a: a["epochs"] * len(getattr(a["X"], "X_train", a["X"])),
                                          "samples seen (epochs x rows of X)")})
def fit(net, X, y=None, *, X_test=None, y_test=None, loss=None, optimizer="sgd", lr=0.1, momentum=0.0,
        epochs=10, batch_size=32, snapshot_every=None, divergence_factor=DIVERGENCE_FACTOR, progress=None, rng=None):
    """Train ``net`` in place and return a :class:`History`.

    ``X`` may be a :class:`~initkit.nn.data.Dataset` (its test split is used for evaluation). ``loss``
    defaults to softmax cross-entropy for several outputs, sigmoid binary cross-entropy for one.
    ``snapshot_every=k`` records :func:`~initkit.nn.stats.layer_records` at steps 1, k+1, 2k+1, ...
    Training metrics are averaged over each epoch's mini-batches; test metrics use the whole test set.
    Data containing NaN or inf, or of the wrong shape, raises ValueError before the first step.
    ``progress``: one in-place bar updated a few times a second at most (:func:`epoch_loop`), shown for runs
    longer than 2 s unless False or INITKIT_PROGRESS=0.

    Divergence: training stops at the first step whose mini-batch loss is non-finite or exceeds
    ``divergence_factor * reference``, and the history records the step and the reason. The reference is
    the chance-level loss, what a model that learned nothing scores (:func:`chance_loss`): ln C for
    softmax cross-entropy over C classes, ln 2 for sigmoid binary cross-entropy, half the targets' total
    variance for mean squared error (the first step's loss for other losses). ``divergence_factor=None``
    stops only on a non-finite loss. The default, :data:`DIVERGENCE_FACTOR` = 1e4, is far from both
    sides in measurements: trainable runs start at most about 3.7e3 x chance (the playground's N(0, 1) x 10
    ReLU nets, 578 x for the Deep Learning Specialization run of notebook 02, which reaches 74%) and
    every course run stays below 10 x chance after its first step; runs that blow up without overflowing
    reach 2.8e4 x (tanh, N(0, 1), lr 1e3 on digits: ends at 6.5e4) up to 1e154 x (BatchNorm, lr 1e4).
    Since the rule needs no history of the run, a loss spiking a few times above its minimum near
    convergence is never divergence.

    >>> import initkit as ik
    >>> data = ik.load_dataset("xor", n_samples=200, rng=0)
    >>> net = ik.MLP([2, 16, 2], activation="tanh", rng=0)
    >>> h = fit(net, data, epochs=20, lr=0.3, momentum=0.9, progress=False, rng=0)
    >>> h.steps, h.diverged, bool(h.train_loss[-1] < 0.5 * h.train_loss[0]), bool(h.test_acc[-1] > 0.8)
    (100, False, True, True)
    >>> h = fit(ik.MLP([2, 16, 2], init="standard_normal", rng=0), data, lr=1e6, progress=False, rng=0)
    >>> h.diverged, h.diverged_at                    # the loss left 1e4 x chance level at step 2
    (True, 2)
    """
    X, y, X_test, y_test = training_arrays(net, X, y, X_test, y_test, "fit")
    rng = make_rng(rng)
    loss_fn = get_loss(default_loss(net) if loss is None else loss)
    if hasattr(optimizer, "step"):
        opt = optimizer
    else:
        sgd = isinstance(optimizer, str) and optimizer == "sgd"
        opt = get_optimizer(optimizer, lr=lr, **({"momentum": momentum} if sgd else {}))
    check = DivergenceCheck(divergence_factor, *chance_loss(loss_fn, net.sizes[-1], y))
    history = History()

    def epoch(_):
        result = train_epoch(net, X, y, loss_fn, opt, batch_size, rng, history, snapshot_every, check)
        if result is None:
            return None
        history.train_loss.append(result[0])
        history.train_acc.append(result[1])
        if X_test is not None:
            net.eval()  # BatchNorm: running statistics, not the test batch's own
            out = net.forward(X_test)
            net.train()
            history.test_loss.append(loss_fn(out, y_test)[0])
            history.test_acc.append(accuracy(out, y_test))
        return result[0]

    epoch_loop(epochs, epoch, progress, lambda: f"diverged at step {history.diverged_at}")
    return history
