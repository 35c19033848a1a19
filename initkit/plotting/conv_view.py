"""Notebook 13's figure: a vanilla CNN's per-layer signal and its input-output Jacobian's singular values."""
import numpy as np

from .axes import draw_blitted, nice_upper, steady_log_limits


class ConvView:
    """Left: q_l, the mean squared pre-activation of each conv layer (log scale), with the input's q0 as a
    dotted level. Right: the singular values of the input-output Jacobian d(a_L)/dx, largest first (log
    scale), with the level 1 (an isometry)."""

    def __init__(self, figsize=(5.8, 3.0), fig=None):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

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
        steady_log_limits(self.q_ax.yaxis, max(lo, -300), min(hi, 300))
        self.q_ax.set_xlim(0, nice_upper(len(q)))  # steady while the depth slider moves
        self.sv_line.set_data(np.arange(1, len(sv) + 1), np.where(sv > 0, sv, np.nan))
        pos = sv[sv > 0]
        lo, hi = (np.log10(pos.min()), np.log10(pos.max())) if pos.size else (-1.0, 1.0)
        steady_log_limits(self.sv_ax.yaxis, max(min(lo, 0.0), -300), min(max(hi, 0.0), 300))
        self.sv_ax.set_xlim(1, len(sv))
        cond = sv[0] / sv[-1] if sv[-1] > 0 else np.inf
        self.q_ax.set_title(f"{profile.kernel}, σ_w² = {profile.weight_var:.3g}, depth {profile.depth}\n"
                            f"q_L = {q[-1]:.3g}", fontsize=8)
        self.sv_ax.set_title(f"singular values {sv[-1]:.2g} to {sv[0]:.3g}\ncondition number {cond:.3g}",
                             fontsize=8)
        draw_blitted(self.fig, [self.q_line, self.q0_line, self.sv_line, self.q_ax.title, self.sv_ax.title])
        return self.fig
