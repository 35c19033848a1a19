"""Pure matplotlib plots of training: loss and accuracy curves, decision boundaries, statistics over steps."""
import numpy as np

from .axes import get_axes as _axes
from .axes import set_log_limits, set_loss_scale


def set_steady_loss_scale(ax, values, cover=None):
    """:func:`~initkit.plotting.axes.set_loss_scale` for a live view: a log axis ends at whole decades below
    and half decades above, so a falling loss moves it only when it crosses a decade (the chunks between
    blit), and the limits stay a function of the values alone.

    ``cover`` (a pair of powers of ten, ``(-2, 1)`` for 0.01 to 10): always a log axis spanning at least
    that range, widened only for values outside it, so a training run whose loss stays inside never
    changes the axis (a trainer widget's chunks all blit; no linear/log switch mid-run).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> set_steady_loss_scale(ax, [2.3, 0.9, 0.04]); ax.get_ylim()
    (np.float64(0.01), np.float64(3.1622776601683795))
    >>> set_steady_loss_scale(ax, [2.3, 2.2], cover=(-2, 1)); ax.get_yscale(), ax.get_ylim()
    ('log', (np.float64(0.01), np.float64(10.0)))
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if cover is not None:
        lo, hi = cover
        if v.size:
            lo = min(lo, np.floor(np.log10(v.min() / 1.25)))
            hi = max(hi, np.ceil(2 * np.log10(v.max() * 1.25)) / 2)
        set_log_limits(ax.yaxis, lo, hi)
        return
    set_loss_scale(ax, values)
    if ax.get_yscale() == "log":
        set_log_limits(ax.yaxis, np.floor(np.log10(v.min() / 1.25)), np.ceil(2 * np.log10(v.max() * 1.25)) / 2)


def plot_history(history, ax=None, label=None, metric="loss", color=None):
    """Per-epoch ``metric`` ('loss' or 'acc'): training data as a solid line, test data dashed in the same
    color, both in the legend ("train", "test (dashed)"; with a ``label`` such as "He": "He" and
    "He: test (dashed)"); divergence marked.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> history = ik.History(train_loss=[2.3, 1.1, 0.6], test_loss=[2.3, 1.2, 0.8])
    >>> ax = plot_history(history, label="He", ax=Figure().add_subplot())
    >>> [line.get_label() for line in ax.lines], ax.get_yscale()
    (['He', 'He: test (dashed)'], 'log')
    """
    if metric not in ("loss", "acc"):
        raise ValueError(f"metric must be one of 'acc', 'loss'; got {metric!r}")
    ax = _axes(ax)
    train, test = (history.train_loss, history.test_loss) if metric == "loss" else (history.train_acc, history.test_acc)
    epochs = np.arange(1, len(train) + 1)
    generic = label is None or label.startswith("train")
    (line,) = ax.plot(epochs, train, "-", color=color, label=label or f"train {metric}")
    if test:
        ax.plot(epochs, test, "--", color=line.get_color(), alpha=0.8,
                label="test (dashed)" if generic else f"{label}: test (dashed)")
    if history.diverged:
        ax.annotate(f"diverged at step {history.diverged_at}", (0.02, 0.92), xycoords="axes fraction",
                    color=line.get_color(), fontsize=8)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    if metric == "loss" and len(train) and min(train) > 0:
        ax.set_yscale("log")
    return ax


def plot_decision_boundary(net, X, y, ax=None, resolution=150, margin=0.5):
    """The network's predicted class over the plane, with the points on top (2-D inputs only).

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> data = ik.load_dataset("xor", n_samples=40, rng=0)
    >>> ax = plot_decision_boundary(ik.MLP([2, 8, 2], rng=0), data.X_train, data.y_train, resolution=20,
    ...                             ax=Figure().add_subplot())
    >>> len(ax.collections[-1].get_offsets())              # the 30 training points on top
    30
    """
    X = np.asarray(X)
    if X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D inputs; got {X.shape[1]} features")
    ax = _axes(ax, figsize=(3.2, 3.2))
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    with np.errstate(all="ignore"):
        out = net.forward(np.c_[gx.ravel(), gy.ravel()])
    pred = out.argmax(axis=1) if out.shape[1] > 1 else (out[:, 0] > 0).astype(int)
    ax.contourf(gx, gy, pred.reshape(gx.shape), alpha=0.3, cmap="coolwarm", levels=np.arange(-0.5, pred.max() + 1))
    ax.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="coolwarm", edgecolors="none")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_snapshot_stat(history, key="act_std", ax=None, log=True, legend=True, cmap="viridis"):
    """One line per layer: a record field (see :func:`~initkit.nn.stats.layer_records`) against training step.

    Layers are colored along ``cmap`` from the first (dark) to the last (light), so depth reads off the
    color; the legend names the first and the last layer ("layer 1, input side", "layer L, output").

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> snapshots = [{"step": s, "layers": [{"act_std": 1.0 / s}, {"act_std": 0.5 / s}]} for s in (1, 6, 11)]
    >>> ax = plot_snapshot_stat(ik.History(snapshots=snapshots), ax=Figure().add_subplot())
    >>> [line.get_label() for line in ax.lines]
    ['layer 1, input side', 'layer 2, output']
    """
    import matplotlib

    ax = _axes(ax)
    steps = [s["step"] for s in history.snapshots]
    n_layers = len(history.snapshots[0]["layers"]) if history.snapshots else 0
    colors = matplotlib.colormaps[cmap](np.linspace(0.0, 0.85, max(n_layers, 1)))
    for l in range(n_layers):
        label = (f"layer {l + 1}" + (", input side" if l == 0 else ", output" if l == n_layers - 1 else ""))
        ax.plot(steps, [s["layers"][l][key] for s in history.snapshots], color=colors[l], label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(key.replace("_", " "))
    if legend and n_layers:
        ax.legend(fontsize=7, ncol=2)
    return ax
