"""Activation functions and their exact derivatives, as one table.

Each row of ``ACTIVATIONS`` is ``name -> (phi, dphi)`` where both take the pre-activation ``z`` (and the
activation's parameters as keywords) and return an array of the same shape and dtype. Adding an
activation is adding a row (the scikit-learn ``ACTIVATIONS``/``DERIVATIVES`` pattern).

Derivatives at a kink (ReLU at 0) use the left derivative, as the frameworks do.
"""
import numpy as np

from .constraints import Options
from .validation import check_number, check_one_of, validate_params

# SELU constants, Klambauer et al. (2017), eq. (14): the fixed point (mean 0, variance 1).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946
# sqrt(2 / pi), used by the tanh form of GELU (Hendrycks & Gimpel 2016).
_GELU_C = 0.7978845608028654


def sigmoid(z):
    """1 / (1 + e^-z), computed from e^-|z| so it never overflows and keeps full relative precision."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)




def _linear(z):
    return z


def _d_linear(z):
    return np.ones_like(z)


def _d_sigmoid(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def _d_tanh(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z):
    return np.maximum(z, 0)


def _d_relu(z):
    return (z > 0).astype(z.dtype)


def _leaky_relu(z, negative_slope=0.01):
    return np.where(z > 0, z, negative_slope * z)


def _d_leaky_relu(z, negative_slope=0.01):
    return np.where(z > 0, 1.0, negative_slope).astype(z.dtype)


# ELU and its derivative select between two branches by arithmetic, not np.where: each branch is exactly 0
# where the other applies (expm1(min(z, 0)) = 0 for z > 0; the 0/1 mask), so the values are np.where's, and a
# masked select on random signs costs several times a pass of arithmetic (SELU nets trained 1.3x slower).
def _elu(z, alpha=1.0):
    return np.maximum(z, 0) + alpha * np.expm1(np.minimum(z, 0))  # z for z > 0, alpha (e^z - 1) otherwise


def _d_elu(z, alpha=1.0):
    positive = (z > 0).astype(z.dtype)
    return positive + (1 - positive) * (alpha * np.exp(np.minimum(z, 0)))  # 1 for z > 0, alpha e^z otherwise


def _selu(z):
    return SELU_LAMBDA * _elu(z, SELU_ALPHA)


def _d_selu(z):
    return SELU_LAMBDA * _d_elu(z, SELU_ALPHA)


# Beyond |z| = 10 the tanh below is exactly +-1 in float32 and float64 (its argument exceeds 43), so the cubic
# is evaluated on z clipped to [-10, 10]: the same values, and no overflow of z^3 for |z| > 1e102.
_GELU_CLIP = 10.0


def _gelu(z):
    # The tanh form used by BERT and GPT-2: 0.5 z (1 + tanh(c (z + 0.044715 z^3))). Below -10 the factor
    # 1 + tanh is exactly 0, so z is floored there too (same values; -inf gives 0, not inf * 0 = NaN).
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    return 0.5 * np.maximum(z, -_GELU_CLIP) * (1.0 + np.tanh(_GELU_C * (zc + 0.044715 * (zc * zc * zc))))


def _d_gelu(z):
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    t = np.tanh(_GELU_C * (zc + 0.044715 * (zc * zc * zc)))
    return 0.5 * (1.0 + t) + 0.5 * zc * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * (zc * zc))


def _softplus(z):
    return np.logaddexp(0, z).astype(z.dtype, copy=False)


# sigmoid(z) and sigmoid(z) (1 - sigmoid(z)) are exactly 0 beyond |z| = 1e4 in float32 and float64, so z is
# clipped there where it multiplies them: the same values, and 0 (not inf * 0 = NaN) at infinite z.
_SWISH_CLIP = 1e4


def _swish(z):
    return np.maximum(z, -_SWISH_CLIP) * sigmoid(z)


def _d_swish(z):
    s = sigmoid(z)
    return s + np.clip(z, -_SWISH_CLIP, _SWISH_CLIP) * s * (1.0 - s)


ACTIVATIONS = {
    "linear": (_linear, _d_linear),
    "sigmoid": (sigmoid, _d_sigmoid),
    "tanh": (np.tanh, _d_tanh),
    "relu": (_relu, _d_relu),
    "leaky_relu": (_leaky_relu, _d_leaky_relu),
    "elu": (_elu, _d_elu),
    "selu": (_selu, _d_selu),
    "gelu": (_gelu, _d_gelu),
    "softplus": (_softplus, sigmoid),
    "swish": (_swish, _d_swish),
}
# The parameters each activation accepts, with their defaults.
PARAMETERS = {"leaky_relu": {"negative_slope": 0.01}, "elu": {"alpha": 1.0}}
# Activations whose outputs are bounded and can saturate; units are "saturated" near the bound.
SATURATING = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
# Activations with a flat zero region where a unit can be "dead" (never active).
RECTIFYING = {"relu"}


def _as_float(z):
    """Arrays of float32/float64 pass through untouched; scalars, lists and integers become float64 arrays."""
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        return z
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.number) or np.iscomplexobj(z):
        raise TypeError(f"z must be a real numeric array or number; got dtype {z.dtype}")
    return z if z.dtype.kind == "f" else z.astype(np.float64)


class Activation:
    """An activation ``phi`` with its derivative, e.g. ``Activation('leaky_relu', negative_slope=0.2)``.

    ``act(z)`` computes phi(z); ``act.derivative(z)`` computes phi'(z) from the pre-activation z.
    """

    def __init__(self, name, **params):
        check_one_of("activation name", name, ACTIVATIONS)  # names the argument: `name`
        allowed = PARAMETERS.get(name, {})
        for key, value in params.items():
            if key not in allowed:
                known = ", ".join(repr(k) for k in allowed) or "none"
                raise ValueError(f"activation {name!r} takes parameters {known}; got {key!r}")
            params[key] = check_number(key, value)
        self.name = name
        self.params = {**allowed, **params}
        self._fn, self._grad = ACTIVATIONS[name]

    def __call__(self, z):
        return self._fn(_as_float(z), **self.params)

    def derivative(self, z):
        return self._grad(_as_float(z), **self.params)

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Activation({self.name!r}{extra})"

    def __eq__(self, other):
        return isinstance(other, Activation) and (self.name, self.params) == (other.name, other.params)


@validate_params({"activation": Options(ACTIVATIONS, types=(Activation,))})
def get_activation(activation, **params):
    """Resolve a name (or an ``Activation``, returned unchanged) to an ``Activation``."""
    if isinstance(activation, Activation):
        return activation
    return Activation(activation, **params)
