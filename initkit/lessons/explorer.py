"""The slider explorer without the sliders: pure step functions (its view is :mod:`initkit.plotting.explorer_view`).

``explore(...)`` probes a network and computes the theory prediction for the same settings; this is the
function a slider calls, and the one tests and checked notebook cells call with fixed values.
``explore_fans(...)`` does the same for alternating wide and narrow layers (fan_in, fan_out, fan_avg).
"""
import functools

import numpy as np

from ..core.constraints import RNG, Bool, Dtype, Integer, Options, Real
from ..core.validation import MAX_ELEMENTS, validate_params
from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.fans import fan_for
from ..core.initializers import MODES, variance_scaling
from ..nn.network import MLP
from ..measure.probe import MAX_DEPTH, _probe_net, _probe_spec, spec_inits
from ..measure.theory import predict


def hist_layers_for(depth, n_hist=10):
    """Up to ``n_hist`` evenly spaced layers from 1 to ``depth`` (always including the last)."""
    return sorted(set(np.linspace(1, depth, min(n_hist, depth)).round().astype(int).tolist()))


# The theory beside the probe, on the trusted path: the explorer has checked every argument already.
_predict = getattr(predict, "__wrapped__", predict)


# Stds up to 1e150 keep the prediction's variances (std^2) finite in float64; a std must also fit dtype.
STD = Real(0, 1e150, fits="dtype")


@validate_params(
    {"dtype": Dtype, "weight_std": STD, "depth": Integer(1, MAX_DEPTH), "width": Integer(1, MAX_ELEMENTS),
     "activation": Options(ACTIVATIONS, types=(Activation,)), "init": Options(spec_inits), "bias_std": STD,
     "n_samples": Integer(1, MAX_ELEMENTS), "n_hist": Integer(1, MAX_DEPTH), "rng": RNG},
    budget={"depth and width": (lambda a: a["depth"] * a["width"] ** 2, "weights (depth x width x width)"),
            "n_samples": (lambda a: a["n_samples"] * a["width"] * (2 * a["depth"] + 1),
                          "samples x units x 2 (activations, pre-activations)")})
def explore(weight_std=0.0625, depth=20, width=256, activation="tanh", init="lecun_normal", bias_std=0.0,
            n_samples=1000, n_hist=10, dtype=np.float32, rng=0):
    """Probe plus prediction for one setting of the explorer's controls; returns ``(result, prediction)``.

    Weights have std ``weight_std`` in the distribution of ``init``; the input is N(0, 1). The arguments are
    checked once, here; the probe and the prediction take their trusted paths (a slider step).
    """
    name = getattr(activation, "name", activation)
    if name == "leaky_relu" and hasattr(activation, "params"):
        name = f"leaky_relu a={activation.params['negative_slope']:.2g}"
    activation = get_activation(activation)
    result = _probe_spec(depth, width, activation, init, weight_std, 1.0, bias_std, None, n_samples, dtype, 50,
                         hist_layers_for(depth, n_hist), False, rng)
    prediction = _predict([width] * (depth + 1), activation, weight_var=weight_std**2, bias_var=bias_std**2)
    result.config = {"weight_std": weight_std, "width": width, "activation": name, "depth": depth}
    return result, prediction


def alternating_widths(wide, narrow, depth):
    """Layer widths ``[wide, narrow, wide, narrow, ...]`` for ``depth`` layers (input first)."""
    return [wide if l % 2 == 0 else narrow for l in range(depth + 1)]


@validate_params(
    {"mode": Options(MODES), "wide": Integer(1, MAX_ELEMENTS), "narrow": Integer(1, MAX_ELEMENTS),
     "depth": Integer(1, MAX_DEPTH), "activation": Options(ACTIVATIONS, types=(Activation,)),
     "scale": Real(0, closed="right"), "n_samples": Integer(1, MAX_ELEMENTS), "n_hist": Integer(1, MAX_DEPTH),
     "dtype": Dtype, "weight_grads": Bool, "rng": RNG},
    budget={"wide, narrow and depth": (lambda a: a["wide"] * a["narrow"] * a["depth"],
                                       "weights (wide x narrow x depth)"),
            "n_samples": (lambda a: a["n_samples"] * (a["wide"] + a["narrow"]) * (a["depth"] + 1) * 3,
                          "samples x units x 3 (values, pre-activations, gradients)")})
def explore_fans(mode="fan_in", wide=512, narrow=128, depth=8, activation="linear", scale=1.0, n_samples=500,
                 n_hist=10, dtype=np.float64, weight_grads=True, rng=0):
    """Forward and backward statistics of a network whose widths alternate ``wide``/``narrow``, weights from
    ``variance_scaling(scale, mode, 'normal')``; returns ``(result, prediction)`` like :func:`explore`.

    With mode 'fan_in' the forward signal keeps its variance and the gradient does not; 'fan_out' the
    reverse; 'fan_avg' (Glorot) compromises. The widget passes ``dtype=np.float32, weight_grads=False``
    (no dL/dW) to stay fast.
    """
    sizes = alternating_widths(wide, narrow, depth)
    init = functools.partial(variance_scaling, scale=scale, mode=mode, distribution="normal")
    net = MLP(sizes, activation=activation, init=init, output_activation=activation, dtype=dtype, rng=rng)
    result = _probe_net(net, None, n_samples, 50, hist_layers_for(depth, n_hist), weight_grads, rng)
    fans = [fan_for(mode, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    prediction = _predict(sizes, activation, weight_var=[scale / n for n in fans])
    result.config = {"mode": mode, "widths": f"{wide}/{narrow}", "activation": activation, "scale": scale}
    return result, prediction

