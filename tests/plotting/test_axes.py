"""initkit.plotting.axes: the axis helpers every figure shares."""
import matplotlib.pyplot as plt
import numpy as np

from initkit.plotting.axes import get_axes, integer_ticks, log_ticks, set_log_limits, set_loss_scale, unique_legend


def test_get_axes_reuses_given_axes_or_makes_a_figure():
    _, ax = plt.subplots()
    assert get_axes(ax) is ax
    new = get_axes(None, figsize=(3, 2))
    assert tuple(new.figure.get_size_inches()) == (3.0, 2.0)


def test_log_ticks_whole_decades_on_wide_spans_and_1_2_5_on_narrow_ones():
    ticks, labels = log_ticks(-3, 2)  # 10^-3 .. 10^2: five decades, one tick per decade
    np.testing.assert_allclose(ticks, [1e-3, 1e-2, 1e-1, 1, 10, 100])
    assert labels == ["0.001", "0.01", "0.1", "1", "10", "100"]
    ticks, _ = log_ticks(0, 1)  # one decade: 1-2-5
    np.testing.assert_allclose(ticks, [1, 2, 5, 10])
    assert log_ticks(-20, 20)[1][0] == "$10^{-20}$"


def test_set_log_limits_and_integer_ticks():
    _, ax = plt.subplots()
    ax.set_yscale("log")
    set_log_limits(ax.yaxis, -2, 1)  # exponents
    np.testing.assert_allclose(ax.get_ylim(), (1e-2, 1e1))
    ax.plot([1, 2, 3], [1, 2, 3])
    integer_ticks(ax.xaxis)
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_unique_legend_drops_repeated_labels_and_loss_scale_goes_log_for_wide_ranges():
    _, ax = plt.subplots()
    for _ in range(3):
        ax.plot([0, 1], [0, 1], label="seed")
    legend = unique_legend(ax)
    assert [t.get_text() for t in legend.get_texts()] == ["seed"]
    set_loss_scale(ax, [1e-4, 1.0], decades=1.0)
    assert ax.get_yscale() == "log"
