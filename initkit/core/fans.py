"""Fans and gains: how many inputs feed a unit, and how much an activation shrinks the signal.

Weight layout, used everywhere in initkit: a dense weight has shape ``(fan_in, fan_out)`` and a layer
computes ``x @ W + b``. A convolution kernel has shape ``(*receptive_field, in_channels, out_channels)``
(the Keras layout), so fan_in = in_channels * prod(receptive_field) and
fan_out = out_channels * prod(receptive_field). PyTorch stores ``(fan_out, fan_in)``: compare with ``W.T``.
"""
import math

import numpy as np

from .validation import validate_params
from .activations import ACTIVATIONS, Activation, get_activation
from .constraints import Optional, Options, Real, Shape
from .quadrature import gaussian_expectation


@validate_params({"shape": Shape})
def compute_fans(shape):
    """Return ``(fan_in, fan_out)`` for a weight of the given shape.

    >>> compute_fans((64, 128))
    (64, 128)
    >>> compute_fans((3, 3, 16, 32))   # 3x3 conv, 16 -> 32 channels
    (144, 288)
    """
    if len(shape) < 2:
        raise ValueError(
            f"fan_in and fan_out can not be computed for shape {shape} with fewer than 2 dimensions: "
            "a weight is (fan_in, fan_out) or (*receptive_field, in, out)"
        )
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def fan_for(mode, fan_in, fan_out):
    """The n of Var(W) = scale / n: fan_in, fan_out, or their mean for 'fan_avg' (Glorot).

    >>> fan_for("fan_avg", 64, 128)
    96.0
    """
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def _he_factor(negative_slope):
    """He's rule, gain^2 = 2 / (1 + a^2) for a leaky slope a (a = 0: ReLU): its one home. Beyond |a| = 1e150
    it is 2 / a / a, so a^2 never overflows (it underflows to 0 only past |a| ~ 1e162)."""
    a = negative_slope
    return 2.0 / (1.0 + a * a) if abs(a) < 1e150 else 2.0 / a / a


# The gain table: gain^2 per nonlinearity, so Var(W) = gain^2 / fan exactly (sqrt(2)^2 is not 2 in float64).
# Every initializer that scales by a gain reads it here; the gains are their square roots (GAINS, below).
SQUARED_GAINS = {
    "linear": lambda: 1.0,
    "sigmoid": lambda: 1.0,
    "tanh": lambda: 25.0 / 9.0,  # (5/3)^2, PyTorch's value, given there without a derivation; gain_for: 1.5925
    "relu": lambda: SQUARED_GAINS["leaky_relu"](0.0),  # 2, He et al. (2015): E[relu(z)^2] = Var(z) / 2
    "leaky_relu": _he_factor,  # 2 / (1 + a^2), He et al. (2015) for PReLU slope a
    # (3/4)^2: 3/4 is PyTorch's empirical choice. Self-normalizing nets want LeCun normal, i.e. gain 1
    # ('linear'), and lose their fixed point with 3/4 (Klambauer et al. 2017).
    "selu": lambda: 9.0 / 16.0,
}

# Recommended gains, the values of PyTorch's calculate_gain (std = gain / sqrt(fan)): the square roots of
# SQUARED_GAINS, called like them (``GAINS["leaky_relu"](0.2)``).
GAINS = {name: (lambda *param, name=name: math.sqrt(SQUARED_GAINS[name](*param))) for name in SQUARED_GAINS}


def squared_gain(nonlinearity, param=None):
    """gain^2 of a nonlinearity (see :func:`calculate_gain`): the factor of a variance-scaling rule,
    Var(W) = gain^2 / fan. He's 2 / (1 + a^2) is ``squared_gain("leaky_relu", a)``.

    >>> squared_gain("relu"), squared_gain("leaky_relu", 1.0), math.sqrt(squared_gain("tanh")) == 5 / 3
    (2.0, 1.0, True)
    """
    if nonlinearity == "leaky_relu":  # (names and param checked at the boundary: calculate_gain, he_normal)
        slope = 0.01 if param is None else param
        factor = SQUARED_GAINS["leaky_relu"](slope)
        if factor == 0.0:
            raise ValueError(f"param={slope!r} makes the gain^2 2 / (1 + a^2) underflow to 0")
        return factor
    if param is not None:
        raise ValueError(f"param is only used by 'leaky_relu'; got param={param!r} for {nonlinearity!r}")
    return SQUARED_GAINS[nonlinearity]()


@validate_params({"nonlinearity": Options(SQUARED_GAINS), "param": Optional(Real())})
def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity, as in PyTorch's ``calculate_gain``.

    ============  =========================
    nonlinearity  gain
    ============  =========================
    linear        1
    sigmoid       1
    tanh          5/3
    relu          sqrt(2)
    leaky_relu    sqrt(2 / (1 + a^2)), a = param (default 0.01)
    selu          3/4 (use 'linear' for self-normalizing nets)
    ============  =========================

    relu's sqrt(2) is He, Zhang, Ren & Sun (2015), Delving Deep into Rectifiers; std = gain / sqrt(fan).
    The square root of :func:`squared_gain`, the one table (:data:`SQUARED_GAINS`).

    >>> round(calculate_gain("tanh"), 4), round(calculate_gain("leaky_relu", 0.2), 4)
    (1.6667, 1.3868)
    """
    return math.sqrt(squared_gain(nonlinearity, param))


ACT = Options(ACTIVATIONS, types=(Activation,))


# q <= 1e300 keeps phi(sqrt(q) z)^2 finite at |z| <= 12
@validate_params({"activation": ACT, "q": Real(0, 1e300)})
def second_moment(activation, q=1.0, **params):
    """E[phi(sqrt(q) z)^2], z ~ N(0, 1): the second moment of an activation fed a N(0, q) input.

    The q of the mean-field recursion q_l = sigma_w^2 E[phi(sqrt(q_{l-1}) z)^2] (Poole et al. 2016,
    Exponential expressivity in deep neural networks through transient chaos).

    >>> round(second_moment("relu"), 6), round(second_moment("relu", q=4.0), 6)   # E[relu(z)^2] = q / 2
    (0.5, 2.0)
    """
    phi = get_activation(activation, **params)
    root = math.sqrt(q)
    return gaussian_expectation(lambda z: phi(root * z) ** 2)


@validate_params({"activation": ACT})
def gain_for(activation, **params):
    """The gain that restores the second moment: 1 / sqrt(E[phi(z)^2]) for z ~ N(0, 1), computed.

    For relu this is exactly sqrt(2); for linear 1; for tanh 1.5925, while the gain table holds 5/3 = 1.6667,
    the value PyTorch's ``calculate_gain`` lists without a derivation (since its 2017 pull request #1172): 4.7 %
    above the gain that restores the second moment, so it is not a rounding of 1.5925. (Without biases both
    are chaotic: tanh's edge of chaos there is gain 1, notebook 08.)
    It works for any activation in the table, including ones with no tabulated gain (gelu, swish).

    >>> round(gain_for("relu"), 4), round(gain_for("tanh"), 4), round(gain_for("linear"), 4)
    (1.4142, 1.5925, 1.0)
    """
    m2 = second_moment.__wrapped__(activation, 1.0, **params)
    if not np.isfinite(m2) or m2 <= 0:
        raise ValueError(f"activation {activation!r} has E[phi(z)^2] = {m2}: no finite gain exists")
    return 1.0 / math.sqrt(m2)
