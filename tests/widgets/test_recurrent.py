"""Notebook 12's widget and view: every menu and slider end redraws without warnings, inside 580 px."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
from initkit import widgets  # noqa: E402
from initkit.lessons.recurrent import gradient_vs_time  # noqa: E402
from initkit.plotting import RecurrentView  # noqa: E402
from widget_checks import assert_nothing_clipped  # noqa: E402



@pytest.mark.slow
def test_recurrent_explorer_visits_every_menu_and_slider_end():
    box = widgets.recurrent_explorer(scale=3.0, T=20, hidden=16, n_seeds=2)
    assert box.view.fig.get_figwidth() * box.view.fig.dpi <= 590
    for init in ["orthogonal", "identity", "gaussian"]:  # every menu pair, at the largest scale (most growth)
        box.controls["init"].value = init
        for activation in ["relu", "linear", "tanh"]:
            box.controls["activation"].value = activation
    assert_nothing_clipped(box.view.fig, "recurrent_explorer")
    for activation in ["linear", "relu"]:  # the slider ends: the extremes of growth and decay
        box.controls["activation"].value = activation
        for name in ["scale", "T", "input_std"]:
            control = box.controls[name]
            for value in [control.max, control.min]:
                control.value = value
        assert_nothing_clipped(box.view.fig, "recurrent_explorer")
    assert "recurrent_explorer" in repr(box)


def test_view_draws_the_measured_norms_and_the_prediction():
    result = gradient_vs_time("orthogonal", 0.9, 30, activation="linear", input_std=0.0, hidden=16, n_seeds=3)
    view = RecurrentView(n_seeds=3)
    view.update(result)
    x, y = view.lines[0].get_data()
    np.testing.assert_allclose(y, 0.9 ** x, rtol=1e-10)  # linear orthogonal: exactly g^(T - t)
    np.testing.assert_allclose(view.theory.get_data()[1], 0.9 ** x, rtol=1e-10)
    assert "measured 0.9" in view.ax.get_title()


def test_steps_back_axis_has_whole_number_ticks_at_the_shortest_length():
    # Issue 31 item 6: at T = 10 the "steps back" axis showed 2.5 and 7.5.
    box = widgets.recurrent_explorer(T=10, hidden=16, n_seeds=2)
    box.controls["T"].value = 10
    ax = box.view.ax
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
