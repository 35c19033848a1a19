"""Notebook 08's widget (edge_of_chaos) and static figures: driven as the browser drives them, no warnings,
nothing clipped, and the figure shows the values of the controls."""
import itertools

import matplotlib.backend_bases
import numpy as np
import pytest

pytest.importorskip("ipywidgets")
import initkit as ik  # noqa: E402
from initkit import widgets  # noqa: E402
from widget_checks import assert_nothing_clipped, slider_ends  # noqa: E402


@pytest.mark.slow
def test_edge_of_chaos_fits_580_px_and_every_slider_end():
    box = widgets.edge_of_chaos(width=32)
    fig = box.view.fig
    assert fig.get_figwidth() * fig.dpi <= 590
    c = box.controls
    for sw2, sb2, weights in itertools.product(slider_ends(c["weight_var_n"]), slider_ends(c["bias_var"]),
                                               slider_ends(c["weights"])):
        c["weight_var_n"].value, c["bias_var"].value, c["weights"].value = sw2, sb2, weights
        assert box.view.marker.get_xdata()[0] == pytest.approx(sw2)
        assert box.view.marker.get_ydata()[0] == pytest.approx(sb2)
        assert_nothing_clipped(box.view, f"edge_of_chaos at {sw2}, {sb2}, {weights}")
    for depth in slider_ends(c["depth"]):
        c["depth"].value = depth
        assert len(box.view.corr_dots.get_xdata()) == depth
        assert f"layer {depth}" in box.view.ax_corr.get_title()


def test_edge_of_chaos_title_follows_the_phase():
    box = widgets.edge_of_chaos(width=32, depth=5)
    box.controls["weight_var_n"].value = 1.0
    assert "ordered" in box.view.ax_phase.get_title()
    box.controls["weight_var_n"].value = 3.0
    assert "chaotic" in box.view.ax_phase.get_title()


def test_a_click_on_the_phase_diagram_moves_both_sliders():
    box = widgets.edge_of_chaos(width=32, depth=5)
    ax = box.view.ax_phase
    fig = box.view.fig
    fig.canvas.draw()
    x, y = ax.transData.transform((2.5, 0.1))
    event = matplotlib.backend_bases.MouseEvent("button_press_event", fig.canvas, x, y, button=1)
    fig.canvas.callbacks.process("button_press_event", event)
    assert box.controls["weight_var_n"].value == pytest.approx(2.5, abs=0.02)
    assert box.controls["bias_var"].value == pytest.approx(0.1, abs=0.005)
    assert box.view.marker.get_xdata()[0] == pytest.approx(box.controls["weight_var_n"].value)


def test_phase_diagram_draws_the_critical_line_through_1_76_at_0_05():
    ax = ik.plotting.plot_phase_diagram(n=12)
    x, y = ax.get_lines()[0].get_data()
    assert np.interp(0.05, y, x) == pytest.approx(1.761, abs=2e-3)


def test_trainability_and_singular_value_plots_draw_what_they_are_given():
    ax = ik.plotting.plot_trainability([8, 16], [1.0, 2.0], np.array([[0.9, 0.8], [0.2, 0.6]]), [3.6, 17.0])
    assert [t.get_text() for t in ax.texts] == ["0.9", "0.8", "0.2", "0.6"]
    ax = ik.plotting.plot_singular_values({"a": np.ones(10), "b": np.array([1e-3, 1.0])})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
