import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initkit as ik  # noqa: E402
from initkit.lessons.explorer import explore, hist_layers_for
from initkit.plotting.explorer_view import LOG_RANGE, ExplorerView  # noqa: E402


@pytest.fixture(scope="module")
def view():
    v = ExplorerView()
    yield v
    plt.close(v.fig)


def test_hist_layers_are_spread_and_include_the_last():
    assert hist_layers_for(20, 10) == [1, 3, 5, 7, 9, 12, 14, 16, 18, 20]
    assert hist_layers_for(3, 10) == [1, 2, 3]


@pytest.mark.parametrize("activation", sorted(ik.ACTIVATIONS))
@pytest.mark.parametrize("weight_std", [1e-3, 1e-1, 1e2])
@pytest.mark.parametrize("depth", [1, 100])
def test_callback_survives_extremes(view, activation, weight_std, depth):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result, prediction = explore(weight_std=weight_std, depth=depth, width=64, activation=activation,
                                     n_samples=200)
        view.update(result, prediction)
    lo, hi = view.std_ax.get_ylim()
    assert 10 ** LOG_RANGE[0] <= lo < hi <= 10 ** LOG_RANGE[1]
    for key in ("act", "grad", "act_theory", "grad_theory", "off_low", "off_high"):
        y = view.lines[key].get_ydata()
        finite = y[np.isfinite(y)]
        assert np.all((finite >= lo) & (finite <= hi)), key  # every point drawn is on the axis


@pytest.mark.parametrize("init", ["lecun_normal", "he_uniform", "glorot_uniform", "orthogonal", "truncated_normal"])
def test_callback_draws_every_distribution_at_the_requested_std(view, init):
    result, prediction = explore(weight_std=0.1, depth=5, width=32, init=init, n_samples=100)
    view.update(result, prediction)
    # 32 x 32 weights per layer: the sample std is within about 3 / sqrt(2 * 1024) = 7 % of 0.1
    np.testing.assert_allclose(result.column("weight_std"), 0.1, rtol=0.07)
    np.testing.assert_allclose(view.lines["act"].get_ydata(), result.column("act_std"), rtol=1e-12)


def test_update_shows_theory_and_status(view):
    result, prediction = explore(weight_std=1 / 16, depth=20, width=256, activation="linear")
    view.update(result, prediction)
    np.testing.assert_allclose(view.lines["act_theory"].get_ydata(), 1.0, rtol=1e-12)  # n Var(w) = 1
    assert "n·Var(w) = 1," in view.title.get_text() and view.status.get_text() == result.status()


def test_std_axis_follows_the_data():
    from initkit.plotting.explorer_view import std_axis_limits

    assert std_axis_limits([0.5, 1.0, 2.0]) == (-0.5, 0.5)  # quarter decades: a factor 2 is visible
    assert std_axis_limits([1e-3, 1e3]) == (-4.0, 4.0)  # whole decades on wide ranges
    assert std_axis_limits([0.0, np.inf, np.nan, 1e-20, 1e20]) == LOG_RANGE  # clipped to the hard bounds


def test_layer_axis_has_integer_ticks(view):
    view.update(*explore(weight_std=0.05, depth=5, width=32, n_samples=100))
    view.fig.canvas.draw()
    ticks = view.std_ax.get_xticks()
    assert np.all(ticks == np.round(ticks))


def test_exploding_points_are_marked_off_scale(view):
    view.update(*explore(weight_std=1.0, depth=30, width=256, activation="relu", n_samples=200))
    assert np.nanmax(view.lines["off_high"].get_ydata()) == view.std_ax.get_ylim()[1] == 10 ** LOG_RANGE[1]


def test_render_then_update_returns_to_blitting(view):
    view.update(*explore(weight_std=0.05, depth=10, width=64, n_samples=100))
    view.render()
    assert not view.title.get_animated()
    view.update(*explore(weight_std=0.06, depth=10, width=64, n_samples=100))
    assert view.title.get_animated()


def test_widget_explorer_wires_controls_to_the_view():
    pytest.importorskip("ipywidgets")
    from initkit import widgets

    box = widgets.explorer(depth=5, width=32, n_samples=50)
    box.controls["weight_std"].value = 10.0
    assert "weight std 10" in box.view.title.get_text()
    box.controls["activation"].value = "relu"
    assert "relu" in box.view.title.get_text()
    plt.close(box.view.fig)


def test_widget_figures_have_the_toolbar_the_browser_view_needs():
    # Regression: a canvas without ipympl's Toolbar widget rendered as a JavaScript error in JupyterLab.
    pytest.importorskip("ipympl")

    from initkit.widgets import new_figure

    backend = matplotlib.get_backend()
    fig = new_figure((3, 2))
    from ipympl.backend_nbagg import Canvas

    assert fig.canvas.toolbar is not None and isinstance(fig.canvas, Canvas)  # ipympl's canvas (sending whole frames)
    assert matplotlib.get_backend() == backend  # importing ipympl must not switch the user's backend


@pytest.mark.parametrize("kwargs, error, match", [
    ({"init": "foo"}, ValueError, "init must be one of .*got 'foo'"),
    ({"depth": "3"}, TypeError, "depth must be an integer; got '3'"),
    ({"n_hist": -1}, ValueError, "n_hist must be >= 1; got -1"),
    ({"weight_std": 1e200}, ValueError, "weight_std must be <= 1e\\+150"),
    ({"weight_std": 1e39}, ValueError, "weight_std: values up to about 1e\\+39 would overflow float32"),
    ({"width": 10**5}, ValueError, "above the limit"),
])
def test_explore_checks_its_controls(kwargs, error, match):
    # Regression (issue 20): an unknown init was ignored; the others were tracebacks from inside.
    with pytest.raises(error, match=match):
        ik.explore(**kwargs)


def test_explore_with_a_huge_float32_std_reports_the_explosion():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result, _ = ik.explore(weight_std=1e38, depth=3, width=16, n_samples=10)
    assert result.exploded_at == 1


@pytest.mark.parametrize("kwargs, error, match", [
    ({"mode": "fan"}, ValueError, "mode must be one of"), ({"depth": 0}, ValueError, "depth must be >= 1"),
    ({"scale": -1.0}, ValueError, "scale must be > 0"), ({"wide": 10**5, "narrow": 10**5}, ValueError, "above"),
])
def test_explore_fans_checks_its_controls(kwargs, error, match):
    with pytest.raises(error, match=match):
        ik.explore_fans(**kwargs)


def test_a_slider_step_checks_once_and_enters_each_module_once():
    # Issue 28: the step carries depth through at most 8 stops (it took 11, re-entering the checks, the
    # explorer and the probe); the arguments are checked at explore's boundary only.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    try:
        from explorer_trace import explorer_step, re_entered, trace
    finally:
        sys.path.pop(0)
    explorer_step()
    stops = trace(explorer_step)
    assert len(stops) <= 8 and not re_entered(stops), stops
    assert stops.count("initkit.core.constraints") == 1 and "initkit.core.validation" not in stops, stops
