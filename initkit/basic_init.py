"""Initializers that are not variance scaling: constants, fixed-scale random, orthogonal, identity.

Same signature and layout as :mod:`initkit.initializers`: ``init(shape, *, ..., rng=None, dtype)``,
dense weights ``(fan_in, fan_out)``. The fixed-scale defaults are Keras': std 0.05, [-0.05, 0.05].
"""
import numpy as np

from ._validation import check_dtype, check_number, check_shape
from .initializers import _sample_truncated


def zeros(shape, *, rng=None, dtype=np.float64):
    """All zeros. The norm for biases; for weights it makes every hidden unit identical (notebook 01)."""
    return np.zeros(check_shape(shape), dtype=check_dtype(dtype))


def ones(shape, *, rng=None, dtype=np.float64):
    """All ones."""
    return np.ones(check_shape(shape), dtype=check_dtype(dtype))


def constant(shape, value=0.0, *, rng=None, dtype=np.float64):
    """Every entry equal to ``value``. Any constant leaves hidden units symmetric: they never differ."""
    check_number("value", value)
    return np.full(check_shape(shape), value, dtype=check_dtype(dtype))


def random_normal(shape, mean=0.0, std=0.05, *, rng=None, dtype=np.float64):
    """N(mean, std^2) with a fixed std that ignores the fans (Keras ``RandomNormal`` defaults)."""
    check_number("mean", mean)
    check_number("std", std, low=0)
    shape, dtype = check_shape(shape), check_dtype(dtype)
    rng = np.random.default_rng(rng)
    return (mean + std * rng.standard_normal(shape)).astype(dtype, copy=False)


def random_uniform(shape, low=-0.05, high=0.05, *, rng=None, dtype=np.float64):
    """U[low, high] with fixed bounds (Keras ``RandomUniform`` defaults). Var = (high - low)^2 / 12."""
    check_number("low", low)
    check_number("high", high)
    if not low < high:
        raise ValueError(f"low must be < high; got low={low!r}, high={high!r}")
    shape, dtype = check_shape(shape), check_dtype(dtype)
    rng = np.random.default_rng(rng)
    return rng.uniform(low, high, shape).astype(dtype, copy=False)


def truncated_normal(shape, mean=0.0, std=0.05, bound=2.0, *, rng=None, dtype=np.float64):
    """N(mean, std^2) redrawn outside mean +- bound * std, with no variance correction.

    As Keras' ``TruncatedNormal``: the samples' std is ``std * truncated_normal_std(bound)``, about
    0.88 std for bound 2 (0.044 for the default 0.05). ``variance_scaling`` corrects for this; this
    does not.
    """
    check_number("mean", mean)
    check_number("std", std, low=0)
    check_number("bound", bound, low=0, low_inclusive=False)
    shape, dtype = check_shape(shape), check_dtype(dtype)
    rng = np.random.default_rng(rng)
    return (mean + std * _sample_truncated(rng, shape, bound, np.float64)).astype(dtype, copy=False)


def orthogonal(shape, gain=1.0, *, rng=None, dtype=np.float64):
    """A (semi-)orthogonal matrix times ``gain``. Saxe, McClelland & Ganguli (2014).

    The shape is flattened to ``(prod(shape[:-1]), shape[-1])``. With rows >= cols the columns are
    orthonormal (W^T W = gain^2 I); otherwise the rows are (W W^T = gain^2 I). Drawn as the Q of the
    QR decomposition of a Gaussian matrix, with the signs of R's diagonal folded into Q so that Q is
    uniformly (Haar) distributed, not biased by the QR convention (Mezzadri 2007).
    """
    check_number("gain", gain)
    shape, dtype = check_shape(shape), check_dtype(dtype)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs a shape with at least 2 dimensions; got {shape}")
    rng = np.random.default_rng(rng)
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # sign fix: makes the distribution Haar
    if rows < cols:
        q = q.T
    return (gain * q).reshape(shape).astype(dtype, copy=False)


def identity(shape, gain=1.0, *, rng=None, dtype=np.float64):
    """``gain`` times the (rectangular) identity. Only for 2-D weights."""
    check_number("gain", gain)
    shape, dtype = check_shape(shape), check_dtype(dtype)
    if len(shape) != 2:
        raise ValueError(f"identity needs a 2-D shape (fan_in, fan_out); got {shape}")
    return gain * np.eye(*shape, dtype=dtype)
