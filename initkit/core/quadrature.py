"""Expectations under a standard normal, E[f(z)] with z ~ N(0, 1), by Gaussian quadrature.

Many activations have a kink at 0 (relu, leaky relu, elu, selu). Gauss-Hermite quadrature over the
whole line converges slowly there: with 101 nodes E[relu(z)] is off by 3e-3. Splitting the integral at
0 and using Gauss-Legendre nodes on each half-line [0, Z_MAX] makes the integrand smooth on each piece,
so the rule is exact to about 1e-15 for every activation in the table. The tail beyond Z_MAX = 12 standard
deviations weighs phi(12) ~ 1e-32 and is dropped.
"""
import functools
import math

import numpy as np

from .constraints import Callable, Integer
from .validation import check_number, validate_params

Z_MAX = 12.0
DEFAULT_POINTS = 96
MAX_POINTS = 1000  # leggauss(n) solves an n x n eigenproblem; 1000 nodes is already exact to 1e-15


@functools.lru_cache(maxsize=8)
def half_line_rule(n=DEFAULT_POINTS):
    """Nodes x and weights w with sum(w * g(x)) = integral_0^Z_MAX g(x) phi(x) dx, phi the N(0,1) pdf.

    Gauss-Legendre nodes t_i on [-1, 1] mapped to x = (t + 1) Z_MAX / 2, weights times phi(x) Z_MAX / 2.

    >>> x, w = half_line_rule()
    >>> len(x), round(float(w.sum()), 12)                  # P(0 <= z <= 12) = 1/2
    (96, 0.5)
    """
    t, w = np.polynomial.legendre.leggauss(n)
    x = (t + 1) * (Z_MAX / 2)
    w = w * (Z_MAX / 2) * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@functools.lru_cache(maxsize=8)
def whole_line_rule(n=DEFAULT_POINTS):
    """:func:`half_line_rule` mirrored onto [-Z_MAX, Z_MAX]: 2n nodes, sum(w * g(x)) = E[g(z)], z ~ N(0, 1).

    >>> x, w = whole_line_rule()
    >>> len(x), round(float(w.sum()), 12), round(float(w @ x**2), 12)   # E[1] = E[z^2] = 1
    (192, 1.0, 1.0)
    """
    x, w = half_line_rule(n)
    x, w = np.concatenate([-x[::-1], x]), np.concatenate([w[::-1], w])
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@validate_params({"f": Callable(), "n": Integer(1, MAX_POINTS)})
def gaussian_expectation(f, n=DEFAULT_POINTS):
    """E[f(z)] for z ~ N(0, 1); ``f`` maps a float64 array of nodes to an array of values.

    E[f(z)] = integral_0^inf (f(x) + f(-x)) phi(x) dx, each half by :func:`half_line_rule`.

    >>> round(gaussian_expectation(lambda z: np.maximum(z, 0) ** 2), 12)   # E[relu(z)^2] = 1/2
    0.5
    >>> round(gaussian_expectation(lambda z: z**4), 12)                    # E[z^4] = 3
    3.0
    """
    if not callable(f):
        raise TypeError(f"f must be a function of a float64 array; got {type(f).__name__}")
    n = check_number("n", n, low=1, high=MAX_POINTS, integer=True)
    x, w = half_line_rule(int(n))
    with np.errstate(over="ignore", invalid="ignore"):
        up, down = np.asarray(f(x)), np.asarray(f(-x))
        if not all(np.issubdtype(v.dtype, np.number) and not np.iscomplexobj(v) for v in (up, down)):
            raise TypeError(f"f must return real numbers; got dtype {up.dtype}")
        if up.shape not in ((), x.shape) or down.shape not in ((), x.shape):
            raise ValueError(f"f must return one value per node (shape {x.shape}) or a scalar; got {up.shape}")
        return float(np.sum(w * up) + np.sum(w * down))
