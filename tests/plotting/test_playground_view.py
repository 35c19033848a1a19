"""initkit.plotting.playground_view: the playground's cost curve and decision boundary."""
from initkit.lessons.playground import train_playground
from initkit.plotting.playground_view import PlaygroundView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    chunks = list(train_playground("circles", "he_normal", epochs=20, chunks=2, n_samples=100))
    (net1, h1, d1), (net2, h2, d2) = chunks[0], chunks[-1]
    # the generator trains one network in place: freeze the first chunk's state by copying it
    first = (net1.copy(), h1, d1) if net1 is net2 else (net1, h1, d1)
    view = PlaygroundView()
    assert_view_follows_its_input(view, lambda: view.update(*first, "a: "), lambda: view.update(net2, h2, d2, "b: "),
                                  "PlaygroundView")
