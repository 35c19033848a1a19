"""The explorer's persistent, fast figure: histograms per layer and std versus layer, updated by blitting.

``ExplorerView`` draws per-layer activation and gradient histograms and std versus layer (log axis) with
the theory line, once; ``update`` then changes only the data of existing artists and blits them over a
cached background, so a slider step costs milliseconds of drawing. The std axis is chosen from the data
(whole decades for wide ranges, quarter decades for narrow ones, so a factor 2 between layers is visible);
it changes only when the data leave it or fill less than half of it, and then one full draw captures a new
background with its ticks and labels (text costs most of a draw: steady labels are not redrawn each step). Values beyond ``LOG_RANGE``, zero or infinite, sit
on the border as triangles, marked off-scale.
"""
import textwrap

import numpy as np

from .axes import integer_ticks, set_log_limits
from ..measure.probe_passes import ACT_RANGES, DEFAULT_RANGE

LOG_RANGE = (-8.0, 8.0)  # log10(std) the axis may show; beyond it points sit on the border as triangles


def std_axis_limits(stds, min_span=1.0):
    """log10 limits for the std axis from the values to show (finite, positive, within ``LOG_RANGE``).

    Quarter decades when the values span less than 3 decades (a factor 2 is 0.3 decades), whole decades
    otherwise; at least ``min_span`` decades, centred on the data.
    """
    v = _log10(stds)
    v = np.clip(v[np.isfinite(v)], *LOG_RANGE)
    if not v.size:
        return (-1.0, 1.0)
    lo, hi = v.min() - 0.1, v.max() + 0.1
    grid = 0.25 if hi - lo < 3 else 1.0
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    lo, hi = np.floor(lo / grid) * grid, np.ceil(hi / grid) * grid
    return (float(max(lo, LOG_RANGE[0])), float(min(hi, LOG_RANGE[1])))


def _log10(values):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(values, dtype=np.float64))


class ExplorerView:
    """A figure with ``n_hist`` activation and gradient histograms and a std-versus-layer panel.

    ``view.update(result, prediction)`` redraws in place; ``view.fig`` is the matplotlib figure (with
    ipympl, ``view.fig.canvas`` is a widget). ``view.title`` shows the settings, ``view.status`` the
    probe's :meth:`~initkit.measure.probe.ProbeResult.status`. 5.8 inches (580 px) wide by default: the width of
    JupyterLab's output area at a 1024 px window with the file browser open.
    """

    def __init__(self, n_hist=10, figsize=(5.8, 4.8), fig=None):
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        self.n_hist = n_hist
        self.fig = fig or plt.figure(figsize=figsize)
        grid = self.fig.add_gridspec(3, n_hist, height_ratios=[1, 1, 2.6], hspace=0.6, wspace=0.1,
                                     left=0.12, right=0.98, top=0.82, bottom=0.1)
        self.act_axes = [self.fig.add_subplot(grid[0, i]) for i in range(n_hist)]
        self.grad_axes = [self.fig.add_subplot(grid[1, i]) for i in range(n_hist)]
        self.std_ax = self.fig.add_subplot(grid[2, :])
        edges = np.linspace(-1, 1, 51)
        self.act_patches = [ax.stairs(np.zeros(50), edges, fill=True, color="C0", animated=True) for ax in self.act_axes]
        self.grad_patches = [ax.stairs(np.zeros(50), edges, fill=True, color="C3", animated=True) for ax in self.grad_axes]
        for i, ax in enumerate(self.act_axes + self.grad_axes):
            ax.set_ylim(0, 1.05)
            ax.set_yticks([])
            ax.tick_params(labelsize=6, length=2, pad=1, labelbottom=i % n_hist == 0)
        self.act_axes[0].set_ylabel("activations", fontsize=7)
        self.grad_axes[0].set_ylabel("dL/da", fontsize=7)
        ax = self.std_ax
        ax.set_yscale("log")
        # The y-axis (ticks, labels) belongs to the background: it changes only when the data leave its
        # range (see _limits), and then one full draw captures a new background; the line at std 1 is blitted.
        self.unit_line = ax.axhline(1.0, color="0.85", lw=0.8, zorder=0, animated=True)
        ax.set_ylabel("std (log scale)", fontsize=8)
        ax.set_xlabel("layer", fontsize=8)
        ax.tick_params(labelsize=7)
        integer_ticks(ax.xaxis)
        style = dict(animated=True, ls="none")
        self.lines = {
            "act": ax.plot([], [], "o", ms=3.5, color="C0", **style)[0],
            "act_theory": ax.plot([], [], "-", color="C0", alpha=0.5, animated=True)[0],
            "grad": ax.plot([], [], "o", ms=3.5, color="C3", **style)[0],
            "grad_theory": ax.plot([], [], "-", color="C3", alpha=0.5, animated=True)[0],
            "off_low": ax.plot([], [], "v", ms=5, color="0.3", **style)[0],
            "off_high": ax.plot([], [], "^", ms=5, color="0.3", **style)[0],
        }
        handles = [Patch(color="C0"), Patch(color="C3"), Line2D([], [], color="0.4", marker="o", ms=3.5, ls="none"),
                   Line2D([], [], color="0.4", alpha=0.6), Line2D([], [], color="0.3", marker="^", ms=5, ls="none")]
        ax.legend(handles, ["activations", "gradients dL/da", "measured", "theory (mean field)", "off scale"],
                  fontsize=6.5, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5, frameon=False,
                  handlelength=1.5, columnspacing=1.0)
        self.title = self.fig.text(0.5, 0.975, "", ha="center", va="top", fontsize=8.5, animated=True)
        self.status = self.fig.text(0.5, 0.935, "", ha="center", va="top", fontsize=7, color="0.15", animated=True)
        self._structure = self._std_limits = None
        self._background = self._background_state = None
        # Any full draw (ours, or one the backend triggers on resize) skips animated artists: redraw them
        # and re-capture the background on every draw_event (matplotlib's blitting tutorial, BlitManager).
        self.fig.canvas.mpl_connect("draw_event", self._on_draw)

    def _animated(self):
        return [self.unit_line, *self.act_patches, *self.grad_patches, *self.lines.values(),
                self.title, self.status]

    def _limits(self, shown):
        """The current std-axis limits if they still suit ``shown`` (a steady axis while a slider moves),
        else new ones."""
        new = std_axis_limits(shown)
        if self._std_limits is not None:
            lo, hi = self._std_limits
            v = np.clip(_log10(shown), *LOG_RANGE)
            v = v[np.isfinite(v)]
            fits = v.size and lo <= v.min() - 0.05 and v.max() + 0.05 <= hi
            if fits and hi - lo <= 2 * (new[1] - new[0]):
                return (lo, hi)
        return new

    def _set_structure(self, structure):
        """Layer titles, histogram ranges and the x-range: a full draw when any of them changes."""
        layers, depth, act_range = structure
        for i, (a_ax, g_ax) in enumerate(zip(self.act_axes, self.grad_axes)):
            visible = i < len(layers)
            a_ax.set_visible(visible)
            g_ax.set_visible(visible)
            if visible:
                a_ax.set_title(f"layer {layers[i]}", fontsize=6, pad=2)
                for ax, (low, high) in ((a_ax, act_range), (g_ax, DEFAULT_RANGE)):
                    pad = 0.06 * (high - low)  # the end bins (values beyond the range) stay visible
                    ax.set_xlim(low - pad, high + pad)
                    ax.set_xticks([low, (low + high) / 2, high], [f"{t:g}" for t in (low, (low + high) / 2, high)])
        self.std_ax.set_xlim(0.5, depth + 0.5)
        self._structure = structure

    def update(self, result, prediction=None):
        """Show a new probe result; a full draw only when depth, activation or the histogram layers changed."""
        act_std, da_std = result.column("act_std"), result.column("da_std")
        theory = ((prediction.act_std, prediction.da_std) if prediction is not None else
                  (np.full(result.depth, np.nan), np.full(result.depth, np.nan)))
        limits = self._limits(np.r_[act_std, da_std, theory[0], theory[1]])
        new_limits = limits != self._std_limits
        if new_limits:
            set_log_limits(self.std_ax.yaxis, *limits)
            self._std_limits = limits
        structure = (tuple(result.hist_layers), result.depth,
                     ACT_RANGES.get(result.records[0]["activation"], DEFAULT_RANGE))
        full = structure != self._structure or self._background is None or new_limits
        if full:
            self._set_structure(structure)
        for patches, hist, edges in ((self.act_patches, result.act_hist, result.act_edges),
                                     (self.grad_patches, result.grad_hist, result.grad_edges)):
            for i, patch in enumerate(patches):
                if i < len(hist):
                    counts = hist[i]
                    patch.set_data(counts / max(counts.max(), 1), edges)
        layers = np.arange(1, result.depth + 1)
        lo, hi = 10.0 ** limits[0], 10.0 ** limits[1]
        low, high = [], []
        for key, values in (("act", act_std), ("grad", da_std)):
            inside = (values >= lo) & (values <= hi)
            self.lines[key].set_data(layers, np.where(inside, values, np.nan))
            low.append(np.where(values < lo, lo, np.nan))
            high.append(np.where((values > hi) | np.isposinf(values), hi, np.nan))
        self.lines["off_low"].set_data(np.r_[layers, layers], np.concatenate(low))
        self.lines["off_high"].set_data(np.r_[layers, layers], np.concatenate(high))
        for key, values in (("act_theory", theory[0]), ("grad_theory", theory[1])):
            self.lines[key].set_data(layers, np.clip(values, lo, hi))
        self.title.set_text(_heading(result.config))
        self.status.set_text(textwrap.fill(result.status(), 105))
        self._draw(full)

    def _state(self):
        """What the cached background shows: a background captured in another state is never blitted over."""
        renderer = self.fig.canvas.get_renderer()
        return (id(renderer), renderer.width, renderer.height, tuple(self.fig.bbox.bounds), self._std_limits,
                self._structure)

    def _on_draw(self, event=None):
        canvas = self.fig.canvas
        if not self.title.get_animated():  # render() mode: everything was drawn normally
            return
        self._background = canvas.copy_from_bbox(self.fig.bbox) if hasattr(canvas, "copy_from_bbox") else None
        self._background_state = self._state()
        self._draw_animated()

    def _draw_animated(self):
        for artist in self._animated():
            if artist.axes is None or artist.axes.get_visible():
                self.fig.draw_artist(artist)

    def _draw(self, full):
        canvas = self.fig.canvas
        if not self.title.get_animated():  # after render(): back to blitting
            for artist in self._animated():
                artist.set_animated(True)
            full = True
        if full or self._background is None or self._background_state != self._state():
            canvas.draw()  # draw_event -> _on_draw captures the background and draws the animated artists
            return
        canvas.restore_region(self._background)
        self._draw_animated()
        canvas.blit(self.fig.bbox)

    def render(self):
        """Make every artist part of a normal draw, for ``savefig`` or inline display (the next
        ``update`` switches back to blitting)."""
        for artist in self._animated():
            artist.set_animated(False)
        self._background = None
        return self.fig


def _heading(cfg):
    """The settings line above the explorer's plot (from ``result.config``)."""
    if "weight_std" in cfg:
        return (f"weight std {cfg['weight_std']:.3g}, n·Var(w) = {cfg['width'] * cfg['weight_std'] ** 2:.3g}, "
                f"width {cfg['width']}, depth {cfg['depth']}, {cfg['activation']}")
    if "mode" in cfg:
        return f"mode {cfg['mode']}, widths {cfg['widths']} alternating, {cfg['activation']}, scale {cfg['scale']:g}"
    return ""
