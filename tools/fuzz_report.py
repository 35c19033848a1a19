"""A broad fuzz of the public API: one bad argument per call, every outcome classified (issue 26).

``python tools/fuzz_report.py [--quick] [--only NAME ...]`` calls every public callable reachable from ``ik.__all__`` (and its
submodules' public functions) that has a valid base call in :data:`BASES`, replacing one argument at a time by
each value of a fixed list of bad values (wrong type, None, NaN, inf, negative, zero, huge, bool, string,
complex, wrong shape, NaN array, wrong dtype), with warnings turned into errors, a CPU limit per call
(``signal.ITIMER_PROF``) and a memory limit per worker process (``RLIMIT_AS``). Each outcome is one of:

* clear error: ValueError or TypeError whose message names the argument;
* unclear error: any other exception, or one that does not name the argument;
* silent wrong: a result returned for a value of another kind than the argument's (a string for a number,
  2 or 'yes' for a flag, NaN, inf, complex), a warning, or a result holding NaN/inf that was not asked for;
* NaN in, NaN out: a NaN/inf argument returned a result holding NaN/inf (visible, not a plausible number: the
  array primitives exempt in ``tests/test_fuzz.py`` propagate NaN like numpy);
* accepted: a value of a valid kind returned a finite result (e.g. -1 for a correlation), or a non-finite one
  where the docstring says so (:data:`DOCUMENTED_NONFINITE`);
* hang: over the CPU limit; MemoryError: over the memory limit.

Valid kinds come from the argument of the base call and from the declaration (``fn.__constraints__``), so a valid
value of another kind is not counted as silent wrong: None where the default is None, a seed sequence for
``rng``, an int for ``shape``, a number or an array (any declared ndim, empty too) for a grid of numbers
(:class:`~initkit.core.array_constraints.Numbers`, or ``Data`` allowing 0-D), NaN for data declared
``finite=False``.

Workers are subprocesses (one per callable), so a crash or a memory blow-up costs one call, not the run.
The same script runs on any revision of the package: it only needs ``import initkit``.
"""
import json
import math
import os
import resource
import signal
import subprocess
import sys
import warnings

CPU_SECONDS = float(os.environ.get("FUZZ_CPU_SECONDS", 3.0))
MEMORY_BYTES = 6 * 2**30
KINDS = ("clear error", "unclear error", "silent wrong", "NaN in, NaN out", "accepted", "hang", "MemoryError")
# Constraints whose docstrings accept values of several kinds (class name -> kinds).
DOCUMENTED_KINDS = {
    "_Iterable": {"str", "array", "empty", "complex", "nonfinite"},  # ik.progress: any iterable, items untouched
    "_Seeds": {"int", "array"},  # fit_seeds: a count n or a list of seeds
    "_WeightVar": {"int", "float", "array"},  # theory.predict: one Var(W), or one per layer
}
# Results documented as non-finite (checked against each docstring), so inf/nan there is the answer, not a defect.
DOCUMENTED_NONFINITE = {
    "mean_field.depth_scales": "xi diverges (inf) at criticality, chi = 1",
    "mean_field.fixed_point_q": "q* = inf where the length map grows without bound",
    "mean_field.critical_weight_var": "nan where chi_1 = 1 has no root in [low, high]",
    "mean_field.chi1_map": "chi_1 = inf where q* = inf",
}


def bad_values():
    import numpy as np
    return [None, True, False, "", "x", "int32", float("nan"), float("inf"), float("-inf"), -1, 0, 2, -0.5, 1e300,
            -1e300, 10**9, 1j, [], [1, 0], (), object(), np.array([]), np.full((2, 3), np.nan),
            np.ones((2, 3)) * (1 + 1j), np.ones((3, 3, 3)), np.array(["a", "b"]), np.float16(1.0)]


def _kind(v):
    import numpy as np
    if v is None:
        return "none"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float" if math.isfinite(v) else "nonfinite"
    if isinstance(v, complex):
        return "complex"
    if isinstance(v, str):
        return "str"
    if isinstance(v, (list, tuple, np.ndarray)):
        arr = np.asarray(v, dtype=object) if isinstance(v, (list, tuple)) else v
        if isinstance(v, np.ndarray) and v.dtype.kind == "c":
            return "complex"
        if isinstance(v, np.ndarray) and v.dtype.kind == "f" and not np.isfinite(v).all():
            return "nonfinite"
        return "array" if arr.size or isinstance(v, np.ndarray) else "empty"
    return "other"


def _declared_kinds(constraint):
    """Kinds of value the declaration itself documents as valid (beyond the base call's)."""
    from initkit.core.array_constraints import Data, Numbers
    from initkit.core.constraints import AnyOf, Optional, Real
    if isinstance(constraint, Optional):
        return {"none"} | _declared_kinds(constraint.inner)
    if isinstance(constraint, AnyOf):
        return set().union(*(_declared_kinds(c) for c in constraint.constraints))
    if type(constraint).__name__ in DOCUMENTED_KINDS:
        return DOCUMENTED_KINDS[type(constraint).__name__]
    if isinstance(constraint, Real) and not constraint.integer:
        return {"int", "float"}
    if isinstance(constraint, Numbers):
        return {"int", "float", "array", "empty"}
    if isinstance(constraint, Data):
        kinds = {"array", "empty"} | ({"int", "float"} if 0 in constraint.ndim else set())
        return kinds | (set() if constraint.finite else {"nonfinite"})
    return set()


def _compatible(base, bad, param="", constraint=None, default=None):
    """Could ``bad`` be a valid value of a parameter whose valid value is ``base``? (kinds only)"""
    kb, kv = _kind(base), _kind(bad)
    if kv == kb or (kb == "float" and kv == "int") or (kb == "none"):
        return True
    if kb == "other" or kv == "empty" and kb == "array":
        return True
    if kv == "none" and default is None and param in _DEFAULTS:  # the documented default
        return True
    if param == "rng" and kv in ("none", "int", "array", "empty"):  # numpy seeds: None, ints, sequences of ints
        return True
    if param == "shape" and kv == "int":  # a 1-D shape
        return True
    return kv in _declared_kinds(constraint)


def _non_finite(result, depth=0):
    import numpy as np
    if depth > 3 or result is None or isinstance(result, (str, bool)):
        return False
    if isinstance(result, (int, float, np.number)) and not isinstance(result, np.bool_):
        return not math.isfinite(float(result))
    if isinstance(result, np.ndarray):
        return result.dtype.kind in "fc" and not np.isfinite(result).all()
    if isinstance(result, dict):
        return any(_non_finite(v, depth + 1) for v in result.values())
    if isinstance(result, (list, tuple)):
        return any(_non_finite(v, depth + 1) for v in list(result)[:50])
    return False


class _Hang(BaseException):
    pass


def _run(fn, kwargs):
    def alarm(*_):
        raise _Hang()
    signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, CPU_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = fn(**kwargs)
            if hasattr(out, "__next__"):
                out = next(out, None)  # an empty iterable yields nothing: not an error
            return out
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def classify(fn, base, param, bad):
    kwargs = dict(base)
    kwargs[param] = bad
    try:
        result = _run(fn, kwargs)
    except _Hang:
        return "hang", "over the CPU limit"
    except MemoryError:
        return "MemoryError", ""
    except Warning as w:
        return "silent wrong", f"warning {type(w).__name__}: {w}"
    except (ValueError, TypeError) as err:
        return ("clear error" if param in str(err) else "unclear error"), f"{type(err).__name__}: {err}"
    except Exception as err:  # noqa: BLE001 (every exception is an outcome here)
        return "unclear error", f"{type(err).__name__}: {err}"
    base_value = base.get(param, _DEFAULTS.get(param))
    constraint = (_CONSTRAINTS or {}).get(param)
    valid = _compatible(base_value, bad, param, constraint, _DEFAULTS.get(param, 0))
    declared = _declared_kinds(constraint)
    if _kind(bad) == "nonfinite" and "nonfinite" not in declared and _non_finite(result):
        return "NaN in, NaN out", f"{bad!r:.40} for {param}"
    if not valid or (_kind(bad) in ("complex", "nonfinite") and _kind(bad) not in declared):
        return "silent wrong", f"accepted {bad!r:.40} for {param}"
    if _non_finite(result) and _TARGET not in DOCUMENTED_NONFINITE and _kind(bad) != "nonfinite":
        return "silent wrong", "non-finite values in the result"
    return "accepted", ""


_DEFAULTS, _CONSTRAINTS, _TARGET = {}, {}, ""


def worker(name):
    """Run every call of one target; print one JSON line per call."""
    import inspect
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    from fuzz_bases import BASES, resolve
    fn = resolve(name)
    base = BASES[name]()
    sig = inspect.signature(fn.__init__ if inspect.isclass(fn) else fn)
    params = [p for p, v in sig.parameters.items() if p != "self" and v.kind not in (v.VAR_POSITIONAL, v.VAR_KEYWORD)]
    _DEFAULTS.update({p: v.default for p, v in sig.parameters.items() if v.default is not inspect._empty})
    global _TARGET
    _TARGET = name
    _CONSTRAINTS.update(getattr(fn.__init__ if inspect.isclass(fn) else fn, "__constraints__", None) or {})
    for param in params:
        for i, bad in enumerate(bad_values()):
            try:
                kind, detail = classify(fn, BASES[name](), param, bad)
            except BaseException as err:  # noqa: BLE001
                kind, detail = "unclear error", f"{type(err).__name__}"
            print(json.dumps({"target": name, "param": param, "bad": repr(bad)[:40], "kind": kind,
                              "detail": detail[:160]}), flush=True)


def main(quick=False, only=()):
    """``quick``: every fourth target; ``only``: the targets whose names start with one of these prefixes."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fuzz_bases import BASES
    names = sorted(BASES)[::4] if quick else sorted(BASES)
    names = [n for n in names if not only or n.startswith(tuple(only))]
    rows = []
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "INITKIT_PROGRESS": "0", "MPLBACKEND": "Agg"}
    for name in names:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", name], capture_output=True,
                              text=True, env=env, timeout=3600)
        got = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 and not got:
            got = [{"target": name, "param": "?", "bad": "?", "kind": "unclear error",
                    "detail": proc.stderr.strip().splitlines()[-1][:160] if proc.stderr.strip() else "crash"}]
        rows += got
        print(f"{name}: {len(got)} calls", file=sys.stderr, flush=True)
    counts = {k: sum(r["kind"] == k for r in rows) for k in KINDS}
    print(f"| calls | {' | '.join(KINDS)} |")
    print(f"|---|{'---|' * len(KINDS)}")
    print(f"| {len(rows)} | {' | '.join(str(counts[k]) for k in KINDS)} |")
    with open(os.environ.get("FUZZ_OUT", "fuzz_report.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        worker(sys.argv[2])
    else:
        args = sys.argv[1:]
        main(quick="--quick" in args, only=args[args.index("--only") + 1:] if "--only" in args else ())
