"""Probe a freshly initialized network: one forward and one backward pass, per-layer records.

``probe`` answers the question every lesson asks: what does each layer do to the signal, forward and
backward? It returns plain per-layer records (means, stds, saturation, dead units, gradient stds), fixed-edge
histograms, and where the signal exploded to inf/nan or vanished to exact zero, without raising or
warning: an exploding network is a result, not an error.

Speed: unit-variance weights, input and output gradient are drawn once per integer seed and cached; a
new weight std only rescales them (``W = std * U``), so a slider move costs two matrix products per
layer (forward and backward) and no sampling. The backward pass starts from dL/d(output) ~ N(0, 1).
"""
import functools
import numbers
from dataclasses import dataclass, field

import numpy as np

from ..core.constraints import RNG, Bool, Dtype, Instance, Integer, Optional, Options, Real, Sizes
from ..core.array_constraints import Data
from ..core.validation import MAX_ELEMENTS, check_dtype, make_rng, validate_params
from ..core.activations import ACTIVATIONS, Activation, get_activation
from .probe_passes import Recorder, net_pass, spec_pass
from ..core.basic_init import orthogonal
from ..core.initializers import TRUNCATED_NORMAL_STD_2
from ..core.registry import ALIASES, INIT_TABLE, init_spec
from .theory import known_variance, weight_variance
from ..core.truncated import sample_truncated

UNIT_LAWS = ("normal", "uniform", "truncated_normal", "orthogonal", "zeros")


def spec_inits():
    """Initializers the spec path can draw: names and aliases in :data:`initkit.core.registry.INIT_TABLE` whose
    law of W / std(W) is known (with weight_std=None the variance must be known too)."""
    return {name for name in {*INIT_TABLE, *ALIASES} if init_spec(name).distribution in UNIT_LAWS}


def _distribution(init):
    return init_spec(init).distribution


def _unit_matrix(rng, shape, distribution):
    """A matrix of unit-variance draws from ``distribution``, so that W = std * U has the initializer's law."""
    if distribution == "normal":
        return rng.standard_normal(shape)
    if distribution == "uniform":
        return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), shape)
    if distribution == "truncated_normal":
        return sample_truncated(rng, shape, 2.0) / TRUNCATED_NORMAL_STD_2
    if distribution == "orthogonal":
        return orthogonal(shape, rng=rng) * np.sqrt(max(shape))
    return np.zeros(shape)


PROBE_STREAM = 0x9B0BE  # mixed into integer seeds for a network's probe inputs


def probe_generator(rng):
    """The generator ``probe(net, rng=...)`` draws its input and output gradient from.

    For an integer seed it is ``default_rng([seed, PROBE_STREAM])``, a stream independent of
    ``default_rng(seed)``: a network built with ``rng=0`` and probed with ``rng=0`` must not be fed its
    own weights as "random" input (they would correlate with the weights and bias every gradient).
    """
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng([int(rng), PROBE_STREAM])
    return make_rng(rng)


@functools.lru_cache(maxsize=6)
def _unit_draws(seed, sizes, distribution, dtype, n_samples):
    """Unit weights and biases per layer, a N(0, 1) input and a N(0, 1) output gradient, for one seed."""
    rng = np.random.default_rng(seed)
    units = tuple(_unit_matrix(rng, (sizes[l], sizes[l + 1]), distribution).astype(dtype)
                  for l in range(len(sizes) - 1))
    biases = tuple(rng.standard_normal(s).astype(dtype) for s in sizes[1:])
    x = rng.standard_normal((n_samples, sizes[0])).astype(dtype)
    g = rng.standard_normal((n_samples, sizes[-1])).astype(dtype)
    for arr in (*units, *biases, x, g):
        arr.setflags(write=False)
    return units, biases, x, g


@dataclass
class ProbeResult:
    """Per-layer records of one probe, plus histograms (rows follow ``hist_layers``, 1-based)."""

    records: list
    act_edges: np.ndarray
    act_hist: np.ndarray
    grad_edges: np.ndarray
    grad_hist: np.ndarray
    hist_layers: list
    exploded_at: int = None  # first layer whose pre-activations are inf/nan
    vanished_at: int = None  # first layer whose activations are all exactly 0
    grad_vanished_at: int = None  # first layer (from the top) whose gradient is all exactly 0
    config: dict = field(default_factory=dict)

    def column(self, key):
        """One record field across layers, as a float array."""
        return np.array([r[key] for r in self.records], dtype=np.float64)

    @property
    def depth(self):
        return len(self.records)

    def status(self):
        """One sentence on what happened to the signal, naming every problem found (``; ``-separated).

        Checked in this order, with these thresholds:

        * overflow: pre-activations became inf/nan (``exploded_at``: nothing else is reported); underflow:
          every activation of a layer is exactly 0 (``vanished_at``) or a layer's activation std is 0;
        * saturation: in some layer more than half of the activations are within 3% of a bound of
          tanh/sigmoid (|a| > 0.97 for tanh: the ``saturation`` record; a LeCun tanh net has a few percent,
          N(0, 1) weights about 80%);
        * dead units: in some layer more than half of the ReLU units are inactive for every sample of the
          batch (the ``dead`` record);
        * when none of the above: the forward signal, act_std of the last layer against the first, beyond
          a factor 1000 either way;
        * the back-propagated gradient dL/da: inf/nan, exactly 0 (``grad_vanished_at``), or da_std at
          layer 1 against the last layer beyond a factor 1000 (exploding or vanishing).

        With none of these the network is called healthy. Numbers are quoted to two significant digits.
        """
        saturated, dead, factor = 0.5, 0.5, 1e3

        def beyond(a, b):  # a / b if both are finite and positive and the ratio is beyond the factor
            ok = np.isfinite(a) and np.isfinite(b) and a > 0 and b > 0
            return a / b if ok and not 1 / factor <= a / b <= factor else None

        if self.exploded_at is not None:
            return f"overflow: the signal exploded to inf/nan at layer {self.exploded_at}"
        problems = []
        act_std, da_std = self.column("act_std"), self.column("da_std")
        zero = np.flatnonzero(act_std == 0)
        if self.vanished_at is not None:
            problems.append(f"underflow: the signal vanished to exactly 0 from layer {self.vanished_at}")
        elif zero.size:
            problems.append(f"underflow: the activations' std is 0 at layer {zero[0] + 1}")
        for key, limit, text in (("saturation", saturated, "saturated: over half the units near a bound"),
                                 ("dead", dead, "dead units: over half the ReLU units never active")):
            values = np.nan_to_num(self.column(key), nan=0.0)
            if values.size and values.max() > limit:
                problems.append(f"{text} in {np.count_nonzero(values > limit)} of {self.depth} layers "
                                f"(up to {values.max():.0%})")
        ratio = beyond(act_std[-1], act_std[0]) if self.depth > 1 and not problems else None
        if ratio is not None:
            problems.append(f"the signal {'grew' if ratio > 1 else 'shrank'} by a factor "
                            f"{max(ratio, 1 / ratio):.2g} from layer 1 to layer {self.depth}")
        bad = np.flatnonzero(~np.isfinite(da_std))
        ratio = beyond(da_std[0], da_std[-1]) if self.depth > 1 else None
        if bad.size:
            problems.append(f"exploding gradient: dL/da became inf/nan at layer {bad[-1] + 1}")
        elif self.grad_vanished_at is not None:
            problems.append(f"vanishing gradient: dL/da is exactly 0 at layer {self.grad_vanished_at}")
        elif ratio is not None:
            problems.append(f"{'exploding' if ratio > 1 else 'vanishing'} gradient: dL/da std {da_std[0]:.2g} "
                            f"at layer 1, {da_std[-1]:.2g} at layer {self.depth}")
        if not problems:
            return ("healthy: finite; under half the units saturated or dead; std of a and dL/da within 1000x "
                    "across layers")
        return "; ".join(problems)

    def summary(self, keys=("act_std", "saturation", "da_std"), every=1):
        """A small text table of the chosen fields, 3 significant digits."""
        rows = [f"{'layer':>5} " + " ".join(f"{k:>12}" for k in keys)]
        shown = self.records[::every]
        if shown[-1] is not self.records[-1]:
            shown.append(self.records[-1])
        for r in shown:
            rows.append(f"{r['layer']:>5} " + " ".join(f"{r[k]:>12.3g}" for k in keys))
        return "\n".join(rows + [self.status()])

    def __repr__(self):
        return f"ProbeResult(depth={self.depth}, {self.status()})"


def _layers_from_spec(depth, width, n_in, activation, init, weight_std, gain, bias_std, dtype, n_samples, seed):
    sizes = (n_in,) + (width,) * depth
    units, unit_b, x, g = _unit_draws(seed, sizes, _distribution(init), dtype, n_samples)
    stds = [weight_std if weight_std is not None else np.sqrt(weight_variance(init, sizes[l], sizes[l + 1], gain))
            for l in range(depth)]
    Ws = [dtype.type(s) * U for s, U in zip(stds, units)]
    bs = [dtype.type(bias_std) * b if bias_std else None for b in unit_b]
    return Ws, bs, [activation] * depth, x, g, stds


def _seed(rng):
    """An int seed for the cached unit draws: ``rng`` itself if it is an int, else one drawn from it."""
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return int(rng)
    return int(make_rng(rng).integers(2**63))


NETWORK = Instance("an MLP (or None, to describe one)", ("layers", "sizes", "forward", "backward", "copy"))
MAX_DEPTH = 10_000  # layers of a described network (the prediction beside it allows as many)


def _n_layers(args):
    return len(args["net"].layers) if args["net"] is not None else args["depth"]


def _rows(args):
    return args["n_samples"] if args["x"] is None else len(args["x"])


def _spec_weights(args):
    if args["net"] is not None:
        return 0
    n_in = args["width"] if args["x"] is None else args["x"].shape[1]
    return args["depth"] * args["width"] * max(args["width"], n_in)


def _samples(args):
    if args["net"] is not None:
        return _rows(args) * sum(args["net"].sizes) * 3
    n_in = args["width"] if args["x"] is None else args["x"].shape[1]
    return _rows(args) * (args["width"] * args["depth"] * 2 + n_in)


@validate_params(
    {"net": Optional(NETWORK), "dtype": Dtype, "depth": Integer(1, MAX_DEPTH), "width": Integer(1, MAX_ELEMENTS),
     "activation": Options(ACTIVATIONS, types=(Activation,)), "init": Options(spec_inits),
     "weight_std": Optional(Real(0, fits="dtype")), "gain": Real(), "bias_std": Real(0, fits="dtype"),
     "x": Optional(Data(ndim=2, columns=lambda a: a["net"].sizes[0] if a["net"] is not None else None)),
     "n_samples": Integer(1, MAX_ELEMENTS), "bins": Integer(1, 10**6),
     "hist_layers": Optional(Sizes(min_len=0, high=_n_layers, what="layer numbers")), "weight_grads": Bool,
     "rng": RNG},
    budget={"depth and width": (_spec_weights, "weights (depth x width x width)"),
            "n_samples": (_samples, "samples x units x 2 (activations, pre-activations, gradients)")})
def probe(net=None, *, depth=20, width=256, activation="tanh", init="lecun_normal", weight_std=None, gain=1.0,
          bias_std=0.0, x=None, n_samples=1000, dtype=np.float32, bins=50, hist_layers=None, weight_grads=True,
          rng=0):
    """Forward and backward statistics of a network, layer by layer.

    Either pass an ``MLP`` as ``net`` or describe one: ``depth`` layers of ``width`` units, every layer
    ``activation``, weights from ``init`` (a variance-scaling name, 'orthogonal', 'random_normal', ...)
    times ``gain``, or with std ``weight_std`` (same distribution, absolute std). ``x`` defaults to
    N(0, 1) inputs of width ``width``; biases are N(0, bias_std^2). ``rng`` should be an int seed: the
    draws are cached per seed, so repeated probes with new stds cost no sampling.
    ``hist_layers`` (1-based) chooses which layers get histograms (default: all).

    A network is measured by running a copy of it, its own ``forward`` and ``backward`` (BatchNorm in
    training mode, its output activation), from N(0, 1) inputs (or ``x``) and a N(0, 1) dL/d(output); the
    network itself is not modified. A description takes the fast path of :func:`~initkit.measure.probe_passes.spec_pass`.
    """
    if net is not None:
        return _probe_net(net, x, n_samples, bins, hist_layers, weight_grads, rng)
    if weight_std is None and init not in known_variance():
        raise ValueError(f"init {init!r} has no known variance: give weight_std")
    return _probe_spec(depth, width, get_activation(activation), init, weight_std, gain, bias_std, x, n_samples,
                       dtype, bins, hist_layers, weight_grads, rng)


def _probe_net(net, x, n_samples, bins, hist_layers, weight_grads, rng):
    """:func:`probe` of a network, arguments already checked."""
    dtype = check_dtype(net.dtype)
    hist_layers = list(range(1, len(net.layers) + 1)) if hist_layers is None else hist_layers
    gen = probe_generator(rng)
    with np.errstate(all="ignore"):
        stds = [float(np.std(layer.W, dtype=np.float64)) for layer in net.layers]
        x = gen.standard_normal((n_samples, net.sizes[0])).astype(dtype) if x is None else x.astype(dtype)
        g = gen.standard_normal((len(x), net.sizes[-1])).astype(dtype)
        recorder = Recorder([layer.activation for layer in net.layers], [(l.fan_in, l.fan_out) for l in net.layers],
                            stds, bins, hist_layers)
        return ProbeResult(**net_pass(net, x, g, recorder, weight_grads).fields())


def _probe_spec(depth, width, activation, init, weight_std, gain, bias_std, x, n_samples, dtype, bins, hist_layers,
                weight_grads, rng):
    """:func:`probe` of a described network, arguments already checked (``activation`` an ``Activation``,
    ``dtype`` an ``np.dtype``): the explorer's slider step calls this directly."""
    hist_layers = list(range(1, depth + 1)) if hist_layers is None else hist_layers
    n_in, rows = (width, n_samples) if x is None else x.shape[::-1]
    result = ProbeResult(records=[], act_edges=None, act_hist=None, grad_edges=None, grad_hist=None,
                         hist_layers=hist_layers)  # filled by the passes below
    with np.errstate(all="ignore"):
        x = None if x is None else x.astype(dtype, copy=False)
        Ws, bs, acts, x0, g, stds = _layers_from_spec(depth, width, n_in, activation, init, weight_std, gain,
                                                      bias_std, dtype, rows, _seed(rng))
        recorder = Recorder(acts, [W.shape for W in Ws], stds, bins, hist_layers)
        vars(result).update(spec_pass(Ws, bs, x0 if x is None else x, g, recorder, weight_grads).fields())
    return result
