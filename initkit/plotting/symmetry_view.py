"""Notebook 01's figure: each hidden unit's incoming weights as one curve (at noise 0 all curves are one)."""
import numpy as np

from ..lessons.symmetry import unit_symmetry
from .axes import draw_blitted


class SymmetryView:
    """One curve per hidden unit: its incoming weights against the input index."""

    def __init__(self, hidden=16, n_in=64, figsize=(5.8, 3.0), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.ax = self.fig.add_subplot()
        self.lines = [self.ax.plot(np.arange(n_in), np.zeros(n_in), lw=1)[0] for _ in range(hidden)]
        self.ax.set_xlim(0, n_in - 1)
        self.ax.set_xlabel("input (pixel) index")
        self.ax.set_ylabel("incoming weight")

    def update(self, net, history, c, noise_std):
        W = net.layers[0].W
        for line, w in zip(self.lines, W.T):
            line.set_ydata(w)
        finite = W[np.isfinite(W)]
        if finite.size:  # a steady axis while a slider moves: new limits only when the weights leave them
            pad = 0.05 * max(np.ptp(finite), 1e-3)  # or fill less than half of them
            lo, hi = finite.min() - pad, finite.max() + pad
            y0, y1 = self.ax.get_ylim()
            if not (y0 <= lo and hi <= y1 and hi - lo >= (y1 - y0) / 2):
                self.ax.set_ylim(lo - 2 * pad, hi + 2 * pad)
        difference, rank = unit_symmetry(W)
        acc = f"test accuracy {history.test_acc[-1]:.0%}" if history.test_acc else "diverged"
        self.ax.set_title(f"c = {c:.2g}, noise std = {noise_std:.2g}: {len(self.lines)} hidden units\n"
                          f"largest difference between units {difference:.2g}, rank {rank}, {acc}",
                          fontsize=8)
        draw_blitted(self.fig, [*self.lines, self.ax.title])
        return self.fig
