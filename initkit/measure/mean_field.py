"""Mean-field signal propagation, the correlation side: the correlation map, c*, chi_c, the depth scales.

Two inputs through a wide random layer (Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016, "Exponential
expressivity in deep neural networks through transient chaos", NeurIPS; Schoenholz, Gilmer, Ganguli &
Sohl-Dickstein 2017, "Deep information propagation", ICLR), u_1, u_2 jointly Gaussian, variance q, correlation c:

    correlation map  c_{l+1} = (sigma_w^2 E[phi(u_1) phi(u_2)] + sigma_b^2) / q*     (at q = q*)
    chi_c = sigma_w^2 E[phi'(u_1) phi'(u_2)] at the fixed point c*  (equals chi_1 when c* = 1)
    depth scales  xi_q = -1 / ln(dq_{l+1}/dq_l at q*),   xi_c = -1 / ln(chi_c)       (Schoenholz eqs. 7, 9)

The slope of the length map is Schoenholz's chi_1 + sigma_w^2 E[phi'' phi] (Gaussian integration by parts);
we take it as a central difference of the map itself, so no second derivative is needed.

This is the public namespace of the recursion, ``ik.mean_field``: it re-exports the length side,
:mod:`initkit.measure.mean_field_length` (``length_map``, ``fixed_point_q``, ``chi1_grid``, ``critical_line``...),
and the per-layer predictions of :mod:`initkit.measure.theory` are thin calls to them. The 2-D expectations use a
product Gauss-Legendre rule, exact to about 1e-10 for tanh (smooth), to about 1e-4 for kinked activations (ReLU's
kink lies on a slanted line of the (z_1, z_2) plane).

At sigma_w^2 = sigma_b^2 = 0 every pre-activation is exactly 0, q* = 0, and the correlation of two zero signals is
0/0 with no limit (c_{l+1} -> 1 along sigma_w^2 = 0, where every input maps to the same bias vector; -> 0 along
sigma_b^2 = 0 for tanh, where c_{l+1} = sigma_w^2 c near q = 0): the correlation map and c* refuse that point. chi_c and the depth scales need no c there: chi_c = 0 * E[...] = 0, and both maps are
constant (the layer forgets its input), so xi_q = xi_c = 0, reached in one layer.
"""

import numpy as np

from ..core.activations import get_activation
from ..core.array_constraints import Numbers
from ..core.constraints import Integer, Optional, Real
from ..core.quadrature import whole_line_rule
from ..core.validation import validate_params
from .mean_field_length import (ACT, ODD, VAR, _fixed_point, _second, chi1_grid, chi1_map, critical_line,
                                critical_weight_var, fixed_point_q, gaussian_moments, length_map)

__all__ = ["propagate", "gaussian_moments", "length_map", "fixed_point_q", "chi1_grid", "correlation_map",
           "correlation_fixed_point", "chi_c", "depth_scales", "chi1_map", "critical_weight_var", "critical_line"]

_N2 = 48  # half-line nodes per axis of the 2-D expectations
Q2_MAX = 30.0  # the largest q at which the 2-D rule is exact to 1e-7 for a saturating activation (tanh)
SCALE_FREE = ("linear", "relu", "leaky_relu")  # phi(a u) = a phi(u) for a > 0: the rule's error is the same at any q


def _expect2(f, q, c, n=_N2):
    """E[f(u_1, u_2)] with u_1 = sqrt(q) z_1, u_2 = sqrt(q) (c z_1 + sqrt(1 - c^2) z_2), broadcast over q, c."""
    x, w = whole_line_rule(n)
    q, c = np.broadcast_arrays(np.asarray(q, dtype=np.float64), np.asarray(c, dtype=np.float64))
    root, s = np.sqrt(q)[..., None, None], np.sqrt(np.clip(1 - c * c, 0, None))[..., None, None]
    u1 = root * x[:, None]
    u2 = root * (c[..., None, None] * x[:, None] + s * x[None, :])
    return np.einsum("...ij,i,j->...", f(u1, u2), w, w)


def _outer_weights(g, q, symmetric=False, n=_N2):
    """w_i g(sqrt(q) z_i) on the nodes of :func:`_expect2`'s first axis (it does not depend on c: computed once).

    ``symmetric``: g odd or even, so g(u_1) g(u_2) is unchanged when (z_1, z_2) -> (-z_1, -z_2), a symmetry of the
    product rule: the nodes z_1 > 0 with doubled weights give the same sum (to rounding) at half the cost."""
    x, w = whole_line_rule(n)
    if symmetric:
        x, w = x[n:], 2 * w[n:]
    return g(np.sqrt(np.asarray(q, dtype=np.float64))[..., None] * x) * w


def _expect2_product(g, q, c, outer, n=_N2):
    """E[g(u_1) g(u_2)] as :func:`_expect2` computes it, from ``outer`` = :func:`_outer_weights` (g, q): the
    integrand factorizes, so g is evaluated on the (z_1, z_2) grid only for u_2 (only for z_1 > 0 when ``outer``
    is the symmetric half)."""
    x, w = whole_line_rule(n)
    x1 = x if outer.shape[-1] == x.size else x[x.size // 2:]
    q, c = np.broadcast_arrays(np.asarray(q, dtype=np.float64), np.asarray(c, dtype=np.float64))
    root, s = np.sqrt(q)[..., None, None], np.sqrt(np.clip(1 - c * c, 0, None))[..., None, None]
    inner = g(root * (c[..., None, None] * x1[:, None] + s * x[None, :])) @ w
    return np.sum(np.broadcast_to(outer, inner.shape) * inner, axis=-1)


def _refuse_inaccurate(q, activation, names):
    """The product rule of :func:`_expect2` places its nodes on the scale z ~ 1, but phi(sqrt(q) z) bends on the
    scale 1 / sqrt(q): for a saturating activation it is exact to 1e-7 at q = 30, 1e-4 at 100, 2 % at 1e3 (tanh,
    measured at c = 0 and 1 against the 1-D rule). Beyond :data:`Q2_MAX` a ValueError names the arguments, rather
    than a plausible wrong number; linear, ReLU and leaky ReLU are scale-free (phi(a u) = a phi(u)), so their
    accuracy does not depend on q."""
    kind = activation if isinstance(activation, str) else getattr(activation, "name", "")
    top = float(np.max(q)) if np.size(q) else 0.0
    if top == np.inf:
        raise ValueError(f"{names} give q* = inf: the length map has no finite fixed point (q_l grows without "
                         f"bound, e.g. ReLU above weight_var_n = 2), so the correlation side is undefined there")
    if kind not in SCALE_FREE and not top <= Q2_MAX:
        raise ValueError(f"{names} give q = {top:.3g}, above {Q2_MAX:g}, where the 2-D quadrature of the correlation "
                         f"side is no longer accurate for {kind!r} (exact to 1e-7 up to q = 30, 2 % off at 1e3); "
                         "the length side (fixed_point_q, chi1_grid, critical_line) has no such limit")


def _refuse_zero_length(q):
    """The correlation map divides by q*: at q* = 0 (sigma_w^2 = sigma_b^2 = 0) it is 0/0, refused by name."""
    if np.any(np.asarray(q) == 0):
        raise ValueError("the correlation map is undefined where q* = 0 (weight_var_n = bias_var = 0, or q = 0): "
                         "every pre-activation is exactly 0 and the correlation of two zero signals is 0/0; "
                         "give weight_var_n > 0 or bias_var > 0")


@validate_params({"c": Numbers(-1, 1), "weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "q": Optional(VAR)})
def correlation_map(c, weight_var_n, bias_var=0.0, activation="tanh", q=None):
    """c_{l+1} = (sigma_w^2 E[phi(u_1) phi(u_2)] + sigma_b^2) / q* for two inputs at the fixed length q*
    (Poole et al. 2016, eq. 5), elementwise over ``c``.

    >>> print(round(float(correlation_map(1.0, 1.5, 0.05)), 6))  # c = 1 is always a fixed point
    1.0
    """
    phi = get_activation(activation)
    q = _fixed_point(weight_var_n, bias_var, phi) if q is None else q
    _refuse_zero_length(q)
    _refuse_inaccurate(q, activation, "weight_var_n and bias_var (or q)")
    return (weight_var_n * _expect2_product(phi, q, c, _outer_weights(phi, q, phi.name in ODD)) + bias_var) / q


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "n_iter": Integer(1, 10**4)})
def correlation_fixed_point(weight_var_n, bias_var=0.0, activation="tanh", n_iter=48):
    """The stable fixed point c* of the correlation map in [0, 1]: 1 in the ordered phase, below 1 in the
    chaotic one. Bisection on c_{l+1}(c) - c over [0, 1 - 1e-12] (positive below c*, negative between c* and 1;
    the map of an odd activation without bias fixes c* = 0 exactly), elementwise over arrays of the scales
    (Poole et al. 2016, Fig. 2: ordered c* = 1, chaotic c* < 1).

    >>> print(correlation_fixed_point(np.array([1.0, 2.5]), 0.05).round(3))
    [1.    0.447]
    """
    phi = get_activation(activation)
    q = _fixed_point(weight_var_n, bias_var, phi)
    _refuse_zero_length(q)
    _refuse_inaccurate(q, activation, "weight_var_n and bias_var")
    shape = np.broadcast(np.asarray(weight_var_n), np.asarray(bias_var)).shape
    lo, hi = np.zeros(shape), np.full(shape, 1.0 - 1e-12)
    outer = _outer_weights(phi, q, phi.name in ODD)  # (the map's c-independent half, once for every halving)
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        c_next = (weight_var_n * _expect2_product(phi, q, mid, outer) + bias_var) / q  # correlation_map at mid
        up = c_next > mid  # the map pushes c up: c* is higher
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    c = 0.5 * (lo + hi)
    return np.where(c > 1 - 1e-9, 1.0, c)


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT})
def chi_c(weight_var_n, bias_var=0.0, activation="tanh"):
    """chi_c = sigma_w^2 E[phi'(u_1) phi'(u_2)] at the correlation fixed point c* (Schoenholz et al. 2017, eq. 9):
    the slope of the correlation map there; below chi_1 in the chaotic phase, equal to it in the ordered one.

    >>> print(round(float(chi_c(2.5, 0.05)), 3), round(float(chi1_grid(2.5, fixed_point_q(2.5, 0.05))), 3))
    0.919 1.134
    """
    phi = get_activation(activation)
    q = _fixed_point(weight_var_n, bias_var, phi)
    dead = q == 0  # sigma_w^2 = sigma_b^2 = 0: c* is undefined, but chi_c = 0 * E[...] = 0 for any c; take c = 1
    _refuse_inaccurate(q, activation, "weight_var_n and bias_var")
    c = correlation_fixed_point.__wrapped__(weight_var_n, np.where(dead, 1.0, bias_var), phi)
    return weight_var_n * _expect2_product(phi.derivative, q, c, _outer_weights(phi.derivative, q, phi.name in ODD))


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT})
def depth_scales(weight_var_n, bias_var=0.0, activation="tanh"):
    """(xi_q, xi_c): how many layers the length and the correlation take to reach their fixed points
    (Schoenholz et al. 2017, eqs. 7 and 9): xi = -1 / ln(slope of the map at its fixed point).
    xi_c diverges at criticality (chi_1 = 1); xi_q stays finite there when bias_var > 0 and diverges only
    at bias_var = 0, weight_var_n = 1 (tanh), where q* -> 0.

    >>> xq, xc = depth_scales(1.2, 0.05)
    >>> print(f"{xq:.3g} {xc:.3g}")
    1.81 5.94
    """
    phi = get_activation(activation)
    q = _fixed_point(weight_var_n, bias_var, phi)
    h = np.where(q > 0, 1e-5 * q, 1.0)  # q* = 0 only at sigma_w^2 = sigma_b^2 = 0: a constant map, slope 0
    with np.errstate(invalid="ignore"):  # the length map's central difference (its bias term cancels)
        slope = np.where(q > 0, np.asarray(weight_var_n) * (_second(phi, q + h) - _second(phi, np.abs(q - h))) / (2 * h),
                         0.0)
    return _scale(slope), _scale(chi_c.__wrapped__(weight_var_n, bias_var, phi))


def _scale(slope):
    """-1 / ln(slope), infinite where the slope reaches 1 (a marginal fixed point: no exponential approach)."""
    slope = np.asarray(slope, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(slope < 1, -1.0 / np.log(np.minimum(slope, 1.0)), np.inf)


@validate_params({"c0": Real(-1, 1), "depth": Integer(1, 10**5), "weight_var_n": Real(0, 1e150), "bias_var": Real(0, 1e150),
                  "activation": ACT, "q0": Real(0, 1e150)})
def propagate(c0, depth, weight_var_n, bias_var=0.0, activation="tanh", q0=1.0):
    """Theory for two inputs of second moment ``q0`` and correlation ``c0`` through ``depth`` layers whose first
    layer sees the raw input (as :class:`initkit.MLP` does): q_1 = sigma_w^2 q0 + sigma_b^2,
    q12_1 = sigma_w^2 c0 q0 + sigma_b^2, then the length and correlation maps. Returns (q_l, c_l), l = 1..depth.

    >>> q, c = propagate(0.5, 3, 1.0, 0.0, "linear")
    >>> print(q.round(3), c.round(3))
    [1. 1. 1.] [0.5 0.5 0.5]
    """
    phi = get_activation(activation)
    q, q12 = weight_var_n * q0 + bias_var, weight_var_n * c0 * q0 + bias_var
    qs, cs = np.empty(depth), np.empty(depth)
    for l in range(depth):
        qs[l], cs[l] = q, np.clip(q12 / q, -1.0, 1.0) if q > 0 else 1.0
        _refuse_inaccurate(q, activation, "weight_var_n, bias_var and q0")
        q12 = weight_var_n * float(_expect2_product(phi, q, cs[l], _outer_weights(phi, q, phi.name in ODD))) + bias_var
        q = float(weight_var_n * _second(phi, q) + bias_var)
    return qs, cs
