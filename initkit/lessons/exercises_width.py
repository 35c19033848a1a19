"""The exercises of notebook 11 (width: SP, NTK and muP). References read the one table,
:data:`initkit.nn.parametrization.PARAMETRIZATIONS`, so an exercise cannot disagree with the package."""
import numpy as np

from ..core.registry import INIT_TABLE
from ..nn.parametrization import PARAMETRIZATIONS
from .exercise import Exercise


def _mup_hidden_rule(n, base_width, optimizer):
    # He init for ReLU (std sqrt(2 / fan_in), fan_in = n) and the muP learning-rate multiplier m**lr_exp.
    rule = PARAMETRIZATIONS["mup"]["hidden"]
    return np.array([np.sqrt(INIT_TABLE["he_normal"].variance(n, n)), (n / base_width) ** rule.lr_exp[optimizer]])


def _delta_f_exponent(parametrization, optimizer):
    # One step of the output layer changes f(x) by lr_out * (a sum over n aligned terms): SGD's is
    # h(x).h(x_b) ~ n, Adam's is sum_i h_i(x) sign-like updates ~ n. So |Delta f| ~ n**(1 + lr_exp_out).
    return float(1 + PARAMETRIZATIONS[parametrization]["output"].lr_exp[optimizer])


EXERCISES = {
    "mup_hidden_rule": Exercise(
        reference=_mup_hidden_rule,
        cases=[dict(n=n, base_width=b, optimizer=o) for n, b in ((256, 32), (64, 64), (1024, 128))
               for o in ("sgd", "adam")],
        hint="He init: std = sqrt(2 / fan_in) with fan_in = n. muP's hidden learning rate is unchanged for "
             "SGD and divided by m = n / base_width for Adam (Tensor Programs V, Table 3).",
    ),
    "delta_f_exponent": Exercise(
        reference=_delta_f_exponent,
        cases=[dict(parametrization=p, optimizer=o) for p, o in
               (("sp", "sgd"), ("sp", "adam"), ("mup", "sgd"), ("mup", "adam"), ("ntk", "sgd"))],
        hint="Delta f = lr_out x (a sum of n aligned terms): the sum grows like n, and lr_out like "
             "m**lr_exp from the table (SP: 0; muP and NTK: -1).",
    ),
}
