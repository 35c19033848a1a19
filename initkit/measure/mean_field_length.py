"""Mean-field signal propagation, the length side: the length map, its fixed point q*, chi_1, the edge of chaos.

A wide random layer ``z_l = phi(z_{l-1}) W_l + b_l`` with Var(W) = sigma_w^2 / n and Var(b) = sigma_b^2
(Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016, "Exponential expressivity in deep neural networks
through transient chaos", NeurIPS; Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, "Deep information
propagation", ICLR). With z ~ N(0, 1):

    length map       q_{l+1} = sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2          -> fixed point q*
    chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]   (slope of the c-map at c = 1: ordered < 1 < chaotic)

The correlation side (correlation map, c*, chi_c, depth scales) is :mod:`initkit.measure.mean_field`, which also
re-exports every name here: ``ik.mean_field.length_map`` is the public spelling. The functions take arrays (one
value per grid point), so a whole phase diagram costs a few vectorized quadratures.

Expectations use :func:`initkit.core.quadrature.half_line_rule` (Gauss-Legendre on each half-line [0, 12]). For
q > 100 the integrand phi(sqrt(q) z) changes on the scale z ~ 1/sqrt(q), finer than those nodes (tanh'^2 at
q = 1e4 was 1.7 % off, at 1e9 exactly 0), so each half-line is split at z = 24 / sqrt(q) into two Gauss-Legendre
panels: exact to about 1e-13 for every q up to 1e150 (checked against adaptive quadrature).
"""
import functools

import numpy as np

from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.array_constraints import Numbers
from ..core.constraints import Integer, Options, Real
from ..core.quadrature import Z_MAX, half_line_rule, whole_line_rule
from ..core.validation import validate_params

ACT = Options(ACTIVATIONS, types=(Activation,))
VAR = Numbers(0, 1e150)  # sigma_w^2, sigma_b^2, q: non-negative, and small enough to square in float64

__all__ = ["gaussian_moments", "length_map", "fixed_point_q", "chi1_grid", "chi1_map", "critical_weight_var",
           "critical_line"]

_N1 = 96  # Gauss-Legendre nodes per half-line (per panel beyond Q_SPLIT)
Q_SPLIT = 100.0  # up to here one panel [0, 12] is exact to 1e-10 (tanh'^2); beyond, two panels
U_EDGE = 24.0  # the inner panel covers |sqrt(q) z| <= 24, where every activation in the table bends
# q = 0 is taken as the limit q -> 0+: u = sqrt(q) z keeps the sign of z, so a kinked activation averages its two
# one-sided slopes (ReLU: E[phi'^2] -> 1/2, sigma_w^2 = 2 on the critical line) instead of reading phi'(0) exactly
# at the kink, a convention (0 for ReLU: 1 / 0). (phi(1e-200 z)^2 underflows to 0: the length map stays 0.)
ROOT_TINY = 1e-200
Q_CAP = 1e155  # the largest q the length map is evaluated at: sigma_w^2 <= 1e150 times E[phi^2] ~ q stays finite


@functools.lru_cache(maxsize=4)
def _half(n):
    """The positive half of :func:`~initkit.core.quadrature.whole_line_rule` with doubled weights: the rule for
    an even integrand."""
    x, w = half_line_rule(n)
    w = 2 * w
    w.setflags(write=False)
    return x, w


@functools.lru_cache(maxsize=4)
def _legendre(n):
    """Gauss-Legendre nodes and weights on [-1, 1] (an n x n eigenproblem: computed once per n)."""
    return np.polynomial.legendre.leggauss(n)


def _expect(f, q, n=_N1, scale_free=False, even=False):
    """E[f(sqrt(q) z)] for z ~ N(0, 1), for every entry of the array ``q`` (two panels per half-line where q > 100).

    ``scale_free``: f(a u) = a^k f(u) for a > 0 (linear, ReLU, leaky ReLU, their squares and slopes): the one-panel
    rule's relative error is then the same at every q, so the two-panel rule is not needed (it costs twice the
    nodes). ``even``: f(-u) = f(u) (the square or the slope's square of an odd activation): the rule is symmetric,
    so one half-line with doubled weights gives the same sum (to rounding) at half the cost."""
    q = np.asarray(q, dtype=np.float64)
    root = np.maximum(np.sqrt(q), ROOT_TINY)
    x, w = _half(n) if even else whole_line_rule(n)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.array(f(root[..., None] * x) @ w, dtype=np.float64)
    if scale_free:
        return out[()]
    big = (q > Q_SPLIT) & np.isfinite(q)  # (q = inf: the one-panel rule gives the limit, f at +-inf)
    if big.any():
        out[big] = _expect_split(f, root[big], n)
    return out[()]


def _expect_split(f, root, n):
    """The two-panel rule for a 1-D array of sqrt(q) > 10: [0, 24 / sqrt(q)] and [24 / sqrt(q), 12] per half-line."""
    root = root[:, None]
    t, wt = _legendre(n)
    edge = U_EDGE / root  # z where the inner panel ends
    x = np.concatenate([edge * (t + 1) / 2, edge + (Z_MAX - edge) * (t + 1) / 2], axis=-1)
    w = np.concatenate([wt * edge / 2, wt * (Z_MAX - edge) / 2], axis=-1) * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)
    with np.errstate(over="ignore", invalid="ignore"):
        return ((f(root * x) + f(-root * x)) * w).sum(axis=-1)


SCALE_FREE = ("linear", "relu", "leaky_relu")  # phi(a u) = a phi(u) for a > 0
ODD = ("linear", "tanh")  # phi(-u) = -phi(u): phi^2 and phi'^2 are even


def _second(phi, q):
    """E[phi(sqrt(q) z)^2] for a resolved activation ``phi`` (no argument checks: the inner loops' path)."""
    return _expect(lambda u: phi(u) ** 2, q, scale_free=phi.name in SCALE_FREE, even=phi.name in ODD)


def _slope2(phi, q):
    """E[phi'(sqrt(q) z)^2] for a resolved activation ``phi``."""
    return _expect(lambda u: phi.derivative(u) ** 2, q, scale_free=phi.name in SCALE_FREE, even=phi.name in ODD)


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
    return np.asarray(weight_var_n) * _second(get_activation(activation, **params), q) + bias_var


@validate_params({"weight_var_n": VAR, "bias_var": VAR, "activation": ACT, "q_max": Real(0, Q_CAP, closed="right"),
                  "n_iter": Integer(1, 10**4)})
def fixed_point_q(weight_var_n, bias_var=0.0, activation="tanh", q_max=1e6, n_iter=64):
    """q* of the length map for every (sigma_w^2, sigma_b^2) pair (arrays broadcast), by bisection on
    q - length_map(q) over [sigma_b^2, length_map(Q)] (an upper bound for an increasing map): 64 halvings,
    exact to float64 for a map with one stable fixed point (tanh, sigmoid-like). Where sigma_b^2 = 0 and the
    map stays below q (ordered tanh), q* = 0.
    Agrees with the scalar iteration ``initkit.theory.fixed_point``.

    The bracket's end Q starts at ``q_max`` and grows by 1e20 while the map still pushes q up there
    (length_map(Q) > Q: tanh at sigma_w^2 = 1e9 has q* near 1e9), up to :data:`Q_CAP` = 1e155. Where the map
    still pushes q up at Q_CAP there is no finite fixed point to reach from large q, and q* is ``inf``, never
    the bracket's edge: ReLU above sigma_w^2 = 2, and GELU/SiLU at sigma_b^2 = 0 from sigma_w^2 of about 2.03
    (they grow like ReLU for large q).

    >>> print(round(float(fixed_point_q(1.7610, 0.05)), 3))  # Schoenholz et al.'s critical point
    0.57
    >>> print(fixed_point_q(np.array([1.5, 3.0]), 0.0, "gelu").round(3))  # q* = 0, then no finite fixed point
    [ 0. inf]
    """
    return _fixed_point(weight_var_n, bias_var, get_activation(activation), q_max, n_iter)


def _fixed_point(weight_var_n, bias_var, phi, q_max=1e6, n_iter=64):
    """:func:`fixed_point_q` for a resolved activation ``phi``, unchecked (the inner loops' path)."""
    sw, sb = np.broadcast_arrays(np.asarray(weight_var_n, dtype=np.float64), np.asarray(bias_var, dtype=np.float64))
    end = np.full(sw.shape, float(q_max))
    top = np.array(sw * _second(phi, end) + sb, dtype=np.float64, ndmin=1).reshape(sw.shape)
    while np.any(grow := (top > end) & (end < Q_CAP)):  # the map pushes q up at the end: move the end out
        end[grow] = np.minimum(end[grow] * 1e20, Q_CAP)
        top[grow] = sw[grow] * _second(phi, end[grow]) + sb[grow]
    unbounded = top > end  # still growing at Q_CAP: q_l -> inf from any q above the largest fixed point
    lo, hi = sb.copy(), np.where(unbounded, sb, np.minimum(top, end))  # (no bisection where there is no q*)
    lo, hi = np.array(lo, ndmin=1).reshape(sw.shape), np.array(hi, ndmin=1).reshape(sw.shape)
    for _ in range(n_iter):
        # where lo == hi (no fixed point, or a bracket shrunk to one float) a halving changes nothing: skip it
        open_ = lo != hi
        if not open_.any():
            break
        if open_.all():
            mid = 0.5 * (lo + hi)
            above = sw * _second(phi, mid) + sb > mid  # the map pushes q up: the fixed point is higher
            lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
        else:
            mid = 0.5 * (lo[open_] + hi[open_])
            above = sw[open_] * _second(phi, mid) + sb[open_] > mid
            lo[open_], hi[open_] = np.where(above, mid, lo[open_]), np.where(above, hi[open_], mid)
    return np.where(unbounded, np.inf, 0.5 * (lo + hi))[()]  # [()]: a scalar for scalar input, as before


@validate_params({"weight_var_n": VAR, "q": VAR, "activation": ACT})
def chi1_grid(weight_var_n, q, activation="tanh", **params):
    """chi_1 = sigma_w^2 E[phi'(sqrt(q) z)^2] elementwise (Poole et al. 2016, eq. 7); ``theory.chi1`` for arrays.

    >>> print(round(float(chi1_grid(1.0, 0.0)), 3))  # tanh'(0) = 1: chi_1 = sigma_w^2 at q* = 0
    1.0
    """
    return np.asarray(weight_var_n) * _slope2(get_activation(activation, **params), q)


@validate_params({"sw2": VAR, "sb2": VAR, "activation": ACT})
def chi1_map(sw2, sb2, activation="tanh"):
    """chi_1 at the fixed point q* on the grid ``sw2`` x ``sb2`` (shape (len(sb2), len(sw2))): the colours of
    the phase diagram (:func:`initkit.plotting.signal_figures.plot_phase_diagram`).

    >>> print(chi1_map([1.0, 2.5], [0.0, 0.05]).round(3))
    [[1.    1.173]
     [0.759 1.134]]
    """
    S, B = np.meshgrid(np.asarray(sw2, dtype=np.float64), np.asarray(sb2, dtype=np.float64))
    phi = get_activation(activation)
    return S * _slope2(phi, _fixed_point(S, B, phi))


@validate_params({"bias_var": VAR, "activation": ACT, "low": Real(0, 1e6, closed="right"),
                  "high": Real(lambda a: a["low"], 1e6, closed="right"), "n_iter": Integer(40, 200)})
def critical_weight_var(bias_var=0.0, activation="tanh", low=0.01, high=20.0, n_iter=60):
    """sigma_w^2 on the edge of chaos for a given sigma_b^2: the root of chi_1(sigma_w^2, q*) = 1 by a bracketing search
    over [low, high] (arrays of ``bias_var`` allowed). tanh: 1 at sigma_b^2 = 0, 1.761 at 0.05 (Schoenholz et
    al. 2017, Fig. 1); ReLU: 2 at sigma_b^2 = 0 (He's).

    ``nan`` where there is no such root, never an end of the search interval: where chi_1 stays on one side of 1
    over [low, high], or where it jumps over 1 because q* jumps to infinity (GELU and SiLU at sigma_b^2 = 0:
    q* = 0 with chi_1 = sigma_w^2 / 4 up to sigma_w^2 of about 2.03, then no finite fixed point). ``n_iter`` >= 40
    halvings: the jump test compares chi_1 at the bracket's ends, which only a narrow bracket can tell from a root.
    (The search splits the bracket 16-fold per round, ceil(n_iter / 4) rounds: at least n_iter halvings' worth.)

    >>> print(round(float(critical_weight_var(0.05)), 3), round(float(critical_weight_var(0.0, "relu")), 3))
    1.761 2.0
    >>> print(critical_weight_var(0.0, "gelu"), critical_weight_var(0.05, high=1.5))
    nan nan
    """
    sb = np.asarray(bias_var, dtype=np.float64)
    phi = get_activation(activation)

    def chi(sw2):  # chi_1 at the last axis's sigma_w^2 values, one vectorized call
        return sw2 * _slope2(phi, _fixed_point(sw2, sb[..., None], phi))

    lo, hi = np.full(sb.shape, low), np.full(sb.shape, high)
    ends = chi(np.stack([lo, hi], axis=-1))
    bracketed = (ends[..., 0] <= 1) & (ends[..., 1] > 1)
    # Each round splits the bracket into 16 at 15 interior points, all evaluated in one call (a 16-fold narrowing
    # for the price of about one halving, whose cost is the calls' overhead): ceil(n_iter / 4) rounds narrow it at
    # least as much as n_iter halvings.
    fractions = np.arange(1, 16) / 16
    for _ in range(-(-n_iter // 4)):
        grid = np.concatenate([lo[..., None], lo[..., None] + (hi - lo)[..., None] * fractions, hi[..., None]], axis=-1)
        chaotic = chi(grid[..., 1:-1]) > 1
        first = np.where(chaotic.any(axis=-1), np.argmax(chaotic, axis=-1) + 1, 16)  # the first chaotic point (or hi)
        lo = np.take_along_axis(grid, first[..., None] - 1, axis=-1)[..., 0]
        hi = np.take_along_axis(grid, first[..., None], axis=-1)[..., 0]
    ends = chi(np.stack([lo, hi], axis=-1))
    continuous = np.abs(ends[..., 1] - ends[..., 0]) < 1e-6  # a root, not a jump of chi_1 over 1
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
    sw = 1.0 / _slope2(phi, q)
    return sw, np.asarray(q) - sw * _second(phi, q)
