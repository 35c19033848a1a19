"""Notebook 12's figure: the gradient through time and the recurrent matrix's spectrum, side by side."""
import numpy as np

from .axes import draw_blitted, steady_log_limits


def coarse_upper(n):
    """The smallest of 1, 1.5, 2, 3, 5 times a power of ten that is >= ``n`` (> 0): a coarser ladder than
    :func:`~initkit.plotting.axes.nice_upper`, so that an axis end stays put over several slider steps (a
    blitted step, not a full draw) while staying a function of the data alone.

    >>> [coarse_upper(n) for n in (0.9, 1.1, 1.6, 99, 109, 151)]
    [1.0, 1.5, 2.0, 100.0, 150.0, 200.0]
    """
    k = 10.0 ** np.floor(np.log10(n))
    return float(next(m * k for m in (1, 1.5, 2, 3, 5, 10) if m * k >= n * (1 - 1e-12)))


def _outward(lo, hi):
    """log10 limits widened to whole multiples of 5 decades on wide (exploding or vanishing) ranges, so a longer
    sequence moves them only now and then."""
    if hi - lo <= 10:
        return lo, hi
    return 5 * np.floor(lo / 5), 5 * np.ceil(hi / 5)


class RecurrentView:
    """Top: ||dh_T/dh_t|| against the number of steps back T - t, one line per seed, and the mean-field
    prediction r^(T - t) (dashed). Bottom left: the eigenvalues of W_h with the circle |lambda| = scale.
    Bottom right: the singular values of W_h, largest first, with the level 1."""

    def __init__(self, n_seeds=4, figsize=(5.8, 5.0), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        grid = self.fig.add_gridspec(2, 2, height_ratios=[1.15, 1])
        self.ax = self.fig.add_subplot(grid[0, :])
        self.eig_ax, self.sv_ax = self.fig.add_subplot(grid[1, 0]), self.fig.add_subplot(grid[1, 1])
        self.lines = [self.ax.plot([], [], color="C0", lw=1, alpha=0.7)[0] for k in range(n_seeds)]
        (self.theory,) = self.ax.plot([], [], "--", color="C3", lw=1.2)
        self.ax.set_xlabel("steps back, T - t", fontsize=8)
        self.ax.set_ylabel("||dh_T/dh_t||", fontsize=8)
        # no legend (a tenth of a redraw): the title says solid = each seed, dashed = mean field
        (self.eigs,) = self.eig_ax.plot([], [], ".", ms=3, color="C0")
        (self.circle,) = self.eig_ax.plot([], [], "-", color="0.6", lw=0.8)
        self.eig_ax.set_aspect("equal", adjustable="box")
        self.eig_ax.set_xlabel("Re λ", fontsize=8)
        self.eig_ax.set_ylabel("Im λ", fontsize=8)
        (self.svs,) = self.sv_ax.plot([], [], "-", color="C2", lw=1.2)
        self.sv_ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        self.sv_ax.set_xlabel("index (largest first)", fontsize=8)
        self.sv_ax.set_ylabel("singular value", fontsize=8)
        from matplotlib.ticker import MaxNLocator

        for ax in (self.ax, self.eig_ax, self.sv_ax):
            ax.tick_params(labelsize=7)
        for axis in (self.eig_ax.xaxis, self.eig_ax.yaxis, self.sv_ax.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=4))  # few tick labels: text is most of a redraw
        for axis in (self.ax.xaxis, self.sv_ax.xaxis):  # steps and indices are whole numbers: no 2.5 or 7.5
            axis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=1))

    def update(self, result):
        """Show :func:`initkit.lessons.recurrent.gradient_vs_time`'s ``result``."""
        norms, T = result["norms"], result["T"]
        back = np.arange(T - 1, -1, -1)
        for line, row in zip(self.lines, norms):
            line.set_data(back, np.where(np.isfinite(row) & (row > 0), row, np.nan))
        rate = result["predicted_rate"]
        if rate is None or not np.isfinite(rate):
            self.theory.set_data([], [])
        else:
            with np.errstate(over="ignore", under="ignore"):
                self.theory.set_data(back, np.float64(rate) ** back)
        values = norms[np.isfinite(norms) & (norms > 0)]
        lo, hi = (np.log10(values.min()), np.log10(values.max())) if values.size else (-1, 1)
        lo, hi = max(lo, -300), min(hi, 300)
        steady_log_limits(self.ax.yaxis, *_outward(min(lo, -1) - 0.2, max(hi, 1) + 0.2))
        self.ax.set_xlim(0, coarse_upper(T - 1))  # steady while the length slider moves
        measured = np.exp(np.mean(np.log(result["rate"])))
        predicted = "" if rate is None or not np.isfinite(rate) else f", mean field {rate:.3g} (dashed)"
        self.ax.set_title(f"{result['activation']} RNN, {result['init']} W_h × {result['scale']:.3g}, width "
                          f"{result['hidden']}, {len(norms)} seeds (solid)\n"
                          f"factor per step: measured {measured:.3g}{predicted}", fontsize=8)
        eig, sv = result["eigenvalues"], result["singular_values"]
        self.eigs.set_data(eig.real, eig.imag)
        angle = np.linspace(0, 2 * np.pi, 200)
        self.circle.set_data(result["scale"] * np.cos(angle), result["scale"] * np.sin(angle))
        reach = coarse_upper(1.1 * max(np.abs(eig).max(), abs(result["scale"]), 1e-3))  # steady while g moves
        self.eig_ax.set_xlim(-reach, reach)
        self.eig_ax.set_ylim(-reach, reach)
        self.eig_ax.set_title(f"eigenvalues: radius {np.abs(eig).max():.3g}", fontsize=8)
        self.svs.set_data(np.arange(1, len(sv) + 1), sv)
        self.sv_ax.set_xlim(1, len(sv))
        self.sv_ax.set_ylim(0, coarse_upper(1.1 * max(sv.max(), 1.0)))
        self.sv_ax.set_title(f"singular values: {sv.min():.2g} to {sv.max():.3g}", fontsize=8)
        draw_blitted(self.fig, [*self.lines, self.theory, self.eigs, self.circle, self.svs,
                                *(ax.title for ax in (self.ax, self.eig_ax, self.sv_ax))])
        return self.fig
