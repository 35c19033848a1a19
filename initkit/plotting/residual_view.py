"""Notebook 09's figures: the residual stream's second moment and its gradient's, block by block, with the
theory (1 + alpha^2 c)^l as a line; and a static comparison of several schemes on one pair of axes."""
import numpy as np

from .axes import draw_blitted, get_axes, integer_ticks, nice_upper, set_log_limits, steady_log_limits


def _log_range(values, floor=1e-3):
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return -0.5, 0.5
    lo, hi = np.log10(max(v.min(), floor)), np.log10(v.max())
    pad = max(0.1, 0.05 * (hi - lo))
    return lo - pad, hi + pad


class ResidualView:
    """Top: E[x_l^2] / E[x_0^2] per block (dots: measured; line: theory). Bottom: E[(dL/dx_l)^2] relative to
    the top of the stream. Both on log axes."""

    def __init__(self, figsize=(5.8, 4.2), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.ax_f, self.ax_g = self.fig.subplots(2, 1, sharex=True)
        self.lines = {}
        for ax, key, label in ((self.ax_f, "forward", "forward: E[x_l²] / E[x_0²]"),
                               (self.ax_g, "grad", "backward: E[(dL/dx_l)²] / E[(dL/dx_L)²]")):
            (self.lines[key + "_theory"],) = ax.plot([], [], "-", color="C0", lw=1.2, label="theory")
            (self.lines[key],) = ax.plot([], [], "o", ms=2.5, color="C3", label="measured")
            ax.set_title(label, fontsize=8)
            ax.tick_params(labelsize=7)
            integer_ticks(ax.xaxis)
        self.ax_g.set_xlabel("block l", fontsize=8)
        self.ax_f.legend(fontsize=7, loc="upper left")
        self.title = self.fig.suptitle("", fontsize=8)

    def update(self, profile, cover=None):
        """Draw a :class:`~initkit.lessons.residual.ResidualProfile`. ``cover``, a pair of values (such as
        :func:`~initkit.lessons.residual.theory_range` of every scheme), is kept inside both y axes too, so a
        widget's scheme menu does not move them (its steps blit); the measured values always are."""
        blocks = np.arange(profile.n_blocks + 1)
        for ax, key in ((self.ax_f, "forward"), (self.ax_g, "grad")):
            measured, theory = getattr(profile, key), getattr(profile, key + "_theory")
            self.lines[key].set_data(blocks, measured)
            self.lines[key + "_theory"].set_data(blocks, theory)
            ax.set_xlim(-0.5, nice_upper(profile.n_blocks) + 0.5)  # steady while the blocks slider moves
            steady_log_limits(ax.yaxis, *_log_range(np.r_[measured, theory, () if cover is None else cover]))
        with np.errstate(all="ignore"):
            top = profile.forward[-1]
        norm = " + BatchNorm" if profile.norm else ""
        self.title.set_text(f"{profile.scheme}{norm}, L = {profile.n_blocks}, alpha = {profile.alpha:.3g}, "
                            f"c = {profile.c:.3g}: E[x_L²] / E[x_0²] = {top:.3g} "
                            f"(theory {profile.forward_theory[-1]:.3g})")
        draw_blitted(self.fig, [*self.lines.values(), self.title])
        return self.fig


def plot_profiles(profiles, key="forward", ax=None):
    """One curve per :class:`ResidualProfile` (labelled by scheme) of ``key`` ("forward" or "grad") per block."""
    ax = get_axes(ax)
    values = []
    for i, (label, p) in enumerate(profiles.items()):
        v = getattr(p, key)
        ax.plot(np.arange(len(v)), v, "-", color=f"C{i}", lw=1.2, label=label)
        values.append(v)
    set_log_limits(ax.yaxis, *_log_range(np.concatenate(values)))
    integer_ticks(ax.xaxis)
    ax.set_xlabel("block l")
    ax.set_ylabel("E[x_l²] / E[x_0²]" if key == "forward" else "E[(dL/dx_l)²] / E[(dL/dx_L)²]", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, ncol=2)
    return ax
