"""Notebook 12's experiments: the training loop (stacked = separate), the mean-field rate."""
import numpy as np
import pytest

import initkit as ik


@pytest.mark.parametrize("cls", ["RNN", "LSTM"])
def test_stacked_training_equals_training_each_network_alone(cls):
    make = getattr(ik, cls)
    nets = [make(2, 8, 1, rng=s) for s in range(2)]
    stack = make.stack([n for n in nets])
    together = ik.train_adding(stack, 6, steps=5, batch_size=4, lr=0.01, clip=np.array([0.5, np.inf]), rng=3)
    for k, net in enumerate(nets):
        alone = ik.train_adding(net, 6, steps=5, batch_size=4, lr=0.01, clip=[0.5, None][k], rng=3)
        np.testing.assert_allclose(together.train_mse[:, k], alone.train_mse, rtol=1e-9)
        np.testing.assert_allclose(stack.W_h[k], net.W_h, rtol=1e-9)


def test_training_is_deterministic_given_rng():
    runs = [ik.train_adding(ik.RNN(2, 8, 1, rng=0), 5, steps=3, batch_size=4, rng=7).train_mse for _ in range(2)]
    np.testing.assert_array_equal(*runs)


def test_irnn_with_clipping_learns_a_short_adding_problem():
    result = ik.train_adding_configs([dict(label="IRNN", activation="relu", init="identity", clip=1.0)], 5,
                                     seeds=range(2), hidden=16, steps=300, batch_size=16, lr=0.01, rng=0)["IRNN"]
    assert np.all(result.final_mse < 0.2 * result.baseline), result.final_mse


def test_mean_field_rate_of_linear_units_is_the_scale():
    for g in [0.5, 1.0, 2.0]:
        assert ik.mean_field_rate(g, "linear", 1.0) == pytest.approx(g, rel=1e-9)


def test_mean_field_rate_predicts_a_wide_gaussian_tanh_rnn():
    measured = ik.gradient_vs_time("gaussian", 1.5, 60, hidden=256, n_seeds=2, rng=0)["rate"]
    predicted = ik.mean_field_rate(1.5, "tanh", 1.0)
    assert np.all(np.abs(measured / predicted - 1) < 0.1), (measured, predicted)


def test_bad_configs_and_clip_lengths_are_refused_by_name():
    with pytest.raises(TypeError, match="configs must be a non-empty list of dicts with a 'label'; item 0"):
        ik.train_adding_configs(configs=[1, 0], T=5)
    with pytest.raises(ValueError, match=r"clip must be one number or one per stacked network \(1\); got 2"):
        ik.train_adding(ik.RNN(2, 4, 1, rng=0), 5, steps=1, clip=[1.0, 0.5])
