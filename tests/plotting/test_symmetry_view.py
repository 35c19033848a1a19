"""initkit.plotting.symmetry_view: the hidden units' weights from a constant start."""
from initkit.lessons.symmetry import train_from_constant
from initkit.plotting.symmetry_view import SymmetryView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = SymmetryView()
    same, noisy = train_from_constant(0.1, 0.0, steps=5), train_from_constant(0.1, 0.05, steps=5)
    assert_view_follows_its_input(view, lambda: view.update(*same, c=0.1, noise_std=0.0),
                                  lambda: view.update(*noisy, c=0.1, noise_std=0.05), "SymmetryView")
    assert "noise std = 0" in view.ax.get_title()  # the last input shown was a (noise 0)
