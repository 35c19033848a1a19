"""Weight initializers: one variance-scaling rule and its named specializations.

All initializers share one signature, ``init(shape, *, ..., rng=None, dtype=np.float64)``, and use the
layout of :mod:`initkit.core.fans`: dense weights are ``(fan_in, fan_out)`` and layers compute ``x @ W + b``.
Randomness flows through ``rng`` (None, an int seed or a ``np.random.Generator``).

``variance_scaling`` draws weights with variance ``scale / n``, where n is fan_in, fan_out or their mean.
LeCun, Glorot (Xavier) and He (Kaiming) are that rule with scale 1, 1 (n = fan_avg) and 2.
"""
import math

import numpy as np

from .validation import check_dtype, check_fits, check_number, check_one_of, check_shape, make_rng
from .basic_init import NORMAL_REACH
from .fans import compute_fans, fan_for
from .truncated import sample_truncated, truncated_normal_std


# Std of a standard normal truncated to [-2, 2]. Keras and TensorFlow divide the requested std by it so
# that truncated samples have the requested std (about 0.88).
TRUNCATED_NORMAL_STD_2 = truncated_normal_std(2.0)

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")


def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal", *, rng=None,
                     dtype=np.float64):
    r"""Samples with variance ``scale / n``, n = fan_in, fan_out or (fan_in + fan_out) / 2.

    * ``normal``: N(0, std^2), std = sqrt(scale / n).
    * ``truncated_normal``: N(0, 1) conditioned on |z| <= 2 (:mod:`initkit.core.truncated`), multiplied by
      std / :data:`TRUNCATED_NORMAL_STD_2` (about 0.88) so the samples really have std
      sqrt(scale / n), as in Keras.
    * ``uniform``: U[-limit, limit], limit = sqrt(3 scale / n), since Var(U[-a, a]) = a^2 / 3.

    The general rule behind Keras' ``VarianceScaling`` (whose defaults, scale 1, 'fan_in', 'truncated_normal',
    are these) and JAX's ``variance_scaling`` (the same rule; JAX requires scale, mode and distribution).

    >>> W = variance_scaling((256, 128), scale=2.0, mode="fan_in", distribution="normal", rng=0)
    >>> W.shape, round(float(W.std() / np.sqrt(2 / 256)), 2)      # std / sqrt(scale / fan_in)
    ((256, 128), 1.0)
    >>> W = variance_scaling((256, 128), rng=0)                   # truncated normal, corrected
    >>> round(float(W.std() * np.sqrt(256)), 2), bool(abs(W).max() <= 2 / TRUNCATED_NORMAL_STD_2 / 16)
    (1.0, True)
    """
    shape = check_shape(shape, allocate=True)
    scale = check_number("scale", scale, low=0, low_inclusive=False)
    check_one_of("mode", mode, MODES)
    check_one_of("distribution", distribution, DISTRIBUTIONS)
    dtype = check_dtype(dtype)
    fan_in, fan_out = compute_fans(shape)
    std = math.sqrt(scale / fan_for(mode, fan_in, fan_out))
    reach = {"normal": NORMAL_REACH, "truncated_normal": 2.0 / TRUNCATED_NORMAL_STD_2, "uniform": math.sqrt(3.0)}
    check_fits("scale", reach[distribution] * std, dtype)
    rng = make_rng(rng)
    if distribution == "normal":
        return (std * rng.standard_normal(shape)).astype(dtype, copy=False)
    if distribution == "truncated_normal":
        return (std / TRUNCATED_NORMAL_STD_2) * sample_truncated(rng, shape, 2.0, dtype)
    limit = math.sqrt(3.0) * std
    return rng.uniform(-limit, limit, shape).astype(dtype, copy=False)


def lecun_normal(shape, *, rng=None, dtype=np.float64):
    """LeCun normal: N(0, 1 / fan_in), std = sqrt(1 / fan_in). LeCun, Bottou, Orr & Mueller (1998),
    Efficient BackProp.

    ``variance_scaling(shape, 1, 'fan_in', 'normal')``. With SELU it gives self-normalizing nets
    (Klambauer, Unterthiner, Mayr & Hochreiter 2017, Self-Normalizing Neural Networks).

    >>> W = lecun_normal((400, 300), rng=0)
    >>> round(float(W.std() * np.sqrt(400)), 2)                   # std * sqrt(fan_in)
    1.0
    """
    return variance_scaling(shape, 1.0, "fan_in", "normal", rng=rng, dtype=dtype)


def lecun_uniform(shape, *, rng=None, dtype=np.float64):
    """LeCun uniform: U[-limit, limit], limit = sqrt(3 / fan_in), so Var(W) = 1 / fan_in. LeCun, Bottou, Orr &
    Mueller (1998), Efficient BackProp. ``variance_scaling(shape, 1, 'fan_in', 'uniform')``.

    >>> W = lecun_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(3 / 400)), round(float(W.std() * np.sqrt(400)), 2)
    (True, 1.0)
    """
    return variance_scaling(shape, 1.0, "fan_in", "uniform", rng=rng, dtype=dtype)


def glorot_normal(shape, *, rng=None, dtype=np.float64):
    """Glorot (Xavier) normal: std = sqrt(2 / (fan_in + fan_out)). Glorot & Bengio (2010), Understanding
    the difficulty of training deep feedforward neural networks.

    ``variance_scaling(shape, 1, 'fan_avg', 'normal')``. Also known as ``xavier_normal``.

    >>> W = glorot_normal((400, 300), rng=0)
    >>> round(float(W.std() / np.sqrt(2 / (400 + 300))), 2)
    1.0
    """
    return variance_scaling(shape, 1.0, "fan_avg", "normal", rng=rng, dtype=dtype)


def glorot_uniform(shape, *, rng=None, dtype=np.float64):
    """Glorot (Xavier) uniform: U[-limit, limit], limit = sqrt(6 / (fan_in + fan_out)). Glorot & Bengio
    (2010), Understanding the difficulty of training deep feedforward neural networks.

    ``variance_scaling(shape, 1, 'fan_avg', 'uniform')``. Also known as ``xavier_uniform``; the Keras
    Dense default.

    >>> W = glorot_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(6 / 700)), round(float(W.std() / np.sqrt(2 / 700)), 2)
    (True, 1.0)
    """
    return variance_scaling(shape, 1.0, "fan_avg", "uniform", rng=rng, dtype=dtype)


def _he_scale(negative_slope):
    """2 / (1 + a^2), without overflowing a^2 for huge slopes (then it is (sqrt(2) / hypot(1, a))^2)."""
    a = check_number("negative_slope", negative_slope)
    scale = 2.0 / (1.0 + a * a) if abs(a) < 1e150 else (math.sqrt(2.0) / math.hypot(1.0, a)) ** 2
    if scale == 0.0:
        raise ValueError(f"negative_slope={a!r} makes the variance 2 / (1 + a^2) underflow to 0")
    return scale


def he_normal(shape, *, mode="fan_in", negative_slope=0.0, rng=None, dtype=np.float64):
    """He (Kaiming) normal: std = sqrt(2 / ((1 + a^2) fan)), a the leaky slope. He, Zhang, Ren & Sun (2015),
    Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification.

    ``variance_scaling(shape, 2 / (1 + a^2), mode, 'normal')``. Also known as ``kaiming_normal``.
    mode='fan_in' preserves the forward signal, 'fan_out' the backward gradient.

    >>> W = he_normal((400, 300), rng=0)
    >>> round(float(W.std() / np.sqrt(2 / 400)), 2)
    1.0
    >>> W = he_normal((400, 300), mode="fan_out", negative_slope=1.0, rng=0)   # a = 1: linear, 1 / fan_out
    >>> round(float(W.std() * np.sqrt(300)), 2)
    1.0
    """
    return variance_scaling(shape, _he_scale(negative_slope), mode, "normal", rng=rng, dtype=dtype)


def he_uniform(shape, *, mode="fan_in", negative_slope=0.0, rng=None, dtype=np.float64):
    """He (Kaiming) uniform: limit = sqrt(6 / ((1 + a^2) fan)). He, Zhang, Ren & Sun (2015), Delving Deep
    into Rectifiers. Also ``kaiming_uniform``. ``variance_scaling(shape, 2 / (1 + a^2), mode, 'uniform')``.

    >>> W = he_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(6 / 400)), round(float(W.std() / np.sqrt(2 / 400)), 2)
    (True, 1.0)
    """
    return variance_scaling(shape, _he_scale(negative_slope), mode, "uniform", rng=rng, dtype=dtype)


xavier_normal, xavier_uniform = glorot_normal, glorot_uniform
kaiming_normal, kaiming_uniform = he_normal, he_uniform
