"""Notebook 13's figure: a vanilla CNN's per-layer signal and its input-output Jacobian's singular values."""
import numpy as np

from .axes import draw_blitted, nice_upper, set_log_limits

SV_FLOOR = -12  # the singular-value axis starts at 1e-12 (log10): smaller ones are below the plot


class ConvView:
    """Left: q_l, the mean squared pre-activation of each conv layer (log scale), with the input's q0 as a
    dotted level. Right: the singular values of the input-output Jacobian d(a_L)/dx, largest first (log
    scale, from 1e-12 up), with the level 1 (an isometry). Titles: the last layer's q and the range of the
    singular values (their ratio is J's condition number)."""

    def __init__(self, figsize=(5.8, 3.0), fig=None):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import LogLocator, MaxNLocator

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.q_ax, self.sv_ax = self.fig.subplots(1, 2)
        (self.q_line,) = self.q_ax.plot([], [], ".-", ms=3, lw=1, color="C0")
        self.q0_line = self.q_ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        (self.sv_line,) = self.sv_ax.plot([], [], "-", lw=1.2, color="C2")
        self.sv_ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        for ax in (self.q_ax, self.sv_ax):
            ax.set_yscale("log")
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=1))
        self.q_ax.set_xlabel("layer", fontsize=8)
        self.q_ax.set_ylabel("q (mean z²)", fontsize=8)
        self.sv_ax.set_xlabel("index (largest first)", fontsize=8)
        self.sv_ax.set_ylabel("singular value of J", fontsize=8)
        for ax in (self.q_ax, self.sv_ax):
            ax.yaxis.set_major_locator(LogLocator(numticks=4))

    def update(self, profile, q0=None):
        """Show a :class:`initkit.lessons.conv.ConvProfile` (``q0``: the input's mean square, drawn dotted)."""
        q, sv = profile.q, profile.singular_values
        layers = np.arange(1, len(q) + 1)
        self.q_line.set_data(layers, np.where(q > 0, q, np.nan))
        if q0 is not None:
            self.q0_line.set_ydata([q0, q0])
        good = q[np.isfinite(q) & (q > 0)]
        lo, hi = (np.log10(good.min()), np.log10(good.max())) if good.size else (-1.0, 1.0)
        if q0 is not None:
            lo, hi = min(lo, np.log10(q0)), max(hi, np.log10(q0))
        lo, hi = max(lo, -300), min(hi, 300)
        # even decades: a function of the data alone (the same input draws the same figure), and limits that
        # stay put for most moves (the background is not redrawn)
        limits = (2 * float(np.floor((lo - 0.25) / 2)), 2 * float(np.ceil((hi + 0.25) / 2)))
        if getattr(self.q_ax.yaxis, "_initkit_limits", None) != limits:
            set_log_limits(self.q_ax.yaxis, *limits)
            self.q_ax.yaxis._initkit_limits = limits
        self.q_ax.set_xlim(0, nice_upper(len(q)))  # steady while the depth slider moves
        self.sv_line.set_data(np.arange(1, len(sv) + 1), np.where(sv > 0, sv, np.nan))
        top = np.log10(sv[0]) if sv[0] > 0 else 0.0
        hi = float(np.ceil(max(top, 0.0) + 0.25))  # whole decades, at least 10: steady while the kernel changes
        if getattr(self.sv_ax.yaxis, "_initkit_limits", None) != (SV_FLOOR, hi):
            set_log_limits(self.sv_ax.yaxis, SV_FLOOR, hi)  # the floor is fixed: smaller values sit below it
            self.sv_ax.yaxis._initkit_limits = (SV_FLOOR, hi)
        self.sv_ax.set_xlim(1, len(sv))
        cond = sv[0] / sv[-1] if sv[-1] > 0 else np.inf
        self.q_ax.set_title(f"{profile.kernel}, σ_w² = {profile.weight_var:.3g}, L = {profile.depth}: "
                            f"q_L = {q[-1]:.3g}", fontsize=8)
        self.sv_ax.set_title(f"singular values {sv[-1]:.2g} to {sv[0]:.3g}", fontsize=8)
        draw_blitted(self.fig, [self.q_line, self.q0_line, self.sv_line, self.q_ax.title, self.sv_ax.title])
        return self.fig
