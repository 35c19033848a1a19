"""Per-layer statistics of a network after a forward and backward pass, as plain records.

Training snapshots and the diagnostics are built from these records: one dict per layer, floats only,
so they print, compare and plot without carrying arrays around.
"""
import numpy as np

from .activations import RECTIFYING, SATURATING

SATURATION_LEVEL = 0.97  # |a| > 0.97 of the bound counts as saturated (tanh), as in Glorot & Bengio


def _std(x):
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.std(x, dtype=np.float64))


def moments(x):
    """(mean, std, mean square) of an array, fast: a pairwise mean and a BLAS dot for E[x^2].

    Var = E[x^2] - mean^2 loses precision when the mean dominates (sigmoid outputs near 1/2), so then
    the variance is recomputed from centered values; float64 is used when float32 squares overflow.
    """
    flat = x.ravel()
    n = flat.size
    mean = float(np.mean(flat))
    m2 = float(np.dot(flat, flat)) / n
    var = m2 - mean * mean
    if not np.isfinite(m2) or var < 1e-3 * m2:
        wide = flat.astype(np.float64) if not np.isfinite(m2) else flat
        mean = float(np.mean(wide))
        centered = wide - wide.dtype.type(mean)
        var = float(np.dot(centered, centered)) / n
        m2 = var + mean * mean
    return mean, max(var, 0.0) ** 0.5, m2


def saturation_fraction(a, activation):
    """Fraction of units near the bounds of a saturating activation (tanh, sigmoid); 0 otherwise."""
    if activation.name not in SATURATING:
        return 0.0
    low, high = SATURATING[activation.name]
    mid, half = (low + high) / 2, (high - low) / 2
    centered = np.abs(a) if mid == 0 else np.abs(a - a.dtype.type(mid))
    return np.count_nonzero(centered > SATURATION_LEVEL * half) / max(a.size, 1)


def dead_fraction(z, activation):
    """Fraction of ReLU units that are inactive (z <= 0) for every sample of the batch; 0 otherwise."""
    if activation.name not in RECTIFYING:
        return 0.0
    return float(np.mean(np.all(z <= 0, axis=0)))


def layer_records(net):
    """One record per layer from the network's last forward and backward pass.

    Keys: layer (1-based), fan_in, fan_out, activation, pre_std, act_mean, act_std, saturation, dead,
    weight_std, dW_std (std of dL/dW) and grad_data_ratio = std(dW) / std(W).
    """
    records = []
    for i, layer in enumerate(net.layers, start=1):
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
