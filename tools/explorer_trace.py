"""Run-time trace of one explorer step: which initkit modules carry ``depth``, in order.

A *stop* is a call to an initkit function that receives the depth: an int argument equal to it (``depth``,
or ``value`` in a check), or a list or tuple of ``depth`` or ``depth + 1`` items (layer sizes, weight lists). Consecutive
stops in one module are one stop. ``python tools/explorer_trace.py`` prints the stops, the modules entered
and the modules re-entered after being left (issue 28: at most 8 stops, none re-entered).
"""
import sys

import numpy as np

DEPTH, N_SAMPLES = 13, 50  # a depth no other argument equals


def _carries_depth(frame):
    code = frame.f_code
    for name in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]:
        value = frame.f_locals.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value == DEPTH:
            return True
        if isinstance(value, (list, tuple)) and len(value) in (DEPTH, DEPTH + 1):
            return True
    return False


def trace(step):
    """The modules of the stops of ``step()``, in order (consecutive duplicates merged)."""
    stops = []

    def profile(frame, event, arg):
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("initkit") and _carries_depth(frame):
                if not stops or stops[-1] != module:
                    stops.append(module)

    sys.setprofile(profile)
    try:
        step()
    finally:
        sys.setprofile(None)
    return stops


def re_entered(stops):
    """Modules that appear again after another module's stop."""
    return sorted({m for i, m in enumerate(stops) if m in stops[:i]})


def explorer_step():
    from initkit.lessons.explorer import explore
    return explore(weight_std=0.3, depth=DEPTH, width=16, activation="tanh", n_samples=N_SAMPLES, n_hist=4,
                   dtype=np.float32, rng=0)


if __name__ == "__main__":
    explorer_step()  # warm caches and imports
    stops = trace(explorer_step)
    print(f"{len(stops)} stops in {len(set(stops))} modules: " + " -> ".join(s.replace('initkit.', '') for s in stops))
    print("re-entered:", re_entered(stops) or "none")
