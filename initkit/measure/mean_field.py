"""Mean-field signal propagation on whole grids: the length map, the correlation map, chi_1, depth scales.

A wide random layer ``z_l = phi(z_{l-1}) W_l + b_l`` with Var(W) = sigma_w^2 / n and Var(b) = sigma_b^2
(Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016, "Exponential expressivity in deep neural networks
through transient chaos", NeurIPS; Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, "Deep information
propagation", ICLR). With z ~ N(0, 1) and u_1, u_2 jointly Gaussian, variance q, correlation c:

    length map       q_{l+1} = sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2          -> fixed point q*
    correlation map  c_{l+1} = (sigma_w^2 E[phi(u_1) phi(u_2)] + sigma_b^2) / q*     (at q = q*)
    chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]   (slope of the c-map at c = 1: ordered < 1 < chaotic)
    chi_c = sigma_w^2 E[phi'(u_1) phi'(u_2)] at the fixed point c*  (equals chi_1 when c* = 1)
    depth scales  xi_q = -1 / ln(dq_{l+1}/dq_l at q*),   xi_c = -1 / ln(chi_c)       (Schoenholz eqs. 7, 9)

The slope of the length map is Schoenholz's chi_1 + sigma_w^2 E[phi'' phi] (Gaussian integration by parts);
we take it as a central difference of the map itself, so no second derivative is needed.

This module is the one home of the recursion: the functions take arrays (one value per grid point) so a whole
phase diagram costs a few vectorized quadratures, and the per-layer predictions of :mod:`initkit.measure.theory`
(``predict``, ``chi1``, ``fixed_point``) are thin calls to :func:`gaussian_moments` and :func:`length_map`.
Expectations use :func:`initkit.core.quadrature.half_line_rule` (Gauss-Legendre on each half-line) in one and
two dimensions; the 2-D product rule is exact to about 1e-10 for tanh (smooth), to about 1e-4 for kinked
activations (ReLU's kink lies on a slanted line of the (z_1, z_2) plane).
"""
import numpy as np

from ..core.activations import get_activation
from ..core.quadrature import half_line_rule
from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import Integer, Optional, Options, Real
from ..core.array_constraints import Numbers
from ..core.validation import check_number, validate_params

ACT = Options(ACTIVATIONS, types=(Activation,))
VAR = Numbers(0, 1e150)  # sigma_w^2, sigma_b^2, q: non-negative, and small enough to square in float64

__all__ = ["propagate", "gaussian_moments", "length_map", "fixed_point_q", "chi1_grid", "correlation_map",
           "correlation_fixed_point", "chi_c", "depth_scales", "chi1_map", "critical_weight_var", "critical_line"]

_N1, _N2 = 96, 48  # half-line nodes for 1-D and (per axis) 2-D expectations


def _rule(n):
    x, w = half_line_rule(n)
    return np.concatenate([-x[::-1], x]), np.concatenate([w[::-1], w])  # the whole line


def _expect(f, q, n=_N1):
    """E[f(sqrt(q) z)] for z ~ N(0, 1), for every entry of the array ``q``."""
    x, w = _rule(n)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return f(np.sqrt(q)[..., None] * x) @ w


def _expect2(f, q, c, n=_N2):
    """E[f(u_1, u_2)] with u_1 = sqrt(q) z_1, u_2 = sqrt(q) (c z_1 + sqrt(1 - c^2) z_2), broadcast over q, c."""
    x, w = _rule(n)
    q, c = np.broadcast_arrays(np.asarray(q, dtype=np.float64), np.asarray(c, dtype=np.float64))
    root, s = np.sqrt(q)[..., None, None], np.sqrt(np.clip(1 - c * c, 0, None))[..., None, None]
    u1 = root * x[:, None]
    u2 = root * (c[..., None, None] * x[:, None] + s * x[None, :])
    return np.einsum("...ij,i,j->...", f(u1, u2), w, w)


def _check_scales(**values):
    """Each array of scales (variances, q) must be finite and >= 0; a ValueError names the first that is not."""
    for name, value in values.items():
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise TypeError(f"{name} must be a real number or an array of them; got {value!r}")
        if not (np.isfinite(arr).all() and (arr >= 0).all()):
            raise ValueError(f"{name} must be finite and >= 0 (a variance); got {value!r}")


@validate_params({"q": VAR, "activation": ACT})
def gaussian_moments(q, activation="tanh", **params):
    """(E[phi(u)], E[phi(u)^2], E[phi'(u)^2]) for u ~ N(0, q), elementwise over the array ``q``: the three
    expectations of the mean-field recursion, forward (mean, second moment) and backward (phi'^2).

    >>> [round(float(m), 4) for m in gaussian_moments(1.0, "relu")]     # 1/sqrt(2 pi), 1/2, 1/2
    [0.3989, 0.5, 0.5]
    """
    phi = get_activation(activation, **params)
    return (_expect(phi, q), _expect(lambda u: phi(u) ** 2, q), _expect(lambda u: phi.derivative(u) ** 2, q))


@validate_params({"q": VAR, "weight_var_n": VAR, "bias_var": VAR, "activation": ACT})
def length_map(q, weight_var_n, bias_var=0.0, activation="tanh", **params):
    """q_{l+1} = sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2, elementwise over arrays (Poole et al. 2016, eq. 3).

    >>> print(round(float(length_map(1.0, 1.0)), 4))  # E[tanh(z)^2]
    0.3943
    """
    _check_scales(q=q, weight_var_n=weight_var_n, bias_var=bias_var)
    phi = get_activation(activation, **params)
    return np.asarray(weight_var_n) * _expect(lambda u: phi(u) ** 2, q) + bias_var


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "q_max": Real(0, 1e300, closed="right"),
                  "n_iter": Integer(1, 10**4)})
def fixed_point_q(weight_var_n, bias_var=0.0, activation="tanh", q_max=1e6, n_iter=64):
    """q* of the length map for every (sigma_w^2, sigma_b^2) pair (arrays broadcast), by bisection on
    q - length_map(q) over [sigma_b^2, length_map(q_max)] (an upper bound for an increasing map): 64 halvings,
    exact to float64 for a map with one stable fixed point (tanh, sigmoid-like). Where sigma_b^2 = 0 and the
    map stays below q (ordered tanh), q* = 0.
    Agrees with the scalar iteration ``initkit.theory.fixed_point``.

    Where the map still pushes q up at ``q_max`` (length_map(q_max) > q_max) there is no finite fixed point to
    reach from large q, and q* is ``inf``, never the bracket's edge: ReLU above sigma_w^2 = 2, and GELU/SiLU
    at sigma_b^2 = 0 from sigma_w^2 of about 2.03 (they grow like ReLU for large q).

    >>> print(round(float(fixed_point_q(1.7610, 0.05)), 3))  # Schoenholz et al.'s critical point
    0.57
    >>> print(fixed_point_q(np.array([1.5, 3.0]), 0.0, "gelu").round(3))  # q* = 0, then no finite fixed point
    [ 0. inf]
    """
    check_number("q_max", q_max, low=0, low_inclusive=False)
    _check_scales(weight_var_n=weight_var_n, bias_var=bias_var)
    sw, sb = np.broadcast_arrays(np.asarray(weight_var_n, dtype=np.float64), np.asarray(bias_var, dtype=np.float64))
    top = length_map.__wrapped__(float(q_max), sw, sb, activation)
    unbounded = top > q_max  # still growing at q_max: q_l -> inf from any q above the largest fixed point
    lo, hi = sb.copy(), np.minimum(top, q_max)
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        above = length_map.__wrapped__(mid, sw, sb, activation) > mid  # the map pushes q up: the fixed point is higher
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return np.where(unbounded, np.inf, 0.5 * (lo + hi))[()]  # [()]: a scalar for scalar input, as before


@validate_params({"weight_var_n": VAR, "q": VAR, "activation": ACT})
def chi1_grid(weight_var_n, q, activation="tanh", **params):
    """chi_1 = sigma_w^2 E[phi'(sqrt(q) z)^2] elementwise (Poole et al. 2016, eq. 7); ``theory.chi1`` for arrays.

    >>> print(round(float(chi1_grid(1.0, 0.0)), 3))  # tanh'(0) = 1: chi_1 = sigma_w^2 at q* = 0
    1.0
    """
    _check_scales(weight_var_n=weight_var_n)
    phi = get_activation(activation, **params)
    return np.asarray(weight_var_n) * _expect(lambda u: phi.derivative(u) ** 2, q)


@validate_params({"c": Numbers(-1, 1), "weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "q": Optional(VAR)})
def correlation_map(c, weight_var_n, bias_var=0.0, activation="tanh", q=None):
    """c_{l+1} = (sigma_w^2 E[phi(u_1) phi(u_2)] + sigma_b^2) / q* for two inputs at the fixed length q*
    (Poole et al. 2016, eq. 5), elementwise over ``c``.

    >>> print(round(float(correlation_map(1.0, 1.5, 0.05)), 6))  # c = 1 is always a fixed point
    1.0
    """
    phi = get_activation(activation)
    q = fixed_point_q.__wrapped__(weight_var_n, bias_var, activation) if q is None else q
    return (weight_var_n * _expect2(lambda a, b: phi(a) * phi(b), q, c) + bias_var) / q


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "n_iter": Integer(1, 10**4)})
def correlation_fixed_point(weight_var_n, bias_var=0.0, activation="tanh", n_iter=48):
    """The stable fixed point c* of the correlation map in [0, 1]: 1 in the ordered phase, below 1 in the
    chaotic one. Bisection on c_{l+1}(c) - c over [0, 1 - 1e-12] (positive below c*, negative between c* and 1;
    the map of an odd activation without bias fixes c* = 0 exactly), elementwise over arrays of the scales
    (Poole et al. 2016, Fig. 2: ordered c* = 1, chaotic c* < 1).

    >>> print(correlation_fixed_point(np.array([1.0, 2.5]), 0.05).round(3))
    [1.    0.447]
    """
    q = fixed_point_q.__wrapped__(weight_var_n, bias_var, activation)
    shape = np.broadcast(np.asarray(weight_var_n), np.asarray(bias_var)).shape
    lo, hi = np.zeros(shape), np.full(shape, 1.0 - 1e-12)
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        up = correlation_map.__wrapped__(mid, weight_var_n, bias_var, activation, q) > mid  # the map pushes c up: c* is higher
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
    q = fixed_point_q.__wrapped__(weight_var_n, bias_var, activation)
    c = correlation_fixed_point.__wrapped__(weight_var_n, bias_var, activation)
    return weight_var_n * _expect2(lambda a, b: phi.derivative(a) * phi.derivative(b), q, c)


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
    _check_scales(weight_var_n=weight_var_n, bias_var=bias_var)
    q = fixed_point_q.__wrapped__(weight_var_n, bias_var, activation)
    h = 1e-5 * q
    slope = (length_map.__wrapped__(q + h, weight_var_n, bias_var, activation)
             - length_map.__wrapped__(q - h, weight_var_n, bias_var, activation)) / (2 * h)
    return _scale(slope), _scale(chi_c.__wrapped__(weight_var_n, bias_var, activation))


def _scale(slope):
    """-1 / ln(slope), infinite where the slope reaches 1 (a marginal fixed point: no exponential approach)."""
    slope = np.asarray(slope, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(slope < 1, -1.0 / np.log(np.minimum(slope, 1.0)), np.inf)


@validate_params({"sw2": VAR, "sb2": VAR, "activation": ACT})
def chi1_map(sw2, sb2, activation="tanh"):
    """chi_1 at the fixed point q* on the grid ``sw2`` x ``sb2`` (shape (len(sb2), len(sw2))): the colours of
    the phase diagram (:func:`initkit.plotting.signal_figures.plot_phase_diagram`).

    >>> print(chi1_map([1.0, 2.5], [0.0, 0.05]).round(3))
    [[1.    1.173]
     [0.759 1.134]]
    """
    S, B = np.meshgrid(np.asarray(sw2, dtype=np.float64), np.asarray(sb2, dtype=np.float64))
    return chi1_grid.__wrapped__(S, fixed_point_q.__wrapped__(S, B, activation), activation)


@validate_params({"bias_var": VAR, "activation": ACT, "low": Real(0, 1e6, closed="right"),
                  "high": Real(lambda a: a["low"], 1e6, closed="right"), "n_iter": Integer(1, 200)})
def critical_weight_var(bias_var=0.0, activation="tanh", low=0.01, high=20.0, n_iter=60):
    """sigma_w^2 on the edge of chaos for a given sigma_b^2: the root of chi_1(sigma_w^2, q*) = 1 by bisection
    over [low, high] (arrays of ``bias_var`` allowed). tanh: 1 at sigma_b^2 = 0, 1.761 at 0.05 (Schoenholz et
    al. 2017, Fig. 1); ReLU: 2 at sigma_b^2 = 0 (He's).

    ``nan`` where there is no such root, never an end of the search interval: where chi_1 stays on one side of 1
    over [low, high], or where it jumps over 1 because q* jumps to infinity (GELU and SiLU at sigma_b^2 = 0:
    q* = 0 with chi_1 = sigma_w^2 / 4 up to sigma_w^2 of about 2.03, then no finite fixed point).

    >>> print(round(float(critical_weight_var(0.05)), 3), round(float(critical_weight_var(0.0, "relu")), 3))
    1.761 2.0
    >>> print(critical_weight_var(0.0, "gelu"), critical_weight_var(0.05, high=1.5))
    nan nan
    """
    _check_scales(bias_var=bias_var)
    low = check_number("low", low, low=0)
    high = check_number("high", high, low=low, low_inclusive=False)
    n_iter = check_number("n_iter", n_iter, low=1, high=200, integer=True)
    sb = np.asarray(bias_var, dtype=np.float64)

    def chi(sw2):
        return chi1_grid.__wrapped__(sw2, fixed_point_q.__wrapped__(sw2, sb, activation), activation)

    lo, hi = np.full(sb.shape, low), np.full(sb.shape, high)
    bracketed = (chi(lo) <= 1) & (chi(hi) > 1)
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        chaotic = chi(mid) > 1
        lo, hi = np.where(chaotic, lo, mid), np.where(chaotic, mid, hi)
    continuous = np.abs(chi(hi) - chi(lo)) < 1e-6  # a root, not a jump of chi_1 over 1
    return np.where(bracketed & continuous, 0.5 * (lo + hi), np.nan)[()]


@validate_params({"q": VAR, "activation": ACT})
def critical_line(q, activation="tanh"):
    """The edge of chaos parametrized by q*: sigma_w^2 = 1 / E[phi'^2], sigma_b^2 = q* - sigma_w^2 E[phi^2]
    (chi_1 = 1 and q* a fixed point, solved for the two scales). Returns (sigma_w^2, sigma_b^2) arrays; keep
    the points with sigma_b^2 >= 0. Exact, no root finding: the line of the phase diagram (Schoenholz et al.
    2017, Fig. 1).

    >>> sw2, sb2 = critical_line(np.array([0.1, 0.57]))
    >>> print(sw2.round(3), sb2.round(4))
    [1.178 1.761] [0.0008 0.05  ]
    """
    phi = get_activation(activation)
    sw = 1.0 / _expect(lambda u: phi.derivative(u) ** 2, q)
    return sw, np.asarray(q) - sw * _expect(lambda u: phi(u) ** 2, q)


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
    check_number("depth", depth, low=1, integer=True)
    check_number("c0", c0, low=-1, high=1)
    phi = get_activation(activation)
    q, q12 = weight_var_n * q0 + bias_var, weight_var_n * c0 * q0 + bias_var
    qs, cs = np.empty(depth), np.empty(depth)
    for l in range(depth):
        qs[l], cs[l] = q, np.clip(q12 / q, -1.0, 1.0) if q > 0 else 1.0
        q12 = weight_var_n * float(_expect2(lambda a, b: phi(a) * phi(b), q, cs[l])) + bias_var
        q = float(length_map.__wrapped__(q, weight_var_n, bias_var, activation))
    return qs, cs
