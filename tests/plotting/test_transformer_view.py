"""initkit.plotting.transformer_view: the residual stream of a transformer, live."""
from initkit.lessons.transformer import residual_stream
from initkit.plotting.transformer_view import TransformerView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    view = TransformerView()
    a, b = residual_stream(4, d=16, T=8, batch=2), residual_stream(4, proj_scale=3.0, d=16, T=8, batch=2)
    assert_view_follows_its_input(view, lambda: view.update(a, depth=4), lambda: view.update(b, depth=4, proj_scale=3.0),
                                  "TransformerView")
