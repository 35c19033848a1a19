import warnings

import numpy as np
import pytest

import initkit as ik
import initkit.nn.training as ik_training


@pytest.fixture(scope="module")
def digits():
    return ik.load_dataset("digits", rng=0)


def test_he_mlp_reaches_95_percent_on_digits(digits):
    net = ik.MLP([64, 128, 128, 10], activation="relu", init="he_normal", dtype=np.float32, rng=0)
    history = ik.fit(net, digits, epochs=15, lr=0.05, momentum=0.9, batch_size=32, rng=0)
    assert not history.diverged
    assert history.test_acc[-1] >= 0.95
    assert history.train_loss[-1] < history.train_loss[0]


def test_huge_init_reports_divergence_without_warnings(digits):
    # float32 overflows within a few steps; float64 would take longer to reach inf.
    net = ik.MLP([64, 128, 128, 10], init=ik.get_initializer("random_normal", std=100.0), dtype=np.float32, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = ik.fit(net.copy(), digits, epochs=5, lr=1.0, rng=0)
        history = ik.fit(net, digits, epochs=5, lr=1.0, divergence_factor=None, rng=0)
    assert first.diverged_at == 1  # its first loss is far above 1e4 x ln 10
    assert history.diverged and history.diverged_at > 1
    assert not np.isfinite(history.step_loss[-1])
    assert "diverged at step" in repr(history) and "the loss became" in repr(history)


def test_snapshots_are_recorded_at_requested_steps(digits):
    net = ik.MLP([64, 32, 32, 10], rng=0)
    history = ik.fit(net, digits, epochs=1, batch_size=100, snapshot_every=5, rng=0)
    assert [s["step"] for s in history.snapshots] == [1, 6, 11]
    layer = history.snapshots[0]["layers"][0]
    assert layer["layer"] == 1 and layer["fan_in"] == 64 and 0 <= layer["dead"] <= 1
    assert 0 < layer["update_data_ratio"] < 1


def test_fit_is_deterministic_given_seeds(digits):
    runs = [ik.fit(ik.MLP([64, 32, 10], rng=1), digits, epochs=2, rng=2).step_loss for _ in range(2)]
    assert runs[0] == runs[1]


def test_binary_task_uses_sigmoid_bce(rng):
    data = ik.load_dataset("moons", n_samples=300, noise=0.1, rng=0)
    net = ik.MLP([2, 16, 16, 1], activation="tanh", init="glorot_normal", rng=0)
    history = ik.fit(net, data, epochs=60, lr=0.3, rng=0)
    assert history.test_acc[-1] > 0.9


def test_fit_validates_arguments(digits):
    net = ik.MLP([64, 10], rng=0)
    with pytest.raises(ValueError, match="epochs must be >= 1; got 0"):
        ik.fit(net, digits, epochs=0)
    with pytest.raises(ValueError, match="fit needs X and y with one label per row"):
        ik.fit(net, digits.X_train, digits.y_train[:5])


def test_update_data_ratio_is_lr_times_gradient_over_weights_for_plain_sgd(digits):
    # With plain SGD, delta W = -lr dW, so the ratio is lr std(dW) / std(W) at the snapshot step.
    net = ik.MLP([64, 32, 10], rng=0)
    history = ik.fit(net, digits.X_train[:100], digits.y_train[:100], epochs=1, batch_size=100, lr=0.01,
                     snapshot_every=1, rng=0)
    layer = history.snapshots[0]["layers"][0]
    assert layer["update_data_ratio"] == pytest.approx(0.01 * layer["grad_data_ratio"], rel=1e-9)


# Divergence (issue 20): non-finite, or above DIVERGENCE_FACTOR x chance level, at the first such step.

def test_first_loss_absurdly_above_chance_is_diverged_at_step_1(digits):
    net = ik.MLP([64, 128, 128, 10], init=ik.get_initializer("random_normal", std=100.0), rng=0)
    history = ik.fit(net, digits, epochs=2, lr=0.01, rng=0)
    assert history.step_loss[0] > ik_training.DIVERGENCE_FACTOR * np.log(10)
    assert history.diverged and history.diverged_at == 1 and history.steps == 1
    assert "chance level ln(10)" in history.diverged_reason and "diverged at step 1" in repr(history)


@pytest.mark.parametrize("make, kwargs", [
    (lambda: ik.MLP([64, 128, 128, 10], activation="tanh", init=ik.get_initializer("random_normal", std=1.0),
                    rng=0), {"lr": 1e3}),
    (lambda: ik.MLP([64, 128, 128, 10], rng=0), {"optimizer": "adam", "lr": 1e4}),
    (lambda: ik.MLP([64, 128, 128, 10], norm="batch", rng=0), {"lr": 1e4}),
], ids=["tanh-N(0,1)-lr1e3", "adam-lr1e4", "batchnorm-lr1e4"])
def test_finite_blowups_are_diverged(digits, make, kwargs):
    history = ik.fit(make(), digits, epochs=3, rng=0, **kwargs)
    assert history.diverged and np.isfinite(history.step_loss[-1])
    assert history.step_loss[-1] > 1e4 * np.log(10) and history.diverged_at == history.steps
    assert max(history.step_loss[:-1]) <= 1e4 * np.log(10)  # the first step above the limit is reported
    # with the finite rule off, the same run only stops on inf/nan, later or never
    late = ik.fit(make(), digits, epochs=1, divergence_factor=None, rng=0, **kwargs)
    assert late.steps > history.diverged_at or not late.diverged


def test_large_initial_loss_that_trains_is_not_diverged():
    # Notebook 02's Deep Learning Specialization run, shortened: N(0, 1) x 10 starts ~580 x chance and learns.
    from initkit.lessons.playground import build_net

    circles = ik.load_dataset("circles", n_samples=400, noise=0.05, factor=0.8, standardize=False, rng=1)
    net = build_net("standard_normal", 10.0, rng=1)
    history = ik.fit(net, circles.X_train, circles.y_train, epochs=2000, batch_size=300, lr=0.01, rng=1)
    assert history.step_loss[0] > 100 * np.log(2)
    assert not history.diverged and history.train_loss[-1] < history.train_loss[0] / 100


def test_divergence_check_ignores_spikes_near_convergence():
    check = ik_training.DivergenceCheck(1e4, np.log(10), "chance")
    assert [check(v) for v in (1e-3, 0.5, 2e-3, 3.0, 1e-3)] == [None] * 5
    assert "became nan" in check(float("nan"))
    assert "1e+04 x chance" in check(1e5)


def test_chance_loss_is_ln_c_ln_2_and_the_mean_predictor_for_mse():
    from initkit.nn.divergence import chance_loss

    assert chance_loss(ik.softmax_cross_entropy, 10, None)[0] == pytest.approx(np.log(10))
    assert chance_loss(ik.sigmoid_binary_cross_entropy, 1, None)[0] == pytest.approx(np.log(2))
    y = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 3.0]])
    assert chance_loss(ik.mean_squared_error, 2, y)[0] == pytest.approx(0.5 * (np.var(y[:, 0]) + np.var(y[:, 1])))


def test_history_extend_keeps_the_first_divergence_and_its_reason():
    a, b = ik.History(step_loss=[1.0, 2.0]), ik.History(step_loss=[3.0], diverged=True, diverged_at=1,
                                                          diverged_reason="the loss became nan")
    a.extend(b)
    assert a.diverged_at == 3 and a.diverged_reason == "the loss became nan"


@pytest.mark.parametrize("bad, match", [(np.nan, "X contains 1 NaN or infinite"), (np.inf, "X contains 1 NaN")])
def test_fit_rejects_non_finite_data_before_training(digits, bad, match):
    X = digits.X_train.copy()
    X[3, 5] = bad
    with pytest.raises(ValueError, match=match):
        ik.fit(ik.MLP([64, 10], rng=0), X, digits.y_train)


def test_fit_rejects_bad_targets_test_split_and_empty_data(digits):
    net = ik.MLP([2, 3, 1], rng=0)
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="y contains NaN"):
        ik.fit(net, X, np.array([0.0, np.nan, 1.0, 1.0]), loss="mse")
    with pytest.raises(ValueError, match="X_test and y_test go together"):
        ik.fit(net, X, np.zeros(4, int), X_test=X)
    with pytest.raises(ValueError, match="X must be a 2-D array .* at least one row; got shape \\(0, 2\\)"):
        ik.fit(net, np.zeros((0, 2)), np.zeros(0, int))
    with pytest.raises(ValueError, match="X must have 2 columns"):
        ik.fit(net, np.zeros((4, 3)), np.zeros(4, int))
    with pytest.raises(ValueError, match="divergence_factor must be > 1"):
        ik.fit(net, X, np.zeros(4, int), divergence_factor=0.5)


@pytest.mark.parametrize("outputs, y, match", [
    (np.zeros((5, 3)), np.array([0]), r"y must hold one label per row of outputs \(5\)"),
    (np.array([0.1, 0.9]), np.array([1, 0]), "outputs must be a 2-D array"),
])
def test_accuracy_refuses_mismatched_labels_instead_of_broadcasting(outputs, y, match):
    # Regression: one label was broadcast over 5 rows and scored 1.0.
    with pytest.raises(ValueError, match=match):
        ik.accuracy(outputs, y)


def test_accuracy_of_a_single_output_accepts_column_labels():
    assert ik.accuracy(np.array([[1.0], [-1.0], [2.0]]), np.array([[1], [1], [1]])) == pytest.approx(2 / 3)


@pytest.mark.parametrize("y, error, match", [
    (np.array(["a", "b", "c", "a"]), TypeError, "y must hold integer class labels"),
    (np.array([99, 0, 1, 0]), ValueError, "y must hold class labels 0 to 2; got values from 0 to 99"),
])
def test_accuracy_refuses_labels_that_are_not_classes(y, error, match):
    # Issue 26: string labels and labels out of range returned 0.0.
    with pytest.raises(error, match=match):
        ik.accuracy(np.eye(3)[[0, 1, 2, 0]], y)


def test_accuracy_refuses_nan_outputs():
    # Issue 26: NaN outputs gave 0.5.
    with pytest.raises(ValueError, match="outputs contains 2 NaN"):
        ik.accuracy(np.array([[np.nan], [np.nan]]), np.array([0, 1]))


def test_complex_data_are_refused_not_cast():
    X = np.ones((4, 3), dtype=complex)
    with pytest.raises(TypeError, match="X must be real; got complex"):
        ik.fit(ik.MLP([3, 2], rng=0), X, np.array([0, 1, 0, 1]), epochs=1, progress=False)
    with pytest.raises(TypeError, match="x must be real; got complex"):
        ik.MLP([3, 2], rng=0).forward(X)
    with pytest.raises(TypeError, match="x must be real; got complex"):
        ik.lsuv(ik.MLP([3, 2], rng=0), X)
