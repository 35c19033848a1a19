"""initkit.plotting.signal_view: notebook 08's four live panels."""
from initkit.lessons.signal import signal_step
from initkit.plotting.signal_view import SignalView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = SignalView()
    a, b = signal_step(1.0, 0.05, depth=10, width=32), signal_step(3.0, 0.05, depth=10, width=32)
    assert_view_follows_its_input(view, lambda: view.update(a), lambda: view.update(b), "SignalView")
