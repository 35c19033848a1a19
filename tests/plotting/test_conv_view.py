"""initkit.plotting.conv_view: a vanilla CNN's signal and Jacobian spectrum, live."""
import numpy as np

from initkit.lessons.conv import conv_profile
from initkit.plotting.conv_view import ConvView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = ConvView()
    a = conv_profile(8, 1.0, "gaussian", rng=0)
    b = conv_profile(8, 1.0, "delta_orthogonal", rng=0)  # same ranges: the same layout
    assert_view_follows_its_input(view, lambda: view.update(a, q0=0.1), lambda: view.update(b, q0=0.1), "ConvView")


def test_view_draws_the_profile_it_is_given():
    p = conv_profile(6, 1.0, "delta_orthogonal", activation="linear", rng=0)
    view = ConvView()
    view.update(p, q0=0.1)
    np.testing.assert_allclose(view.sv_line.get_data()[1], p.singular_values)
    np.testing.assert_allclose(view.q_line.get_data()[1], p.q)
    assert view.sv_ax.get_title() == "singular values 1 to 1"  # a linear delta-orthogonal CNN: an isometry
