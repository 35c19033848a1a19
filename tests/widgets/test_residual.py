"""Notebook 09's widget and view (no browser)."""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import initkit.widgets as widgets  # noqa: E402
from initkit.lessons.residual import residual_profile  # noqa: E402
from initkit.plotting.residual_view import ResidualView, plot_profiles  # noqa: E402


def test_residual_explorer_redraws_on_every_control():
    box = widgets.residual_explorer(n_blocks=10)
    assert repr(box) == "initkit.widgets.residual_explorer: controls n_blocks, alpha, choice above a figure"
    line = box.view.lines["forward"]
    box.controls["n_blocks"].value = 20
    assert len(line.get_xdata()) == 21
    box.controls["choice"].value = "Fixup"
    np.testing.assert_allclose(line.get_ydata(), 1.0, rtol=1e-6)
    box.controls["choice"].value = "He (fails)"
    box.controls["alpha"].value = 0.5
    assert "alpha = 0.5" in box.view.title.get_text() and line.get_ydata()[-1] > 10


def test_view_draws_theory_and_measurement():
    import matplotlib

    matplotlib.use("Agg")
    view = ResidualView()
    p = residual_profile(12, 1.0, "scaled", width=32, n_samples=64)
    view.update(p)
    np.testing.assert_array_equal(view.lines["forward_theory"].get_ydata(), p.forward_theory)
    np.testing.assert_array_equal(view.lines["grad"].get_ydata(), p.grad)
    ax = plot_profiles({"scaled": p, "he": residual_profile(12, 1.0, "he", width=32, n_samples=64)})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["scaled", "he"]


def test_scheme_menu_shows_its_longest_label_and_alpha_reaches_the_notebooks_value():
    # Issue 31 item 6: "zero gamma + BatchNorm" was cut, and notebook 09 asks for alpha ≈ 0.14 (a 0.05 step
    # missed it). The menu is wide enough for its longest label at about 7.5 px per character of 13 px text,
    # beside its 100 px description and the 30 px arrow.
    box = widgets.residual_explorer(n_blocks=4)
    menu, alpha = box.controls["choice"], box.controls["alpha"]
    longest = max(len(option) for option in menu.options)
    assert int(menu.layout.width.removesuffix("px")) >= 100 + 7.5 * longest + 30
    alpha.value = 0.14
    assert alpha.value == pytest.approx(0.14) and alpha.step <= 0.01
    assert "alpha = 0.14" in box.view.title.get_text()


def test_scheme_menu_keeps_the_axes_and_shows_every_scheme_on_them():
    # The y axes cover every scheme's theory at the current depth and alpha: moving through the menu keeps
    # them (a blitted step, issue 25), and each scheme's measured points and theory are still inside.
    box = widgets.residual_explorer(n_blocks=20)
    limits = None
    for choice in ["Fixup", "He + BatchNorm", "1/sqrt(L)", "He (fails)", "zero gamma + BatchNorm"]:
        box.controls["choice"].value = choice
        now = (box.view.ax_f.get_ylim(), box.view.ax_g.get_ylim())
        assert limits is None or now == limits, choice
        limits = now
        for ax, key in ((box.view.ax_f, "forward"), (box.view.ax_g, "grad")):
            lo, hi = ax.get_ylim()
            for line in (box.view.lines[key], box.view.lines[key + "_theory"]):
                y = np.asarray(line.get_ydata(), dtype=float)
                y = y[np.isfinite(y) & (y > 0)]
                assert np.all((lo <= y) & (y <= hi)), (choice, key)
    box.controls["alpha"].value = 0.2  # a smaller alpha: the axes follow the theory down, no stale range
    assert box.view.ax_f.get_ylim()[1] < limits[0][1]
