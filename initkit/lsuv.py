"""Layer-sequential unit-variance initialization (Mishkin & Matas 2016), bounded and reporting.

    1. (optional) pre-initialize every W with an orthonormal matrix;
    2. for each layer l in order, with a_{l-1} the output of the already-fixed layers on the batch:
    3.     v = Var(a_{l-1} W_l + b_l)            (where='pre'; 'post' measures after the activation)
    4.     if |v - 1| < tol or iterations == max_iter: stop
    5.     W_l <- W_l / sqrt(v)
    6.     (center=True: then b_l <- b_l - batch mean of each unit, and re-fix the scale scaling W_l and b_l
           together, which keeps every unit's mean at exactly 0)

Each layer's input is computed once and reused while that layer iterates, so the whole procedure costs about
one forward pass per iteration of one layer, not of the network. Layers that cannot be scaled (zero or
non-finite variance) are reported and left alone instead of dividing by zero.
"""
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_number, check_one_of
from .basic_init import orthogonal


@dataclass
class LSUVReport:
    """One row per layer: iterations (rescalings), variance before and after, mean after, converged."""

    rows: list = field(default_factory=list)
    where: str = "pre"

    @property
    def converged(self):
        return all(r["converged"] for r in self.rows)

    def column(self, key):
        return np.array([r[key] for r in self.rows], dtype=np.float64)

    def __repr__(self):
        lines = [f"LSUV ({self.where}-activation variance)",
                 f"{'layer':>5} {'iterations':>10} {'var before':>11} {'var after':>10} {'mean after':>11}  converged"]
        for r in self.rows:
            lines.append(f"{r['layer']:>5} {r['iterations']:>10} {r['var_before']:>11.4g} {r['var_after']:>10.4g} "
                         f"{r['mean_after']:>11.3g}  {'yes' if r['converged'] else 'NO'}")
        return "\n".join(lines)


def _statistic(layer, x, where):
    z = x @ layer.W + layer.b
    out = z if where == "pre" else layer.activation(z)
    return out, float(np.var(out, dtype=np.float64)), float(np.mean(out, dtype=np.float64))


def _fix_scale(layer, x, where, tol, max_iter, target, with_bias=False):
    """Rescale W (and b, once centered) until the statistic is within tol of target.

    Returns (iterations, var, mean, ok, out). Scaling W and b together keeps centered units centered.
    """
    iterations = 0
    out, var, mean = _statistic(layer, x, where)
    while abs(var - target) >= tol:
        if not np.isfinite(var) or var == 0 or iterations == max_iter:
            return iterations, var, mean, False, out
        factor = layer.W.dtype.type(np.sqrt(target / var))
        layer.W *= factor
        if with_bias:
            layer.b *= factor
        iterations += 1
        out, var, mean = _statistic(layer, x, where)
    return iterations, var, mean, True, out


def lsuv(net, x, *, tol=0.1, max_iter=10, where="pre", orthonormal=True, center=False, target_var=1.0, rng=None):
    """Initialize ``net`` in place so that every layer's output has variance ``target_var`` on the batch ``x``.

    ``where='pre'`` (default) measures the pre-activation ``x W + b``; for linear layers one rescaling is
    exact. ``where='post'`` measures after the activation, as fast.ai's version does; with saturating
    activations it can accept a saturated network (notebook 05). Returns an :class:`LSUVReport` and warns,
    naming the layer, when a layer has zero variance or does not converge within ``max_iter``.
    """
    if not all(hasattr(net, a) for a in ("layers", "sizes", "dtype")):
        raise TypeError(f"net must be an MLP; got {type(net).__name__}")
    if any(getattr(layer, "norm", None) is not None for layer in net.layers):
        raise ValueError("lsuv cannot initialize a network with normalization layers (norm='batch'): LSUV rescales "
                         "each W until its layer's output has unit variance, but BatchNorm makes the output "
                         "independent of W's scale, so there is nothing for it to do; build the net with norm=None")
    check_one_of("where", where, ("pre", "post"))
    check_number("tol", tol, low=0, low_inclusive=False)
    check_number("max_iter", max_iter, low=0, integer=True)
    check_number("target_var", target_var, low=0, low_inclusive=False)
    x = np.asarray(x, dtype=net.dtype)
    if x.ndim != 2 or x.shape[1] != net.sizes[0] or len(x) < 2:
        raise ValueError(f"x must be a batch of at least 2 rows with {net.sizes[0]} columns; got shape {x.shape}")
    rng = np.random.default_rng(rng)
    report = LSUVReport(where=where)
    with np.errstate(over="ignore", invalid="ignore"):
        for i, layer in enumerate(net.layers, start=1):
            if orthonormal:
                layer.W[...] = orthogonal(layer.W.shape, rng=rng, dtype=layer.W.dtype)
            _, var_before, _ = _statistic(layer, x, where)
            iterations, var, mean, ok, out = _fix_scale(layer, x, where, tol, max_iter, target_var)
            if ok and center:
                z = x @ layer.W + layer.b
                layer.b -= z.mean(axis=0).astype(layer.b.dtype)
                more, var, mean, ok, out = _fix_scale(layer, x, where, tol, max_iter, target_var, with_bias=True)
                iterations += more
            if not ok:
                reason = ("has zero variance (dead or constant units): left unscaled" if var == 0 else
                          "has non-finite variance: left unscaled" if not np.isfinite(var) else
                          f"did not reach |Var - {target_var}| < {tol} in {max_iter} iterations (Var = {var:.4g})")
                warnings.warn(f"LSUV: layer {i} {reason}", RuntimeWarning, stacklevel=2)
            report.rows.append({"layer": i, "iterations": iterations, "var_before": var_before, "var_after": var,
                                "mean_after": mean, "converged": ok})
            x = out if where == "post" else layer.activation(out)  # the next layer's input, computed once
    return report
