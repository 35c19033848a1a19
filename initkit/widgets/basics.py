"""The widgets of notebooks 00-07: controls wired to pure initkit functions.

Every callback is one line: ``view.update(*explore(**values))``. With ipympl installed the figure is a live
canvas updated in place (no ``%matplotlib widget`` needed); without it, an inline fallback re-renders the
figure as a PNG.
"""
import numpy as np

from ..core.activations import ACTIVATIONS, Activation
from ..nn.data import DATASETS
from ..lessons.digits import CHOICES, train_digits
from ..lessons.explorer import explore, explore_fans
from ..lessons.lsuv_batch import lsuv_batch_draws
from ..lessons.playground import INIT_CHOICES, train_playground
from ..core.registry import INIT_TABLE, menu
from ..lessons.symmetry import train_from_constant
from ..measure.theory import weight_variance
from ..plotting import DigitsView, ExplorerView, LSUVView, PlaygroundView, SymmetryView
from .display import Display, assemble, ipywidgets_module, new_figure, row, widget_box

def presets():
    """The table's menu, plus He with the slider's slope; labels read the initializer table when called."""
    return {**menu(), f"He leaky √({INIT_TABLE['he_normal'].scale_value:g}/((1+a²)n))": "he_leaky"}
WIDTHS = [16, 32, 64, 128, 256, 512]


def explorer(weight_std=None, depth=20, width=256, activation="tanh", init="lecun_normal", n_samples=256,
             n_hist=10, rng=0):
    """Sliders for weight std (log scale), depth, width and activation, redrawing histograms and std by layer.

    A preset sets the weight std to its exact formula value for the current width (not the nearest slider
    step: the slider only moves near it), and the readout beside the slider shows the value used and
    n·Var(w). ``n_samples`` inputs per probe: 256 keeps a step fast (the same network as ``ik.explore``'s
    default 1000 inputs; per-layer stds agree within about 2% at the defaults, 5% for selu's gradients,
    invisible on the log axis). Returns the layout widget;
    its ``.view`` is the :class:`~initkit.plotting.explorer_view.ExplorerView`.
    """
    w = ipywidgets_module()
    std0 = weight_std if weight_std is not None else float(np.sqrt(1.0 / width))
    controls = {
        "weight_std": w.FloatLogSlider(value=std0, base=10, min=-3, max=2, step=0.02, description="weight std",
                                       readout=False, continuous_update=True),
        "depth": w.IntSlider(value=depth, min=1, max=100, description="depth", continuous_update=True),
        "width": w.Dropdown(options=WIDTHS, value=width, description="width"),
        "activation": w.Dropdown(options=sorted(ACTIVATIONS), value=activation, description="activation"),
        "slope": w.FloatSlider(value=0.01, min=0.0, max=1.0, step=0.01, description="leaky slope a"),
    }
    PRESETS = presets()
    preset = w.Dropdown(options=["set std to …", *PRESETS], value="set std to …", description="preset")
    readout = w.Label(layout=w.Layout(width="auto", min_width="180px"))
    readout.add_class("initkit-readout")
    view = ExplorerView(n_hist=n_hist, fig=new_figure((5.8, 4.8)))
    pinned = {"std": float(std0)}  # the exact std of the last preset (or argument), while the slider is near it
    half_step = controls["weight_std"].step / 2 + 1e-9

    def update(values):
        std = values["weight_std"]
        exact = pinned["std"]
        if exact is not None and exact > 0 and std > 0 and abs(np.log10(std / exact)) <= half_step:
            std = exact  # the browser snapped the slider to its step: keep the exact value
        else:
            pinned["std"] = None
        values["weight_std"] = std
        values["activation"] = activation_with_slope(values["activation"], values.pop("slope"))
        readout.value = f"{std:.4g}  (n·Var(w) = {values['width'] * std ** 2:.2f})"
        view.update(*explore(init=init, n_samples=n_samples, n_hist=n_hist, rng=rng, **values))

    def apply_preset(change):
        if change["new"] in PRESETS:
            n, a = controls["width"].value, controls["slope"].value
            name = PRESETS[change["new"]]
            if name == "he_leaky":  # He's row at the slider's slope: 2 / ((1 + a^2) n)
                var = INIT_TABLE["he_normal"].variance(n, n, a)
            else:
                var = weight_variance(name, n, n)
            pinned["std"] = float(np.sqrt(var))
            if controls["weight_std"].value == pinned["std"]:
                box.redraw()
            else:
                controls["weight_std"].value = pinned["std"]
            preset.value = "set std to …"

    def enable_slope(_=None):  # the slope only acts on leaky_relu: disabled (greyed) for every other activation
        controls["slope"].disabled = controls["activation"].value != "leaky_relu"

    preset.observe(apply_preset, names="value")
    controls["activation"].observe(enable_slope, names="value")
    enable_slope()
    box = assemble("explorer", controls, view, update, rows=[[controls["weight_std"], readout, controls["depth"]],
                                                  [controls["width"], controls["activation"], controls["slope"],
                                                   preset]])
    box.preset, box.readout = preset, readout
    return box


def activation_with_slope(name, slope):
    """The activation to probe: leaky ReLU gets the slider's slope, every other name is used as is."""
    return Activation("leaky_relu", negative_slope=slope) if name == "leaky_relu" else name


def fan_explorer(mode="fan_in", wide=512, narrow=128, depth=8, activation="linear", n_samples=256, rng=0):
    """Mode (fan_in, fan_out, fan_avg), the two alternating widths and the activation: forward and backward
    std per layer with both theory lines (``n_samples`` inputs per probe)."""
    w = ipywidgets_module()
    controls = {
        "mode": w.Dropdown(options=["fan_in", "fan_out", "fan_avg"], value=mode, description="mode"),
        "wide": w.Dropdown(options=WIDTHS, value=wide, description="wide"),
        "narrow": w.Dropdown(options=WIDTHS, value=narrow, description="narrow"),
        "activation": w.Dropdown(options=["linear", "relu", "tanh"], value=activation, description="activation"),
        "depth": w.IntSlider(value=depth, min=2, max=40, description="depth"),
    }
    view = ExplorerView(n_hist=8, fig=new_figure((5.8, 4.8)))

    def update(values):
        init = "he_normal" if values["activation"] == "relu" else "lecun_normal"  # scale 2 for ReLU, else 1
        scale = INIT_TABLE[init].scale_value
        view.update(*explore_fans(scale=scale, n_hist=8, n_samples=n_samples, dtype=np.float32, weight_grads=False,
                                  rng=rng, **values))

    return assemble("fan_explorer", controls, view, update, rows=[[controls["mode"], controls["activation"], controls["depth"]],
                                                   [controls["wide"], controls["narrow"]]])


def playground(dataset="circles", init="He", scale=1.0, epochs=300, chunks=10, rng=0):
    """Dataset, initializer and scale controls and a Train button; the cost curve and the decision boundary
    update while the network trains (the deeplearning.ai initialization article, in Python)."""
    w = ipywidgets_module()
    controls = {
        "dataset": w.Dropdown(options=[d for d in DATASETS if d != "digits"], value=dataset, description="dataset"),
        "init": w.Dropdown(options=list(INIT_CHOICES), value=init, description="init"),
        "scale": w.FloatLogSlider(value=scale, base=10, min=-2, max=2, step=0.1, description="× scale",
                                  readout_format=".3g"),
    }
    button = w.Button(description="Train", button_style="primary")
    view = PlaygroundView(fig=new_figure((5.8, 2.9)))
    display = Display(view)

    def train(_=None):
        label = f"{controls['init'].value} × {controls['scale'].value:.3g}: "
        for net, history, data in train_playground(controls["dataset"].value, INIT_CHOICES[controls["init"].value],
                                                   controls["scale"].value, epochs=epochs, chunks=chunks, rng=rng):
            view.update(net, history, data, label, epochs=epochs)
            display.refresh()

    button.on_click(train)
    train()
    box = widget_box("playground", [row([controls["dataset"], controls["init"]]), row([controls["scale"], button]),
                              display.widget], controls)
    box.view, box.button = view, button
    return box


def symmetry(c=0.1, noise_std=0.0, steps=50, rng=0):
    """Sliders for the constant c and the noise std s; draws every hidden unit's weights after training."""
    w = ipywidgets_module()
    controls = {
        "c": w.FloatSlider(value=c, min=-1, max=1, step=0.05, description="constant c"),
        "noise_std": w.FloatSlider(value=noise_std, min=0, max=0.3, step=0.005, description="noise std s",
                                   readout_format=".3f"),
    }
    view = SymmetryView(fig=new_figure((5.8, 3.0)))
    return assemble("symmetry", controls, view, lambda v: view.update(*train_from_constant(steps=steps, test_each_epoch=False, rng=rng, **v), **v))


def lsuv_explorer(batch_size=32, depth=20, activation="tanh", n_draws=5, rng=0):
    """Sliders for the number of samples LSUV sees and the depth; held-out variance per layer over
    ``n_draws`` draws of the batch (one draw can be lucky: the spread is the answer)."""
    w = ipywidgets_module()
    controls = {
        "batch_size": w.SelectionSlider(options=[2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], value=batch_size,
                                        description="batch size"),
        "depth": w.IntSlider(value=depth, min=2, max=50, description="depth"),
        "activation": w.Dropdown(options=["tanh", "relu", "selu", "gelu"], value=activation, description="activation"),
    }
    view = LSUVView(n_draws=n_draws, fig=new_figure((5.8, 3.2)))
    return assemble("lsuv_explorer", controls, view, lambda v: view.update(lsuv_batch_draws(n_draws=n_draws, rng=rng, **v),
                                                           v["batch_size"]))


def digits_trainer(choice="Xavier", activation="tanh", epochs=10, chunks=5, rng=0):
    """Initialization and activation menus and a Train button: a 5-layer MLP learns the digits while the
    per-layer histograms, the 100-digit grid and the cost curve update (the deeplearning.ai article's view)."""
    w = ipywidgets_module()
    controls = {
        "choice": w.Dropdown(options=list(CHOICES), value=choice, description="initialization"),
        "activation": w.Dropdown(options=["tanh", "relu", "sigmoid", "selu"], value=activation, description="activation"),
    }
    button = w.Button(description="Train", button_style="primary")
    # A log cost axis from 0.01 to 10 from the first chunk on: every menu pair's loss stays inside after 10
    # epochs (a diverged run widens it), so the chunks blit instead of redrawing a linear, then log axis.
    view = DigitsView(fig=new_figure((5.8, 4.6)), loss_cover=(-2, 1))
    display = Display(view)

    def train(_=None):
        label = f"{controls['choice'].value}, {controls['activation'].value}: "
        for net, history, data in train_digits(controls["choice"].value, controls["activation"].value,
                                               epochs=epochs, chunks=chunks, rng=rng):
            view.update(net, history, data, label, epochs=epochs)
            display.refresh()

    button.on_click(train)
    train()
    box = widget_box("digits_trainer", [row([controls["choice"], controls["activation"], button]), display.widget],
               controls)
    box.view, box.button = view, button
    return box


__all__ = ["digits_trainer", "explorer", "fan_explorer", "lsuv_explorer", "playground", "symmetry"]
