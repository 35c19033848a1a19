"""Per-layer statistics of a network after a forward and backward pass, as plain records.

Training snapshots and the diagnostics are built from these records: one dict per layer, floats only,
so they print, compare and plot without carrying arrays around.
"""
import math

import numpy as np

from ..core.activations import RECTIFYING, SATURATING
from ..core.constraints import Instance
from ..core.validation import validate_params

SATURATION_LEVEL = 0.97  # |a| > 0.97 of the bound counts as saturated (tanh), as in Glorot & Bengio


def _std(x):
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.std(x, dtype=np.float64))


def moments(x):
    """(mean, std, mean square) of an array, fast: a pairwise mean and a BLAS dot for E[x^2].

    Var = E[x^2] - mean^2 loses precision when the mean dominates (sigmoid outputs near 1/2), so then
    the variance is recomputed from centered values. When the squares approach the limits of the dtype
    (float32 squares underflow below |x| ~ 1e-19 and overflow above 1e19), the values are first multiplied
    by a power of two 2^k that brings the largest to about 1 (exact), and the results divided by it in
    float64, so a nonzero signal never shows std 0; a mean square beyond float64 is inf. Non-finite values
    give std NaN; empty arrays NaNs.

    >>> [round(m, 4) for m in moments(np.array([1.0, 2.0, 3.0, 4.0]))]     # mean, std, E[x^2]
    [2.5, 1.118, 7.5]
    >>> bool(moments(np.full(4, 1e-25, dtype=np.float32))[2] > 0)  # the square underflows in float32
    True
    >>> moments(np.array([1e300, -1e300]))[2]                        # 1e600 is beyond float64
    inf
    """
    flat = np.asarray(x).ravel()
    if flat.size == 0:
        return float("nan"), float("nan"), float("nan")
    if flat.dtype.kind != "f":
        flat = flat.astype(np.float64)
    tiny = _TINY.get(flat.dtype, _TINY[np.dtype(np.float64)])
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        mean, std, m2 = _sample_moments(flat)
        if tiny < m2 < 1.0 / tiny:
            return mean, std, m2
        scale = max(float(flat.max()), -float(flat.min()))
        if not scale > 0.0 or not np.isfinite(scale):  # all zeros (0, 0, 0), or non-finite values
            return (mean, float("nan"), m2) if not scale == 0.0 else (0.0, 0.0, 0.0)
        k = -math.frexp(scale)[1]  # 2^k * scale lies in [1/2, 1)
        mean, std, m2 = _sample_moments(np.ldexp(flat, k).astype(flat.dtype, copy=False))
        return _unscale(mean, -k), _unscale(std, -k), _unscale(m2, -2 * k)


def _unscale(value, exponent):
    """value * 2^exponent as a float; inf when it exceeds float64 (a finite float64 signal's second moment can:
    |x| ~ 1e300 squares to 1e600, an overflow the explorer reports as the exploding signal it is)."""
    try:
        return math.ldexp(value, exponent)
    except OverflowError:
        return math.copysign(math.inf, value)


# Mean squares outside (tiny, 1 / tiny) are recomputed rescaled (see moments).
_TINY = {np.dtype(np.float32): 1e-30, np.dtype(np.float64): 1e-280}


def _sample_moments(flat):
    n = flat.size
    mean = float(np.mean(flat))
    m2 = float(np.dot(flat, flat)) / n
    var = m2 - mean * mean
    if var < 1e-3 * m2:
        centered = flat - flat.dtype.type(mean)
        var = float(np.dot(centered, centered)) / n
        m2 = var + mean * mean
    return mean, max(var, 0.0) ** 0.5, m2


def saturation_fraction(a, activation):
    """Fraction of units near the bounds of a saturating activation (tanh, sigmoid); 0 otherwise.

    Saturated: |a - mid| > 0.97 half-range, e.g. |tanh(z)| > 0.97 (as Glorot & Bengio 2010 count them).

    >>> from initkit.core.activations import get_activation
    >>> float(saturation_fraction(np.array([0.0, 0.99, -0.98, 0.5]), get_activation("tanh")))
    0.5
    """
    if activation.name not in SATURATING:
        return 0.0
    low, high = SATURATING[activation.name]
    mid, half = (low + high) / 2, (high - low) / 2
    centered = np.abs(a) if mid == 0 else np.abs(a - a.dtype.type(mid))
    return np.count_nonzero(centered > SATURATION_LEVEL * half) / max(a.size, 1)


def dead_fraction(z, activation):
    """Fraction of ReLU units that are inactive (z <= 0) for every sample of the batch; 0 otherwise.

    >>> from initkit.core.activations import get_activation
    >>> dead_fraction(np.array([[-1.0, 1.0], [-2.0, -1.0]]), get_activation("relu"))   # unit 1 never fires
    0.5
    """
    if activation.name not in RECTIFYING:
        return 0.0
    return float(np.mean(np.all(z <= 0, axis=0)))


@validate_params({"net": Instance("an MLP after a forward and a backward pass",
                                  ("layers", "forward", "backward"))})
def layer_records(net):
    """One record per layer from the network's last forward and backward pass.

    Keys: layer (1-based), fan_in, fan_out, activation, pre_std, act_mean, act_std, saturation, dead,
    weight_std, dW_std (std of dL/dW) and grad_data_ratio = std(dW) / std(W).

    >>> import initkit as ik
    >>> net = ik.MLP([4, 8, 3], activation="tanh", rng=0)
    >>> x, y = np.random.default_rng(0).standard_normal((10, 4)), np.arange(10) % 3
    >>> _ = net.loss_and_gradients(x, y, "cross_entropy")          # one forward and backward pass
    >>> records = layer_records(net)
    >>> len(records), records[0]["fan_in"], records[0]["activation"], records[1]["dead"]
    (2, 4, 'tanh', 0.0)
    """
    layers = getattr(net, "layers", None)
    if layers is None:
        raise TypeError(f"net must be an MLP; got {type(net).__name__}")
    if any(layer.z is None for layer in layers):
        raise ValueError("layer_records needs a forward and backward pass first: call net.forward(x) and "
                         "net.backward(grad) (or fit) before layer_records(net)")
    records = []
    for i, layer in enumerate(layers, start=1):
        w_std, g_std = _std(layer.W), _std(layer.dW)
        records.append({
            "layer": i,
            "fan_in": layer.fan_in,
            "fan_out": layer.fan_out,
            "activation": layer.activation.name,
            "pre_std": _std(layer.z),
            "act_mean": float(np.mean(layer.a, dtype=np.float64)),
            "act_std": _std(layer.a),
            "saturation": saturation_fraction(layer.a, layer.activation),
            "dead": dead_fraction(layer.z, layer.activation),
            "weight_std": w_std,
            "dW_std": g_std,
            "grad_data_ratio": g_std / w_std if w_std > 0 else float("nan"),
        })
    return records
