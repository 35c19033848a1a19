"""Constraints as data: what one parameter of a public function accepts.

Each constraint is a small object with ``check(name, value, args)``: it returns the value (converted where a
conversion is the check: a Python float for a real, an ``np.dtype`` for a dtype, an array for data) or raises
the package's one wording of errors (:mod:`initkit.core.validation`): the parameter, the allowed values and
what was received. ``args`` holds the call's arguments already checked, so a constraint can depend on an
earlier parameter (the columns of ``x`` on ``net``; labels on the number of classes).

``bad_values()`` lists values the constraint must refuse: the fuzz test reads them, so a declaration is also its
own test. Modelled on scikit-learn's ``sklearn/utils/_param_validation.py`` (``Interval``, ``StrOptions``); arrays
(data, labels, grids of numbers) are in :mod:`initkit.core.array_constraints`."""
import math
import numbers

import numpy as np

from .validation import (MAX_ELEMENTS, check_bool, check_dtype, check_fits, check_number, check_one_of, check_shape,
                         make_rng, rng_error)

NOT_NUMBERS = [None, "1", [1.0], 1j, object()]


def _resolve(value, args):
    """A bound given as a number, or as a function of the call's other arguments."""
    return value(args) if callable(value) else value


class Constraint:
    """Base: accept anything. Subclasses override :meth:`check` and :meth:`bad_values`."""

    def check(self, name, value, args):
        return value

    def bad_values(self):
        return []


class Real(Constraint):
    """A finite real number (not a bool) in ``[low, high]``; ``closed`` is 'both', 'left', 'right' or 'neither'.

    Bounds may be callables of the other arguments, e.g. ``Real(low=lambda a: a["low"], closed="neither")``.
    ``fits="dtype"``: the value must also be representable in the dtype given by that (earlier) parameter."""

    def __init__(self, low=None, high=None, closed="both", integer=False, fits=None):
        self.low, self.high, self.closed, self.integer, self.fits = low, high, closed, integer, fits
        self._plain = not (callable(low) or callable(high) or fits)
        self._low_in, self._high_in = closed in ("both", "left"), closed in ("both", "right")

    def _inside(self, value):
        low, high = self.low, self.high
        return (low is None or value > low or (value == low and self._low_in)) and \
            (high is None or value < high or (value == high and self._high_in))

    def check(self, name, value, args):
        kind = type(value)  # fast path for plain Python numbers in range (a slider step's arguments)
        if self._plain and (kind is int if self.integer else kind is float and math.isfinite(value)) and \
                self._inside(value):
            return value
        value = check_number(name, value, low=_resolve(self.low, args), high=_resolve(self.high, args),
                             low_inclusive=self._low_in, high_inclusive=self._high_in, integer=self.integer)
        if self.fits:
            check_fits(name, abs(value), args[self.fits])
        return value

    def bad_values(self):
        bad = NOT_NUMBERS + [True, float("nan"), float("inf"), float("-inf")]
        bad += [10**400] if not self.integer or self.high is not None else []
        if self.integer:
            bad += [1.5, np.float64(2.0), "3"]
        if self.low is not None and not callable(self.low):
            bad += [self.low - max(1, abs(self.low)), -1e300 if self.low > -1e300 else -float("inf")]
            bad += [] if self._low_in else [self.low]
        if self.high is not None and not callable(self.high):
            bad += [self.high + max(1, abs(self.high)), 1e300 * 10 if not self.integer else 10**300]
            bad += [] if self._high_in else [self.high]
        return bad

    def __repr__(self):
        return f"{'Integer' if self.integer else 'Real'}({self.low}, {self.high}, closed={self.closed!r})"


def Integer(low=None, high=None):
    """An int (numpy ints too, never a bool or a float) in ``[low, high]``."""
    return Real(low, high, integer=True)


class Options(Constraint):
    """A string among ``options`` (a collection, or a function returning one, read at call time), or an instance
    of one of ``types`` (e.g. an ``Activation`` object where a name is accepted). ``ordered``: the message lists
    the options in their given order (a menu's), not sorted."""

    def __init__(self, options, types=(), ordered=False):
        self.options, self.types, self.ordered = options, types, ordered

    def check(self, name, value, args):
        if self.types and isinstance(value, self.types):
            return value
        options = self.options() if callable(self.options) else self.options
        if isinstance(value, str) and value in options:
            return value
        if self.ordered:
            raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r:.80}")
        return check_one_of(name, value, options)

    def bad_values(self):
        return [None, "", "no-such-name", 3, ["relu"], object()]


class _Bool(Constraint):
    """True or False (a numpy bool too): not 'yes', not 2."""

    def check(self, name, value, args):
        return value if value is True or value is False else check_bool(name, value)

    def bad_values(self):
        return ["yes", "", 2, 0, 1.0, None, [True]]


class _Rng(Constraint):
    """None, a non-negative int seed (or a sequence of them), a SeedSequence, BitGenerator or Generator.

    Only checked, not converted: a function may treat an int seed specially (cached draws per seed)."""

    def check(self, name, value, args):
        if value is None or isinstance(value, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
            return value
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            if value < 0:
                raise rng_error(ValueError, value, name)
            return value
        if isinstance(value, (str, bytes, float, bool, dict)) or not hasattr(value, "__len__"):
            raise rng_error(TypeError, value, name)
        make_rng(value)  # a sequence of seeds: numpy decides
        return value

    def bad_values(self):
        return ["abc", -1, 1.5, True, float("nan"), object(), {}]


class _Dtype(Constraint):
    """float32 or float64 (a name, a numpy type or a dtype), returned as an ``np.dtype``."""

    def check(self, name, value, args):
        return check_dtype(value, name)

    def bad_values(self):
        return [None, "int32", np.int64, "float16", np.complex128, "flaot32", 3]


class _Shape(Constraint):
    """An array shape to allocate: positive ints (or one int), at most :data:`MAX_ELEMENTS` elements; a tuple."""

    def check(self, name, value, args):
        return check_shape(value, allocate=True, name=name)

    def bad_values(self):
        return [None, "3", (), (2, 0), (2, -1), (2, 2.5), (True, 2), (10**9, 10**9), 3.0, [[2]]]


class Callable(Constraint):
    """Anything callable (a function, a class, a ``functools.partial``)."""

    def check(self, name, value, args):
        if not callable(value):
            raise TypeError(f"{name} must be a function (a callable); got {value!r:.80} of type {type(value).__name__}")
        return value

    def bad_values(self):
        return [None, 3, "f", [1]]


class Optional(Constraint):
    """None, or what ``inner`` accepts (None allowed where the docstring says so)."""

    def __init__(self, inner):
        self.inner = inner

    def check(self, name, value, args):
        return None if value is None else self.inner.check(name, value, args)

    def bad_values(self):
        return [v for v in self.inner.bad_values() if v is not None]


class AnyOf(Constraint):
    """What one of ``constraints`` accepts; the error is the first constraint's (the documented form)."""

    def __init__(self, *constraints):
        self.constraints = constraints

    def check(self, name, value, args):
        for c in self.constraints[1:]:
            try:
                return c.check(name, value, args)
            except (TypeError, ValueError):
                pass
        return self.constraints[0].check(name, value, args)

    def bad_values(self):
        return [v for v in self.constraints[0].bad_values() if not self._accepts(v)]

    def _accepts(self, value):
        try:
            self.check("x", value, {})
            return True
        except Exception:  # noqa: BLE001 (any refusal)
            return False


class Instance(Constraint):
    """An object with the attributes ``attrs`` (a protocol: a network has ``layers``, ``forward``, ...)."""

    def __init__(self, what, attrs=(), types=()):
        self.what, self.attrs, self.types = what, attrs, types

    def check(self, name, value, args):
        if (self.types and not isinstance(value, self.types)) or not all(hasattr(value, a) for a in self.attrs):
            raise TypeError(f"{name} must be {self.what}; got {type(value).__name__}")
        return value

    def bad_values(self):
        return [None, 3, "net", np.ones((2, 3))]


class Sizes(Constraint):
    """A list (or tuple, or 1-D array) of ints in ``[low, high]`` (``high`` may be a function of the other
    arguments), ``min_len`` to ``max_len`` entries: layer widths, layer numbers. Returned as a list of ints."""

    def __init__(self, min_len=1, max_len=100_000, low=1, high=MAX_ELEMENTS, what="layer widths"):
        self.min_len, self.max_len, self.low, self.high, self.what = min_len, max_len, low, high, what

    def check(self, name, value, args):
        if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__") or \
                (isinstance(value, np.ndarray) and value.ndim != 1):
            raise TypeError(f"{name} must be a list of {self.what}; got {value!r:.80}")
        if not self.min_len <= len(value) <= self.max_len:
            raise ValueError(f"{name} must list between {self.min_len} and {self.max_len} {self.what}; "
                             f"got {len(value)}")
        high = _resolve(self.high, args)
        for s in value:
            if type(s) is not int or not self.low <= s <= high:
                check_number(f"each entry of {name}", s, low=self.low, high=high, integer=True)
        return [int(s) for s in value]

    def bad_values(self):
        bad = [None, 3, "abc", [4, self.low - 1], [4, 2.5], [4, True], [[4]], [4, "4"], [4] * (self.max_len + 1)]
        return bad + ([[]] if self.min_len else [])


Bool, RNG, Dtype, Shape = _Bool(), _Rng(), _Dtype(), _Shape()
