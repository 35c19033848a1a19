"""initkit.plotting.explorer_view: the explorer's live figure (the explorer's step is tested in
tests/lessons/test_explorer.py)."""
from initkit.lessons.explorer import explore
from initkit.plotting.explorer_view import LOG_RANGE, ExplorerView, std_axis_limits
from widget_checks import assert_view_follows_its_input


def test_std_axis_limits_snap_to_quarter_or_whole_decades_within_the_range():
    assert std_axis_limits([0.5, 1.0]) == (-0.75, 0.5)  # 1 decade at least, on quarter decades
    lo, hi = std_axis_limits([1e-6, 1e3])
    assert (lo, hi) == (-7.0, 4.0)  # whole decades beyond a span of 3
    assert std_axis_limits([0.0, float("nan")]) == (-1.0, 1.0)  # nothing to show
    assert LOG_RANGE[0] <= std_axis_limits([1e-300])[0]


def test_view_follows_its_input():
    view = ExplorerView(n_hist=4)
    assert_view_follows_its_input(view, lambda: view.update(*explore(weight_std=0.05, depth=8, n_samples=200, n_hist=4)),
                                  lambda: view.update(*explore(weight_std=0.3, depth=8, n_samples=200, n_hist=4)),
                                  "ExplorerView")
