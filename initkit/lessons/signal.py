"""Signal propagation, measured beside the mean-field theory: the step behind notebook 08's phase-diagram widget.

Two inputs with correlation c0 go through a wide random network at (sigma_w^2, sigma_b^2): weights of variance
sigma_w^2 / fan_in (Gaussian, or orthogonal with the same scale), biases N(0, sigma_b^2). We measure, per layer,
the correlation of their pre-activations, the back-propagated gradient dL/da (a random unit-variance dL/da at
the last layer, pushed back by the network's own ``backward``) and the singular values of the input-output
Jacobian, and hold each against its prediction (Poole et al. 2016; Schoenholz et al. 2017; Pennington,
Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in deep learning through dynamical isometry", NeurIPS).
"""
import copy
import functools
from dataclasses import dataclass

import numpy as np

from ..core.basic_init import orthogonal
from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import RNG, Bool, Dtype, Integer, Optional, Options, Real, Sizes
from ..core.validation import MAX_ELEMENTS, check_number, check_one_of, make_rng, validate_params
from ..measure.jacobian import singular_values
from ..measure.mean_field import chi1_grid, depth_scales, fixed_point_q, propagate
from ..measure.theory import predict
from ..nn.network import MLP

WEIGHTS = ("gaussian", "orthogonal")


def scaled_weights(weight_var_n, weights="gaussian"):
    """An initializer ``init(shape, rng=, dtype=)`` with entries of variance sigma_w^2 / fan_in: Gaussian, or a
    scaled (semi-)orthogonal matrix (Saxe et al. 2014) whose x W has the same expected squared norm.

    >>> W = scaled_weights(2.0, "orthogonal")((8, 8), rng=0)
    >>> print(np.allclose(W.T @ W, 2.0 * np.eye(8)))
    True
    """
    weight_var_n = check_number("weight_var_n", weight_var_n, low=0)
    check_one_of("weights", weights, WEIGHTS)

    def init(shape, *, rng=None, dtype=np.float64):
        fan_in, fan_out = shape
        if weights == "orthogonal":  # |x W|^2 = gain^2 |x|^2 (fan_in <= fan_out) or its projection's share
            return orthogonal(shape, gain=np.sqrt(weight_var_n * max(1.0, fan_out / fan_in)), rng=rng, dtype=dtype)
        return (np.sqrt(weight_var_n / fan_in) * make_rng(rng).standard_normal(shape)).astype(dtype)

    init.__name__ = f"{weights}(sigma_w^2={weight_var_n:g})"
    return init


ACTIVATION = Options(ACTIVATIONS, types=(Activation,))
VAR = Real(0, 1e150)  # a variance whose square root and products stay finite in float64


@validate_params({"sizes": Sizes(min_len=2), "weight_var_n": VAR, "bias_var": VAR, "activation": ACTIVATION,
                  "weights": Options(WEIGHTS), "output_activation": Optional(ACTIVATION), "dtype": Dtype, "rng": RNG},
                 budget={"sizes": (lambda a: sum(m * n for m, n in zip(a["sizes"], a["sizes"][1:])), "weights")})
def random_mlp(sizes, weight_var_n, bias_var=0.0, activation="tanh", weights="gaussian", output_activation=None,
               dtype=np.float64, rng=None):
    """An :class:`initkit.MLP` at a point (sigma_w^2, sigma_b^2) of the phase diagram. ``output_activation``
    defaults to ``activation`` (every layer the same, as the theory assumes); use "linear" for a classifier.

    >>> net = random_mlp([64, 128, 10], 1.76, 0.05, output_activation="linear", rng=0)
    >>> net
    MLP(64 -> 128 -> 10, activation='tanh', init='gaussian(sigma_w^2=1.76)')
    """
    std_b = np.sqrt(bias_var)

    def bias(shape, *, rng=None, dtype=np.float64):
        return (std_b * make_rng(rng).standard_normal(shape)).astype(dtype)

    return MLP(sizes, activation=activation, init=scaled_weights(weight_var_n, weights), bias_init=bias,
               output_activation=output_activation or activation, dtype=dtype, rng=rng)


@validate_params({"n_pairs": Integer(1, MAX_ELEMENTS), "width": Integer(2, MAX_ELEMENTS), "c0": Real(-1, 1),
                  "q0": Real(0, 1e150), "rng": RNG},
                 budget={"n_pairs and width": (lambda a: 2 * a["n_pairs"] * a["width"], "values (2 n_pairs x width)")})
def input_pairs(n_pairs, width, c0, q0=1.0, rng=None):
    """``2 n_pairs`` rows: pairs (x, x') with |x|^2 / width = |x'|^2 / width = q0 and correlation exactly c0
    (x' = c0 x + sqrt(1 - c0^2) x_perp, x_perp orthogonal to x: Gram-Schmidt on Gaussian draws).

    >>> x = input_pairs(1, 16, 0.5, rng=0)
    >>> print(round(float(x[0] @ x[1] / 16), 6), x.shape)
    0.5 (2, 16)
    """
    rng = make_rng(rng)
    g = rng.standard_normal((n_pairs, 2, width))
    a = g[:, 0] / np.linalg.norm(g[:, 0], axis=1, keepdims=True)
    b = g[:, 1] - np.sum(g[:, 1] * a, axis=1, keepdims=True) * a  # Gram-Schmidt: b orthogonal to a
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    x = np.stack([a, c0 * a + np.sqrt(1 - c0 * c0) * b], axis=1) * np.sqrt(q0 * width)
    return x.reshape(2 * n_pairs, width)


@functools.lru_cache(maxsize=4)
def _unit_network(depth, width, weights, activation, seed):
    """The network at sigma_w^2 = sigma_b^2 = 1 for an integer seed: a slider move only rescales it (the draws
    do not depend on the scales), so the QR decompositions of orthogonal weights are paid once."""
    return random_mlp.__wrapped__([width] * (depth + 1), 1.0, 1.0, activation, weights, rng=seed)


def _scaled_network(depth, width, weight_var_n, bias_var, activation, weights, seed):
    """``random_mlp([width] * (depth + 1), weight_var_n, bias_var, ...)`` with the same draws: the unit network's
    weights times sigma_w and biases times sigma_b."""
    unit = _unit_network(depth, width, weights, activation, seed)
    # a deep copy whose weights are the scaled arrays themselves (one pass over the weights, not copy then scale)
    scaled = {}
    for layer in unit.layers:
        scaled[id(layer.W)] = layer.W * np.sqrt(weight_var_n)
        scaled[id(layer.b)] = layer.b * np.sqrt(bias_var)
        for grad in (layer.dW, layer.db):  # the unit network is never trained: its gradient buffers stay zero
            if grad is not None:
                scaled[id(grad)] = np.zeros(grad.shape, grad.dtype)  # (calloc: pages are zeroed when first written)
    return copy.deepcopy(unit, scaled)


@dataclass
class SignalRecord:
    """One step of the widget: per-layer arrays indexed 0..depth-1 (layer 1..depth) plus the Jacobian spectrum."""

    weight_var_n: float
    bias_var: float
    weights: str  # "gaussian" or "orthogonal"
    corr: np.ndarray  # measured correlation of the two inputs' pre-activations, mean over pairs
    corr_theory: np.ndarray
    q: np.ndarray  # measured mean squared pre-activation
    q_theory: np.ndarray
    grad: np.ndarray  # measured mean (dL/da_l)^2, dL/da at the last layer ~ N(0, 1)
    grad_theory: np.ndarray
    singular: np.ndarray  # singular values of d a_depth / d x for the first input
    chi1: float  # at the fixed point q*
    xi_c: float

    @property
    def phase(self):
        return "ordered" if self.chi1 < 0.99 else "chaotic" if self.chi1 > 1.01 else "critical"

    @property
    def spread(self):
        """s_max / s_median of the Jacobian: 1 for an isometry (nan without a spectrum; inf at median 0)."""
        if self.singular.size == 0:
            return float("nan")
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(self.singular.max() / np.median(self.singular))


@validate_params({"weight_var_n": Real(0, 1e4), "bias_var": Real(0, 1e4), "c0": Real(-1, 1), "depth": Integer(1, 500),
                  "width": Integer(2, 2048), "weights": Options(WEIGHTS), "n_pairs": Integer(1, 10_000),
                  "activation": Options(ACTIVATIONS), "spectrum": Bool, "rng": RNG})
def signal_step(weight_var_n=1.76, bias_var=0.05, c0=0.5, depth=30, width=128, weights="gaussian", n_pairs=8,
                activation="tanh", spectrum=True, rng=0):
    """Measure and predict correlation, q, dL/da and the Jacobian spectrum for one random network.

    ``spectrum=False`` skips the Jacobian (``singular`` is then empty): it costs depth products of width x width
    matrices, the bulk of a step for wide networks.

    >>> r = signal_step(1.76, 0.05, depth=10, width=64)
    >>> print(r.phase, r.corr.shape, r.singular.shape)
    critical (10,) (64,)
    """
    if isinstance(rng, (int, np.integer)):  # the same network for every (sigma_w^2, sigma_b^2): cached draws
        net_seed, data_seed = np.random.SeedSequence(int(rng)).spawn(2)
        net = _scaled_network(depth, width, weight_var_n, bias_var, activation, weights,
                              int(net_seed.generate_state(1)[0]))
        rng = np.random.default_rng(data_seed)
    else:
        rng = make_rng(rng)
        net = random_mlp.__wrapped__([width] * (depth + 1), weight_var_n, bias_var, activation, weights, rng=rng)
    x = input_pairs.__wrapped__(n_pairs, width, c0, rng=rng)
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(x)
    if not all(np.isfinite(layer.z).all() for layer in net.layers):
        raise ValueError(f"weight_var_n={weight_var_n:g} with {activation} over depth={depth} layers overflows "
                         f"float64: the signal cannot be measured; choose a smaller weight_var_n or depth")
    z = np.stack([layer.z for layer in net.layers])  # (depth, 2 n_pairs, width)
    z1, z2 = z[:, 0::2], z[:, 1::2]
    corr = (np.sum(z1 * z2, axis=2) / np.sqrt(np.sum(z1 * z1, axis=2) * np.sum(z2 * z2, axis=2))).mean(axis=1)
    grads = [None] * depth  # dL/da_l, l = 1..depth: net.backward's da, without its weight gradients
    grads[-1] = rng.standard_normal(net.layers[-1].a.shape)
    for i in range(depth - 1, 0, -1):
        grads[i - 1] = net.layers[i].backward(grads[i], need_weight_grad=False)
    q_theory, corr_theory = propagate(c0, depth, weight_var_n, bias_var, activation)
    theory = getattr(predict, "__wrapped__", predict)([width] * (depth + 1), activation, weight_var=weight_var_n / width, bias_var=bias_var)
    q_star = float(fixed_point_q(weight_var_n, bias_var, activation))
    return SignalRecord(
        weight_var_n=weight_var_n, bias_var=bias_var, weights=weights, corr=corr, corr_theory=corr_theory,
        q=np.mean(z * z, axis=(1, 2)), q_theory=q_theory,
        grad=np.array([np.mean(g * g) for g in grads]), grad_theory=theory.da_var,
        singular=singular_values.__wrapped__(net, x[:1])[0] if spectrum else np.empty(0),
        chi1=float(chi1_grid(weight_var_n, q_star, activation)),
        xi_c=float(depth_scales(weight_var_n, bias_var, activation)[1]))
