"""Initialization schemes for residual networks, one table row each (read by :class:`~initkit.ResidualMLP`).

A block computes ``x_{l+1} = x_l + alpha * F(x_l)`` with ``F(x) = W2 relu(W1 x + b1) + b2``. With every
weight He-initialized (Var(W) = s / fan_in, He's s = 2 read from the initializer table) the branch has gain
c = Var(F(x)) / Var(x) = s E[relu(z)^2] s = s^2 / 2 = 2, so

    Var(x_{l+1}) = Var(x_l) (1 + alpha^2 c)     and after L blocks     Var(x_L) = Var(x_0) (1 + alpha^2 c)^L,

a factor 3^L for alpha = 1. Every scheme below is a way to make alpha^2 c of order 1/L (so that
(1 + c'/L)^L -> e^c' stays bounded) or exactly 0 at initialization (each block starts as the identity).
A row says how W1 and W2 are scaled relative to He, the multiplier alpha (fixed or learned), and what
else the scheme changes; ``L`` is the number of blocks.

>>> [round(scheme_factors("fixup", 16)[k], 3) for k in ("first", "last")]
[0.25, 0.0]
>>> round(scheme_factors("gpt2", 8)["last"] ** 2 * 2 * 8, 6)
1.0
"""
from dataclasses import dataclass

import numpy as np

from ..core.registry import INIT_TABLE
from ..core.constraints import Integer, Options
from ..core.validation import validate_params

RELU_SECOND_MOMENT = 0.5  # E[relu(z)^2] / Var(z) = 1/2 for z ~ N(0, q): half the Gaussian's mass is cut


@dataclass(frozen=True)
class ResidualScheme:
    """One named scheme: W1 = first(L) x He, W2 = last(L) x He, alpha starts at ``alpha`` (learned if
    ``learn_alpha``), Fixup's scalar biases, a zero classifier, zero gamma in the branch's last BatchNorm."""

    first: callable
    last: callable
    alpha: float
    learn_alpha: bool
    scalar_biases: bool
    zero_output: bool
    zero_gamma: bool
    paper: str


def _one(L):
    return 1.0


def _zero(L):
    return 0.0


def _fixup_first(L, m=2):
    return L ** (-1.0 / (2 * m - 2))  # Fixup: scale the other m - 1 branch layers by L^(-1/(2m-2)); m = 2 here


SCHEMES = {
    "he": ResidualScheme(_one, _one, 1.0, False, False, False, False,
                         "He, Zhang, Ren & Sun 2015 (Delving deep into rectifiers) on every layer: the failing case"),
    "scaled": ResidualScheme(_one, lambda L: 1.0 / np.sqrt(L), 1.0, False, False, False, False,
                             "branch output scaled by 1/sqrt(L): alpha^2 c = c / L (GPT-2's 1/sqrt(N) rule, Radford et al. "
                             "2019, with N = L: one residual layer per block here; GPT-2 draws N(0, 0.02^2), not He)"),
    "gpt2": ResidualScheme(_one, lambda L: 1.0 / np.sqrt(2 * L), 1.0, False, False, False, False,
                           "Radford et al. 2019 (Language models are unsupervised multitask learners): residual "
                           "projections scaled by 1/sqrt(N), N = 2L residual layers in a transformer (two per block); in "
                           "this one-branch block N = L, so 1/sqrt(2L) halves what GPT-2's rule adds"),
    "skipinit": ResidualScheme(_one, _one, 0.0, True, False, False, False,
                               "De & Smith 2020 (Batch normalization biases residual blocks towards the identity "
                               "function in deep networks): a learned scalar alpha at the branch's end, starting at 0"),
    "rezero": ResidualScheme(_one, _one, 0.0, True, False, False, False,
                             "Bachlechner et al. 2020 (ReZero is all you need): x + alpha F(x), learned alpha = 0 "
                             "at initialization (in this MLP the same network as SkipInit)"),
    "zero_last": ResidualScheme(_one, _zero, 1.0, False, False, False, False,
                                "the branch's last weight matrix W2 starts at 0"),
    "zero_gamma": ResidualScheme(_one, _one, 1.0, False, False, False, True,
                                 "Goyal et al. 2017 (Accurate, large minibatch SGD): gamma = 0 in each branch's "
                                 "last BatchNorm (needs norm='batch')"),
    "fixup": ResidualScheme(_fixup_first, _zero, 1.0, True, True, True, False,
                            "Zhang, Dauphin & Ma 2019 (Fixup initialization, ICLR): W2 = 0 and classifier = 0, "
                            "W1 scaled by L^(-1/(2m-2)) (m = 2 layers per branch), scalar biases, multiplier 1"),
}


class _SchemeName(Options):
    """A name in :data:`SCHEMES`; the message says they are ResidualMLP's ``init_scheme`` values."""

    def check(self, name, value, args):
        try:
            return super().check(name, value, args)
        except ValueError as err:
            raise ValueError(str(err).replace("; got", " (ResidualMLP's init_scheme names); got", 1)) from None


@validate_params({"scheme": _SchemeName(SCHEMES), "n_blocks": Integer(1, 10**9)})
def scheme_factors(scheme, n_blocks):
    """The numbers scheme ``scheme`` gives a network of ``n_blocks`` blocks: W1's and W2's factor on He
    (``first``, ``last``), the initial multiplier ``alpha``, and the branch gain ``c`` = s^2 / 2 first^2 last^2
    = 2 first^2 last^2 (Var(F(x)) = c Var(x) at He's fan-in scaling Var(W) = s / fan_in, s = 2)."""
    row = SCHEMES[scheme]
    first, last = float(row.first(n_blocks)), float(row.last(n_blocks))
    he = INIT_TABLE["he_normal"].scale_value  # n Var(W) of each He-initialized branch layer
    return {"first": first, "last": last, "alpha": row.alpha, "c": he * RELU_SECOND_MOMENT * he * first**2 * last**2}


def branch_variance_factor(alpha, c):
    """Var(x_{l+1}) / Var(x_l) = 1 + alpha^2 c for a branch of gain c and multiplier alpha (no normalization)."""
    return 1.0 + alpha**2 * c


def apply_scheme(net, scheme):
    """Rescale the He-initialized weights of ``net`` (a ResidualMLP) in place as ``scheme`` says."""
    row = SCHEMES[scheme]
    L = len(net.blocks)
    if row.zero_gamma and net.norm != "batch":
        raise ValueError("init_scheme 'zero_gamma' sets gamma = 0 in the branch's last BatchNorm: it needs "
                         f"norm='batch'; got norm={net.norm!r}")
    for block in net.blocks:
        first, last = block.branch
        first.W *= first.W.dtype.type(row.first(L))
        last.W *= last.W.dtype.type(row.last(L))
        block.alpha[...] = row.alpha
        if row.zero_gamma:
            last.norm.gamma[...] = 0.0
    if row.zero_output:
        net.layers[-1].W[...] = 0.0
        net.layers[-1].b[...] = 0.0
    return net
