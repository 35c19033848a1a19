"""Notebook 13's widget: every menu and slider end redraws without warnings, inside 590 px."""
import pytest

pytest.importorskip("ipywidgets")
from initkit import widgets  # noqa: E402
from widget_checks import assert_nothing_clipped  # noqa: E402


def test_conv_explorer_visits_every_menu_and_slider_end():
    box = widgets.conv_explorer(depth=8, channels=2, size=3)
    assert box.view.fig.get_figwidth() * box.view.fig.dpi <= 590
    for kernel in ["delta_orthogonal", "he", "gaussian"]:
        box.controls["kernel"].value = kernel
        for activation in ["relu", "linear", "tanh"]:
            box.controls["activation"].value = activation
    assert_nothing_clipped(box.view.fig, "conv_explorer")
    for activation in ["linear", "relu"]:
        box.controls["activation"].value = activation
        for name in ["depth", "weight_var"]:
            control = box.controls[name]
            for value in [control.max, control.min]:
                control.value = value
        assert_nothing_clipped(box.view.fig, "conv_explorer")
    assert "conv_explorer" in repr(box)
