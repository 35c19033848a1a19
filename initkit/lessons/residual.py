"""Residual networks at initialization, measured block by block: the pure steps behind notebook 09.

:func:`residual_profile` runs a :class:`~initkit.ResidualMLP` (its own forward and backward) and returns the
second moment of the residual stream x_l and of the back-propagated gradient dL/dx_l after every block,
beside the theory

    forward:   E[x_l^2] / E[x_0^2] = (1 + alpha^2 c)^l              (no normalization)
               E[x_l^2] = E[x_0^2] + l alpha^2 gamma^2                (BatchNorm at the branch's end)
    backward:  E[(dL/dx_l)^2] / E[(dL/dx_L)^2] = (1 + alpha^2 c)^(L - l)   (no normalization)

with c = 2 first^2 last^2 the branch gain of the scheme (c = 2 for He on both branch layers).
:func:`length_spread` measures Hanin & Rolnick's (2018) second failure mode: how much the length of the
output vector varies from one random network to the next, plain network against residual network.
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, Dtype, Integer, Optional, Options, Real
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params
from ..nn.network import MLP
from ..nn.residual import ResidualMLP
from ..nn.residual_init import SCHEMES, scheme_factors


# The widget's menu: label -> (init_scheme, norm).
CHOICES = {"He (fails)": ("he", None), "1/sqrt(L)": ("scaled", None), "1/sqrt(2L)": ("gpt2", None),
           "SkipInit / ReZero": ("rezero", None), "zero last layer": ("zero_last", None), "Fixup": ("fixup", None),
           "He + BatchNorm": ("he", "batch"), "zero gamma + BatchNorm": ("zero_gamma", "batch")}


@dataclass
class ResidualProfile:
    """Per-block second moments (index 0 = x_0, after the projection, up to x_L) and their theory."""

    scheme: str
    alpha: float
    c: float
    forward: np.ndarray  # E[x_l^2] / E[x_0^2]
    forward_theory: np.ndarray
    grad: np.ndarray  # E[(dL/dx_l)^2] / E[(dL/dx_L)^2]
    grad_theory: np.ndarray  # NaN with BatchNorm (no closed form here)
    norm: str = None

    @property
    def n_blocks(self):
        return len(self.forward) - 1


@validate_params({"dtype": Dtype, "n_blocks": Integer(1, 5000), "alpha": Real(0, 1e150, fits="dtype"), "scheme": Options(SCHEMES),
                  "norm": Optional(Options(("batch",))), "width": Integer(1, 2**14), "n_samples": Integer(1, MAX_ELEMENTS),
                  "rng": RNG},
                 budget={"n_blocks, width and n_samples": (
                     lambda a: a["n_blocks"] * a["width"] * (2 * a["width"] + 4 * a["n_samples"]),
                     "weights and activations (n_blocks x width x (2 width + 4 n_samples))")})
def residual_profile(n_blocks=50, alpha=1.0, scheme="he", *, norm=None, width=64, n_samples=256, dtype=np.float32,
                     rng=0):
    """Forward N(0, 1) inputs through a ``ResidualMLP(width, width, n_blocks, 10, init_scheme=scheme)`` whose
    branch multipliers are scaled by ``alpha``, back-propagate dL/dx_L ~ N(0, 1) from the top of the stream
    through the blocks' own backward, and return a :class:`ResidualProfile`.

    >>> p = residual_profile(n_blocks=8, alpha=1.0, scheme="he", width=256, n_samples=500, dtype=np.float64)
    >>> print(f"{p.forward_theory[-1]:.0f} = 3^8 predicted; measured / predicted in [0.5, 2]: "
    ...       f"{0.5 < p.forward[-1] / p.forward_theory[-1] < 2}")
    6561 = 3^8 predicted; measured / predicted in [0.5, 2]: True
    """
    gen = make_rng(rng)
    net = ResidualMLP(width, width, n_blocks, 10, init_scheme=scheme, norm=norm, dtype=dtype, rng=gen)
    with np.errstate(over="ignore"):
        for block in net.blocks:
            block.alpha *= net.dtype.type(alpha)
    x = gen.standard_normal((n_samples, width)).astype(dtype)
    with np.errstate(all="ignore"):
        net.forward(x)
        q = np.array([np.mean(np.square(s, dtype=np.float64)) for s in net.stream])
        g = gen.standard_normal((n_samples, width)).astype(dtype)
        grads = [g]
        for block in reversed(net.blocks):
            grads.append(_input_gradient(block, grads[-1]))
        gq = np.array([np.mean(np.square(d, dtype=np.float64)) for d in grads[::-1]])
    factors = scheme_factors(scheme, n_blocks)
    a = alpha * factors["alpha"]
    steps = np.arange(n_blocks + 1)
    with np.errstate(over="ignore"):  # a theory beyond the float range is inf: the view marks it off scale
        forward_theory, grad_theory = _theory(a, factors["c"], steps, n_blocks, norm, scheme, q[0])
    with np.errstate(all="ignore"):
        return ResidualProfile(scheme, float(a), factors["c"], q / q[0], forward_theory, gq / gq[-1], grad_theory,
                               norm)


def _input_gradient(block, da):
    """dL/dx_l = da + (dF/dx)^T (alpha da), what ``block.backward(da)`` returns, without the weight gradients
    (the profile reads only the stream's gradient: a third fewer matrix products)."""
    first, last = block.branch
    dh = last.backward(block.alpha * da, need_weight_grad=False)
    return da + first.backward(dh, need_weight_grad=False)


def _theory(a, c, steps, n_blocks, norm, scheme, q0):
    if norm is None:
        growth = np.float64(1 + a**2 * c)
        return growth ** steps, growth ** (n_blocks - steps)
    else:  # a BatchNorm output has unit variance per unit, times gamma^2 (0 for zero_gamma)
        gamma2 = 0.0 if scheme == "zero_gamma" else 1.0
        return 1 + steps * a**2 * gamma2 / q0, np.full(n_blocks + 1, np.nan)


def profile_choice(choice="He (fails)", n_blocks=50, alpha=1.0, **kwargs):
    """:func:`residual_profile` for a menu label of :data:`CHOICES` (the widget's step)."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {', '.join(map(repr, CHOICES))}; got {choice!r}")
    scheme, norm = CHOICES[choice]
    return residual_profile(n_blocks, alpha, scheme, norm=norm, **kwargs)


def theory_range(n_blocks=50, alpha=1.0, choices=None):
    """The smallest and largest value any scheme of ``choices`` (default: every entry of :data:`CHOICES`)
    predicts for ``n_blocks`` blocks and branch scale ``alpha``, forward or backward, as a pair of floats: what
    a live view's axis can cover so that the scheme menu does not move it. With BatchNorm the forward theory
    1 + l alpha^2 gamma^2 / E[x_0^2] is taken at E[x_0^2] = 1 (unit inputs through the LeCun projection).

    >>> lo, hi = theory_range(50, 1.0)
    >>> print(f"{lo:g} to {hi:.3g} = 3^50 (He)")
    1 to 7.18e+23 = 3^50 (He)
    """
    steps = np.arange(n_blocks + 1)
    lo, hi = np.inf, -np.inf
    for choice in choices or CHOICES:
        scheme, norm = CHOICES[choice]
        factors = scheme_factors(scheme, n_blocks)
        with np.errstate(over="ignore"):
            forward, _ = _theory(alpha * factors["alpha"], factors["c"], steps, n_blocks, norm, scheme, 1.0)
        finite = forward[np.isfinite(forward)]
        if finite.size:
            lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
    return lo, hi


@validate_params({"kind": Options(("plain", "residual")), "depth": Integer(1, 10_000), "width": Integer(1, 2**14),
                  "n_nets": Integer(2, 10**5), "scheme": Options(SCHEMES), "rng": RNG},
                 budget={"n_nets, depth and width": (lambda a: a["n_nets"] * a["depth"] * a["width"] ** 2 // 16,
                                                     "n_nets x depth x width^2 / 16 (work)")})
def length_spread(kind="residual", depth=50, width=32, n_nets=200, scheme="scaled", rng=0):
    """log(|x_out|^2 / |x_in|^2) for one fixed input through ``n_nets`` freshly drawn networks (an array).

    ``kind="plain"``: an He ReLU MLP of ``depth`` layers of ``width`` units (x_out: the last layer's
    activations); ``kind="residual"``: a ResidualMLP of ``depth`` blocks initialized by ``scheme`` (x_out:
    the stream x_L, x_in: x_0). Hanin & Rolnick (2018, How to start training: the effect of initialization
    and architecture, NeurIPS): the spread of this log-length across networks grows with sum_j 1/n_j in a
    plain net (about 5 depth / width for ReLU), and stays bounded in a residual net whose squared branch
    scales have a bounded sum (sum_l alpha_l^2, Hanin & Rolnick's condition in this parametrization).

    >>> s = length_spread("plain", depth=20, width=16, n_nets=50, rng=0)
    >>> s.shape
    (50,)
    """
    gen = make_rng(rng)
    x = gen.standard_normal((1, width))
    out = np.empty(n_nets)
    for i in range(n_nets):
        if kind == "plain":
            net = MLP([width] * (depth + 1), activation="relu", output_activation="relu", rng=gen)
            net.forward(x)
            x_in, x_out = x, net.activations[-1]
        else:
            net = ResidualMLP(width, width, depth, 1, init_scheme=scheme, rng=gen)
            net.forward(x)
            x_in, x_out = net.stream[0], net.stream[-1]
        out[i] = np.log(np.sum(x_out**2) / np.sum(x_in**2))
    return out
