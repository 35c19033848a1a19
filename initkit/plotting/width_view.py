"""Notebook 11's figures: loss against log2(learning rate) per width, and the coordinate check against width."""
import numpy as np

from ..lessons.width import width_selection
from .axes import draw_blitted

LAYER_COLORS = {"input": "tab:blue", "output": "tab:red"}
NAMES = {"sp": "SP", "ntk": "NTK", "mup": "muP"}
CLIP = 3.0  # losses above this (and diverged runs) are drawn at the top of the panel


def _width_colors(n):
    import matplotlib

    return matplotlib.colormaps["viridis"](np.linspace(0.0, 0.85, max(n, 1)))


def _name(parametrization):
    return NAMES.get(parametrization, parametrization)


def _layer_color(name):
    return LAYER_COLORS.get(name, "tab:green")


def _plain_log_ticks(ax, widths):
    """Widths as plain x tick labels and y ticks at 1 and 3 x 10^k without minor ticks: readable, and
    cheap to draw (mathtext labels cost most of a redraw)."""
    from matplotlib.ticker import FixedLocator, LogLocator, NullLocator, StrMethodFormatter

    ax.xaxis.set_major_locator(FixedLocator(sorted(set(widths))))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0)))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_minor_locator(NullLocator())


def plot_lr_sweep(sweep, ax, highlight=None):
    """Mean test loss over seeds against log2(lr), one curve per width (dark = narrow, light = wide); the
    grid point of each width's lowest mean loss marked; diverged runs and losses above 3 drawn at 3."""
    colors = _width_colors(len(sweep.widths))
    lines = []
    for j, width in enumerate(sweep.widths):
        mean = np.minimum(np.mean(np.minimum(sweep.loss[j], CLIP), axis=1), CLIP)
        bold = highlight is None or width == highlight
        (line,) = ax.plot(sweep.log2_lrs, mean, "-o", ms=3, color=colors[j], lw=2 if bold else 1,
                          alpha=1.0 if bold else 0.35, label=f"width {width}")
        best = int(np.argmin(mean))
        ax.plot(sweep.log2_lrs[best], mean[best], "*", ms=11 if bold else 7, color=colors[j],
                alpha=1.0 if bold else 0.35, mec="k", mew=0.5)
        lines.append(line)
    ax.set_ylim(0, CLIP * 1.02)
    ax.set_xlabel("log2(learning rate)")
    ax.set_ylabel("test loss (mean over seeds)")
    ax.set_title(f"{_name(sweep.parametrization)}: loss vs learning rate", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    return ax


def plot_coordinate_check(check, ax, step=1):
    """Mean |Delta h| after ``step`` steps against width (log-log), one line per layer, seeds as dots."""
    widths = np.array(check.widths)
    for l, name in enumerate(check.layer_names):
        color = _layer_color(name)
        values = check.delta[:, :, step - 1, l]
        ax.plot(widths, values.mean(axis=0), "-o", ms=3, color=color, label=name)
        ax.plot(np.repeat(widths[None], len(values), axis=0).ravel(), values.ravel(), ".", ms=2, color=color,
                alpha=0.4)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    _plain_log_ticks(ax, widths)
    ax.set_xlabel("width n")
    ax.set_ylabel(f"mean |Δh| after {step} step" + ("s" if step > 1 else ""))
    ax.set_title(f"{_name(check.parametrization)}: coordinate check", fontsize=9)
    ax.legend(fontsize=7)
    return ax


def plot_width_comparison(sweeps, checks, step=1, figsize=(9.6, 5.6)):
    """A 2 x len(sweeps) grid: loss vs log2(lr) (top) and the coordinate check (bottom) per parametrization,
    with shared y-axes so the rows compare directly."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(sweeps), figsize=figsize, squeeze=False, layout="constrained")
    for i, (sweep, check) in enumerate(zip(sweeps, checks)):
        plot_lr_sweep(sweep, axes[0, i])
        plot_coordinate_check(check, axes[1, i], step=step)
    lows = [ax.get_ylim()[0] for ax in axes[1]]
    highs = [ax.get_ylim()[1] for ax in axes[1]]
    for ax in axes[1]:
        ax.set_ylim(min(lows), max(highs))
    return fig


class WidthView:
    """The widget's figure: the coordinate check (top) and loss vs log2(lr) (bottom) of one parametrization,
    the chosen width marked in both. Artists are made once; an update moves their data."""

    def __init__(self, sweeps, checks, figsize=(5.8, 5.0), fig=None):
        import matplotlib.pyplot as plt

        self.sweeps, self.checks = sweeps, checks
        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.ax_check, self.ax_lr = self.fig.subplots(2, 1)
        n_layers = max(len(c.layer_names) for c in checks.values())
        n_widths = max(len(s.widths) for s in sweeps.values())
        self.layer_lines = [(self.ax_check.plot([], [], "-o", ms=3)[0], self.ax_check.plot([], [], ".", ms=2,
                                                                                           alpha=0.4)[0])
                            for _ in range(n_layers)]
        colors = _width_colors(n_widths)
        self.width_lines = [(self.ax_lr.plot([], [], "-o", ms=3, color=c)[0],
                             self.ax_lr.plot([], [], "*", ms=9, color=c, mec="k", mew=0.5)[0]) for c in colors]
        self.marker = self.ax_check.axvline(1, color="0.5", ls=":", lw=1)
        deltas = np.concatenate([c.delta.ravel() for c in checks.values()])
        deltas = deltas[np.isfinite(deltas) & (deltas > 0)]
        all_widths = [w for c in checks.values() for w in c.widths]
        self.ax_check.set_xscale("log", base=2)
        self.ax_check.set_yscale("log")
        self.ax_check.set_xlim(min(all_widths) / 1.3, max(all_widths) * 1.3)
        self.ax_check.set_ylim(deltas.min() / 1.5 if deltas.size else 1e-3, deltas.max() * 1.5 if deltas.size else 10)
        self.ax_check.set_xlabel("width n")
        _plain_log_ticks(self.ax_check, all_widths)
        lrs = np.concatenate([s.log2_lrs for s in sweeps.values()])
        self.ax_lr.set_xlim(lrs.min() - 0.3, lrs.max() + 0.3)
        self.ax_lr.set_ylim(0, CLIP * 1.02)
        self.ax_lr.set_yticks([0, 1, 2, 3])
        self.ax_lr.set_xlabel("log2(learning rate)")
        self.ax_lr.set_ylabel("test loss (mean over seeds)")
        self.shown = None

    def _show(self, parametrization):
        """Put the record's data and labels on the artists (only when the parametrization changes)."""
        check, sweep = self.checks[parametrization], self.sweeps[parametrization]
        for l, (line, dots) in enumerate(self.layer_lines):
            visible = l < len(check.layer_names)
            line.set_visible(visible)
            dots.set_visible(visible)
            if visible:
                name = check.layer_names[l]
                line.set_color(_layer_color(name))
                dots.set_color(_layer_color(name))
                line.set_label(name)
        for j, (line, star) in enumerate(self.width_lines):
            visible = j < len(sweep.widths)
            line.set_visible(visible)
            star.set_visible(visible)
            if visible:
                mean = np.minimum(np.mean(np.minimum(sweep.loss[j], CLIP), axis=1), CLIP)
                best = int(np.argmin(mean))
                line.set_data(sweep.log2_lrs, mean)
                star.set_data([sweep.log2_lrs[best]], [mean[best]])
                line.set_label(f"width {sweep.widths[j]}")
        self.ax_check.legend(handles=[l for l, _ in self.layer_lines if l.get_visible()], fontsize=7)
        self.ax_lr.legend(handles=[l for l, _ in self.width_lines if l.get_visible()], fontsize=7,
                          loc="upper left")
        self.shown = parametrization

    def update(self, parametrization, width, step):
        if parametrization != self.shown:
            self._show(parametrization)
        check, sweep = self.checks[parametrization], self.sweeps[parametrization]
        sel = width_selection(sweep, check, width, step)
        widths = np.array(check.widths)
        for l, (line, dots) in enumerate(self.layer_lines[:len(check.layer_names)]):
            values = check.delta[:, :, step - 1, l]
            line.set_data(widths, values.mean(axis=0))
            dots.set_data(np.repeat(widths[None], len(values), axis=0).ravel(), values.ravel())
        self.marker.set_xdata([sel["check_width"], sel["check_width"]])
        for j, (line, star) in enumerate(self.width_lines[:len(sweep.widths)]):
            bold = sweep.widths[j] == sel["sweep_width"]
            line.set_linewidth(2 if bold else 1)
            line.set_alpha(1.0 if bold else 0.35)
            star.set_alpha(1.0 if bold else 0.35)
        self.ax_check.set_ylabel(f"mean |Δh| after {step} step" + ("s" if step > 1 else ""))
        self.ax_check.set_title(f"{_name(parametrization)}: coordinate check, width {sel['check_width']}: "
                                + ", ".join(f"{name} {v:.2g}" for name, v in zip(check.layer_names, sel["delta"])),
                                fontsize=8)
        self.ax_lr.set_title(f"{_name(parametrization)}, width {sel['sweep_width']}: best log2(lr) per seed "
                             f"{sel['best_per_seed']}", fontsize=8)
        draw_blitted(self.fig, [self.marker, *(a for pair in self.layer_lines + self.width_lines for a in pair),
                                self.ax_check.title, self.ax_lr.title])
        return self.fig
