import numpy as np

from initkit.lessons.exercises import evaluate

# Typical wrong answers: each must fail with specific feedback (tests/lessons/test_exercises.py).
WRONG = {
    "mup_hidden_rule": lambda n, base_width, optimizer: np.array([np.sqrt(2 / n), 1.0]),  # SP's lr for Adam too
    "delta_f_exponent": lambda parametrization, optimizer: 0.0,  # width-independent for SP too
}



def test_mup_hidden_rule_accepts_the_rule_and_rejects_sp():
    right = lambda n, base_width, optimizer: np.array([np.sqrt(2 / n), 1.0 if optimizer == "sgd" else base_width / n])  # noqa: E731
    sp = lambda n, base_width, optimizer: np.array([np.sqrt(2 / n), 1.0])  # noqa: E731
    assert evaluate("mup_hidden_rule", right)[0]
    passed, message = evaluate("mup_hidden_rule", sp)
    assert not passed and "adam" in message


def test_delta_f_exponent_accepts_the_derivation_and_rejects_width_independence():
    assert evaluate("delta_f_exponent", lambda parametrization, optimizer: 1.0 if parametrization == "sp" else 0.0)[0]
    assert not evaluate("delta_f_exponent", lambda parametrization, optimizer: 0.0)[0]
