import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initkit as ik  # noqa: E402


@pytest.fixture(scope="module")
def history():
    data = ik.load_dataset("digits", rng=0)
    return ik.fit(ik.MLP([64, 16, 16, 16, 10], rng=0), data, epochs=2, batch_size=128, snapshot_every=3, rng=0)


def test_snapshot_plot_legend_says_which_line_is_the_first_and_the_last_layer(history):
    fig, ax = plt.subplots()
    ik.plotting.plot_snapshot_stat(history, "act_std", ax=ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["layer 1, input side", "layer 2", "layer 3", "layer 4, output"]
    colors = [tuple(line.get_color()) for line in ax.get_lines()]
    assert len(set(colors)) == 4  # one color per depth
    plt.close(fig)


def test_snapshot_plot_can_leave_the_legend_out(history):
    fig, ax = plt.subplots()
    ik.plotting.plot_snapshot_stat(history, "dW_std", ax=ax, legend=False)
    assert ax.get_legend() is None and len(ax.get_lines()) == 4
    plt.close(fig)


def test_history_plot_labels_train_solid_and_test_dashed(history):
    fig, ax = plt.subplots()
    ik.plotting.plot_history(history, ax=ax)
    train, test = ax.get_lines()
    assert (train.get_linestyle(), test.get_linestyle()) == ("-", "--")
    assert (train.get_label(), test.get_label()) == ("train loss", "test (dashed)")
    ik.plotting.plot_history(history, ax=ax, label="He")
    assert [line.get_label() for line in ax.get_lines()[2:]] == ["He", "He: test (dashed)"]
    np.testing.assert_allclose(train.get_ydata(), history.train_loss)
    plt.close(fig)


def test_steady_loss_scale_with_a_cover_is_log_and_only_widens():
    from matplotlib.figure import Figure

    from initkit.plotting.training import set_steady_loss_scale

    ax = Figure().add_subplot()
    set_steady_loss_scale(ax, [2.30, 2.31], cover=(-2, 1))  # flat: still the covered log axis, no linear switch
    assert ax.get_yscale() == "log" and ax.get_ylim() == (0.01, 10.0)
    set_steady_loss_scale(ax, [2.3, 0.4, 0.05], cover=(-2, 1))
    assert ax.get_ylim() == (0.01, 10.0)
    set_steady_loss_scale(ax, [40.0, 0.003, float("nan")], cover=(-2, 1))  # outside: the axis widens to show them
    lo, hi = ax.get_ylim()
    assert lo <= 0.003 / 1.25 and hi >= 40 * 1.25
    set_steady_loss_scale(ax, [float("inf")], cover=(-2, 1))
    assert ax.get_ylim() == (0.01, 10.0)
