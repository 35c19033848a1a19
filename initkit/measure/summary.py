"""Seed statistics printed honestly: a sample of runs as "mean ± std" with only the digits the spread supports,
so a printed result survives another BLAS kernel or thread count (the runs of :func:`initkit.fit_many` and
:func:`initkit.fit_seeds`; diverged runs are counted apart).
"""
import numpy as np

from ..core.array_constraints import Data
from ..core.constraints import Bool, Instance, Real
from ..core.validation import validate_params

__all__ = ["mean_spread"]


def _decimals(spread):
    """Decimals that keep the first significant digit of ``spread`` (two when that digit is 1); negative
    for a spread of 20 or more (round to tens, hundreds, ...)."""
    mantissa, exponent = f"{spread:.0e}".split("e")  # rounded first: 0.1999... counts as 0.2
    return -int(exponent) + (1 if mantissa == "1" else 0)


class _Sample(Data):
    """Numbers of any shape (flattened), at least one; NaN and inf allowed: they are counted as diverged runs."""

    def __init__(self):
        super().__init__(ndim=(0, 1, 2, 3), finite=False, what="of numbers (runs)")

    def bad_values(self):
        return [None, "abc", np.ones(3) * 1j, np.ones((2,) * 4), np.array(["a"] * 3), []]


class _Text(Instance):
    def __init__(self):
        super().__init__("a string", types=(str,))

    def bad_values(self):
        return [None, 3, ["%"], b"%"]


@validate_params({"values": _Sample(), "unit": _Text(), "scale": Real(), "percent": Bool})
def mean_spread(values, unit="", scale=1.0, *, percent=False):
    """``"mean ± std"`` of a sample (std with ddof=1), rounded to the first significant digit of the std
    (two digits when it starts with 1, so 0.14 is not shown as 0.1); ``"110 ± 20"``, not ``"107 ± 20"``.

    >>> mean_spread([0.91, 0.95, 0.93])
    '0.93 ± 0.02'
    >>> mean_spread([0.961, 0.957, 0.969], "%", 100)
    '96.2 ± 0.6 %'
    >>> mean_spread([2.0, 2.2, np.inf])
    '2.10 ± 0.14 (1 of 3 not finite)'

    ``unit`` is printed after both numbers, ``scale`` multiplies the values first (100 for percent);
    ``percent=True`` is short for ``unit="%", scale=100`` (fractions printed as percentages).
    Non-finite values (diverged runs) are left out and counted. A single value or a zero spread is
    printed to 3 significant digits and ``± 0``.
    """
    if percent:
        unit, scale = "%", 100.0
    x = np.asarray(values, dtype=np.float64).ravel()
    finite = x[np.isfinite(x)]
    note = f" ({x.size - finite.size} of {x.size} not finite)" if finite.size < x.size else ""
    suffix = f" {unit.strip()}" if unit.strip() else ""
    if finite.size == 0:
        return "not finite" + note
    top = float(np.abs(finite).max()) or 1.0  # statistics of finite / top: no square overflows, then scaled back
    mean = top * float((finite / top).mean()) * scale
    sd = top * float((finite / top).std(ddof=1)) * abs(scale) if finite.size > 1 else 0.0
    if not (np.isfinite(mean) and np.isfinite(sd)):
        raise ValueError(f"scale={scale!r} makes the values overflow float64 (largest |value| {top:.3g})")
    if sd == 0:
        return f"{mean:.3g} ± 0{suffix}{note}"
    decimals = _decimals(sd)
    if decimals < 0:  # a spread of tens or more: round both to that power of ten
        mean, sd, decimals = round(mean, decimals), round(sd, decimals), 0
    return f"{mean:.{decimals}f} ± {sd:.{decimals}f}{suffix}{note}"
