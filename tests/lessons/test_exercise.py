"""initkit.lessons.exercise: one exercise checks a function on every case and says what failed."""
import numpy as np

from initkit.lessons.exercise import Exercise

SQUARE = Exercise(reference=lambda x: x * x, cases=[dict(x=2.0), dict(x=np.array([1.0, 3.0]))], hint="square it")


def test_a_correct_function_passes_every_case():
    assert SQUARE.evaluate("square", lambda x: x**2) == (True, "✓ square: correct on all 2 test cases.")


def test_a_wrong_function_is_told_the_case_the_expected_value_and_the_hint():
    passed, message = SQUARE.evaluate("square", lambda x: 2 * x)  # right at x = 2, wrong on the array case
    assert not passed
    assert message.startswith("✗ square(x=array of shape (2,)): expected an array starting [1. 9.], got an array")
    assert message.endswith("Hint: square it")


def test_the_student_function_gets_copies_of_array_arguments():
    def mutate(x):
        if isinstance(x, np.ndarray):
            x[...] = 0
        return x * x

    case = np.array([1.0, 3.0])
    ex = Exercise(reference=lambda x: x * x, cases=[dict(x=case)], hint="")
    assert not ex.evaluate("e", mutate)[0] and case.tolist() == [1.0, 3.0]


def test_custom_compare_and_explain_replace_the_allclose_message():
    ex = Exercise(reference=lambda n: np.zeros(n), cases=[dict(n=1000)], hint="draw",
                  compare=lambda got, expected, case: abs(np.std(got) - 1) < 0.1,
                  explain=lambda got, case: f"statistical test: std {np.std(got):.2f}, want 1")
    assert ex.evaluate("draw", lambda n: np.random.default_rng(0).standard_normal(n))[0]
    passed, message = ex.evaluate("draw", lambda n: np.zeros(n))
    assert not passed and "statistical test: std 0.00, want 1" in message and "Hint: draw" in message
