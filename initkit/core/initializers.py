"""Weight initializers: one variance-scaling rule and its named specializations.

All initializers share one signature, ``init(shape, *, ..., rng=None, dtype=np.float64)``, and use the
layout of :mod:`initkit.core.fans`: dense weights are ``(fan_in, fan_out)`` and layers compute ``x @ W + b``.
Randomness flows through ``rng`` (None, an int seed or a ``np.random.Generator``).

``variance_scaling`` draws weights with variance ``scale / n``, where n is fan_in, fan_out or their mean.
LeCun, Glorot (Xavier) and He (Kaiming) are that rule with scale = gain^2 from the gain table
(:func:`initkit.core.fans.squared_gain`, as ``torch.nn.init.kaiming_normal_`` computes ``gain / sqrt(fan)``
from ``calculate_gain``): 1 ('linear'), 1 with n = fan_avg, and 2 / (1 + a^2) ('leaky_relu', a = 0 for ReLU).
:data:`SPECIALIZATIONS` holds these rows once; each named initializer below draws from its row, and the
initializer table (:data:`initkit.core.registry.INIT_TABLE`) reads the same rows.
"""
import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .validation import check_fits, make_rng, validate_params
from .constraints import RNG, Dtype, Options, Real, Shape
from .basic_init import NORMAL_REACH, orthogonal
from .fans import compute_fans, fan_for, squared_gain
from .truncated import sample_truncated, truncated_normal_std


# Std of a standard normal truncated to [-2, 2]. Keras and TensorFlow divide the requested std by it so
# that truncated samples have the requested std (about 0.88).
TRUNCATED_NORMAL_STD_2 = truncated_normal_std(2.0)

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")

# The shared declarations: every initializer takes a shape to allocate, an rng and a float dtype; He's
# adds the fan mode and the leaky slope. Each public initializer carries them, so the fuzz sees each name.
DRAW = {"shape": Shape, "rng": RNG, "dtype": Dtype}
HE = {**DRAW, "mode": Options(MODES), "negative_slope": Real()}


@validate_params({**DRAW, "scale": Real(0, closed="neither"), "mode": Options(MODES),
                  "distribution": Options(DISTRIBUTIONS)})
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
    fan_in, fan_out = compute_fans.__wrapped__(shape)
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


@dataclass(frozen=True)
class Specialization:
    """One named specialization of :func:`variance_scaling`: Var(W) = gain^2 / n with the gain of
    ``nonlinearity`` in the gain table (at slope ``param``), n chosen by ``mode``, drawn from ``distribution``.

    >>> he = SPECIALIZATIONS["he_normal"]
    >>> he.scale(), he.scale(1.0), SPECIALIZATIONS["glorot_uniform"].scale()     # 2 / (1 + a^2); Glorot: 1
    (2.0, 1.0, 1.0)
    """

    nonlinearity: str
    mode: str
    distribution: str
    param: Optional[float] = None  # the gain's parameter (the leaky slope a); He's default is a = 0: ReLU

    def scale(self, param=None):
        """gain^2, read from the gain table at each call: He's 2 / (1 + a^2) lives there only."""
        param = self.param if param is None else param
        try:
            return squared_gain(self.nonlinearity, param)
        except ValueError as err:  # name the initializer's own parameter
            raise ValueError(str(err).replace("param=", "negative_slope=")) from None

    def draw(self, shape, mode=None, param=None, *, rng=None, dtype=np.float64):
        """``variance_scaling(shape, self.scale(param), mode, self.distribution)``, mode defaulting to the row's.
        Trusted: the named initializer's declaration checked shape, mode, param, rng and dtype."""
        mode = self.mode if mode is None else mode
        return variance_scaling.__wrapped__(shape, self.scale(param), mode, self.distribution, rng=rng, dtype=dtype)


# The variance-scaling family, one row each (Keras' HeNormal is one VarianceScaling call; so is each of ours).
SPECIALIZATIONS = {
    "lecun_normal": Specialization("linear", "fan_in", "normal"),
    "lecun_uniform": Specialization("linear", "fan_in", "uniform"),
    "glorot_normal": Specialization("linear", "fan_avg", "normal"),
    "glorot_uniform": Specialization("linear", "fan_avg", "uniform"),
    "he_normal": Specialization("leaky_relu", "fan_in", "normal", 0.0),
    "he_uniform": Specialization("leaky_relu", "fan_in", "uniform", 0.0),
    "pytorch_default": Specialization("leaky_relu", "fan_in", "uniform", math.sqrt(5.0)),
}


@validate_params(DRAW)
def lecun_normal(shape, *, rng=None, dtype=np.float64):
    """LeCun normal: N(0, 1 / fan_in), std = sqrt(1 / fan_in). LeCun, Bottou, Orr & Mueller (1998),
    Efficient BackProp.

    ``variance_scaling(shape, 1, 'fan_in', 'normal')``. With SELU it gives self-normalizing nets
    (Klambauer, Unterthiner, Mayr & Hochreiter 2017, Self-Normalizing Neural Networks).

    >>> W = lecun_normal((400, 300), rng=0)
    >>> round(float(W.std() * np.sqrt(400)), 2)                   # std * sqrt(fan_in)
    1.0
    """
    return SPECIALIZATIONS["lecun_normal"].draw(shape, rng=rng, dtype=dtype)


@validate_params(DRAW)
def lecun_uniform(shape, *, rng=None, dtype=np.float64):
    """LeCun uniform: U[-limit, limit], limit = sqrt(3 / fan_in), so Var(W) = 1 / fan_in. LeCun, Bottou, Orr &
    Mueller (1998), Efficient BackProp. ``variance_scaling(shape, 1, 'fan_in', 'uniform')``.

    >>> W = lecun_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(3 / 400)), round(float(W.std() * np.sqrt(400)), 2)
    (True, 1.0)
    """
    return SPECIALIZATIONS["lecun_uniform"].draw(shape, rng=rng, dtype=dtype)


@validate_params(DRAW)
def glorot_normal(shape, *, rng=None, dtype=np.float64):
    """Glorot (Xavier) normal: std = sqrt(2 / (fan_in + fan_out)). Glorot & Bengio (2010), Understanding
    the difficulty of training deep feedforward neural networks.

    ``variance_scaling(shape, 1, 'fan_avg', 'normal')``. Also known as ``xavier_normal``.

    >>> W = glorot_normal((400, 300), rng=0)
    >>> round(float(W.std() / np.sqrt(2 / (400 + 300))), 2)
    1.0
    """
    return SPECIALIZATIONS["glorot_normal"].draw(shape, rng=rng, dtype=dtype)


@validate_params(DRAW)
def glorot_uniform(shape, *, rng=None, dtype=np.float64):
    """Glorot (Xavier) uniform: U[-limit, limit], limit = sqrt(6 / (fan_in + fan_out)). Glorot & Bengio
    (2010), Understanding the difficulty of training deep feedforward neural networks.

    ``variance_scaling(shape, 1, 'fan_avg', 'uniform')``. Also known as ``xavier_uniform``; the Keras
    Dense default.

    >>> W = glorot_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(6 / 700)), round(float(W.std() / np.sqrt(2 / 700)), 2)
    (True, 1.0)
    """
    return SPECIALIZATIONS["glorot_uniform"].draw(shape, rng=rng, dtype=dtype)


@validate_params(HE)
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
    return SPECIALIZATIONS["he_normal"].draw(shape, mode, negative_slope, rng=rng, dtype=dtype)


@validate_params(HE)
def he_uniform(shape, *, mode="fan_in", negative_slope=0.0, rng=None, dtype=np.float64):
    """He (Kaiming) uniform: limit = sqrt(6 / ((1 + a^2) fan)). He, Zhang, Ren & Sun (2015), Delving Deep
    into Rectifiers. Also ``kaiming_uniform``. ``variance_scaling(shape, 2 / (1 + a^2), mode, 'uniform')``.

    >>> W = he_uniform((400, 300), rng=0)
    >>> bool(abs(W).max() <= np.sqrt(6 / 400)), round(float(W.std() / np.sqrt(2 / 400)), 2)
    (True, 1.0)
    """
    return SPECIALIZATIONS["he_uniform"].draw(shape, mode, negative_slope, rng=rng, dtype=dtype)


@validate_params(DRAW)
def pytorch_default(shape, *, rng=None, dtype=np.float64):
    """PyTorch's default for ``nn.Linear`` and ``nn.Conv*`` weights: U[-1/sqrt(fan_in), 1/sqrt(fan_in)], so
    Var(W) = 1 / (3 fan_in), std = 1/sqrt(3 fan_in): not He (a third of He's variance for ReLU).

    PyTorch calls ``kaiming_uniform_(w, a=math.sqrt(5))``: He uniform with leaky slope a = sqrt(5), gain^2 =
    2 / (1 + 5) = 1/3, limit sqrt(3 gain^2 / fan_in) = 1/sqrt(fan_in). Here
    ``he_uniform(shape, negative_slope=sqrt(5))``, in our ``(fan_in, fan_out)`` layout (compare with
    PyTorch's ``weight.T``).

    >>> W = pytorch_default((512, 256), rng=0)
    >>> bool(abs(W).max() <= 1 / np.sqrt(512)), round(float(W.std() * np.sqrt(3 * 512)), 2)
    (True, 1.0)
    """
    return SPECIALIZATIONS["pytorch_default"].draw(shape, rng=rng, dtype=dtype)


@validate_params({**DRAW, "gain": Real()})
def delta_orthogonal(shape, gain=1.0, *, rng=None, dtype=np.float64):
    """Delta-orthogonal conv kernel: zero everywhere except its spatial centre, a random (semi-)orthogonal
    ``in x out`` matrix times ``gain``. Xiao, Bahri, Sohl-Dickstein, Schoenholz & Pennington (2018), Dynamical
    Isometry and a Mean Field Theory of CNNs (their Algorithm 2; TensorFlow's ``ConvolutionDeltaOrthogonal``).

    ``shape`` is ``(*receptive_field, in, out)``; the centre is index (k - 1) // 2 of each spatial axis. The
    convolution is then a 1x1 orthogonal map: with ``in <= out`` it multiplies the norm of every input by
    ``gain`` exactly, whatever the padding (only the centre tap is nonzero, and it never reads the pad). Var(W) = gain^2 / (k^2 max(in, out)) = gain^2 / max(fan_in,
    fan_out), orthogonal's variance. A 2-D shape (no receptive field) is :func:`initkit.orthogonal`.

    >>> W = delta_orthogonal((3, 3, 4, 8), rng=0)
    >>> C = W[1, 1]
    >>> bool(np.allclose(C @ C.T, np.eye(4))), float(np.abs(W).sum() - np.abs(C).sum())    # zero off-centre
    (True, 0.0)
    """
    if len(shape) < 2:
        raise ValueError(f"delta_orthogonal needs a shape (*receptive_field, in, out) of at least 2 dimensions; "
                         f"got {shape}")
    W = np.zeros(shape, dtype=dtype)
    centre = tuple((k - 1) // 2 for k in shape[:-2])
    W[centre] = orthogonal.__wrapped__(shape[-2:], gain, rng=make_rng(rng), dtype=dtype)
    return W


xavier_normal, xavier_uniform = glorot_normal, glorot_uniform
kaiming_normal, kaiming_uniform = he_normal, he_uniform
