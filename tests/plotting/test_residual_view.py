"""initkit.plotting.residual_view: the residual stream block by block, and the static profile plot."""
import matplotlib.pyplot as plt

from initkit.lessons.residual import profile_choice
from initkit.plotting.residual_view import ResidualView, plot_profiles
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = ResidualView()
    he, fixup = profile_choice("He (fails)", n_blocks=10, n_samples=64), profile_choice("Fixup", n_blocks=10, n_samples=64)
    assert_view_follows_its_input(view, lambda: view.update(he), lambda: view.update(fixup), "ResidualView")


def test_plot_profiles_draws_one_line_per_profile_on_the_given_axes():
    profiles = {"He": profile_choice("He (fails)", n_blocks=5, n_samples=32),
                "Fixup": profile_choice("Fixup", n_blocks=5, n_samples=32)}
    _, ax = plt.subplots()
    assert plot_profiles(profiles, ax=ax) is ax
    assert len(ax.lines) >= 2
