"""Argument checks used at the public boundary.

Every message names the parameter, the allowed values and what was received, e.g.
``mode must be one of 'fan_avg', 'fan_in', 'fan_out'; got 'fan_inn'``.
"""
import numbers

import numpy as np


def check_one_of(name, value, allowed):
    """Raise ValueError unless ``value`` is one of ``allowed`` (a collection of strings)."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in sorted(allowed))
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_number(name, value, *, low=None, high=None, low_inclusive=True, integer=False):
    """Raise unless ``value`` is a finite real number (an int if ``integer``) in the given range."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {what}; got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        sign = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {sign} {low}; got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}; got {value!r}")
    return value


def check_shape(shape):
    """Return ``shape`` as a tuple of positive ints, or raise a ValueError naming what is wrong."""
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"shape must be a tuple of positive integers; got {shape!r}") from None
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0 for d in dims):
        raise ValueError(f"shape must be a tuple of positive integers; got {shape!r}")
    return tuple(int(d) for d in dims)


def check_dtype(dtype):
    """Return ``dtype`` as float32 or float64, the two precisions the package supports."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be one of 'float32', 'float64'; got {dtype!r}")
    return dt


def check_array(name, x, *, ndim=None, dtype=None):
    """Return ``x`` as a finite float array of the given ndim, or raise naming the parameter."""
    arr = np.asarray(x, dtype=dtype)
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {arr.shape}")
    return arr


def check_data(name, X, dtype, n_columns=None):
    """``X`` as a finite 2-D array of ``dtype`` with at least one row, or a ValueError naming ``name``."""
    arr = np.asarray(X)
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
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool) or y.ndim not in (1, 2) or len(y) != n_rows:
        raise ValueError(f"{name} must hold one label (or target row) per sample ({n_rows}); "
                         f"got dtype {y.dtype}, shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinite values: clean the data before training")
    return y
