"""Argument checks used at the public boundary.

Every message names the parameter, the allowed values and what was received, e.g.
``mode must be one of 'fan_avg', 'fan_in', 'fan_out'; got 'fan_inn'``.
"""
import functools
import inspect
import math
import numbers

import numpy as np


def check_one_of(name, value, allowed):
    """Raise ValueError unless ``value`` is one of ``allowed`` (a collection of strings)."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in sorted(allowed))
        raise ValueError(f"{name} must be one of {options}; got {value!r:.80}")
    return value


def check_number(name, value, *, low=None, high=None, low_inclusive=True, high_inclusive=True, integer=False):
    """Return ``value`` as a Python int (``integer``) or float, or raise unless it is a finite real number in
    the given range. Converting numpy scalars keeps later arithmetic in Python floats: np.float32(3e38) ** 2
    would overflow float32 (with a warning) where 3e38 ** 2 does not."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {what}; got {value!r:.80} of type {type(value).__name__}")
    received = value
    try:
        value = int(value) if integer else float(value)
    except OverflowError:  # an int beyond the float range
        raise ValueError(f"{name} must be finite; got {value!r}") from None
    if not integer and not math.isfinite(value):  # (an int is finite; math.isfinite(10**400) would overflow)
        raise ValueError(f"{name} must be finite; got {received!r:.80}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        sign = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {sign} {low}; got {received!r:.80}")
    if high is not None and (value > high or (value == high and not high_inclusive)):
        sign = "<=" if high_inclusive else "<"
        raise ValueError(f"{name} must be {sign} {high}; got {received!r:.80}")
    return value


def check_bool(name, value):
    """Raise TypeError unless ``value`` is True or False (a numpy bool too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r:.80}")
    return bool(value)


def check_shape(shape, *, allocate=False, name="shape"):
    """Return ``shape`` as a tuple of positive ints, or raise a ValueError naming what is wrong.

    ``allocate=True``: the caller will allocate an array of this shape, so it must fit :data:`MAX_ELEMENTS`.
    """
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list, np.ndarray)):
        raise TypeError(f"{name} must be a tuple of positive integers; got {shape!r}")
    dims = tuple(shape)
    if not dims or not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0 for d in dims):
        raise ValueError(f"{name} must be a tuple of positive integers; got {shape!r}")
    dims = tuple(int(d) for d in dims)
    if allocate:
        check_size(name, math.prod(dims), f"an array of shape {dims}")
    return dims


def check_dtype(dtype, name="dtype"):
    """Return ``dtype`` as float32 or float64, the two precisions the package supports.

    ``None`` is refused: ``np.dtype(None)`` is float64, and numpy even compares ``np.dtype('float64') ==
    None`` as True, which once let misspelled names such as ``'flaot32'`` through as float64.
    """
    try:
        dt = None if dtype is None else np.dtype(dtype)
    except (TypeError, ValueError):
        dt = None
    if dt is None or dt.type not in (np.float32, np.float64):
        raise ValueError(f"{name} must be one of 'float32', 'float64'; got {dtype!r}")
    return dt


# The largest array (in elements) a public function agrees to allocate: 2**27 elements, 1 GiB in float64.
# Anything larger is almost certainly a typo (a width of 10**6) and would die in numpy's MemoryError.
MAX_ELEMENTS = 2**27


def check_size(name, n_elements, what):
    """Raise ValueError when ``n_elements`` (what ``name`` asks to allocate) exceeds :data:`MAX_ELEMENTS`."""
    if n_elements > MAX_ELEMENTS:
        raise ValueError(f"{name} asks for {what} = {float(n_elements):.3g} elements, above the limit of "
                         f"{MAX_ELEMENTS:.3g} ({MAX_ELEMENTS * 8 / 2**30:.0f} GiB in float64)")
    return n_elements


def check_fits(name, magnitude, dtype):
    """Raise ValueError when values of size ``magnitude`` (asked for via ``name``) overflow ``dtype``."""
    limit = float(np.finfo(dtype).max)
    if not magnitude <= limit:
        raise ValueError(f"{name}: values up to about {magnitude:.3g} would overflow {np.dtype(dtype).name} "
                         f"(largest {limit:.3g})")


def rng_error(kind, rng, name="rng"):
    """The one message for a bad random generator argument."""
    return kind(f"{name} must be None, a non-negative int seed or a numpy Generator; got {rng!r:.80}")


def make_rng(rng):
    """``np.random.default_rng(rng)`` with an error that names ``rng``: None, a non-negative int seed (or a
    sequence of them), a ``SeedSequence``, ``BitGenerator`` or ``Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (str, bytes, float)) or isinstance(rng, bool):
        raise rng_error(TypeError, rng)
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as err:
        raise rng_error(type(err), rng) from None


def check_array(name, x, *, ndim=None, dtype=None):
    """Return ``x`` as a finite float array of the given ndim, or raise naming the parameter."""
    if np.iscomplexobj(x):
        raise TypeError(f"{name} must be real; got complex values (dtype {np.asarray(x).dtype})")
    arr = np.asarray(x, dtype=dtype)
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {arr.shape}")
    return arr


def check_data(name, X, dtype, n_columns=None):
    """``X`` as a finite 2-D array of ``dtype`` with at least one row, or a ValueError naming ``name``."""
    arr = np.asarray(X)
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real; got complex values (dtype {arr.dtype})")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}")
    if arr.ndim != 2 or len(arr) == 0:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features) with at least one row; "
                         f"got shape {arr.shape}")
    if n_columns is not None and arr.shape[1] != n_columns:
        raise ValueError(f"{name} must have {n_columns} columns (the network's input size); got shape {arr.shape}")
    bad = np.size(arr) - np.count_nonzero(np.isfinite(arr))
    if bad:
        raise ValueError(f"{name} contains {bad} NaN or infinite values: clean the data before training")
    return arr.astype(dtype, copy=False)


def check_labels(name, y, n_rows):
    """``y`` as a finite numeric array with one label (or target row) per sample, or a ValueError naming ``name``."""
    y = np.asarray(y)
    if np.iscomplexobj(y):
        raise TypeError(f"{name} must be real; got complex values (dtype {y.dtype})")
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool) or y.ndim not in (1, 2) or len(y) != n_rows:
        raise ValueError(f"{name} must hold one label (or target row) per sample ({n_rows}); "
                         f"got dtype {y.dtype}, shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinite values: clean the data before training")
    return y


def validate_params(constraints, *, budget=None):
    """Decorator: check a public function's arguments once, at the boundary, from ``constraints`` declared beside
    its signature (``{"depth": Integer(1, 10_000), "rng": RNG, ...}``, see :mod:`initkit.core.constraints`).

    Arguments are checked in the order of the declaration; each checked (and converted) value is what the
    function receives. ``budget`` maps a label naming the parameters involved to ``(size(args), what)``: the
    number of elements (or of steps) that call asks for, refused above :data:`MAX_ELEMENTS`, so a typo such as
    ``depth=10**9`` is a clear error, not a hang or a MemoryError.

    The declarations stay on the function as ``fn.__constraints__`` (and ``fn.__budget__``), so tests can
    generate bad arguments from them; ``fn.__wrapped__`` is the unchecked function, for callers inside the
    package that already checked (the trusted path of a slider step).
    """
    budget = budget or {}

    def decorate(fn):
        signature = inspect.signature(fn)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{fn.__qualname__} declares constraints for unknown parameters {sorted(unknown)}")
        items, limits = tuple(constraints.items()), tuple(budget.items())
        kinds = {p.kind for p in signature.parameters.values()}
        P = inspect.Parameter
        simple = not kinds & {P.POSITIONAL_ONLY, P.VAR_POSITIONAL, P.VAR_KEYWORD}
        positional = tuple(n for n, p in signature.parameters.items() if p.kind is P.POSITIONAL_OR_KEYWORD)
        named = frozenset(signature.parameters)
        defaults = {n: p.default for n, p in signature.parameters.items() if p.default is not P.empty}

        def bind(args, kwargs):
            """The call's arguments by name, defaults filled in (inspect's binding only for unusual calls)."""
            if simple and len(args) <= len(positional) and named.issuperset(kwargs) and \
                    not kwargs.keys() & positional[:len(args)]:
                values = {**defaults, **dict(zip(positional, args)), **kwargs}
                if len(values) == len(named):
                    return values, None
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as err:  # inspect's message lacks the function's name, which Python's own gives
                raise TypeError(f"{fn.__name__}() {err}") from None
            bound.apply_defaults()
            return bound.arguments, bound

        @functools.wraps(fn)
        def checked(*args, **kwargs):
            values, bound = bind(args, kwargs)
            for name, constraint in items:
                values[name] = constraint.check(name, values[name], values)
            for label, (size, what) in limits:
                check_size(label, size(values), what)
            return fn(**values) if bound is None else fn(*bound.args, **bound.kwargs)

        checked.__constraints__ = dict(constraints)
        checked.__budget__ = dict(budget)
        return checked

    return decorate
