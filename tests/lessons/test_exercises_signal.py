"""Notebook 08's exercises: the references pass (tests/test_exercises.py runs every exercise), and the usual
mistakes fail with feedback."""
import numpy as np
import pytest

import initkit as ik
from initkit.lessons.exercises import evaluate

# Typical wrong answers: each must fail with specific feedback (tests/lessons/test_exercises.py).
WRONG = {
    # tanh'(u) not squared: E[phi'] instead of E[phi'^2]
    "chi1_tanh": lambda weight_var_n, q: weight_var_n * ik.gaussian_expectation(
        lambda z: 1 - np.tanh(np.sqrt(q) * z) ** 2),
    # chi_1 evaluated at q = 1 instead of the fixed point q*
    "critical_weight_var": lambda bias_var: 1.0 / ik.gaussian_expectation(lambda z: (1 - np.tanh(z) ** 2) ** 2),
}


def test_critical_weight_var_accepts_a_coarse_but_correct_bisection():
    def bisect(bias_var):
        lo, hi = 1.0, 5.0
        for _ in range(12):  # (5 - 1) / 2^12 = 1e-3: within the 0.2 % asked for
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if ik.theory.chi1(mid, ik.theory.fixed_point(mid, bias_var)) > 1 else (mid, hi)
        return (lo + hi) / 2

    assert evaluate("critical_weight_var", bisect)[0]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_fail(name):
    assert not evaluate(name, WRONG[name])[0]
