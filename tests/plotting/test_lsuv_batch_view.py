"""initkit.plotting.lsuv_batch_view: LSUV's batch-size figure."""
from initkit.lessons.lsuv_batch import lsuv_batch_draws
from initkit.plotting.lsuv_batch_view import LSUVView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = LSUVView(n_draws=3)
    small, large = lsuv_batch_draws(4, depth=4, n_draws=3, width=32), lsuv_batch_draws(64, depth=4, n_draws=3, width=32)
    assert_view_follows_its_input(view, lambda: view.update(small, 4), lambda: view.update(large, 64), "LSUVView")
