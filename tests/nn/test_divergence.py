"""initkit.nn.divergence: the chance-level reference and the one divergence rule: DivergenceCheck (fit,
fit_many) and diverged_at (trainers that record it)."""
import numpy as np

import initkit as ik
from initkit.core.losses import mean_squared_error, sigmoid_binary_cross_entropy, softmax_cross_entropy
from initkit.nn.divergence import DIVERGENCE_FACTOR, DivergenceCheck, broken, chance_loss, diverged_at


def test_chance_loss_is_the_loss_of_a_model_that_learned_nothing():
    assert chance_loss(softmax_cross_entropy, 7, np.arange(7))[0] == np.log(7)
    assert chance_loss(sigmoid_binary_cross_entropy, 1, np.array([0, 1]))[0] == np.log(2)
    y = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]])
    value, text = chance_loss(mean_squared_error, 2, y)
    assert value == 0.5 * (np.var(y[:, 0]) + np.var(y[:, 1])) and "mean" in text
    # the uniform prediction scores exactly ln C under the real loss
    logits = np.zeros((5, 7))
    assert np.isclose(softmax_cross_entropy(logits, np.arange(5))[0], chance_loss(softmax_cross_entropy, 7, None)[0])
    assert chance_loss(lambda *a: 0, 3, None)[0] is None


def test_divergence_rule_non_finite_or_factor_times_reference():
    check = DivergenceCheck(DIVERGENCE_FACTOR, np.log(10), "chance")
    limit = DIVERGENCE_FACTOR * np.log(10)
    assert check(limit * 0.999) is None
    assert "limit" in check(limit * 1.001)
    assert check(float("inf")) == "the loss became inf"
    assert DivergenceCheck(None, 1.0, "x")(1e300) is None


def test_without_a_reference_the_first_loss_becomes_the_reference():
    check = DivergenceCheck(10.0, None, "none")
    assert check(3.0) is None and check.reference == 3.0
    assert check(29.0) is None and "first step's loss 3" in check(31.0)


def test_broken_is_the_same_rule_for_one_loss_and_for_arrays():
    losses = [1.0, 2.5e4, float("inf"), float("nan"), 10.0]
    assert [bool(broken(x, 2.3e4)) for x in losses] == list(broken(np.array(losses), 2.3e4))
    assert list(broken(np.array(losses), None)) == [False, False, True, True, False]


def test_diverged_at_agrees_with_the_check_fit_applies_step_by_step(rng):
    losses = np.abs(rng.standard_normal((50, 4))) * 3
    losses[20, 1], losses[7, 2], losses[30:, 3] = 1e9, np.nan, 3e4
    want = []
    for run in losses.T:
        check = DivergenceCheck(1e4, 2.3, "chance")
        want.append(next((t + 1 for t, x in enumerate(run) if check(float(x)) is not None), 0))
    assert diverged_at(losses, 2.3).tolist() == want == [0, 21, 8, 31]


def test_recurrent_and_token_trainers_record_divergence_without_stopping():
    h = ik.train_adding(ik.RNN(2, 4, 1, n_stack=2, rng=0), 5, steps=4, batch_size=4, n_test=8, rng=0, progress=False)
    assert h.diverged_at.tolist() == [0, 0] and h.train_mse.shape == (4, 2)
    runs = ik.train_token_task("gpt2", seeds=(0,), steps=2, d=8, n_blocks=1, n_heads=1, n_test=8, progress=False)
    assert runs.diverged_at.tolist() == [0]
