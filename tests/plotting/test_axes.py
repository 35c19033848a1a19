"""initkit.plotting.axes: steady log limits and blitted drawing give the same pixels as a full draw."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from initkit.plotting.axes import draw_blitted, steady_log_limits  # noqa: E402


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
