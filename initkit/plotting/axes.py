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


def nice_upper(n):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= ``n`` (> 0): an axis
    end that stays put while a depth or length slider moves a few steps (a blitted redraw, not a full one).

    >>> [nice_upper(n) for n in (7, 10, 11, 51, 100)]
    [8.0, 10.0, 12.0, 60.0, 100.0]
    """
    k = 10.0 ** np.floor(np.log10(n))
    return float(next(m * k for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * k >= n * (1 - 1e-12)))


def steady_log_limits(axis, lo, hi):
    """:func:`set_log_limits` for a live view: keep the current limits while they hold [lo, hi] and are not
    much wider than needed (at most two decades, or 40% of the span, more): an axis that stands still while
    a slider moves, and a background that can be blitted. Otherwise new limits with room on each side: a
    quarter decade, or a tenth of the span on wide (exploding or vanishing) ranges."""
    current = getattr(axis, "_initkit_limits", None)
    span = hi - lo
    if current is not None and axis.get_scale() == "log":
        if current[0] <= lo and hi <= current[1] and (current[1] - current[0]) - span <= max(2.0, 0.4 * span):
            return
    room = max(0.25, 0.1 * span)
    lo, hi = np.floor(4 * (lo - room)) / 4, np.ceil(4 * (hi + room)) / 4
    set_log_limits(axis, lo, hi)
    axis._initkit_limits = (lo, hi)


def _layout_needs(fig):
    """What a view's constrained layout depends on and a data update can change: per axes, the widest y
    and x tick labels (in characters; x labels overhang the axes' ends) and the title's number of lines.
    Titles are kept narrower than their axes (the views' clipping tests check it), so their width does not
    matter."""
    def widest(labels):
        return max((len(t.get_text()) for t in labels), default=0)

    return [(widest(ax.get_yticklabels()), widest(ax.get_xticklabels()), ax.get_title().count("\n"))
            for ax in fig.axes]


def draw_with_frozen_layout(fig, draw=None):
    """Draw ``fig``, solving its constrained layout only when the space it reserved is too small.

    Solving costs about a third of a small figure's draw and a data update rarely needs more room: the
    layout is solved again only when a tick label got wider than the ones it was solved for, or a title
    changed its number of lines, so nothing is clipped. ``draw`` renders the figure (default:
    ``fig.canvas.draw``).
    """
    draw = draw or fig.canvas.draw
    engine = getattr(fig, "_initkit_engine", None) or fig.get_layout_engine()
    fig._initkit_engine = engine
    fig.set_layout_engine("none")
    draw()
    needs, solved = _layout_needs(fig), getattr(fig, "_initkit_solved", None)
    fits = solved is not None and len(solved) == len(needs) and all(
        y <= y0 and x <= x0 and lines == lines0 for (y, x, lines), (y0, x0, lines0) in zip(needs, solved))
    if engine is not None and not fits:
        fig.set_layout_engine(engine)
        draw()
        fig.set_layout_engine("none")
        fig._initkit_solved = _layout_needs(fig)  # what this layout has room for


def _static_state(fig):
    """What the background of a blitted view depends on: per axes, its place, limits, scales, ticks and
    their labels, axis labels, legend texts and the number of title lines (titles are redrawn, their room
    is not)."""
    def axis_state(axis):
        formatter = axis.get_major_formatter()
        return (axis.get_scale(), tuple(axis.get_view_interval()), tuple(axis.get_majorticklocs()),
                tuple(getattr(formatter, "seq", ())), axis.label.get_text(), axis.get_visible())

    renderer = fig.canvas.get_renderer()
    state = [tuple(fig.bbox.bounds), id(renderer), renderer.width, renderer.height]
    for ax in fig.axes:
        legend = ax.get_legend()
        state.append((ax.get_visible(), tuple(ax.get_position().bounds), axis_state(ax.xaxis), axis_state(ax.yaxis),
                      ax.get_title().count("\n"), tuple(t.get_text() for t in legend.get_texts()) if legend else ()))
    return state


def draw_blitted(fig, dynamic):
    """Draw ``fig`` where only the ``dynamic`` artists (data, titles) changed since the last call: restore a
    cached background (axes, ticks, labels, legends: most of a draw's text) and draw just those artists
    over it (matplotlib's blitting tutorial). Anything else changed (limits, ticks, labels, layout): one
    full draw, with the frozen layout of :func:`draw_with_frozen_layout`, that captures a new background.

    The dynamic artists stay ordinary (not animated) between calls, so ``savefig``, an inline PNG or a
    redraw the browser asks for still shows everything.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    dynamic = [a for a in dynamic if a.get_visible() and (a.axes is None or a.axes.get_visible())]
    cached = getattr(fig, "_initkit_background", None)
    if not hasattr(canvas, "copy_from_bbox"):  # not an Agg canvas: no blitting
        draw_with_frozen_layout(fig)
        return
    # Texts (titles with the step's numbers) are blitted like the data: the background is captured without
    # them. (Titles drawn twice or over older ones after quick slider moves were two kernel threads drawing
    # one figure at once, fixed in initkit.widgets.display, not a fault of blitting text.)
    state = _static_state(fig)
    if cached is None or cached[0] != state:
        for artist in dynamic:
            artist.set_animated(True)
        try:  # render only (Agg): the frame is sent once, after the dynamic artists are drawn
            draw_with_frozen_layout(fig, draw=lambda: FigureCanvasAgg.draw(canvas))
        finally:
            for artist in dynamic:
                artist.set_animated(False)
        fig._initkit_background = cached = (state, canvas.copy_from_bbox(fig.bbox))
    else:
        canvas.restore_region(cached[1])
    for artist in dynamic:
        fig.draw_artist(artist)
    canvas.blit(fig.bbox)
