"""initkit.plotting.playground_view: the playground's cost curve and decision boundary."""
import copy

from initkit.lessons.playground import train_playground
from initkit.plotting.playground_view import PlaygroundView
from widget_checks import assert_view_follows_its_input


def test_view_follows_its_input():
    chunks = train_playground("circles", "he_normal", epochs=20, chunks=2, n_samples=100)
    first = copy.deepcopy(next(chunks))  # the generator trains one network in place: freeze the first chunk
    last = list(chunks)[-1]
    view = PlaygroundView()
    assert_view_follows_its_input(view, lambda: view.update(*first, "He: "), lambda: view.update(*last, "He: "),
                                  "PlaygroundView")
