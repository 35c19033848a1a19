"""initkit.nn.divergence: the chance-level reference and the one divergence rule."""
import numpy as np

from initkit.core.losses import mean_squared_error, sigmoid_binary_cross_entropy, softmax_cross_entropy
from initkit.nn.divergence import DIVERGENCE_FACTOR, DivergenceCheck, chance_loss


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
