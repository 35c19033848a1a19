"""initkit.widgets.display: controls wired to a view, the box the browser tests find, its stable repr."""
import pytest

pytest.importorskip("ipywidgets")
import ipywidgets as w  # noqa: E402

from initkit.widgets.display import assemble, new_figure, row  # noqa: E402


class CountingView:
    def __init__(self):
        self.fig = new_figure((3, 2))
        self.values = []


def test_every_control_change_calls_update_with_all_values():
    view = CountingView()
    controls = {"a": w.IntSlider(value=1, min=0, max=5), "b": w.Dropdown(options=["x", "y"], value="x")}
    box = assemble("probe_widget", controls, view, view.values.append)
    assert view.values == [{"a": 1, "b": "x"}]  # drawn once at once, before any interaction
    controls["a"].value = 3
    controls["b"].value = "y"
    assert view.values[1:] == [{"a": 3, "b": "x"}, {"a": 3, "b": "y"}]
    assert box.view is view and box.controls is controls
    assert repr(box) == "initkit.widgets.probe_widget: controls a, b above a figure"


def test_rows_wrap_and_controls_get_the_course_width():
    r = row([w.IntSlider(), w.Dropdown(options=["x"])])
    assert r.layout.flex_flow == "row wrap"
    assert all(c.layout.width for c in r.children)
