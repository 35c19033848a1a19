"""The slider explorer without the sliders: a pure step function and a persistent, fast figure.

``explore(...)`` probes a network and computes the theory prediction for the same settings; this is the
function a slider calls, and the one tests and checked notebook cells call with fixed values.
``ExplorerView`` draws per-layer activation and gradient histograms and log10(std) versus layer with
the theory line, once; ``update`` then changes only the data of existing artists and blits them over a
cached background, so a slider step costs milliseconds of drawing. Axes limits are fixed so that no step
needs a full redraw: values beyond the log10 range sit on the border as triangles, marked off-scale.
"""
import functools

import numpy as np

from ._validation import check_dtype, check_fits, check_number, check_one_of, check_size
from .activations import get_activation
from .fans import fan_for
from .probe import ACT_RANGES, DEFAULT_RANGE, probe
from .theory import predict

LOG_RANGE = (-8.0, 8.0)  # log10(std) shown; beyond it points are drawn at the border as triangles


def hist_layers_for(depth, n_hist=10):
    """Up to ``n_hist`` evenly spaced layers from 1 to ``depth`` (always including the last)."""
    return sorted(set(np.linspace(1, depth, min(n_hist, depth)).round().astype(int).tolist()))


def _check_explore(weight_std, depth, width, activation, init, bias_std, n_samples, n_hist, dtype):
    """The explorer's controls, checked before any work: a clear error naming the control, never a traceback."""
    from .probe import SPEC_INITS

    # Stds up to 1e150 keep the prediction's variances (std^2) finite in float64; a std must also fit dtype.
    weight_std = check_number("weight_std", weight_std, low=0, high=1e150)
    bias_std = check_number("bias_std", bias_std, low=0, high=1e150)
    for name, value in (("depth", depth), ("width", width), ("n_samples", n_samples), ("n_hist", n_hist)):
        check_number(name, value, low=1, integer=True)
    dtype = check_dtype(dtype)
    check_fits("weight_std", weight_std, dtype)
    check_fits("bias_std", bias_std, dtype)
    get_activation(activation)
    check_one_of("init", init, SPEC_INITS)
    return weight_std, bias_std


def explore(weight_std=0.0625, depth=20, width=256, activation="tanh", init="lecun_normal", bias_std=0.0,
            n_samples=1000, n_hist=10, dtype=np.float32, rng=0):
    """Probe plus prediction for one setting of the explorer's controls; returns ``(result, prediction)``.

    Weights have std ``weight_std`` in the distribution of ``init``; the input is N(0, 1).
    """
    weight_std, bias_std = _check_explore(weight_std, depth, width, activation, init, bias_std, n_samples, n_hist,
                                          dtype)
    result = probe(depth=depth, width=width, activation=activation, init=init, weight_std=weight_std,
                   bias_std=bias_std, n_samples=n_samples, dtype=dtype, hist_layers=hist_layers_for(depth, n_hist),
                   weight_grads=False, rng=rng)
    prediction = predict([width] * (depth + 1), activation, weight_var=weight_std**2, bias_var=bias_std**2)
    name = getattr(activation, "name", activation)
    if name == "leaky_relu" and hasattr(activation, "params"):
        name = f"leaky_relu a={activation.params['negative_slope']:.2g}"
    result.config = {"weight_std": weight_std, "width": width, "activation": name, "depth": depth}
    return result, prediction


def alternating_widths(wide, narrow, depth):
    """Layer widths ``[wide, narrow, wide, narrow, ...]`` for ``depth`` layers (input first)."""
    return [wide if l % 2 == 0 else narrow for l in range(depth + 1)]


def explore_fans(mode="fan_in", wide=512, narrow=128, depth=8, activation="linear", scale=1.0, n_samples=500,
                 n_hist=10, rng=0):
    """Forward and backward statistics of a network whose widths alternate ``wide``/``narrow``, weights from
    ``variance_scaling(scale, mode, 'normal')``; returns ``(result, prediction)`` like :func:`explore`.

    With mode 'fan_in' the forward signal keeps its variance and the gradient does not; 'fan_out' the
    reverse; 'fan_avg' (Glorot) compromises.
    """
    from .initializers import MODES, variance_scaling
    from .network import MLP

    check_one_of("mode", mode, MODES)
    for name, value in (("wide", wide), ("narrow", narrow), ("depth", depth), ("n_samples", n_samples),
                        ("n_hist", n_hist)):
        check_number(name, value, low=1, integer=True)
    scale = check_number("scale", scale, low=0, low_inclusive=False)
    get_activation(activation)
    check_size("wide, narrow and depth", wide * narrow * depth, "weights (wide x narrow x depth)")
    sizes = alternating_widths(wide, narrow, depth)
    init = functools.partial(variance_scaling, scale=scale, mode=mode, distribution="normal")
    net = MLP(sizes, activation=activation, init=init, output_activation=activation, rng=rng)
    result = probe(net, n_samples=n_samples, hist_layers=hist_layers_for(depth, n_hist), rng=rng)
    fans = [fan_for(mode, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    prediction = predict(sizes, activation, weight_var=[scale / n for n in fans])
    return result, prediction


def _log10(values):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(values, dtype=np.float64))


def _split_range(y):
    """In-range points, and out-of-range points clipped to the border (for triangle markers)."""
    lo, hi = LOG_RANGE
    inside = np.where((y >= lo) & (y <= hi), y, np.nan)
    below = np.where(y < lo, lo, np.nan)
    above = np.where((y > hi) | np.isposinf(y), hi, np.nan)
    return inside, below, above


class ExplorerView:
    """A figure with ``n_hist`` activation and gradient histograms and a std-versus-layer panel.

    ``view.update(result, prediction)`` redraws in place; ``view.fig`` is the matplotlib figure (with
    ipympl, ``view.fig.canvas`` is a widget).
    """

    def __init__(self, n_hist=10, figsize=(10, 5.6), fig=None):
        import matplotlib.pyplot as plt

        self.n_hist = n_hist
        self.fig = fig or plt.figure(figsize=figsize)
        grid = self.fig.add_gridspec(3, n_hist, height_ratios=[1, 1, 2.2], hspace=0.55, wspace=0.08,
                                     left=0.07, right=0.98, top=0.9, bottom=0.09)
        self.act_axes = [self.fig.add_subplot(grid[0, i]) for i in range(n_hist)]
        self.grad_axes = [self.fig.add_subplot(grid[1, i]) for i in range(n_hist)]
        self.std_ax = self.fig.add_subplot(grid[2, :])
        edges = np.linspace(-1, 1, 51)
        self.act_patches = [ax.stairs(np.zeros(50), edges, fill=True, color="C0", animated=True) for ax in self.act_axes]
        self.grad_patches = [ax.stairs(np.zeros(50), edges, fill=True, color="C3", animated=True) for ax in self.grad_axes]
        for i, ax in enumerate(self.act_axes + self.grad_axes):
            ax.set_ylim(0, 1.05)
            ax.set_yticks([])
            ax.tick_params(labelsize=6, length=2, labelbottom=i % n_hist == 0)
        self.act_axes[0].set_ylabel("activations", fontsize=8)
        self.grad_axes[0].set_ylabel("gradients", fontsize=8)
        ax = self.std_ax
        ax.set_ylim(LOG_RANGE[0] - 0.3, LOG_RANGE[1] + 0.3)
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_ylabel("log10 std")
        ax.set_xlabel("layer")
        style = dict(animated=True, ls="none")
        self.lines = {
            "act": ax.plot([], [], "o", ms=4, color="C0", label="activations: measured", **style)[0],
            "act_theory": ax.plot([], [], "-", color="C0", alpha=0.5, label="theory", animated=True)[0],
            "grad": ax.plot([], [], "o", ms=4, color="C3", label="gradients: measured", **style)[0],
            "grad_theory": ax.plot([], [], "-", color="C3", alpha=0.5, label="theory", animated=True)[0],
            "off_low": ax.plot([], [], "v", ms=6, color="0.3", label="off scale", **style)[0],
            "off_high": ax.plot([], [], "^", ms=6, color="0.3", **style)[0],
        }
        ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=5, frameon=False)
        self.title = self.fig.text(0.5, 0.96, "", ha="center", fontsize=10, animated=True)
        self._structure = None
        self._background = None
        # Any full draw (ours, or one the backend triggers on resize) skips animated artists: redraw them
        # and re-capture the background on every draw_event (matplotlib's blitting tutorial, BlitManager).
        self.fig.canvas.mpl_connect("draw_event", self._on_draw)

    def _animated(self):
        return [*self.act_patches, *self.grad_patches, *self.lines.values(), self.title]

    def _set_structure(self, result):
        """Layer titles, histogram ranges and the x-range: changes only with depth or activation (full draw)."""
        layers = result.hist_layers
        depth = result.depth
        act_range = ACT_RANGES.get(result.records[0]["activation"], DEFAULT_RANGE)
        for i, (a_ax, g_ax) in enumerate(zip(self.act_axes, self.grad_axes)):
            visible = i < len(layers)
            a_ax.set_visible(visible)
            g_ax.set_visible(visible)
            if visible:
                a_ax.set_title(f"layer {layers[i]}", fontsize=7, pad=2)
                a_ax.set_xlim(*act_range)
                g_ax.set_xlim(*DEFAULT_RANGE)
        self.std_ax.set_xlim(0.5, depth + 0.5)
        self._structure = (tuple(layers), depth, act_range)

    def update(self, result, prediction=None):
        """Show a new probe result; a full draw only when depth or activation changed."""
        structure = (tuple(result.hist_layers), result.depth,
                     ACT_RANGES.get(result.records[0]["activation"], DEFAULT_RANGE))
        full = structure != self._structure or self._background is None
        if full:
            self._set_structure(result)
        for patches, hist, edges in ((self.act_patches, result.act_hist, result.act_edges),
                                     (self.grad_patches, result.grad_hist, result.grad_edges)):
            for i, patch in enumerate(patches):
                if i < len(hist):
                    counts = hist[i]
                    patch.set_data(counts / max(counts.max(), 1), edges)
        layers = np.arange(1, result.depth + 1)
        act_in, act_lo, act_hi = _split_range(_log10(result.column("act_std")))
        grad_in, grad_lo, grad_hi = _split_range(_log10(result.column("da_std")))
        self.lines["act"].set_data(layers, act_in)
        self.lines["grad"].set_data(layers, grad_in)
        self.lines["off_low"].set_data(np.r_[layers, layers], np.r_[act_lo, grad_lo])
        self.lines["off_high"].set_data(np.r_[layers, layers], np.r_[act_hi, grad_hi])
        if prediction is not None:
            self.lines["act_theory"].set_data(layers, np.clip(_log10(prediction.act_std), *LOG_RANGE))
            self.lines["grad_theory"].set_data(layers, np.clip(_log10(prediction.da_std), *LOG_RANGE))
        cfg = result.config
        head = ""
        if "weight_std" in cfg:
            head = (f"weight std {cfg['weight_std']:.3g}, n·Var(w) = {cfg['width'] * cfg['weight_std'] ** 2:.3g}, "
                    f"{cfg['activation']}: ")
        self.title.set_text(head + result.status())
        self._draw(full)

    def _on_draw(self, event=None):
        canvas = self.fig.canvas
        if not self.title.get_animated():  # render() mode: everything was drawn normally
            return
        self._background = canvas.copy_from_bbox(self.fig.bbox) if hasattr(canvas, "copy_from_bbox") else None
        self._draw_animated()

    def _draw_animated(self):
        for artist in self._animated():
            if artist.axes is None or artist.axes.get_visible():
                self.fig.draw_artist(artist)

    def _draw(self, full):
        canvas = self.fig.canvas
        if not self.title.get_animated():  # after render(): back to blitting
            for artist in self._animated():
                artist.set_animated(True)
            full = True
        if full or self._background is None:
            canvas.draw()  # draw_event -> _on_draw captures the background and draws the animated artists
            return
        canvas.restore_region(self._background)
        self._draw_animated()
        canvas.blit(self.fig.bbox)

    def render(self):
        """Make every artist part of a normal draw, for ``savefig`` or inline display (the next
        ``update`` switches back to blitting)."""
        for artist in self._animated():
            artist.set_animated(False)
        self._background = None
        return self.fig
