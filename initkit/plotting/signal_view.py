"""Notebook 08's live figure: where the network sits on the phase diagram, and what its signal does there."""
import numpy as np

from .axes import draw_blitted, nice_upper, steady_log_limits
from .signal_figures import plot_phase_diagram

# log10 singular values: fixed bins (one StepPatch update), centred on 10^0; the left bin holds all below 1e-12
_BINS = np.linspace(-12, 3, 46) - 1 / 6


class SignalView:
    """Four panels: the phase diagram with a marker at (sigma_w^2, sigma_b^2); the correlation of two inputs per
    layer (dots measured, line theory); the back-propagated gradient dL/da per layer (log scale); the histogram
    of the input-output Jacobian's singular values (log10). ``update(record)`` takes a
    :class:`initkit.lessons.signal.SignalRecord`."""

    def __init__(self, figsize=(5.8, 5.6), fig=None):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        (self.ax_phase, self.ax_corr), (self.ax_sv, self.ax_grad) = self.fig.subplots(2, 2)
        self.ax_corr.sharex(self.ax_grad)  # one layer axis for both per-layer panels (fewer labels to draw)
        self.ax_corr.tick_params(labelbottom=False)
        plot_phase_diagram(self.ax_phase, n=40, colorbar=False)  # black line: the critical line chi_1 = 1
        (self.marker,) = self.ax_phase.plot([], [], "o", ms=8, mfc="yellow", mec="k")
        (self.corr_theory,) = self.ax_corr.plot([], [], "-", color="C0", lw=1.5, label="theory (c-map)")
        (self.corr_dots,) = self.ax_corr.plot([], [], "o", ms=3, color="C3", label="measured")
        self.ax_corr.set_ylim(-0.05, 1.05)
        self.ax_corr.set_ylabel("correlation $c_l$")
        self.ax_corr.legend(fontsize=6, loc="lower left")  # the same styles below: one legend for both
        (self.grad_theory,) = self.ax_grad.plot([], [], "-", color="C0", lw=1.5, label="theory")
        (self.grad_dots,) = self.ax_grad.plot([], [], "o", ms=3, color="C3", label="measured")
        self.ax_grad.set_xlabel("layer")
        self.ax_grad.set_ylabel(r"mean $(\partial L/\partial a_l)^2$")
        # Text is most of a redraw's cost (tick labels, titles, legends): few ticks, one legend, short titles.
        for ax in (self.ax_corr, self.ax_grad):
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True, min_n_ticks=1))
        for ax in (self.ax_phase, self.ax_corr, self.ax_sv):
            ax.yaxis.set_major_locator(MaxNLocator(4))
        self.ax_phase.xaxis.set_major_locator(MaxNLocator(5))
        self.ax_sv.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        for ax in self.fig.axes:
            ax.tick_params(labelsize=7)
            ax.xaxis.label.set_size(8)
            ax.yaxis.label.set_size(8)
        self.stairs = self.ax_sv.stairs(np.zeros(len(_BINS) - 1), _BINS, fill=True, color="C2", alpha=0.7)
        self.ax_sv.set_xlim(_BINS[0], _BINS[-1])
        self.ax_sv.set_xlabel(r"$\log_{10}\,s$ of $\partial a_L/\partial x$ (left bin: $s \leq 10^{-12}$)")
        self.ax_sv.set_ylabel("fraction")
        self.ax_sv.axvline(0, color="0.5", lw=0.8)

    def update(self, record):
        r = record
        layers = np.arange(1, len(r.corr) + 1)
        self.marker.set_data([r.weight_var_n], [r.bias_var])
        self.ax_phase.set_title(f"χ₁ = {r.chi1:.3g} ({r.phase}), ξ_c = {r.xi_c:.3g}", fontsize=7)
        self.corr_theory.set_data(layers, r.corr_theory)
        self.corr_dots.set_data(layers, r.corr)
        self.ax_corr.set_title(f"layer {layers[-1]}: {r.corr[-1]:.2f} (theory {r.corr_theory[-1]:.2f})",
                               fontsize=7)
        self.grad_theory.set_data(layers, r.grad_theory)
        self.grad_dots.set_data(layers, r.grad)
        self.ax_grad.set_xlim(0.5, nice_upper(layers[-1]) + 0.5)  # steady while the depth slider moves
        values = np.r_[r.grad, r.grad_theory]
        values = values[np.isfinite(values) & (values > 0)]
        lo, hi = np.log10(values.min() / 2), np.log10(values.max() * 2)
        steady_log_limits(self.ax_grad.yaxis, lo, max(hi, lo + 1))
        self.ax_grad.set_title(f"dL/da, layer 1 / {layers[-1]}: {r.grad[0] / r.grad[-1]:.3g} "
                               f"(theory {r.grad_theory[0] / r.grad_theory[-1]:.3g})", fontsize=7)
        counts, _ = np.histogram(np.clip(np.log10(np.maximum(r.singular, 1e-300)), _BINS[0], _BINS[-1] - 1e-9), _BINS)
        counts = counts / max(counts.sum(), 1)
        self.stairs.set_data(counts)
        top = max(counts.max() * 1.15, 0.05)
        if not top <= self.ax_sv.get_ylim()[1] <= 2 * top:  # a steady axis while the slider moves
            self.ax_sv.set_ylim(0, 1.5 * top)
        self.ax_sv.set_title(f"{r.weights}: s_max / s_median = {r.spread:.3g}", fontsize=7)
        draw_blitted(self.fig, [self.marker, self.corr_theory, self.corr_dots, self.grad_theory, self.grad_dots,
                                self.stairs, *(ax.title for ax in self.fig.axes)])
        return self.fig
