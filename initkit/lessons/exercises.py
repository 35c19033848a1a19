"""Auto-checked exercises: ``ik.exercises.check("name", your_function)`` tests your function against a
reference on several cases and says what failed (input, expected, got) or that it is correct.

The reference solutions live in the package (``exercises_<topic>.py``, one per notebook), not in the notebooks.
"""
from . import (exercises_basics, exercises_recurrent, exercises_residual, exercises_signal,
               exercises_transformer, exercises_width)

# Every exercise of the course, by name: one module per notebook (or group of notebooks) adds its dict here.
EXERCISES = {**exercises_basics.EXERCISES, **exercises_signal.EXERCISES, **exercises_residual.EXERCISES,
             **exercises_transformer.EXERCISES, **exercises_width.EXERCISES, **exercises_recurrent.EXERCISES}


def check(name, fn, *, example=False):
    """Test ``fn`` against exercise ``name`` and print the feedback (what failed, or that it is correct).

    ``example=True`` labels the output as the collapsed example solution's, so that a student who runs every
    cell sees which result is theirs ("Your turn: ...") and which is the example's.
    """
    passed, message = evaluate(name, fn)
    print(f"Example solution: {message}" if example else message)


def evaluate(name, fn):
    """``(passed, message)`` for ``fn`` on exercise ``name``; :func:`check` prints the message."""
    if name not in EXERCISES:
        raise ValueError(f"name must be one of {', '.join(repr(k) for k in EXERCISES)}; got {name!r}")
    return EXERCISES[name].evaluate(name, fn)
