"""lessons/width.py (coordinate check, learning-rate sweep, best lr, init scales) and plotting/width_view.py."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initkit as ik  # noqa: E402
from initkit.lessons.width import LrSweep, width_selection  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


@pytest.fixture(scope="module")
def records(digits):
    sweeps = {p: ik.lr_sweep(digits, [16, 32], [-8, -6, -4], p, optimizer="adam", seeds=2, base_width=16,
                             n_train=128) for p in ("sp", "mup")}
    checks = {p: ik.coordinate_check(digits, [16, 32, 64], p, lr=2**-6, optimizer="adam", steps=2, seeds=2)
              for p in ("sp", "mup")}
    return sweeps, checks


def test_coordinate_check_measures_the_change_of_each_layer_output(digits):
    cc = ik.coordinate_check(digits, [16], "sp", lr=0.1, steps=1, seeds=1, rng=0)
    # the same run by hand: one SGD step on the first batch of the seed's order
    seed = int(np.random.default_rng(0).integers(0, 2**31, size=1)[0])
    order = np.random.default_rng(seed).permutation(len(digits.X_train))[:64]
    net, scales = ik.parametrize([64, 16, 16, 10], "sp", base_width=16, rng=seed)
    probe = digits.X_test[:128]
    net.forward(probe)
    h0 = [a.copy() for a in net.activations]
    _, grad = ik.softmax_cross_entropy(net.forward(digits.X_train[order]), digits.y_train[order])
    net.backward(grad)
    ik.SGD(lr=0.1, lr_scales=scales).step(net.parameters(), net.gradients())
    net.forward(probe)
    expected = [np.mean(np.abs(a - a0)) for a, a0 in zip(net.activations, h0)]
    np.testing.assert_allclose(cc.delta[0, 0, 0], expected, rtol=1e-12)
    assert cc.layer_names == ["input", "hidden 1", "output"]


def test_mup_and_sp_agree_at_the_base_width_and_differ_above(digits, records):
    sweeps, checks = records
    np.testing.assert_array_equal(sweeps["sp"].loss[0], sweeps["mup"].loss[0])
    np.testing.assert_array_equal(checks["sp"].delta[:, 0], checks["mup"].delta[:, 0])
    assert not np.array_equal(checks["sp"].delta[:, -1], checks["mup"].delta[:, -1])


def test_best_lr_is_the_grid_argmin_per_seed_and_diverged_runs_lose():
    loss = np.array([[[0.5, np.inf], [0.3, 0.9], [np.inf, 0.2]]])  # (1 width, 3 lrs, 2 seeds)
    sweep = LrSweep("sp", [32], np.array([-3.0, -2.0, -1.0]), loss)
    np.testing.assert_array_equal(ik.best_log2_lr(sweep), [[-2.0, -1.0]])
    two = LrSweep("sp", [32, 64], np.array([-3.0, -2.0]), np.array([[[1, 2], [0, 0]], [[0, 0], [1, 2]]], float))
    best, shift = ik.best_lr_shift(two)
    np.testing.assert_array_equal(shift, [-1.0, -1.0])


def test_width_slope_recovers_a_power_law():
    w = np.array([32, 64, 128, 256])
    assert ik.width_slope(w, 3.0 * w**-0.5) == pytest.approx(-0.5)


def test_init_scales_backprop_gradient_shrinks_like_the_parametrization_says(digits):
    widths = [64, 256, 1024]
    sp = ik.width_init_scales(digits, widths, "sp", base_width=64)
    mup = ik.width_init_scales(digits, widths, "mup", base_width=64)
    # dL/dh into the last hidden layer: SP ~ n^-1/2, muP ~ n^-1 (output std / sqrt(m)); 0.1 finite-width allowance
    assert abs(ik.width_slope(widths, sp[:, 1]) + 0.5) < 0.1
    assert abs(ik.width_slope(widths, mup[:, 1]) + 1.0) < 0.1
    # the feature inner product per unit does not shrink or grow with width (within a factor 2 here)
    assert np.ptp(np.log2(sp[:, 0])) < 1


def test_width_selection_picks_the_nearest_measured_width(records):
    sweeps, checks = records
    sel = width_selection(sweeps["sp"], checks["sp"], 40, step=2)
    assert sel["sweep_width"] == 32 and sel["check_width"] == 32
    np.testing.assert_allclose(sel["delta"], checks["sp"].delta[:, 1, 1].mean(axis=0))
    with pytest.raises(ValueError, match="step"):
        width_selection(sweeps["sp"], checks["sp"], 32, step=3)


def test_plots_draw_one_curve_per_width_and_per_layer(records):
    sweeps, checks = records
    fig = ik.plotting.plot_width_comparison([sweeps["sp"], sweeps["mup"]], [checks["sp"], checks["mup"]], step=2)
    top, bottom = fig.axes[0], fig.axes[2]
    assert len([l for l in top.get_lines() if l.get_label().startswith("width")]) == 2
    assert [l.get_label() for l in bottom.get_lines() if not l.get_label().startswith("_")] == ["input", "hidden 1",
                                                                                              "output"]
    plt.close(fig)


def test_width_view_updates_in_place(records):
    sweeps, checks = records
    view = ik.plotting.WidthView(sweeps, checks)
    view.update("sp", 32, 1)
    lines = view.ax_lr.get_lines()
    view.update("mup", 16, 2)
    assert view.ax_lr.get_lines() == lines  # same artists, new data
    assert "muP" in view.ax_lr.get_title() and "width 16" in view.ax_lr.get_title()
    assert "after 2 steps" in view.ax_check.get_ylabel()
    plt.close(view.fig)


def test_width_records_hold_a_sweep_and_a_check_per_parametrization(digits):
    sweeps, checks = ik.lessons.width.width_records(digits, parametrizations=("sp",))
    assert set(sweeps) == set(checks) == {"sp"}
    assert sweeps["sp"].widths == [32, 64, 128] and checks["sp"].delta.shape[2] == 3
