"""Pure matplotlib plots: ``ax=None`` in, axes out, never ``plt.show()``.

Diagnostics return data (:mod:`initkit.measure.probe`, :mod:`initkit.measure.theory`); these functions only draw it.
The training plots live in :mod:`initkit.plotting.training` and are re-exported here, so ``ik.plotting``
holds every plot.
"""
import numpy as np

from .axes import get_axes as _axes
from .axes import integer_ticks, unique_legend


def plot_histograms(result, kind="act", axes=None, normalize=True, color=None):
    """One small histogram per probed layer (``result.hist_layers``); returns the axes.

    ``kind``: 'act' (activations) or 'grad' (dL/da). Counts are divided by their maximum when
    ``normalize``, so shapes compare across layers whatever their scale.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> result = ik.probe(depth=3, width=32, n_samples=64, rng=0)
    >>> len(plot_histograms(result, "grad", axes=Figure().subplots(1, 3)))    # one panel per probed layer
    3
    """
    if kind not in ("act", "grad"):
        raise ValueError(f"kind must be one of 'act', 'grad'; got {kind!r}")
    hist, edges = (result.act_hist, result.act_edges) if kind == "act" else (result.grad_hist, result.grad_edges)
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, len(hist), figsize=(1.3 * len(hist), 1.6), sharey=True, squeeze=False)[1][0]
    for ax, counts, layer in zip(axes, hist, result.hist_layers):
        values = counts / max(counts.max(), 1) if normalize else counts
        ax.stairs(values, edges, fill=True, color=color or ("C0" if kind == "act" else "C3"))
        ax.set_title(f"layer {layer}", fontsize=8)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
    return axes


def plot_std_by_layer(result, prediction=None, key="act_std", ax=None, label=None, color="C0"):
    """Measured per-layer std as dots and the theory prediction as a line, on a log axis.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> ax = plot_std_by_layer(ik.probe(depth=3, width=32, n_samples=64, rng=0), ax=Figure().add_subplot())
    >>> ax.get_yscale(), ax.get_legend().get_texts()[0].get_text()
    ('log', 'measured act_std')
    """
    ax = _axes(ax)
    layers = np.arange(1, result.depth + 1)
    measured = result.column(key)
    ok = np.isfinite(measured) & (measured > 0)
    ax.semilogy(layers[ok], measured[ok], "o", ms=4, color=color, label=label or f"measured {key}")
    if prediction is not None:
        theory = {"act_std": prediction.act_std, "pre_std": prediction.pre_std,
                  "da_std": prediction.da_std}[key]
        good = np.isfinite(theory) & (theory > 0)
        ax.semilogy(layers[good], theory[good], "-", color=color, alpha=0.6, label="theory (mean field)")
    ax.set_xlabel("layer")
    ax.set_ylabel(key.replace("_", " "))
    integer_ticks(ax.xaxis)
    unique_legend(ax, fontsize=8)  # called twice on one axes (act and da), 'theory' appears once
    return ax


def plot_gradient_by_layer(result, prediction=None, ax=None):
    """Std of dL/da per layer (measured dots, theory line): similar magnitudes across layers is healthy.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> ax = plot_gradient_by_layer(ik.probe(depth=3, width=32, n_samples=64, rng=0), ax=Figure().add_subplot())
    >>> ax.get_ylabel()
    'da std'
    """
    return plot_std_by_layer(result, prediction, key="da_std", ax=ax, label="measured std of dL/da", color="C3")


def plot_fractions(result, ax=None):
    """Saturated (tanh/sigmoid) and dead (ReLU) fractions per layer.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> ax = plot_fractions(ik.probe(depth=3, width=32, n_samples=64, rng=0), ax=Figure().add_subplot())
    >>> [line.get_label() for line in ax.lines]
    ['saturated |a| > 0.97', 'dead (never active)']
    """
    ax = _axes(ax)
    layers = np.arange(1, result.depth + 1)
    ax.plot(layers, result.column("saturation"), "o-", ms=3, label="saturated |a| > 0.97")
    ax.plot(layers, result.column("dead"), "s-", ms=3, label="dead (never active)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("layer")
    integer_ticks(ax.xaxis)
    ax.set_ylabel("fraction of units")
    ax.legend(fontsize=8)
    return ax


def plot_weight_histograms(net, axes=None, bins=50):
    """Histogram of each layer's weights, with the layer's std in the title.

    >>> import initkit as ik
    >>> from matplotlib.figure import Figure
    >>> axes = plot_weight_histograms(ik.MLP([4, 8, 3], rng=0), axes=Figure().subplots(1, 2))
    >>> [ax.get_title().split(":")[0] for ax in axes]
    ['W1', 'W2']
    """
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, len(net.layers), figsize=(2 * len(net.layers), 1.8), squeeze=False)[1][0]
    for i, (ax, layer) in enumerate(zip(axes, net.layers), start=1):
        ax.hist(layer.W.ravel(), bins=bins, color="C2")
        ax.set_title(f"W{i}: std {layer.W.std():.3g}", fontsize=8)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
    return axes

