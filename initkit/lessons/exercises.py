"""Auto-checked exercises: ``ik.exercises.check("name", your_function)`` tests your function against a
reference on several cases and says what failed (input, expected, got) or that it is correct.

The reference solutions live in the package, not in the notebooks: one module ``exercises_<stem>.py`` per
notebook group (``<stem>`` as in ``widgets/<stem>.py``), each with a dict ``EXERCISES`` of
:class:`initkit.lessons.exercise.Exercise`. They are found by discovery: a new ``exercises_<stem>.py`` is
collected without editing this file. Their typical wrong answers live beside their tests, in
``tests/lessons/test_exercises_<stem>.py`` as a dict ``WRONG``.
"""
import importlib
import pkgutil

from . import __path__ as _lessons_path

PREFIX = "exercises_"


def exercise_modules():
    """The stems of every ``exercises_<stem>`` module of :mod:`initkit.lessons`, sorted."""
    return sorted(m.name[len(PREFIX):] for m in pkgutil.iter_modules(_lessons_path) if m.name.startswith(PREFIX))


def _collect():
    exercises, owner = {}, {}
    for stem in exercise_modules():
        module = importlib.import_module(f"{__package__}.{PREFIX}{stem}")
        for name, exercise in module.EXERCISES.items():
            if name in exercises:
                raise RuntimeError(f"exercise {name!r} is defined in exercises_{owner[name]} and exercises_{stem}")
            exercises[name], owner[name] = exercise, stem
    return exercises, owner


# Every exercise of the course by name, and the stem of the module that defines it.
EXERCISES, STEM_OF = _collect()


def check(name, fn, *, example=False, collapsed_cell=True):
    """Test ``fn`` against exercise ``name`` and print the feedback (what failed, or that it is correct).

    ``example=True`` labels the output as the collapsed example solution's, so that a student who runs every
    cell sees which result is theirs ("Your turn: ...") and which is the example's. ``collapsed_cell=False``
    says there is no example cell below (the student release's stubs pass it: ``tools/student.py``).
    """
    passed, message = evaluate(name, fn, collapsed_cell)
    print(f"Example solution: {message}" if example else message)


def evaluate(name, fn, collapsed_cell=True):
    """``(passed, message)`` for ``fn`` on exercise ``name``; :func:`check` prints the message."""
    if name not in EXERCISES:
        raise ValueError(f"name must be one of {', '.join(repr(k) for k in EXERCISES)}; got {name!r}")
    return EXERCISES[name].evaluate(name, fn, collapsed_cell)
