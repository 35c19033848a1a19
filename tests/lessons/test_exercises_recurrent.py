"""Notebook 12's exercises: the references are right, and wrong answers are caught."""
import math

import numpy as np

import initkit as ik
from initkit.lessons.exercises import evaluate

# Typical wrong answers: each must fail with specific feedback (tests/lessons/test_exercises.py).
WRONG = {
    "forget_bias_for_memory": lambda tau: float(np.exp(-1 / tau)),  # the gate value, not the bias
    "scale_within_factor": lambda T, factor: factor / T,  # a linear, not a geometric, growth
}



def test_forget_bias_reference_gives_the_time_constant():
    for tau in [1.5, 3.0, 10.0]:
        b = ik.exercises.EXERCISES["forget_bias_for_memory"].reference(tau=tau)
        f = 1 / (1 + math.exp(-b))
        assert abs(-1 / math.log(f) - tau) < 1e-9 * tau


def test_forget_bias_exercise_accepts_a_solution_and_rejects_tau_as_bias():
    def good(tau):
        f = math.exp(-1 / tau)
        return math.log(f / (1 - f))

    assert evaluate("forget_bias_for_memory", good)[0]
    assert not evaluate("forget_bias_for_memory", lambda tau: tau)[0]
    assert not evaluate("forget_bias_for_memory", lambda tau: math.exp(-1 / tau))[0]  # the gate, not the bias


def test_scale_within_factor_matches_a_linear_orthogonal_rnn():
    g = ik.exercises.EXERCISES["scale_within_factor"].reference(T=100, factor=10.0)
    net = ik.RNN(1, 16, 1, activation="linear", recurrent_init="orthogonal", scale=g, rng=0)
    from initkit.measure.through_time import gradient_through_time
    norms = gradient_through_time(net, np.zeros((2, 101, 1)), rng=0)
    assert abs(norms[0] - 10.0) < 1e-8
    assert evaluate("scale_within_factor", lambda T, factor: factor ** (1 / T))[0]
    assert not evaluate("scale_within_factor", lambda T, factor: factor / T)[0]


def test_unattempted_exercise_says_your_turn():
    def stub(tau):
        raise NotImplementedError

    assert evaluate("forget_bias_for_memory", stub)[1].startswith("Your turn")
