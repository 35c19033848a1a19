"""The digits figure (after the deeplearning.ai initialization article): per-layer activation histograms on
the test set, a 10 x 10 grid of test digits (misclassified ones in red) and the cost curve."""
import numpy as np

from ..lessons.digits import HIST_BINS, SIZES, digit_grid, digits_summary
from .axes import draw_blitted, integer_ticks, train_test_legend
from .training import set_steady_loss_scale


class DigitsView:
    """Per-layer activation histograms, the 100-digit grid and the cost curve; ``update(net, history, data)``.

    A diverged or saturated network is shown, not raised: histograms use fixed edges per activation, each
    titled with the layer's std and, when values pile up beyond the axis, the fraction that does. The
    artists are made once and updated in place (a Train chunk redraws without rebuilding axes).
    """

    def __init__(self, figsize=(10, 4.6), fig=None, loss_cover=None):
        """``loss_cover``: see :func:`~initkit.plotting.training.set_steady_loss_scale` (the trainer widget
        passes ``(-2, 1)``: a log cost axis from 0.01 to 10 from the first chunk on, so no chunk redraws it)."""
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.loss_cover = loss_cover
        self.fig.set_layout_engine("constrained")
        hidden = len(SIZES) - 2  # one histogram per hidden layer
        grid = self.fig.add_gridspec(2, hidden, height_ratios=[1, 2.2])
        self.hist_axes = [self.fig.add_subplot(grid[0, i]) for i in range(hidden)]
        self.grid_ax = self.fig.add_subplot(grid[1, : hidden // 2])
        self.cost_ax = self.fig.add_subplot(grid[1, hidden // 2:])
        self._bars = [ax.stairs(np.zeros(HIST_BINS), np.linspace(-1, 1, HIST_BINS + 1), fill=True, color="C0")
                      for ax in self.hist_axes]
        for ax in self.hist_axes:
            ax.set_ylim(0, 1.05)
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
        self._image = self.grid_ax.imshow(np.ones((100, 100, 3)))
        self.grid_ax.set_axis_off()
        ax = self.cost_ax
        (self._train,) = ax.plot([], [], "-", color="C0")
        (self._test,) = ax.plot([], [], "--", color="C0", alpha=0.8)
        self._note = ax.text(0.03, 0.05, "", transform=ax.transAxes, fontsize=8, color="C3")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        integer_ticks(ax.xaxis)
        train_test_legend(ax, fontsize=7, loc="upper right")

    def update(self, net, history, data, label="", epochs=None):
        """Show ``net`` after the epochs in ``history``; ``epochs``, the length of the whole run, fixes the
        epoch axis from the first chunk on (a steady axis: each chunk redraws only what changed)."""
        histograms, correct, acc = digits_summary(net, data)
        for i, (ax, bars, (edges, counts, std, beyond)) in enumerate(zip(self.hist_axes, self._bars, histograms),
                                                                   start=1):
            bars.set_data(counts / max(counts.max(), 1), edges)
            ax.set_xlim(edges[0], edges[-1])
            note = ("inf/nan" if not np.isfinite(std) else f"std {std:.2g}"
                    + (f", {beyond:.0%} off axis" if beyond >= 0.01 else ""))
            ax.set_title(f"layer {i}\n{note}", fontsize=6.5)
        self._image.set_data(digit_grid(data.X_test, correct))
        wrong = int((~correct).sum())
        self.grid_ax.set_title(f"100 test digits (red: wrong)\n{wrong} of {len(correct)} wrong", fontsize=8)
        train, test = history.train_loss, history.test_loss
        self._train.set_data(np.arange(1, len(train) + 1), train)
        self._test.set_data(np.arange(1, len(test) + 1), test)
        self.cost_ax.set_xlim(0.8, max(len(train), epochs or 1, 1) + 0.2)
        set_steady_loss_scale(self.cost_ax, train + test, self.loss_cover)
        self._note.set_text(f"diverged at step {history.diverged_at}" if history.diverged else "")
        cost = train[-1] if train else float("nan")
        state = (f"diverged at step {history.diverged_at}" if history.diverged else
                 f"cost {cost:.3g}, test accuracy {acc:.0%}")
        self.cost_ax.set_title(f"{label.rstrip(': ')}\n{state}" if label else state, fontsize=8)
        draw_blitted(self.fig, [*self._bars, self._image, self._train, self._test, self._note,
                                *(ax.title for ax in self.fig.axes)])
        return self.fig
