"""Layer-sequential unit-variance initialization (Mishkin & Matas 2016), bounded and reporting.

The paper (Algorithm 1) pre-initializes every convolution or inner-product layer with an orthonormal matrix,
then, from the first layer to the last, rescales its weights until the variance of that layer's output (the
convolution or inner product, before the nonlinearity) is 1 within a tolerance. The authors' Caffe script
(ducha-aiki/LSUVinit, tools/extra/lsuv_init.py) runs the forward pass only up to the layer being fixed, so it
measures before an in-place ReLU too; it uses tolerance 0.02 and at most 20 iterations. Here:

    1. (optional) pre-initialize every W with an orthonormal matrix;
    2. for each layer l in order, with a_{l-1} the output of the already-fixed layers on the batch:
    3.     v = Var(a_{l-1} W_l + b_l)            (where='pre', the paper's; 'post' measures after the activation)
    4.     if |v - 1| < tol or iterations == max_iter: stop
    5.     W_l <- W_l / sqrt(v)
    6.     (center=True, not in the paper: then b_l <- b_l - batch mean of each unit, and re-fix the scale
           scaling W_l and b_l together, which keeps every unit's mean at exactly 0)

Each layer's input is computed once and reused while that layer iterates, so the whole procedure costs about
one forward pass per iteration of one layer, not of the network. Layers that cannot be scaled (zero or
non-finite variance) are reported and left alone instead of dividing by zero.

``lsuv_fastai`` reproduces fast.ai's two published loops (2019 and 2022 lessons) for comparison.
"""
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..core.constraints import RNG, Bool, Instance, Integer, Options, Real
from ..core.array_constraints import Data
from ..core.validation import validate_params
from ..core.basic_init import orthogonal
from ..nn.network import Dense


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


@validate_params({"x": Data(ndim=(1, 2, 3), min_rows=0, what="(a batch)"), "tol": Real(0, 1e6, closed="right"),
                  "max_iter": Integer(1, 10**5), "where": Options(("pre", "post")), "orthonormal": Bool, "center": Bool,
                  "target_var": Real(0, 1e150, closed="right"), "rng": RNG})
def lsuv(net, x, *, tol=0.1, max_iter=10, where="pre", orthonormal=True, center=False, target_var=1.0, rng=None):
    """Initialize ``net`` in place so that every layer's output has variance ``target_var`` on the batch ``x``.

    ``where='pre'`` (default) measures the pre-activation ``x W + b``; for linear layers one rescaling is
    exact. ``where='post'`` measures after the activation, as fast.ai's version does; with saturating
    activations it can accept a saturated network (notebook 05). Returns an :class:`LSUVReport` and warns,
    naming the layer, when a layer has zero variance or does not converge within ``max_iter``.
    """
    if not all(hasattr(net, a) for a in ("layers", "sizes", "dtype")):
        raise TypeError(f"net must be an MLP; got {type(net).__name__}")
    if not all(isinstance(layer, Dense) for layer in net.layers):
        other = next(type(layer).__name__ for layer in net.layers if not isinstance(layer, Dense))
        raise TypeError(f"lsuv initializes networks of Dense layers (an MLP); {type(net).__name__} has a "
                        f"{other}: for residual networks use an init_scheme of ik.ResidualMLP instead")
    if any(getattr(layer, "norm", None) is not None for layer in net.layers):
        raise ValueError("lsuv cannot initialize a network with normalization layers (norm='batch'): LSUV rescales "
                         "each W until its layer's output has unit variance, but BatchNorm makes the output "
                         "independent of W's scale, so there is nothing for it to do; build the net with norm=None")
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


# fast.ai's two published loops, reproduced on an MLP for comparison (notebook 05). Both measure the hidden
# layer's output AFTER the activation, include a constant ``sub`` subtracted after the activation
# (fast.ai's GeneralRelu: leaky_relu(z) - sub), skip the output layer, and stop at |mean| and |std - 1|
# below 1e-3 (fast.ai loops without a cap; here at most ``max_iter`` updates per loop). torch's std is the
# unbiased one (ddof=1).
#   2019 (course-v3, 07a_lsuv): while |mean| > tol: sub += mean  (the "bias" is -sub, AFTER the activation)
#                               then while |std - 1| > tol: W /= std
#   2022 (course22p2, 11_initializing): while |std - 1| > tol or |mean| > tol: b -= mean; W /= std
#                               (b is the layer's own bias, BEFORE the activation)
FASTAI_VERSIONS = (2019, 2022)


def _fastai_stats(layer, x, sub):
    out = layer.activation(x @ layer.W + layer.b) - sub
    return out, float(np.mean(out, dtype=np.float64)), float(np.std(out, dtype=np.float64, ddof=1))


@validate_params({"net": Instance("an MLP", ("layers", "sizes", "dtype")),
                  "x": Data(ndim=(1, 2, 3), min_rows=0, what="(a batch)"), "sub": Real(-1e6, 1e6),
                  "tol": Real(0, 1e6, closed="right"), "max_iter": Integer(1, 10**5)})
def lsuv_fastai(net, x, *, version=2019, sub=0.0, tol=1e-3, max_iter=50):
    """fast.ai's LSUV loop (``version`` 2019 or 2022), applied in place to the hidden layers of ``net``.

    ``sub`` is the constant that fast.ai's GeneralRelu subtracts after the activation (0 for the 2019
    lesson's ReLU, 0.4 for the 2022 lesson's ``GeneralRelu(leak=0.1, sub=0.4)``; the leak is the network's
    ``leaky_relu`` slope). Our layers have no post-activation shift, so the final shift of each hidden layer
    is folded into the next layer's bias (``b_next -= shift * W_next.sum(axis=0)``): the network then
    computes exactly what fast.ai's network computes. Returns an :class:`LSUVReport` (``where='post'``)
    whose rows also hold ``shift`` and ``std_after``; warns when a loop hits ``max_iter``.
    """
    if not (isinstance(version, int) and not isinstance(version, bool) and version in FASTAI_VERSIONS):
        raise ValueError(f"version must be one of {', '.join(map(str, FASTAI_VERSIONS))}; got {version!r}")
    if getattr(net, "norm", None):
        raise ValueError("lsuv_fastai does not support BatchNorm networks (norm='batch')")
    x = np.asarray(x, dtype=net.dtype)
    if x.ndim != 2 or x.shape[1] != net.sizes[0] or len(x) < 2:
        raise ValueError(f"x must be a batch of at least 2 rows with {net.sizes[0]} columns; got shape {x.shape}")
    report, shifts = LSUVReport(where="post"), []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, layer in enumerate(net.layers[:-1], start=1):
            shift = float(sub)
            _, mean, std = _fastai_stats(layer, x, shift)
            var_before = std**2
            if version == 2019:
                n_mean = 0
                while abs(mean) > tol and n_mean < max_iter:
                    shift += mean  # m.bias -= mean, where m.bias is -GeneralRelu.sub: AFTER the activation
                    n_mean += 1
                    _, mean, std = _fastai_stats(layer, x, shift)
                n_std = 0
                while abs(std - 1) > tol and n_std < max_iter and std > 0:
                    layer.W /= layer.W.dtype.type(std)  # m.weight /= std
                    n_std += 1
                    _, mean, std = _fastai_stats(layer, x, shift)
                iterations = n_mean + n_std
                # fast.ai's loops end when their conditions hold; the mean moves again when W is scaled
                ok = n_mean < max_iter and n_std < max_iter and abs(std - 1) <= tol
            else:
                iterations = 0
                while (abs(std - 1) > tol or abs(mean) > tol) and iterations < max_iter and std > 0:
                    layer.b -= layer.b.dtype.type(mean)  # m_in.bias -= mean: BEFORE the activation
                    layer.W /= layer.W.dtype.type(std)  # m_in.weight /= std
                    iterations += 1
                    _, mean, std = _fastai_stats(layer, x, shift)
                ok = abs(mean) <= tol and abs(std - 1) <= tol
            if not ok:
                warnings.warn(f"LSUV (fast.ai {version}): layer {i} stopped after {iterations} updates with "
                              f"mean {mean:.3g}, std {std:.3g}", RuntimeWarning, stacklevel=2)
            report.rows.append({"layer": i, "iterations": iterations, "var_before": var_before, "var_after": std**2,
                                "mean_after": mean, "std_after": std, "shift": shift, "converged": ok})
            shifts.append(shift)
            x = layer.activation(x @ layer.W + layer.b) - x.dtype.type(shift)
    for layer, nxt, shift in zip(net.layers[:-1], net.layers[1:], shifts):
        nxt.b -= (shift * nxt.W.sum(axis=0, dtype=np.float64)).astype(nxt.b.dtype)  # (a - s) W = a W - s 1^T W
    return report
