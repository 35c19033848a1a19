import warnings

import numpy as np
import pytest

import initkit as ik


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
        history = ik.fit(net, digits, epochs=5, lr=1.0, rng=0)
    assert history.diverged and history.diverged_at >= 1
    assert not np.isfinite(history.step_loss[-1])
    assert "diverged at step" in repr(history)


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
