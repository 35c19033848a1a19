"""The slider explorer without the sliders: pure step functions (its view is :mod:`initkit.plotting.explorer_view`).

``explore(...)`` probes a network and computes the theory prediction for the same settings; this is the
function a slider calls, and the one tests and checked notebook cells call with fixed values.
``explore_fans(...)`` does the same for alternating wide and narrow layers (fan_in, fan_out, fan_avg).
"""
import functools

import numpy as np

from ..core.validation import check_dtype, check_fits, check_number, check_one_of, check_size
from ..core.activations import get_activation
from ..core.fans import fan_for
from ..core.initializers import MODES, variance_scaling
from ..nn.network import MLP
from ..measure.probe import probe, spec_inits
from ..measure.theory import predict


def hist_layers_for(depth, n_hist=10):
    """Up to ``n_hist`` evenly spaced layers from 1 to ``depth`` (always including the last)."""
    return sorted(set(np.linspace(1, depth, min(n_hist, depth)).round().astype(int).tolist()))


def _check_explore(weight_std, depth, width, activation, init, bias_std, n_samples, n_hist, dtype):
    """The explorer's controls, checked before any work: a clear error naming the control, never a traceback."""
    # Stds up to 1e150 keep the prediction's variances (std^2) finite in float64; a std must also fit dtype.
    weight_std = check_number("weight_std", weight_std, low=0, high=1e150)
    bias_std = check_number("bias_std", bias_std, low=0, high=1e150)
    for name, value in (("depth", depth), ("width", width), ("n_samples", n_samples), ("n_hist", n_hist)):
        check_number(name, value, low=1, integer=True)
    dtype = check_dtype(dtype)
    check_fits("weight_std", weight_std, dtype)
    check_fits("bias_std", bias_std, dtype)
    get_activation(activation)
    check_one_of("init", init, spec_inits())
    return weight_std, bias_std


def explore(weight_std=0.0625, depth=20, width=256, activation="tanh", init="lecun_normal", bias_std=0.0,
            n_samples=1000, n_hist=10, dtype=np.float32, rng=0):
    """Probe plus prediction for one setting of the explorer's controls; returns ``(result, prediction)``.

    Weights have std ``weight_std`` in the distribution of ``init``; the input is N(0, 1).
    """
    weight_std, bias_std = _check_explore(weight_std, depth, width, activation, init, bias_std, n_samples, n_hist,
                                          dtype)
    result = probe(depth=depth, width=width, activation=activation, init=init, weight_std=weight_std,
                   bias_std=bias_std, n_samples=n_samples, dtype=dtype, hist_layers=hist_layers_for(depth, n_hist),
                   weight_grads=False, rng=rng)
    prediction = predict([width] * (depth + 1), activation, weight_var=weight_std**2, bias_var=bias_std**2)
    name = getattr(activation, "name", activation)
    if name == "leaky_relu" and hasattr(activation, "params"):
        name = f"leaky_relu a={activation.params['negative_slope']:.2g}"
    result.config = {"weight_std": weight_std, "width": width, "activation": name, "depth": depth}
    return result, prediction


def alternating_widths(wide, narrow, depth):
    """Layer widths ``[wide, narrow, wide, narrow, ...]`` for ``depth`` layers (input first)."""
    return [wide if l % 2 == 0 else narrow for l in range(depth + 1)]


def explore_fans(mode="fan_in", wide=512, narrow=128, depth=8, activation="linear", scale=1.0, n_samples=500,
                 n_hist=10, dtype=np.float64, weight_grads=True, rng=0):
    """Forward and backward statistics of a network whose widths alternate ``wide``/``narrow``, weights from
    ``variance_scaling(scale, mode, 'normal')``; returns ``(result, prediction)`` like :func:`explore`.

    With mode 'fan_in' the forward signal keeps its variance and the gradient does not; 'fan_out' the
    reverse; 'fan_avg' (Glorot) compromises. The widget passes ``dtype=np.float32, weight_grads=False``
    (no dL/dW) to stay fast.
    """
    check_one_of("mode", mode, MODES)
    for name, value in (("wide", wide), ("narrow", narrow), ("depth", depth), ("n_samples", n_samples),
                        ("n_hist", n_hist)):
        check_number(name, value, low=1, integer=True)
    scale = check_number("scale", scale, low=0, low_inclusive=False)
    get_activation(activation)
    check_size("wide, narrow and depth", wide * narrow * depth, "weights (wide x narrow x depth)")
    sizes = alternating_widths(wide, narrow, depth)
    init = functools.partial(variance_scaling, scale=scale, mode=mode, distribution="normal")
    net = MLP(sizes, activation=activation, init=init, output_activation=activation, dtype=dtype, rng=rng)
    result = probe(net, n_samples=n_samples, hist_layers=hist_layers_for(depth, n_hist), weight_grads=weight_grads,
                   rng=rng)
    fans = [fan_for(mode, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    prediction = predict(sizes, activation, weight_var=[scale / n for n in fans])
    result.config = {"mode": mode, "widths": f"{wide}/{narrow}", "activation": activation, "scale": scale}
    return result, prediction

