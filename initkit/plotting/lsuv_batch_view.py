"""Notebook 05's figure: the held-out variance per layer after LSUV on a small batch, per draw and median."""
import warnings

import numpy as np

from .axes import draw_blitted, integer_ticks, steady_log_limits


class LSUVView:
    """Held-out variance per layer, one faint line per draw of LSUV's batch and their median (dots), the
    median variance on LSUV's own batch (line), the tolerance band around 1; log axis."""

    def __init__(self, n_draws=5, figsize=(5.8, 3.2), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.ax = self.fig.add_subplot()
        self.band = None
        self.draw_lines = [self.ax.plot([], [], "-", color="C3", alpha=0.3, lw=1,
                                        label="held out, each draw" if i == 0 else None)[0] for i in range(n_draws)]
        (self.batch_line,) = self.ax.plot([], [], "-", color="C0", lw=1.5, label="on LSUV's batch (median)")
        (self.held_out,) = self.ax.plot([], [], "o", ms=3.5, color="C3", label="held out (median)")
        self.ax.set_yscale("log")
        self.ax.set_xlabel("layer")
        self.ax.set_ylabel("pre-activation variance")
        integer_ticks(self.ax.xaxis)
        self.ax.legend(fontsize=7, loc="upper left", ncol=2)

    def update(self, result, batch_size, tol=0.1):
        """Show :func:`initkit.lessons.lsuv_batch.lsuv_batch_draws` (or one draw: :func:`lsuv_batch_experiment`) for ``batch_size``."""
        held, batch = np.atleast_2d(result["held_out_var"]), np.atleast_2d(result["batch_var"])
        if "worst" not in result:
            with np.errstate(divide="ignore", invalid="ignore"):
                result = {**result, "worst": np.exp(np.nanmax(np.abs(np.log(np.where(held > 0, held, np.nan))), axis=1))}
        layers = np.arange(1, held.shape[1] + 1)
        if self.band is not None:
            self.band.remove()
        self.band = self.ax.axhspan(1 - tol, 1 + tol, color="0.9", zorder=0)
        for line, row in zip(self.draw_lines, held):
            line.set_data(layers, row)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN layers (diverged draws) stay NaN
            self.batch_line.set_data(layers, np.nanmedian(batch, axis=0))
            self.held_out.set_data(layers, np.nanmedian(held, axis=0))
        values = np.r_[held.ravel(), batch.ravel(), 1 - tol, 1 + tol]
        values = values[np.isfinite(values) & (values > 0)]
        self.ax.set_xlim(0.5, layers[-1] + 0.5)
        steady_log_limits(self.ax.yaxis, np.log10(values.min() / 1.3), np.log10(values.max() * 1.3))
        worst = result["worst"]
        finite = worst[np.isfinite(worst)]
        spread = (f"{finite[0]:.2f}" if finite.size == 1 else
                  f"from {finite.min():.2f} to {finite.max():.2f} (median {np.median(finite):.2f})"
                  if finite.size else "undefined (no finite variance)")
        draws = f"{len(held)} draws of the batch" if len(held) > 1 else "one draw of the batch"
        self.ax.set_title(f"LSUV on {batch_size} samples, {draws}: the held-out variance\n"
                          f"is within a factor {spread} of 1 in every layer", fontsize=8)
        draw_blitted(self.fig, [*self.draw_lines, self.batch_line, self.held_out, self.ax.title])
        return self.fig
