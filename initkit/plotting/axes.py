"""The small matplotlib helpers the plot and view modules share."""
import numpy as np


def get_axes(ax, figsize=(5, 3.2)):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def integer_ticks(axis):
    """Ticks at whole numbers only (layers, epochs): no 2.5 or 7.5."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def unique_legend(ax, **kwargs):
    """A legend with each label once (several lines may share a label, e.g. two 'theory' curves)."""
    handles, labels = ax.get_legend_handles_labels()
    seen = {}
    for handle, label in zip(handles, labels):
        seen.setdefault(label, handle)
    return ax.legend(list(seen.values()), list(seen), **kwargs)


def set_loss_scale(ax, values, decades=1.0):
    """A log y-axis only when ``values`` span more than ``decades`` decades; otherwise a linear axis from 0.

    A flat loss (zero initialization stuck at ln 2) then reads as flat, instead of a log axis zoomed into
    0.6931-0.6934 with clipped tick labels.
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size and v.min() > 0 and v.max() / v.min() > 10 ** decades:
        set_log_limits(ax.yaxis, np.log10(v.min() / 1.25), np.log10(v.max() * 1.25))
        return
    ax.set_yscale("linear")  # also drops fixed log ticks: the default locator again
    top = v.max() if v.size else 1.0
    ax.set_ylim(min(0.0, v.min()) if v.size else 0.0, top * 1.1 if top > 0 else 1.0)


def train_test_legend(ax, **kwargs):
    """A legend explaining the line styles: solid = training set, dashed = test set."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.3", ls="-"), Line2D([], [], color="0.3", ls="--")]
    return ax.legend(handles, ["train", "test"], **kwargs)


def log_ticks(lo, hi):
    """Tick positions and labels for a log axis from 10**lo to 10**hi, readable at any span: several
    ticks per decade on narrow spans (0.9, 1, 1.2 ...), 1-2-5 up to 2.5 decades, then whole decades."""
    span = hi - lo
    mantissas = ((1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9) if span <= 0.6 else (1, 2, 5) if span <= 2.5 else None)
    if mantissas:
        ticks = [m * 10.0**k for k in range(int(np.floor(lo)) - 1, int(np.ceil(hi)) + 1) for m in mantissas]
    else:
        step = max(1, int(np.ceil(span / 6)))
        ticks = [10.0**k for k in range(int(np.ceil(lo)), int(np.floor(hi)) + 1, step)]
    ticks = [t for t in ticks if 10**lo * 0.999 <= t <= 10**hi * 1.001]
    labels = [f"{t:g}" if 1e-3 <= t < 1e4 else f"$10^{{{int(round(np.log10(t)))}}}$" for t in ticks]
    return ticks, labels


def set_log_limits(axis, lo, hi):
    """A log ``axis`` (``ax.yaxis``) from 10**lo to 10**hi with :func:`log_ticks` and no minor ticks."""
    from matplotlib.ticker import NullLocator

    ax = axis.axes
    getattr(ax, f"set_{axis.axis_name}scale")("log")
    getattr(ax, f"set_{axis.axis_name}lim")(10.0**lo, 10.0**hi)
    getattr(ax, f"set_{axis.axis_name}ticks")(*log_ticks(lo, hi))
    axis.set_minor_locator(NullLocator())


def _layout_needs(fig):
    """What a view's constrained layout depends on and a data update can change: per axes, the widest y
    and x tick labels (in characters; x labels overhang the axes' ends) and the title's number of lines.
    Titles are kept narrower than their axes (the views' clipping tests check it), so their width does not
    matter."""
    def widest(labels):
        return max((len(t.get_text()) for t in labels), default=0)

    return [(widest(ax.get_yticklabels()), widest(ax.get_xticklabels()), ax.get_title().count("\n"))
            for ax in fig.axes]


def draw_with_frozen_layout(fig):
    """Draw ``fig``, solving its constrained layout only when the space it reserved is too small.

    Solving costs about a third of a small figure's draw and a data update rarely needs more room: the
    layout is solved again only when a tick label got wider than the ones it was solved for, or a title
    changed its number of lines, so nothing is clipped.
    """
    engine = getattr(fig, "_initkit_engine", None) or fig.get_layout_engine()
    fig._initkit_engine = engine
    fig.set_layout_engine("none")
    fig.canvas.draw()
    needs, solved = _layout_needs(fig), getattr(fig, "_initkit_solved", None)
    fits = solved is not None and len(solved) == len(needs) and all(
        y <= y0 and x <= x0 and lines == lines0 for (y, x, lines), (y0, x0, lines0) in zip(needs, solved))
    if engine is not None and not fits:
        fig.set_layout_engine(engine)
        fig.canvas.draw()
        fig.set_layout_engine("none")
        fig._initkit_solved = _layout_needs(fig)  # what this layout has room for
