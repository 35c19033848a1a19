"""One auto-checked exercise: a reference function, seeded test cases (keyword arguments), a hint.

Each notebook's exercises live in one ``exercises_<topic>.py`` module as a dict ``EXERCISES`` of these;
:mod:`initkit.lessons.exercises` gathers them and checks a student's function against them.
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class Exercise:
    reference: callable
    cases: list
    hint: str
    rtol: float = 1e-6
    compare: callable = None  # (got, expected, case) -> bool; default: np.allclose with rtol
    explain: callable = None  # (got, case) -> str: what a statistical ``compare`` tested, for the feedback

    def evaluate(self, name, fn, collapsed_cell=True):
        """``(passed, message)`` for the student's ``fn`` on every case, the message saying what failed.

        ``collapsed_cell=False`` (the student release, which has no example cells) leaves out the pointer to
        the collapsed example solution from the not-attempted message."""
        for case in self.cases:
            expected = self.reference(**case)
            try:
                got = fn(**{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in case.items()})
            except NotImplementedError:
                where = " (an example solution is in the collapsed cell below)" if collapsed_cell else ""
                return False, (f"Your turn: {name} is not attempted yet. Replace `raise NotImplementedError` with "
                               f"your code and run this cell again{where}.")
            except Exception as err:  # the student's code failed: say where, not a traceback
                return False, f"✗ {name}({_show(case)}) raised {type(err).__name__}: {err}"
            if got is None:
                return False, f"{name}: your function returned None. Did you forget `return`?"
            if np.shape(got) != np.shape(expected):
                return False, f"✗ {name}({_show(case)}): expected shape {np.shape(expected)}, got shape {np.shape(got)}"
            ok = (self.compare(got, expected, case) if self.compare else
                  np.allclose(got, expected, rtol=self.rtol, atol=1e-12))
            if not ok and self.explain is not None:
                return False, f"✗ {name}({_show(case)}): {self.explain(got, case)}.\n  Hint: {self.hint}"
            if not ok:
                exp = f"{expected:.6g}" if np.ndim(expected) == 0 else f"an array starting {np.ravel(expected)[:3].round(4)}"
                gotv = f"{float(got):.6g}" if np.ndim(got) == 0 else f"an array starting {np.ravel(got)[:3].round(4)}"
                return False, f"✗ {name}({_show(case)}): expected {exp}, got {gotv}.\n  Hint: {self.hint}"
        return True, f"✓ {name}: correct on all {len(self.cases)} test cases."

def _show(kwargs):
    def fmt(v):
        if isinstance(v, np.ndarray):
            return f"array of shape {np.shape(v)}"
        return getattr(v, "__name__", repr(v)) if callable(v) else repr(v)
    return ", ".join(f"{k}={fmt(v)}" for k, v in kwargs.items())
