"""initkit.plotting.recurrent_view: the gradient through time and the recurrent spectrum, live."""
from initkit.lessons.recurrent import gradient_vs_time
from initkit.plotting.recurrent_view import RecurrentView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = RecurrentView(n_seeds=2)
    a = gradient_vs_time("gaussian", 0.8, 30, hidden=16, n_seeds=2)
    b = gradient_vs_time("orthogonal", 1.0, 30, hidden=16, n_seeds=2)
    assert_view_follows_its_input(view, lambda: view.update(a), lambda: view.update(b), "RecurrentView")
