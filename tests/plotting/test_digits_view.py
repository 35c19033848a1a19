"""initkit.plotting.digits_view: the digits trainer's figure."""
from initkit.lessons.digits import train_digits
from initkit.plotting.digits_view import DigitsView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    (net_a, hist_a, data), = list(train_digits("Xavier", "tanh", epochs=1, chunks=1))
    (net_b, hist_b, _), = list(train_digits("Zero", "tanh", epochs=1, chunks=1))
    view = DigitsView()
    assert_view_follows_its_input(view, lambda: view.update(net_a, hist_a, data, "Xavier: "),
                                  lambda: view.update(net_b, hist_b, data, "Zero: "), "DigitsView")
