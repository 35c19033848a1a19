"""Initializers that are not variance scaling: constants, fixed-scale random, orthogonal, identity.

Same signature and layout as :mod:`initkit.core.initializers`: ``init(shape, *, ..., rng=None, dtype)``,
dense weights ``(fan_in, fan_out)``. The fixed-scale defaults are Keras': std 0.05, [-0.05, 0.05].
Every function refuses parameters whose values would overflow ``dtype`` (e.g. std 1e39 in float32).
"""
import numpy as np

from .constraints import RNG, Dtype, Real, Shape
from .validation import check_dtype, check_fits, check_number, check_shape, make_rng, validate_params
from .truncated import sample_truncated

# A normal sample beyond 10 std has probability 1.5e-23: the largest value an N(mean, std^2) array reaches.
NORMAL_REACH = 10.0


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype})
def zeros(shape, *, rng=None, dtype=np.float64):
    """All zeros, W = 0. The norm for biases; for weights it makes every hidden unit identical (notebook 01).

    >>> zeros((2, 3))
    array([[0., 0., 0.],
           [0., 0., 0.]])
    """
    return np.zeros(check_shape(shape, allocate=True), dtype=check_dtype(dtype))


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype})
def ones(shape, *, rng=None, dtype=np.float64):
    """All ones, W = 1.

    >>> ones((2,), dtype=np.float32)
    array([1., 1.], dtype=float32)
    """
    return np.ones(check_shape(shape, allocate=True), dtype=check_dtype(dtype))


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype, "value": Real()})
def constant(shape, value=0.0, *, rng=None, dtype=np.float64):
    """Every entry equal to ``value``. Any constant leaves hidden units symmetric: they never differ.

    >>> constant((2, 2), 0.5)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    check_fits("value", abs(value), dtype)
    return np.full(shape, value, dtype=dtype)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype, "mean": Real(), "std": Real(0)})
def random_normal(shape, mean=0.0, std=0.05, *, rng=None, dtype=np.float64):
    """N(mean, std^2) with a fixed std that ignores the fans (Keras ``RandomNormal`` defaults): Var(W) = std^2.

    >>> W = random_normal((200, 100), rng=0)
    >>> round(float(W.std()), 3)        # std 0.05 whatever the fans
    0.05
    """
    check_fits("mean and std", abs(mean) + NORMAL_REACH * std, dtype)
    rng = make_rng(rng)
    return (mean + std * rng.standard_normal(shape)).astype(dtype, copy=False)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype})
def standard_normal(shape, *, rng=None, dtype=np.float64):
    """N(0, 1) entries whatever the fans, Var(W) = 1: the "random" initialization of Ng et al.'s
    deeplearning.ai course Improving Deep Neural Networks (2017), initialization assignment.

    >>> W = standard_normal((200, 100), rng=0)
    >>> W.shape, round(float(W.std()), 2)
    ((200, 100), 1.0)
    """
    return random_normal(shape, std=1.0, rng=rng, dtype=dtype)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype})
def random_uniform(shape, low=-0.05, high=0.05, *, rng=None, dtype=np.float64):
    """U[low, high] with fixed bounds (Keras ``RandomUniform`` defaults). Var(W) = (high - low)^2 / 12.

    >>> W = random_uniform((100, 100), rng=0)
    >>> bool(W.min() >= -0.05 and W.max() <= 0.05), round(float(W.var() * 12 / 0.1**2), 2)
    (True, 1.0)
    """
    if not check_number("low", low) < check_number("high", high):
        raise ValueError(f"low must be < high; got low={low!r}, high={high!r}")
    low, high = float(low), float(high)
    shape, dtype = check_shape(shape, allocate=True), check_dtype(dtype)
    check_fits("low and high (their span high - low)", max(abs(low), abs(high), high - low), dtype)
    rng = make_rng(rng)
    return rng.uniform(low, high, shape).astype(dtype, copy=False)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype, "mean": Real(), "std": Real(0), "bound": Real(0, closed="right")})
def truncated_normal(shape, mean=0.0, std=0.05, bound=2.0, *, rng=None, dtype=np.float64):
    """N(mean, std^2) conditioned on mean +- bound * std (sampled by inverse CDF), with no variance correction.

    As Keras' ``TruncatedNormal``: the samples' std is ``std * truncated_normal_std(bound)``, about
    0.88 std for bound 2 (0.044 for the default 0.05). ``variance_scaling`` corrects for this; this
    does not. Any bound > 0 costs the same (one uniform draw per value, :mod:`initkit.core.truncated`).

    >>> W = truncated_normal((200, 100), rng=0)
    >>> bool(abs(W).max() <= 2 * 0.05), round(float(W.std()), 3)
    (True, 0.044)
    """
    check_fits("mean, std and bound", abs(mean) + std * min(bound, NORMAL_REACH), dtype)
    rng = make_rng(rng)
    return (mean + std * sample_truncated(rng, shape, bound)).astype(dtype, copy=False)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype, "gain": Real()})
def orthogonal(shape, gain=1.0, *, rng=None, dtype=np.float64):
    """A (semi-)orthogonal matrix times ``gain``. Saxe, McClelland & Ganguli (2014), Exact solutions to the
    nonlinear dynamics of learning in deep linear neural networks.

    The shape is flattened to ``(prod(shape[:-1]), shape[-1])``. With rows >= cols the columns are
    orthonormal (W^T W = gain^2 I); otherwise the rows are (W W^T = gain^2 I). Drawn as the Q of the
    QR decomposition of a Gaussian matrix, with the signs of R's diagonal folded into Q so that Q is
    uniformly (Haar) distributed, not biased by the QR convention (Mezzadri 2007, How to generate random
    matrices from the classical compact groups).

    >>> W = orthogonal((64, 32), gain=2.0, rng=0)
    >>> bool(np.allclose(W.T @ W, 4.0 * np.eye(32)))     # W^T W = gain^2 I
    True
    """
    gain = check_number("gain", gain)
    shape, dtype = check_shape(shape, allocate=True), check_dtype(dtype)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs a shape with at least 2 dimensions; got {shape}")
    check_fits("gain", abs(gain), dtype)
    rng = make_rng(rng)
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.where(np.diag(r) < 0, -1.0, 1.0)  # sign fix: makes the distribution Haar (a 0 on R's diagonal keeps +)
    if rows < cols:
        q = q.T
    return (gain * q).reshape(shape).astype(dtype, copy=False)


@validate_params({"shape": Shape, "rng": RNG, "dtype": Dtype, "gain": Real()})
def identity(shape, gain=1.0, *, rng=None, dtype=np.float64):
    """``gain`` times the (rectangular) identity, W = gain I. Only for 2-D weights.

    >>> identity((2, 3), gain=2.0)
    array([[2., 0., 0.],
           [0., 2., 0.]])
    """
    gain = check_number("gain", gain)
    shape, dtype = check_shape(shape, allocate=True), check_dtype(dtype)
    if len(shape) != 2:
        raise ValueError(f"identity needs a 2-D shape (fan_in, fan_out); got {shape}")
    check_fits("gain", abs(gain), dtype)
    return dtype.type(gain) * np.eye(*shape, dtype=dtype)
