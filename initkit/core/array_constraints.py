"""Constraints on arrays: data (real, finite, of a shape), class labels, targets and grids of numbers.

The same protocol as :mod:`initkit.core.constraints`: ``check(name, value, args)`` returns the value as an array
or raises the package's one wording of errors; ``bad_values()`` lists values to refuse, for the fuzz test.
"""
import numpy as np

from .constraints import Constraint, Real, _resolve


class Data(Constraint):
    """A real numeric array of ``ndim`` dimensions (an int or a tuple of allowed ones) with at least ``min_rows``
    rows, ``columns`` columns (an int, or a function of the other arguments), and no NaN, inf or complex value.

    Returned as an array (not cast: the function decides its dtype)."""

    def __init__(self, ndim=2, min_rows=1, columns=None, finite=True, what="(n_samples, n_features)", bounds=None,
                 positive=False):
        self.ndim = (ndim,) if isinstance(ndim, int) else ndim
        self.min_rows, self.columns, self.finite, self.what = min_rows, columns, finite, what
        self.bounds, self.positive = bounds, positive

    def check(self, name, value, args):
        if isinstance(value, (bool, np.bool_)):  # True is not a number here (an array of bools is data)
            raise TypeError(f"{name} must be a numeric array {self.what}; got {value!r}")
        try:
            arr = np.asarray(value)
        except ValueError:  # ragged nested lists
            raise ValueError(f"{name} must be a rectangular numeric array; got {value!r:.80}") from None
        if arr.dtype.kind == "c":
            raise TypeError(f"{name} must be real; got complex values (dtype {arr.dtype})")
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}")
        if arr.ndim not in self.ndim or (arr.ndim and len(arr) < self.min_rows):
            dims = " or ".join(f"{d}-D" for d in self.ndim)
            rows = {0: "", 1: " with at least one row"}.get(self.min_rows, f" with at least {self.min_rows} rows")
            raise ValueError(f"{name} must be a {dims} array {self.what}{rows}; got shape {arr.shape}")
        columns = _resolve(self.columns, args)
        if columns is not None and arr.shape[-1] != columns:
            raise ValueError(f"{name} must have {columns} columns (the network's input size); got shape {arr.shape}")
        if self.finite and arr.dtype.kind == "f":
            bad = arr.size - np.count_nonzero(np.isfinite(arr))
            if bad:
                raise ValueError(f"{name} contains {bad} NaN or infinite values: clean the data first")
        if self.bounds is not None and arr.size:
            low, high = self.bounds  # positive: open at low (values whose logarithm is taken)
            least, most = float(arr.min()), float(arr.max())  # in float64: a float16 array cannot hold 1e6
            if least < low or (self.positive and least <= low) or most > high:
                kind = f"> {low:g}" if self.positive else f">= {low:g}"
                raise ValueError(f"{name} must hold values {kind} and <= {high:g}; got values from {least:.3g} "
                                 f"to {most:.3g}")
        return arr

    def bad_values(self):
        d = self.ndim[0]
        shape = (3,) * d
        too_many = np.ones((3,) * (max(self.ndim) + 1))
        out_of_bounds = [] if self.bounds is None else [np.full(shape, self.bounds[1] * 2.0 + 1.0)]
        strings = np.array(["a"] * 3).reshape((3,) + (1,) * (d - 1)) if d else np.array("a")
        return out_of_bounds + [None, "abc", np.full(shape, np.nan), np.full(shape, np.inf), np.ones(shape) * 1j,
                                too_many, strings]


class Labels(Constraint):
    """Integer class labels, one per row of the parameter ``rows`` (if given), each in ``[0, classes)``
    (``classes`` an int or a function of the other arguments, e.g. the network's output width)."""

    def __init__(self, rows=None, classes=None):
        self.rows, self.classes = rows, classes

    def check(self, name, value, args):
        y = np.asarray(value)
        if y.dtype.kind not in "iub" and not (y.dtype.kind == "f" and np.isfinite(y).all() and (y == np.round(y)).all()):
            raise TypeError(f"{name} must hold integer class labels; got dtype {y.dtype}")
        n = None if self.rows is None else len(args[self.rows])
        if y.ndim != 1 or (n is not None and len(y) != n):
            want = "a 1-D array of class labels" if n is None else f"one label per row of {self.rows} ({n})"
            raise ValueError(f"{name} must hold {want}; got shape {y.shape}")
        classes = _resolve(self.classes, args)
        if y.size and (y.min() < 0 or (classes is not None and y.max() >= classes)):
            top = "" if classes is None else f" to {classes - 1}"
            raise ValueError(f"{name} must hold class labels 0{top}; got values from {y.min()} to {y.max()}")
        return y.astype(np.int64, copy=False)

    def bad_values(self):
        return [np.array(["a", "b", "c"]), np.array([0.5, 1.0, 0.0]), np.array([-1, 0, 1]), np.array([99, 0, 1]),
                np.array([np.nan, 0, 1]), None]


class Numbers(Constraint):
    """A finite real number or an array of them (a grid of a vectorized formula), each in ``[low, high]``."""

    def __init__(self, low=None, high=None):
        self.scalar, self.low, self.high = Real(low, high), low, high

    def check(self, name, value, args):
        if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
            return self.scalar.check(name, value, args)
        arr = Data(ndim=(0, 1, 2, 3), min_rows=0, what="of numbers").check(name, value, args)
        least, most = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 0.0)  # float64, as in Data
        if arr.size and ((self.low is not None and least < self.low) or (self.high is not None and most > self.high)):
            raise ValueError(f"{name} must hold numbers in [{self.low}, {self.high}]; got values from {least:.3g} "
                             f"to {most:.3g}")
        return arr

    def bad_values(self):
        lists = [v for v in self.scalar.bad_values() if not isinstance(v, list)]  # [1.0] is a valid grid
        return lists + [np.array([np.nan, 1.0]), np.array([1j])]


REGRESSION_LOSSES = ("mean_squared_error", "mse")


class Targets(Constraint):
    """``y`` for a network: class labels in ``[0, classes)`` (one per row of the parameter ``rows``; a column
    ``(n, 1)`` too) or, when the parameter ``loss`` names mean squared error, finite real targets. None passes
    (a Dataset given as ``X`` carries its own)."""

    def __init__(self, rows, classes, loss="loss"):
        self.labels, self.classes, self.loss = Labels(rows, classes), classes, loss

    def check(self, name, value, args):
        if value is None:
            return None
        loss = getattr(args.get(self.loss), "__name__", args.get(self.loss))
        if isinstance(loss, str) and loss in REGRESSION_LOSSES:
            Data(ndim=(1, 2), min_rows=0, what="of targets").check(name, value, args)
            return value
        y = np.asarray(value)
        if self.labels.rows is not None and not hasattr(args[self.labels.rows], "__len__"):
            return value  # X is a Dataset: fit refuses y beside it
        self.labels.check(name, y[:, 0] if y.ndim == 2 and y.shape[1] == 1 else y, args)
        return value

    def bad_values(self):
        return [v for v in self.labels.bad_values() if v is not None]
