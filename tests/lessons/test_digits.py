import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initkit as ik  # noqa: E402
from initkit.lessons.digits import CHOICES, digit_grid, train_digits  # noqa: E402
from initkit.plotting import DigitsView  # noqa: E402


def test_zero_init_stays_at_chance_and_xavier_learns():
    *_, (net, zero, _) = train_digits("Zero", epochs=4, chunks=2)
    *_, (net, xavier, _) = train_digits("Xavier", epochs=4, chunks=2)
    assert zero.test_acc[-1] < 0.2 and xavier.test_acc[-1] > 0.9


def test_uniform_choice_is_pytorchs_linear_default():
    W = ik.get_initializer(CHOICES["Uniform"])((512, 256), rng=0)
    assert np.abs(W).max() <= 1 / np.sqrt(512) and abs(W.std() * np.sqrt(3 * 512) - 1) < 0.02


def test_digit_grid_marks_misclassified_digits_red():
    images = np.random.default_rng(0).uniform(0, 16, (100, 64))
    correct = np.ones(100, bool)
    correct[0] = False
    img = digit_grid(images, correct)
    assert img.shape == (100, 100, 3)
    red = img[1:9, 1:9]
    assert np.all(red[..., 1] <= red[..., 0]) and np.allclose(img[1:9, 11:19, 0], img[1:9, 11:19, 1])


def test_view_and_widget():
    pytest.importorskip("ipywidgets")
    from initkit import widgets

    view = DigitsView()
    net, history, data = list(train_digits("He", "relu", epochs=2, chunks=1))[-1]
    view.update(net, history, data, "He, relu: ")
    assert "of 449 wrong" in view.grid_ax.get_title()
    plt.close(view.fig)
    box = widgets.digits_trainer(epochs=2, chunks=1)
    box.controls["choice"].value = "Zero"
    box.button.click()
    assert box.view.cost_ax.get_title().startswith("Zero, tanh\ncost")
    plt.close(box.view.fig)
    with pytest.raises(ValueError, match="choice must be one of 'Zero'"):
        next(train_digits("Ones"))


def test_digits_summary_counts_the_correct_digits_of_the_test_set():
    from initkit.lessons.digits import digits_summary

    *_, (net, history, data) = train_digits("Xavier", epochs=2, chunks=1)
    histograms, correct, acc = digits_summary(net, data)
    assert len(histograms) == len(net.layers) - 1 and correct.shape == data.y_test.shape
    assert acc == pytest.approx(correct.mean()) and acc == pytest.approx(history.test_acc[-1])
