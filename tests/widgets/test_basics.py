"""Every widget over every menu pair and slider end: no exception, no warning, nothing drawn outside the figure.

The widgets are driven exactly as the browser drives them (a control's value changes, or Train is
clicked), on ipympl canvases without a browser. Sizes are reduced where a slider end would cost seconds;
the menus and slider ends themselves are all visited.
"""
import itertools

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
from initkit import widgets  # noqa: E402
from initkit.lessons.digits import CHOICES  # noqa: E402
from widget_checks import assert_nothing_clipped, slider_ends  # noqa: E402



@pytest.mark.slow
def test_every_widget_fits_580_px():
    # JupyterLab's output area is about 590 px wide at a 1024 px window with the file browser open.
    boxes = [widgets.explorer(n_samples=50), widgets.fan_explorer(), widgets.symmetry(steps=5),
             widgets.lsuv_explorer(), widgets.playground(epochs=4, chunks=1), widgets.digits_trainer(epochs=1, chunks=1)]
    for box in boxes:
        width = box.view.fig.get_figwidth() * box.view.fig.dpi
        assert width <= 590, f"{box.name}: figure {width:.0f} px wide"
        assert_nothing_clipped(box.view, box.name)


@pytest.mark.slow
def test_explorer_every_activation_width_and_slider_end():
    box = widgets.explorer(depth=5, width=16, n_samples=50)
    c = box.controls
    for activation, std, depth in itertools.product(slider_ends(c["activation"]), slider_ends(c["weight_std"]),
                                                    slider_ends(c["depth"])):
        c["activation"].value, c["weight_std"].value, c["depth"].value = activation, std, depth
        if activation == "leaky_relu":
            for slope in slider_ends(c["slope"]):
                c["slope"].value = slope
        assert box.view.status.get_text()
    c["activation"].value = "tanh"
    for width, std in itertools.product(slider_ends(c["width"]), slider_ends(c["weight_std"])):
        c["width"].value, c["weight_std"].value = width, std
    for preset in box.preset.options[1:]:
        box.preset.value = preset
    c["weight_std"].value, c["activation"].value = 100.0, "tanh"  # the longest status: saturation and gradient
    assert_nothing_clipped(box.view, "explorer at weight std 100")


@pytest.mark.parametrize("preset, name", [("He √(2/n)", "he"), ("LeCun 1/√n", "lecun"), ("Xavier (n = fan_avg)", "xavier")])
def test_explorer_preset_lands_on_the_exact_std(preset, name):
    box = widgets.explorer(depth=3, width=256, n_samples=50)
    exact = {"he": np.sqrt(2 / 256), "lecun": np.sqrt(1 / 256), "xavier": np.sqrt(1 / 256)}[name]
    box.preset.value = preset
    slider = box.controls["weight_std"]
    # The browser snaps the slider to its step (0.02 in log10) and sends that value back: 0.0871 for He.
    snapped = 10 ** (round(np.log10(slider.value) / slider.step) * slider.step)
    slider.value = snapped
    assert f"weight std {exact:.3g}," in box.view.title.get_text()
    n_var = 256 * exact**2
    assert box.readout.value == f"{exact:.4g}  (n·Var(w) = {n_var:.2f})"
    assert box.view.title.get_text().count(f"n·Var(w) = {n_var:.3g},") == 1
    slider.value = snapped * 10 ** (3 * slider.step)  # moved away: the slider's own value is used again
    assert f"weight std {slider.value:.3g}," in box.view.title.get_text()


@pytest.mark.slow
def test_fan_explorer_every_menu_pair_and_depth_end():
    box = widgets.fan_explorer()
    c = box.controls
    for mode, activation, depth in itertools.product(slider_ends(c["mode"]), slider_ends(c["activation"]),
                                                     slider_ends(c["depth"])):
        c["mode"].value, c["activation"].value, c["depth"].value = mode, activation, depth
        assert box.view.status.get_text()
    c["depth"].value = 2
    for wide, narrow in itertools.product(slider_ends(c["wide"]), slider_ends(c["narrow"])):
        c["wide"].value, c["narrow"].value = wide, narrow
    assert box.view.title.get_text().startswith(f"mode {c['mode'].value}, widths {wide}/{narrow}")


def test_fan_explorer_axis_shows_the_factor_two():
    box = widgets.fan_explorer()  # fan_in, 512/128, linear: dL/da alternates between about 2 and 1
    lo, hi = box.view.std_ax.get_ylim()
    assert np.log10(hi / lo) <= 1.5, f"std axis spans {np.log10(hi / lo):.1f} decades"


def test_symmetry_slider_ends():
    box = widgets.symmetry(steps=5)
    for c, s in itertools.product([-1.0, 0.0, 1.0], slider_ends(box.controls["noise_std"])):
        box.controls["c"].value, box.controls["noise_std"].value = c, s
        assert "rank" in box.view.ax.get_title()
        assert_nothing_clipped(box.view, f"symmetry c={c}, s={s}")


@pytest.mark.slow
def test_lsuv_explorer_slider_ends_and_activations():
    box = widgets.lsuv_explorer(n_draws=2)
    c = box.controls
    corners = {"tanh": itertools.product([2, 1024], [2, 50])}  # every corner for one activation,
    for activation in slider_ends(c["activation"]):  # every slider end for each of the others
        for batch, depth in corners.get(activation, [(2, 50), (1024, 2)]):
            c["activation"].value, c["batch_size"].value, c["depth"].value = activation, batch, depth
            assert box.view.ax.get_title().startswith(f"LSUV on {batch} samples, 2 draws of the batch")
            assert_nothing_clipped(box.view, f"lsuv_explorer {activation}, {batch}, {depth}")


@pytest.mark.slow
def test_playground_every_dataset_init_and_scale_end():
    box = widgets.playground(epochs=6, chunks=1)
    c = box.controls
    for dataset, init in itertools.product(slider_ends(c["dataset"]), slider_ends(c["init"])):
        c["dataset"].value, c["init"].value, c["scale"].value = dataset, init, 1.0
        box.button.click()
    for init, scale in itertools.product(slider_ends(c["init"]), slider_ends(c["scale"])):
        c["init"].value, c["scale"].value = init, scale
        box.button.click()
        assert box.view.cost_ax.get_title().startswith(f"{init} × {scale:.3g}: ")
    box = widgets.playground(epochs=100, chunks=2)  # He on circles: the loss spans a decade, a log axis
    assert box.view.cost_ax.get_yscale() == "log"
    assert_nothing_clipped(box.view, "playground, log loss axis")
    box.controls["init"].value = "zeros"
    box.button.click()  # stuck at ln 2: a flat line on a linear axis from 0, not a zoom into 0.6931-0.6934
    assert box.view.cost_ax.get_yscale() == "linear" and box.view.cost_ax.get_ylim()[0] == 0
    assert_nothing_clipped(box.view, "playground, flat loss")


@pytest.mark.slow
def test_digits_trainer_all_24_menu_pairs():
    # Standard Normal with relu or selu, He with selu and Zero with sigmoid used to raise (ax.hist ranges).
    box = widgets.digits_trainer(epochs=3, chunks=3)
    for choice, activation in itertools.product(CHOICES, slider_ends(box.controls["activation"])):
        box.controls["choice"].value, box.controls["activation"].value = choice, activation
        box.button.click()
        title = box.view.cost_ax.get_title()
        assert title.startswith(f"{choice}, {activation}\n"), title
        assert "diverged at step" in title or "test accuracy" in title
        if choice == "Standard Normal":
            assert_nothing_clipped(box.view, f"digits_trainer {choice}, {activation}")


def test_digits_view_shows_a_diverged_network_as_text():
    from initkit.lessons.digits import train_digits
    from initkit.plotting import DigitsView

    *_, (net, history, data) = train_digits("Xavier", "relu", epochs=1, chunks=1)
    net.layers[1].W[0, 0] = np.inf
    view = DigitsView(figsize=(5.8, 4.6))
    view.update(net, history, data, "broken: ")
    assert any("inf/nan" in ax.get_title() for ax in view.hist_axes)


def test_first_display_sends_a_full_image():
    # Regression (issue 19): the symmetry widget stayed blank after Run All until a slider moved.
    box = widgets.symmetry(steps=5)
    canvas = box.view.fig.canvas
    sent = []
    canvas.send_binary = sent.append
    canvas._handle_custom_msg({"type": "initialized"}, [])
    assert sent and canvas._current_image_mode == "full"


def test_symmetry_widget_updates_view():
    import matplotlib.pyplot as plt

    box = widgets.symmetry(steps=5)
    box.controls["noise_std"].value = 0.05
    assert "noise std = 0.05" in box.view.ax.get_title()
    plt.close(box.view.fig)


def test_every_frame_is_sent_whole_so_a_dropped_frame_cannot_leave_a_stale_plot():
    # Regression (issues 24, 31): diff frames painted over a dropped frame left a canvas blank after Run All
    # and titles smeared over older titles. Every frame is a whole PNG of the canvas as drawn.
    import io

    from PIL import Image

    box = widgets.explorer(depth=5, width=16, n_samples=50)
    canvas = box.view.fig.canvas
    sent = []
    canvas.send_binary = sent.append
    for std in (0.1, 0.2, 0.3):
        box.controls["weight_std"].value = std
    assert len(sent) == 3 and canvas._current_image_mode == "full"
    last = np.asarray(Image.open(io.BytesIO(sent[-1])).convert("RGB"))
    assert np.array_equal(last, np.asarray(canvas.get_renderer().buffer_rgba())[..., :3])


def test_leaky_slope_is_enabled_only_for_leaky_relu():
    # The slope acts on leaky_relu alone: any other activation greys it out (issue 31 item 6).
    box = widgets.explorer(depth=3, width=16, n_samples=50)
    activation, slope = box.controls["activation"], box.controls["slope"]
    for name in activation.options:
        activation.value = name
        assert slope.disabled == (name != "leaky_relu"), name


def test_digits_trainer_chunks_keep_the_cost_axis():
    # Issue 25: the cost axis switched from linear to log mid-run (a full redraw per switch). The trainer's
    # axis is log from 0.01 to 10 from the first chunk on; every loss stays inside it.
    box = widgets.digits_trainer(epochs=4, chunks=4)
    ax = box.view.cost_ax
    limits = []
    original = box.view.update

    def update(*args, **kwargs):
        out = original(*args, **kwargs)
        limits.append((ax.get_yscale(), ax.get_ylim()))
        return out

    box.view.update = update
    box.button.click()
    assert limits == [("log", (0.01, 10.0))] * 4
    for line in (box.view._train, box.view._test):
        y = np.asarray(line.get_ydata())
        assert len(y) == 4 and np.all((0.01 <= y) & (y <= 10))
