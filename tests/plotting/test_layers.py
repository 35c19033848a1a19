"""The static plots draw on the axes they are given and return them."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import initkit as ik  # noqa: E402


def test_plot_functions_draw_on_given_axes():
    result = ik.probe(depth=6, width=32, activation="tanh", n_samples=100, hist_layers=[2, 4, 6])
    prediction = ik.theory.predict([32] * 7, "tanh", init="lecun_normal")
    fig, axes = plt.subplots(2, 3)
    assert ik.plotting.plot_std_by_layer(result, prediction, ax=axes[0, 0]) is axes[0, 0]
    assert len(axes[0, 0].lines) == 2
    assert ik.plotting.plot_gradient_by_layer(result, prediction, ax=axes[0, 1]) is axes[0, 1]
    assert ik.plotting.plot_fractions(result, ax=axes[0, 2]) is axes[0, 2]
    assert list(ik.plotting.plot_histograms(result, "act", axes=axes[1])) == list(axes[1])
    with pytest.raises(ValueError, match="kind must be one of 'act', 'grad'; got 'weights'"):
        ik.plotting.plot_histograms(result, "weights")
    plt.close(fig)


def test_training_plots_draw_on_given_axes():
    data = ik.load_dataset("moons", n_samples=200, rng=0)
    net = ik.MLP([2, 8, 1], activation="tanh", init="glorot_normal", rng=0)
    history = ik.fit(net, data, epochs=3, snapshot_every=2, rng=0)
    fig, axes = plt.subplots(1, 4)
    assert ik.plotting.plot_history(history, ax=axes[0]) is axes[0]
    assert ik.plotting.plot_history(history, ax=axes[1], metric="acc") is axes[1]
    assert ik.plotting.plot_decision_boundary(net, data.X_test, data.y_test, ax=axes[2]) is axes[2]
    assert ik.plotting.plot_snapshot_stat(history, ax=axes[3]) is axes[3]
    assert ik.plotting.plot_weight_histograms(net)[0].get_title().startswith("W1")
    plt.close("all")
