"""How an MLP's initialization and per-layer learning rates scale with width: SP, NTK and muP, one table.

A parametrization says, for each layer type, how the initial weight variance and the learning rate change
when the hidden width n grows. Written relative to a base width ``n0`` (the width you tuned on), with the
width multiplier ``m = n / n0``, every rule is a power of m: ``init_var = base_var * m**var_exp`` and
``lr = lr_base * m**lr_exp``. At ``n = n0`` every parametrization is the standard one, so a learning rate
tuned at the base width is the same number in all three; they differ in how it moves as m grows.

The three layer types of an MLP ``[d, n, ..., n, C]``: the *input* layer (fan_in d fixed, fan_out n), the
*hidden* layers (n -> n) and the *output* (readout) layer (fan_in n, fan_out C fixed). Biases of layers whose
fan_out is n follow the ``bias`` row; the output bias keeps lr_base.

- SP (standard): He/LeCun init ``Var = gain/fan_in`` and one global learning rate (m**0 everywhere).
- NTK (Jacot, Gabriel & Hongler 2018): ``W = w / sqrt(fan_in)`` with ``w ~ N(0, 1)`` trained at lr eta; by
  the abc-symmetry (Yang & Hu 2021, section 3) this is the same function as SP's init with the learning rate
  of every layer with fan_in n divided by m (lr eta / fan_in). Defined here for SGD only.
- muP (Yang & Hu 2021; Yang et al. 2022, Tensor Programs V, Table 3, the form without forward multipliers):
  SGD: input lr x m, hidden lr x 1, output lr / m and output init variance / m; biases lr x m.
  Adam: input lr x 1, hidden lr / m, output lr / m and output init variance / m; biases lr x 1.
  (Tensor Programs V, Table 8, and the ``mup`` package's MuReadout put the output's 1/m in a forward
  multiplier instead, an equivalent form; the package also initializes the readout at zero:
  ``readout="zero"`` gives that choice.)
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import RNG, AnyOf, Callable, Dtype, Optional, Options, Real, Sizes
from ..core.activations import ACTIVATIONS, Activation
from ..core.registry import ALIASES as INIT_ALIASES, INITIALIZERS
from ..core.validation import check_number, check_one_of, make_rng, validate_params
from .network import MLP

__all__ = ["PARAMETRIZATIONS", "LayerRule", "parametrize", "scaling_table", "layer_kinds"]


@dataclass(frozen=True)
class LayerRule:
    """Exponents of the width multiplier m: init variance x m**var_exp, learning rate x m**lr_exp[optimizer]."""

    var_exp: float
    lr_exp: dict
    formula: str  # the rule written with fans (for printing)


_SP = {kind: LayerRule(0, {"sgd": 0, "adam": 0}, "Var = g/fan_in, lr = eta")
       for kind in ("input", "hidden", "output", "bias")}

PARAMETRIZATIONS = {
    "sp": _SP,
    "ntk": {
        "input": LayerRule(0, {"sgd": 0}, "Var = g/fan_in, lr = eta (fan_in = d fixed)"),
        "hidden": LayerRule(0, {"sgd": -1}, "Var = g/fan_in, lr = eta n0/fan_in"),
        "output": LayerRule(0, {"sgd": -1}, "Var = g/fan_in, lr = eta n0/fan_in"),
        "bias": LayerRule(0, {"sgd": 0}, "b = 0, lr = eta"),
    },
    "mup": {
        "input": LayerRule(0, {"sgd": 1, "adam": 0}, "Var = g/fan_in; SGD lr = eta fan_out/n0, Adam lr = eta"),
        "hidden": LayerRule(0, {"sgd": 0, "adam": -1}, "Var = g/fan_in; SGD lr = eta, Adam lr = eta n0/fan_in"),
        "output": LayerRule(-1, {"sgd": -1, "adam": -1}, "Var = g/fan_in * n0/fan_in; lr = eta n0/fan_in"),
        "bias": LayerRule(0, {"sgd": 1, "adam": 0}, "b = 0; SGD lr = eta fan_out/n0, Adam lr = eta"),
    },
}


def layer_kinds(n_layers):
    """'input', 'hidden', ..., 'output' for an MLP with ``n_layers`` weight matrices (at least 2)."""
    check_number("n_layers", n_layers, low=2, integer=True)
    return ["input"] + ["hidden"] * (n_layers - 2) + ["output"]


def _rule(parametrization, kind, optimizer):
    check_one_of("parametrization", parametrization, PARAMETRIZATIONS)
    check_one_of("optimizer", optimizer, ("sgd", "adam"))
    rule = PARAMETRIZATIONS[parametrization][kind]
    if optimizer not in rule.lr_exp:
        raise ValueError(f"parametrization {parametrization!r} is defined here for optimizer "
                         f"{sorted(rule.lr_exp)}; got optimizer={optimizer!r}")
    return rule


@validate_params({"parametrization": Options(lambda: PARAMETRIZATIONS), "optimizer": Options(("sgd", "adam"))})
def scaling_table(parametrization, optimizer="sgd"):
    """Rows (layer kind, init-variance exponent, lr exponent, formula) of the table, for printing.

    >>> for row in scaling_table("mup"): print(row[:3])
    ('input', 0, 1)
    ('hidden', 0, 0)
    ('output', -1, -1)
    ('bias', 0, 1)
    """
    return [(kind, _rule(parametrization, kind, optimizer).var_exp, _rule(parametrization, kind, optimizer)
             .lr_exp[optimizer], PARAMETRIZATIONS[parametrization][kind].formula)
            for kind in ("input", "hidden", "output", "bias")]


@validate_params({"sizes": Sizes(min_len=3, high=2**14, what="layer widths with at least one hidden layer ([d, n, ..., C])"),
                  "parametrization": Options(lambda: PARAMETRIZATIONS),
                  "base_width": Optional(Real(0, 2**14, closed="right")), "optimizer": Options(("sgd", "adam")),
                  "activation": Options(ACTIVATIONS, types=(Activation,)),
                  "init": AnyOf(Options(lambda: {*INITIALIZERS, *INIT_ALIASES}), Callable()), "readout": Options(("scaled", "zero")),
                  "dtype": Dtype, "rng": RNG},
                 budget={"sizes": (lambda a: sum(m * n for m, n in zip(a["sizes"], a["sizes"][1:])), "weights")})
def parametrize(sizes, parametrization="mup", *, base_width=None, optimizer="sgd", activation="relu",
                init="he_normal", readout="scaled", dtype=np.float64, rng=None):
    """An MLP initialized under ``parametrization`` ('sp', 'ntk', 'mup') and its per-parameter lr multipliers.

    Returns ``(net, lr_scales)``: ``net`` is an :class:`initkit.MLP` drawn with ``init`` (He by default),
    its output layer's weights then multiplied by ``m**(var_exp/2)`` (muP: std / sqrt(m)), or set to zero
    with ``readout="zero"``; ``lr_scales`` has one multiplier per array of ``net.parameters()`` for
    ``ik.SGD(lr, lr_scales=...)``, ``ik.Adam`` or ``ik.fit_many(..., lr_scales=...)``. The width multiplier of
    a layer is ``m = n / base_width`` with n its fan_out (input layer) or fan_in (hidden, output layers);
    ``base_width`` defaults to the widest hidden layer (m = 1: every parametrization is SP).
    Tables: Yang & Hu 2021, "Feature Learning in Infinite-Width Neural Networks" (ICML); Yang et al. 2022,
    "Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer", Table 3.

    >>> net, scales = parametrize([64, 256, 256, 10], "mup", base_width=64, rng=0)
    >>> [float(s) for s in scales]   # W_in, b_in, W_hid, b_hid, W_out, b_out
    [4.0, 4.0, 1.0, 4.0, 0.25, 1.0]
    >>> print(f"{net.layers[-1].W.std() * np.sqrt(256 / 2):.2f}")   # He std / sqrt(m): 1/sqrt(4)
    0.50
    """
    base_width = max(sizes[1:-1]) if base_width is None else base_width
    kinds = layer_kinds(len(sizes) - 1)
    rules = [_rule(parametrization, kind, optimizer) for kind in kinds]
    bias_rule = _rule(parametrization, "bias", optimizer)
    net = MLP(sizes, activation=activation, init=init, dtype=dtype, rng=make_rng(rng))
    scales = []
    for i, (kind, rule, layer) in enumerate(zip(kinds, rules, net.layers)):
        m = (layer.fan_out if kind == "input" else layer.fan_in) / base_width
        if rule.var_exp:
            layer.W *= np.asarray(m ** (rule.var_exp / 2), dtype=layer.W.dtype)
        if kind == "output" and readout == "zero":
            layer.W[...] = 0
        bias_m = layer.fan_out / base_width if kind != "output" else 1.0
        scales += [float(m ** rule.lr_exp[optimizer]), float(bias_m ** bias_rule.lr_exp[optimizer])]
    return net, scales
