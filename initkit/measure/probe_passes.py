"""The passes :func:`initkit.probe` measures, and the per-layer records it builds from them.

Two engines produce the same per-layer arrays (pre-activation z, activation a, dL/da, dL/dz, dL/dW):

* :func:`spec_pass`, the fast path behind the sliders: weight matrices and activations only, run through
  the one dense engine (:class:`~initkit.nn.network.Dense`: z = a W + b, a = phi(z); backward
  dz = da phi'(z), dW = a_prev^T dz, da_prev = dz W^T).
* :func:`net_pass`, for a real network: a copy of the network runs its own ``forward`` and ``backward``
  (BatchNorm in training mode, output activation as built), and the arrays are read from the layers'
  caches, so a probe describes the network as it really computes.

Both hand each layer's arrays to a :class:`Recorder` (the spec path right after computing them, while they
are still in cache), which builds the records and histograms; tests check that both engines agree on an
MLP that carries the spec's weights. Callers silence floating-point warnings: an exploding network is a
result, not an error.
"""
import numpy as np

from ..core.histogram import _fixed_histogram as fixed_histogram, _histogram_edges as histogram_edges
from ..nn.network import Dense
from ..nn.stats import dead_fraction, moments, saturation_fraction

ACT_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
DEFAULT_RANGE = (-3.0, 3.0)  # unbounded activations and all gradients (dL/d(output) has std 1)
RECORD_KEYS = ("pre_mean", "pre_std", "act_mean", "act_std", "act_m2", "saturation", "dead", "da_std", "dz_std",
               "dW_std", "grad_data_ratio")


class Recorder:
    """Per-layer records and histograms, filled one layer at a time; :meth:`fields` gives ProbeResult's fields.

    ``acts`` are the layers' activations, ``shapes`` the (fan_in, fan_out) of each weight, ``stds`` each
    weight's std, ``hist_layers`` the 1-based layers that get histograms.
    """

    def __init__(self, acts, shapes, stds, bins, hist_layers):
        self.acts, self.bins, self.hist_layers = acts, bins, hist_layers
        self.hist_row = {layer: i for i, layer in enumerate(hist_layers)}
        self.act_hist = np.zeros((len(hist_layers), bins), dtype=np.int64)
        self.grad_hist = np.zeros((len(hist_layers), bins), dtype=np.int64)
        self.records = [{"layer": l + 1, "fan_in": int(fan_in), "fan_out": int(fan_out), "activation": acts[l].name,
                         "weight_std": float(stds[l])} for l, (fan_in, fan_out) in enumerate(shapes)]
        self.exploded = self.vanished = self.grad_vanished = None

    def forward(self, l, z, a):
        """Layer ``l`` (0-based) computed pre-activation ``z`` and activation ``a``."""
        act = self.acts[l]
        if self.vanished is None and not a.any():
            self.vanished = l + 1
        (pre_mean, pre_std, _), (act_mean, act_std, act_m2) = moments(z), moments(a)
        self.records[l].update(pre_mean=pre_mean, pre_std=pre_std, act_mean=act_mean, act_std=act_std,
                               act_m2=act_m2, saturation=saturation_fraction(a, act), dead=dead_fraction(z, act))
        if l + 1 in self.hist_row:
            self.act_hist[self.hist_row[l + 1]] = fixed_histogram(a, *ACT_RANGES.get(act.name, DEFAULT_RANGE),
                                                                  self.bins)

    def backward(self, l, da, dz, dW=None):
        """Layer ``l`` received dL/da ``da``, computed dL/dz ``dz`` and (unless None) dL/dW ``dW``; from the top."""
        r = self.records[l]
        r["da_std"], r["dz_std"] = moments(da)[1], moments(dz)[1]
        if self.grad_vanished is None and not da.any():
            self.grad_vanished = l + 1
        if dW is not None:
            r["dW_std"] = moments(dW)[1]
            r["grad_data_ratio"] = r["dW_std"] / r["weight_std"] if r["weight_std"] > 0 else float("nan")
        if l + 1 in self.hist_row:
            self.grad_hist[self.hist_row[l + 1]] = fixed_histogram(da, *DEFAULT_RANGE, self.bins)

    def fields(self):
        for r in self.records:
            for k in RECORD_KEYS:
                r.setdefault(k, float("nan"))
        lo, hi = ACT_RANGES.get(self.acts[0].name, DEFAULT_RANGE)
        return dict(records=self.records, act_edges=histogram_edges(lo, hi, self.bins), act_hist=self.act_hist,
                    grad_edges=histogram_edges(*DEFAULT_RANGE, self.bins), grad_hist=self.grad_hist,
                    hist_layers=self.hist_layers, exploded_at=self.exploded, vanished_at=self.vanished,
                    grad_vanished_at=self.grad_vanished)


def spec_pass(Ws, bs, x, g, recorder, weight_grads):
    """Forward through ``Ws``, ``bs`` (None: no bias) and the recorder's activations, stopping at the first
    non-finite z; then, unless it exploded, backward from dL/d(output) = ``g``. Fills ``recorder``.

    The arithmetic is the network's own: each layer is a :class:`~initkit.nn.network.Dense` computing with
    the given arrays (no copy), so the slider path and ``MLP`` share one forward and backward.
    """
    layers = [Dense.from_arrays(W, b, act) for W, b, act in zip(Ws, bs, recorder.acts)]
    a = x
    for l, layer in enumerate(layers):  # forward: z = a W + b, a = phi(z)
        a = layer.forward(a)
        if not np.isfinite(layer.z).all():
            recorder.exploded = l + 1
            return recorder
        recorder.forward(l, layer.z, a)
    da = g
    for l in range(len(layers) - 1, -1, -1):  # backward: dz = da phi'(z), dW = a_prev^T dz, da_prev = dz W^T
        layer = layers[l]
        dz = layer.backward_to_z(da, need_weight_grad=weight_grads)
        recorder.backward(l, da, dz, layer.dW if weight_grads else None)  # while da and dz are still in cache
        if l > 0:
            da = layer.input_gradient(dz)
        layer.x = layer.z = layer.a = layer.dz = None  # drop this layer's arrays: the next ones reuse memory
    return recorder


def net_pass(net, x, g, recorder, weight_grads):
    """The same measurements from a copy of ``net`` running its own forward and backward in training mode
    (the network itself is left untouched: weights, BatchNorm statistics, caches). Fills ``recorder``."""
    net = net.copy().train()
    net.forward(x)
    for l, layer in enumerate(net.layers):
        if not np.isfinite(layer.z).all():
            recorder.exploded = l + 1
            return recorder
        recorder.forward(l, layer.z, layer.a)
    grads = net.backward(g)
    for l in range(len(net.layers) - 1, -1, -1):
        recorder.backward(l, grads.da[l], net.layers[l].dz, grads.dW[l] if weight_grads else None)
    return recorder
