"""initkit.plotting.axes: the axis helpers every figure shares."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from initkit.plotting.axes import (draw_blitted, get_axes, integer_ticks, log_ticks, set_log_limits,  # noqa: E402
                                   set_loss_scale, steady_log_limits, unique_legend)


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


def _pixels(fig):
    return np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()


def test_draw_blitted_shows_the_new_data_and_title_as_a_full_draw_does():
    fig, ax = plt.subplots(figsize=(3, 2))
    (line,) = ax.plot([0, 1], [0, 1], zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for k, y in enumerate([0.2, 0.8, 0.5]):  # the first call draws fully, the next two blit
        line.set_ydata([y, 1 - y])
        ax.set_title(f"step {k}")
        draw_blitted(fig, [line, ax.title])
    blitted = _pixels(fig)
    fig.canvas.draw()  # everything from scratch: the dynamic artists are ordinary artists again
    assert np.array_equal(blitted, _pixels(fig))


def test_draw_blitted_draws_fully_when_the_limits_change():
    fig, ax = plt.subplots(figsize=(3, 2))
    (line,) = ax.plot([0, 1], [0, 1])
    draw_blitted(fig, [line])
    ax.set_ylim(0, 10)
    line.set_ydata([5, 9])
    draw_blitted(fig, [line])
    blitted = _pixels(fig)
    fig.canvas.draw()
    assert np.array_equal(blitted, _pixels(fig))


def test_steady_log_limits_stand_still_while_the_data_stay_inside():
    fig, ax = plt.subplots()
    steady_log_limits(ax.yaxis, -1.0, 1.0)
    first = ax.get_ylim()
    steady_log_limits(ax.yaxis, -0.9, 0.8)  # inside, and not much narrower: unchanged
    assert ax.get_ylim() == first
    steady_log_limits(ax.yaxis, -1.0, 2.0)  # the data leave the axis: new limits that hold them
    assert ax.get_ylim()[1] >= 100
    steady_log_limits(ax.yaxis, 1.9, 2.0)  # far narrower than the axis: new, tighter limits
    assert ax.get_ylim()[0] > 10
