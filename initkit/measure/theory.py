"""What theory predicts for the signal in a freshly initialized network, layer by layer.

Mean-field recursion (Poole et al. 2016; Schoenholz et al. 2017). With z_l = a_{l-1} W_l + b_l,
weights of variance Var(W_l) and biases of variance sigma_b^2, a wide layer's pre-activations are Gaussian
with variance

    q_l = n_{l-1} Var(W_l) E[phi(sqrt(q_{l-1}) z)^2] + sigma_b^2,      z ~ N(0, 1),

where the first layer sees the raw input instead: q_1 = n_0 Var(W_1) E[x^2] + sigma_b^2. Backward, the
gradient with respect to a layer's activations has variance

    Var(dL/da_{l-1}) = n_l Var(W_l) E[phi'(sqrt(q_l) z)^2] Var(dL/da_l).

In the linear regime (phi(z) = z, no bias) the forward recursion is the product prod_l n_{l-1} Var(W_l).
The recursion itself lives once, vectorized, in :mod:`initkit.measure.mean_field` (``gaussian_moments``,
``length_map``, ``chi1_grid``); the functions here are its per-layer, scalar face. Expectations are computed
exactly by quadrature (:mod:`initkit.core.quadrature`).
"""
import math
from dataclasses import dataclass

import numpy as np

from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import Constraint, Integer, Optional, Options, Real, Sizes
from ..core.validation import check_number, validate_params
from ..core.activations import get_activation
from ..core.fans import compute_fans
from ..core.registry import ALIASES, INIT_TABLE, init_spec
from .mean_field import chi1_grid, gaussian_moments, length_map


def known_variance():
    """Initializer names (and aliases) whose Var(W) is known, read from :data:`initkit.core.registry.INIT_TABLE`."""
    return {name for name in {*INIT_TABLE, *ALIASES} if init_spec(name).variance(1, 1) is not None}


MAX_LAYERS = 10_000  # a prediction costs three quadratures per layer (about 0.3 ms)


def check_sizes(sizes):
    """Layer widths as a list of at least 2 positive ints (input first), or a ValueError naming ``sizes``."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths (input first); got {sizes!r}")
    if not 2 <= len(sizes) <= MAX_LAYERS + 1:
        raise ValueError(f"sizes must list between 2 and {MAX_LAYERS + 1} layer widths (input first); got {len(sizes)}")
    for s in sizes:
        check_number("each entry of sizes", s, low=1, integer=True)
    return [int(s) for s in sizes]


def check_weight_var(weight_var, n_layers):
    """One finite Var(W) >= 0 for every layer, or one per layer, as a float array of n_layers."""
    var = np.asarray(weight_var)
    if not np.issubdtype(var.dtype, np.number) or np.iscomplexobj(var):
        raise TypeError(f"weight_var must be a number or a list of numbers; got {weight_var!r}")
    var = var.astype(np.float64)
    if var.ndim > 1 or (var.ndim == 1 and len(var) != n_layers):
        raise ValueError(f"weight_var must be one value or a list of {n_layers} (one per layer); got shape {var.shape}")
    if not np.isfinite(var).all() or (var < 0).any():
        raise ValueError(f"weight_var must be finite and >= 0 (a variance); got {weight_var!r}")
    return np.broadcast_to(var, (n_layers,))


SIZES = Sizes(min_len=2, max_len=10_001, what="layer widths (input first)")
ACT = Options(ACTIVATIONS, types=(Activation,))


class _WeightVar(Constraint):
    """One Var(W) >= 0 for every layer, or one per layer of ``sizes`` (:func:`check_weight_var` writes the message)."""

    def check(self, name, value, args):
        check_weight_var(value, len(args["sizes"]) - 1)
        return value

    def bad_values(self):
        return [-0.1, float("nan"), float("inf"), "x", [1.0] * 50, [[1.0]], 1j]


WEIGHT_VAR = _WeightVar()


@validate_params({"init": Options(known_variance), "fan_in": Integer(1, 2**31), "fan_out": Integer(1, 2**31),
                  "gain": Real()})
def weight_variance(init, fan_in, fan_out, gain=1.0):
    """Var(W) of an initializer by name, times gain^2, as the initializer table states it
    (:data:`initkit.core.registry.INIT_TABLE`): e.g. he_normal -> 2 / fan_in; orthogonal matrices have entries
    of variance 1 / max(fan_in, fan_out) (unit rows or columns).

    >>> weight_variance("he_normal", 256, 128)
    0.0078125
    """
    g2 = gain * gain  # not gain**2, which raises OverflowError beyond 1.3e154
    var = g2 * init_spec(init).variance(fan_in, fan_out)
    if not math.isfinite(var):
        raise ValueError(f"gain={gain!r} makes Var(W) = gain^2 Var({init}) overflow float64")
    return var


@dataclass
class Prediction:
    """Per-layer predictions (arrays indexed by layer, 0 = first layer)."""

    pre_var: np.ndarray  # q_l = Var(z_l)
    act_mean: np.ndarray  # E[a_l]
    act_m2: np.ndarray  # E[a_l^2]
    da_var: np.ndarray  # Var(dL/da_l), with Var(dL/da_L) = 1 at the last layer

    @property
    def act_var(self):
        return np.maximum(self.act_m2 - self.act_mean**2, 0.0)

    @property
    def act_std(self):
        return np.sqrt(self.act_var)

    @property
    def pre_std(self):
        return np.sqrt(self.pre_var)

    @property
    def da_std(self):
        return np.sqrt(self.da_var)


@validate_params({"sizes": SIZES, "activation": ACT, "weight_var": Optional(WEIGHT_VAR),
                  "init": Optional(Options(known_variance)), "gain": Real(), "bias_var": Real(0), "input_m2": Real(0)})
def predict(sizes, activation="tanh", weight_var=None, *, init=None, gain=1.0, bias_var=0.0, input_m2=1.0,
            **params):
    """Mean-field prediction for an MLP with layer widths ``sizes`` (input first), every layer ``activation``.

    Give either ``weight_var`` (one Var(W) for all layers, or one per layer) or ``init`` (a name, see
    :func:`weight_variance`). ``input_m2`` is E[x^2] of the input. Values that overflow become inf.
    """
    n_layers = len(sizes) - 1
    if (weight_var is None) == (init is None):
        raise ValueError("predict needs exactly one of weight_var or init")
    if weight_var is None:
        weight_var = [weight_variance.__wrapped__(init, sizes[l], sizes[l + 1], gain) for l in range(n_layers)]
    var = check_weight_var(weight_var, n_layers)
    phi = get_activation(activation, **params)
    pre, mean, m2, d2 = (np.empty(n_layers) for _ in range(4))
    prev_m2 = input_m2
    with np.errstate(over="ignore", invalid="ignore"):
        for l in range(n_layers):
            pre[l] = sizes[l] * var[l] * prev_m2 + bias_var
            if np.isfinite(pre[l]) and pre[l] < 1e300:
                mean[l], m2[l], d2[l] = gaussian_moments.__wrapped__(pre[l], phi)
            else:
                mean[l], m2[l], d2[l] = np.nan, np.inf, np.nan
            prev_m2 = m2[l]
        grad = np.empty(n_layers)
        grad[-1] = 1.0
        for l in range(n_layers - 1, 0, -1):
            grad[l - 1] = sizes[l + 1] * var[l] * d2[l] * grad[l]
    return Prediction(pre_var=pre, act_mean=mean, act_m2=m2, da_var=grad)


@validate_params({"sizes": SIZES, "weight_var": WEIGHT_VAR, "input_var": Real(0)})
def linear_variance(sizes, weight_var, input_var=1.0):
    """Var of each layer's output in a linear network: input_var * prod_{k<=l} n_{k-1} Var(W_k)."""
    sizes = np.asarray(check_sizes(sizes), dtype=np.float64)
    var = check_weight_var(weight_var, len(sizes) - 1)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return input_var * np.cumprod(sizes[:-1] * var)


@validate_params({"weight_var_n": Real(0), "q": Real(0, 1e300), "activation": ACT})
def chi1(weight_var_n, q, activation="tanh", **params):
    """chi_1 = sigma_w^2 E[phi'(sqrt(q) z)^2]: the per-layer growth factor of small perturbations.

    ``weight_var_n`` is sigma_w^2 = n Var(W). chi_1 < 1 is ordered (perturbations die), > 1 chaotic.
    """
    weight_var_n = check_number("weight_var_n", weight_var_n, low=0)
    q = check_number("q", q, low=0, high=1e300)
    return float(chi1_grid.__wrapped__(weight_var_n, q, activation, **params))


@validate_params({"weight_var_n": Real(0), "bias_var": Real(0), "activation": ACT, "q0": Real(0, 1e300),
                  "tol": Real(0, closed="right"), "max_iter": Integer(1, 10**6)})
def fixed_point(weight_var_n, bias_var=0.0, activation="tanh", q0=1.0, tol=1e-12, max_iter=10_000, **params):
    """q* with q* = sigma_w^2 E[phi(sqrt(q*) z)^2] + sigma_b^2, by iterating the map from q0.

    At most ``max_iter`` iterations; returns inf when the map grows without bound."""
    phi = get_activation(activation, **params)
    q = q0
    for _ in range(max_iter):
        new = float(length_map.__wrapped__(q, weight_var_n, bias_var, phi))
        if not np.isfinite(new) or abs(new - q) <= tol * max(1.0, q):
            return new
        q = new
    return q


@validate_params({"init": Options(known_variance), "gain": Real()})
def std_for(init, shape, gain=1.0):
    """The std of a named initializer for a weight shape (uses :func:`compute_fans`)."""
    fan_in, fan_out = compute_fans(shape)
    return math.sqrt(weight_variance(init, fan_in, fan_out, gain))


