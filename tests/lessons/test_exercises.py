"""initkit.lessons.exercises: discovery of every ``exercises_<stem>`` module, ``check`` and ``evaluate``.

One convention holds the wrong answers: ``tests/lessons/test_exercises_<stem>.py`` defines ``WRONG``, a dict
from exercise name to a typical mistake; every exercise of the course has one, and each must fail with
specific feedback."""
import importlib

import numpy as np
import pytest

from initkit.lessons import exercises
from initkit.lessons.exercises import EXERCISES, STEM_OF, check, evaluate

WRONG = {}
for _stem in exercises.exercise_modules():
    WRONG.update(importlib.import_module(f"{__package__}.test_exercises_{_stem}").WRONG)


def test_every_exercises_module_is_discovered_with_its_own_test_file():
    stems = exercises.exercise_modules()
    assert {"basics", "signal", "residual", "transformer", "width", "recurrent"} <= set(stems)
    for stem in stems:
        module = importlib.import_module(f"initkit.lessons.exercises_{stem}")
        assert set(module.EXERCISES) <= set(EXERCISES)
        assert all(STEM_OF[name] == stem for name in module.EXERCISES)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_solution_passes(name, capsys):
    assert evaluate(name, EXERCISES[name].reference)[0]
    check(name, EXERCISES[name].reference)
    assert capsys.readouterr().out.startswith(f"✓ {name}: correct")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_wrong_solution_gets_specific_feedback(name, capsys):
    assert name in WRONG, f"{name}: add a typical wrong answer to tests/lessons/test_exercises_{STEM_OF[name]}.py"
    assert not evaluate(name, WRONG[name])[0]
    check(name, WRONG[name])
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {name}(") and "Hint:" in out
    # a statistical check says what it tested instead of pretending to expect particular numbers
    assert ("statistical" in out and "std" in out) if EXERCISES[name].explain else "expected" in out


def test_wrong_answers_name_existing_exercises_of_their_own_stem():
    for stem in exercises.exercise_modules():
        wrong = importlib.import_module(f"{__package__}.test_exercises_{stem}").WRONG
        assert all(STEM_OF.get(name) == stem for name in wrong), stem


def test_check_labels_the_example_solution(capsys):
    check("preserving_std", lambda n: 1 / np.sqrt(n), example=True)
    assert capsys.readouterr().out.startswith("Example solution: ✓ preserving_std: correct on all")


def test_stub_none_and_exceptions_are_explained():
    def stub(n):
        raise NotImplementedError

    for fn, words in [(stub, "not attempted yet"), (lambda n: None, "returned None"),
                      (lambda n: 1 / (n - 1), "raised ZeroDivisionError"),
                      (lambda n: np.array([1.0, 2.0]), "expected shape ()")]:
        passed, message = evaluate("preserving_std", fn)
        assert not passed and words in message


def test_check_rejects_unknown_exercise():
    with pytest.raises(ValueError, match="name must be one of .*'preserving_std'.*got 'nope'"):
        evaluate("nope", print)
