"""The playground's figure: the cost curve and the decision boundary, redrawn after each chunk of training."""
import numpy as np

from .axes import draw_with_frozen_layout, integer_ticks, set_loss_scale, train_test_legend
from .training import plot_decision_boundary, plot_history


class PlaygroundView:
    """Cost curve and decision boundary side by side; ``update(net, history, data)`` redraws both.

    The cost axis is logarithmic only when the loss spans more than a decade (a flat loss stays flat on a
    linear axis from 0); solid is the training set, dashed the test set, as the legend says.
    """

    def __init__(self, figsize=(5.8, 2.9), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.cost_ax, self.boundary_ax = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})

    def update(self, net, history, data, label=""):
        self.cost_ax.clear()
        self.boundary_ax.clear()
        plot_history(history, ax=self.cost_ax, label="train loss")
        set_loss_scale(self.cost_ax, history.train_loss + history.test_loss)
        integer_ticks(self.cost_ax.xaxis)
        train_test_legend(self.cost_ax, fontsize=7, loc="upper right")
        acc = f"train {history.train_acc[-1]:.0%}, test {history.test_acc[-1]:.0%}" if history.test_acc else "diverged"
        self.cost_ax.set_title(f"{label}{acc}", fontsize=8)
        with np.errstate(all="ignore"):
            plot_decision_boundary(net, data.X_train, data.y_train, ax=self.boundary_ax)
        self.boundary_ax.set_title("decision boundary (training set)", fontsize=8)
        draw_with_frozen_layout(self.fig)  # draw now, not idle: the kernel stays busy until training ends
        return self.fig
