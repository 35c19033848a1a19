"""The playground's figure: the cost curve and the decision boundary, redrawn after each chunk of training."""
import numpy as np

from .axes import draw_blitted, train_test_legend
from .training import set_steady_loss_scale


def predicted_classes(net, X, resolution=150, margin=0.5):
    """The network's class over a ``resolution`` x ``resolution`` grid around ``X`` (2-D inputs):
    ``(classes (resolution, resolution), (x0, x1, y0, y1))``, what :func:`~initkit.plotting.training.plot_decision_boundary`
    shades."""
    X = np.asarray(X)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    with np.errstate(all="ignore"):
        out = net.forward(np.c_[gx.ravel(), gy.ravel()])
    pred = out.argmax(axis=1) if out.shape[1] > 1 else (out[:, 0] > 0).astype(int)
    return pred.reshape(gx.shape), (lo[0], hi[0], lo[1], hi[1])


class PlaygroundView:
    """Cost curve and decision boundary side by side; ``update(net, history, data)`` redraws both.

    The cost axis is logarithmic only when the loss spans more than a decade (a flat loss stays flat on a
    linear axis from 0); solid is the training set, dashed the test set, as the legend says. The artists are
    made once and updated in place (a Train chunk redraws the curves, the shaded classes and the titles, not
    the axes); ``epochs``, the length of the whole run, fixes the epoch axis from the first chunk on.
    """

    def __init__(self, figsize=(5.8, 2.9), fig=None):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.cost_ax, self.boundary_ax = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        ax = self.cost_ax
        (self._train,) = ax.plot([], [], "-", color="C0", label="train loss")
        (self._test,) = ax.plot([], [], "--", color="C0", alpha=0.8, label="test (dashed)")
        self._note = ax.text(0.02, 0.92, "", transform=ax.transAxes, color="C0", fontsize=8)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        # whole epochs, few labels (the axis spans the whole run: 300 epochs in 30s overlapped)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True, min_n_ticks=1))
        train_test_legend(ax, fontsize=7, loc="upper right")
        self._classes = self.boundary_ax.imshow(np.zeros((2, 2)), origin="lower", aspect="auto", alpha=0.3,
                                                cmap="coolwarm", interpolation="nearest")
        self._points = self.boundary_ax.scatter(np.zeros(0), np.zeros(0), c=np.zeros(0), s=8, cmap="coolwarm",
                                                edgecolors="none")
        self.boundary_ax.set_xticks([])
        self.boundary_ax.set_yticks([])
        self.boundary_ax.set_title("decision boundary (training set)", fontsize=8)
        self._data = None

    def update(self, net, history, data, label="", epochs=None):
        train, test = history.train_loss, history.test_loss
        self._train.set_data(np.arange(1, len(train) + 1), train)
        self._test.set_data(np.arange(1, len(test) + 1), test)
        self.cost_ax.set_xlim(0.5, max(len(train), len(test), epochs or 1, 1) + 0.5)
        set_steady_loss_scale(self.cost_ax, train + test)
        self._note.set_text(f"diverged at step {history.diverged_at}" if history.diverged else "")
        acc = f"train {history.train_acc[-1]:.0%}, test {history.test_acc[-1]:.0%}" if history.test_acc else "diverged"
        self.cost_ax.set_title(f"{label}{acc}", fontsize=8)
        X, y = np.asarray(data.X_train), np.asarray(data.y_train).ravel()
        classes, extent = predicted_classes(net, X)
        top = max(int(y.max()), 1)  # the points' colors: classes 0 .. top over the same colormap
        self._classes.set_data(classes)
        self._classes.set_extent(extent)
        self._classes.set_clim(-0.5, top + 0.5)  # contourf's shades: class k at (k + 1/2) / (top + 1)
        if self._data is not data:  # new points only with a new dataset
            self._points.set_offsets(X)
            self._points.set_array(y)
            self._points.set_clim(0, top)
            self.boundary_ax.set_xlim(extent[:2])
            self.boundary_ax.set_ylim(extent[2:])
            self._data = data
        draw_blitted(self.fig, [self._train, self._test, self._note, self._classes, self._points,
                                self.cost_ax.title])
        return self.fig
