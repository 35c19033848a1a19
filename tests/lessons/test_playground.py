import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from initkit.lessons.playground import build_net, train_playground  # noqa: E402
from initkit.plotting import PlaygroundView  # noqa: E402


def run_playground(*args, **kwargs):
    """The last ``(net, history, data)`` of :func:`train_playground`."""
    *_, last = train_playground(*args, **kwargs)
    return last


def test_zero_init_stays_at_chance_and_he_learns_circles():
    _, zeros, _ = run_playground("circles", "zeros")
    _, he, _ = run_playground("circles", "he_normal")
    assert zeros.train_acc[-1] == pytest.approx(0.5, abs=0.05) and zeros.train_loss[-1] == pytest.approx(np.log(2), abs=1e-3)
    assert he.test_acc[-1] > 0.95


def test_chunks_accumulate_one_history():
    states = [len(h.train_loss) for _, h, _ in train_playground("moons", epochs=50, chunks=5)]
    assert states == [10, 20, 30, 40, 50]


def test_huge_scale_diverges_and_stops_early():
    # A deep linear net with large weights and a large step: the updates overflow to inf within a few steps.
    results = list(train_playground("moons", "standard_normal", scale=10.0, activation="linear", hidden=(10,) * 4,
                                    epochs=50, chunks=5, lr=10.0))
    history = results[-1][1]
    assert history.diverged and len(results) < 5


def test_build_net_scales_weights():
    a, b = build_net("he_normal", 1.0, rng=3), build_net("he_normal", 3.0, rng=3)
    np.testing.assert_allclose(b.layers[0].W, 3 * a.layers[0].W)
    with pytest.raises(ValueError, match="scale must be >= 0; got -1"):
        build_net(scale=-1.0)


def test_view_and_widget_update():
    pytest.importorskip("ipywidgets")
    from initkit import widgets

    view = PlaygroundView()
    net, history, data = run_playground("xor", "he_normal", epochs=20, chunks=2)
    view.update(net, history, data, "He × 1: ")
    assert view.cost_ax.get_title().startswith("He × 1: train")
    plt.close(view.fig)
    box = widgets.playground(dataset="moons", epochs=20, chunks=2)
    box.controls["init"].value = "zeros"
    box.button.click()
    assert box.view.cost_ax.get_title().startswith("zeros × 1: train 5")
    plt.close(box.view.fig)
