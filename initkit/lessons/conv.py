"""Convolutional networks: what notebook 13 and its widget compute (pure numpy, no matplotlib).

A conv layer's fan_in is k^2 c_in (every output sums k x k pixels of c_in channels), so the dense rule applied to
c_in alone is k^2 times too large (He et al. 2015 derived their rule for exactly these networks). Signal
propagation through a deep conv net at a point (sigma_w^2) follows the dense mean-field map per channel, and
the input-output Jacobian of a vanilla tanh CNN is as well conditioned as its kernels allow: delta-orthogonal
kernels (Xiao, Bahri, Sohl-Dickstein, Schoenholz & Pennington 2018, Dynamical Isometry and a Mean Field Theory
of CNNs) make it a product of orthogonal maps and diagonal tanh' factors.
"""
from dataclasses import dataclass

import numpy as np

from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.constraints import RNG, Integer, Options, Real
from ..core.initializers import delta_orthogonal
from ..core.validation import make_rng, validate_params
from ..nn.conv import PADDINGS, _conv

KERNELS = ("gaussian", "delta_orthogonal", "he")


def conv_kernel(kernel, k, c_in, c_out, weight_var, rng):
    """One (k, k, c_in, c_out) kernel: ``"gaussian"`` N(0, sigma_w^2 / (k^2 c_in)), ``"delta_orthogonal"``
    (its centre sigma_w times an orthogonal c_in x c_out matrix, zeros elsewhere) or ``"he"`` (Gaussian with
    sigma_w^2 = 2, whatever ``weight_var``). Both scalings give E|conv(x)|^2 = sigma_w^2 |x|^2 for c_in = c_out.

    >>> W = conv_kernel("gaussian", 3, 64, 64, 2.0, np.random.default_rng(0))
    >>> round(float(W.var() * 9 * 64), 2)                                  # Var(W) k^2 c_in = sigma_w^2
    2.0
    """
    if kernel == "delta_orthogonal":
        return delta_orthogonal.__wrapped__((k, k, c_in, c_out), np.sqrt(weight_var), rng=rng, dtype=np.float64)
    var = 2.0 if kernel == "he" else weight_var
    return np.sqrt(var / (k * k * c_in)) * rng.standard_normal((k, k, c_in, c_out))


@dataclass
class ConvProfile:
    """What :func:`conv_profile` measured: ``q[l]`` the mean squared pre-activation of layer l + 1 (l = 0 ..
    depth - 1) and ``singular_values`` of the input-output Jacobian d(a_L) / d(x) at one input, descending."""

    q: np.ndarray
    singular_values: np.ndarray
    kernel: str
    weight_var: float
    depth: int


@validate_params({"depth": Integer(1, 2000), "weight_var": Real(0, 100), "kernel": Options(KERNELS),
                  "activation": Options(ACTIVATIONS, types=(Activation,)), "channels": Integer(1, 64),
                  "size": Integer(1, 16), "kernel_size": Integer(1, 7), "padding": Options(PADDINGS),
                  "q0": Real(0, 100), "rng": RNG},
                 budget={"depth, channels and size": (lambda a: a["depth"] * (a["size"] ** 2 * a["channels"]) ** 2
                                                      * a["kernel_size"] ** 2, "Jacobian work")})
def conv_profile(depth=32, weight_var=1.0, kernel="gaussian", activation="tanh", *, channels=4, size=4,
                 kernel_size=3, padding="circular", q0=0.1, rng=0):
    """A vanilla CNN (``depth`` conv layers of ``channels`` channels on ``size x size`` images, no bias, no
    pooling) at initialization: the per-layer signal q_l and the singular values of its input-output Jacobian.

    The Jacobian J = D_L K_L ... D_1 K_1 (K_l the conv as a linear map, D_l = diag(phi'(z_l))) is built by
    pushing the N = size^2 channels basis vectors through the same convolutions as the input, one batch.
    Inputs are N(0, q0) pixels. With delta-orthogonal kernels each K_l is orthogonal times sigma_w (whatever the
    padding: only the centre tap is nonzero), so at sigma_w^2 = 1 the spread of J's singular values comes only
    from the D_l.

    >>> p = conv_profile(depth=8, weight_var=1.0, kernel="delta_orthogonal", activation="linear", rng=0)
    >>> print(np.allclose(p.singular_values, 1.0))                  # linear, orthogonal: an isometry
    True
    """
    rng, act = make_rng(rng), get_activation(activation)
    n = size * size * channels
    x = np.sqrt(q0) * rng.standard_normal((1, size, size, channels))
    # one batch: row 0 the input's activation, rows 1.. the n pixel-channel directions pushed through so far
    batch = np.concatenate([x, np.eye(n).reshape(n, size, size, channels)])
    q = np.empty(depth)
    for l in range(depth):
        W = conv_kernel(kernel, kernel_size, channels, channels, weight_var, rng)
        batch = _conv(batch, W, padding=padding)  # z_l = K_l a_{l-1}, and K_l applied to every row of J
        z = batch[:1].copy()
        q[l] = float(np.mean(z ** 2))
        if act.name != "linear":
            batch[1:] *= act.derivative(z)  # D_l: phi'(z_l) at this input, position by position
            batch[:1] = act(z)
    sv = np.linalg.svd(batch[1:].reshape(n, n), compute_uv=False)
    return ConvProfile(q=q, singular_values=sv, kernel=kernel, weight_var=float(weight_var), depth=depth)


def second_moments(net, x):
    """Mean squared activation of every conv layer of ``net`` (an :class:`initkit.CNN`) on inputs ``x``.

    >>> import initkit as ik
    >>> net = ik.CNN((8, 8, 1), [4, 4], 10, rng=0)
    >>> second_moments(net, np.ones((2, 64))).shape
    (2,)
    """
    net.forward(x)
    return np.array([float(np.mean(conv.a.astype(np.float64) ** 2)) for conv in net.convs])


def dense_rule_on_channels(shape, *, rng=None, dtype=np.float64):
    """The common mistake: He's N(0, 2 / n) with n = c_in, the kernel's input channels, as if it were a dense
    layer (the receptive field forgotten): Var(W) = 2 / c_in, k^2 times He's 2 / (k^2 c_in).

    >>> round(float(dense_rule_on_channels((3, 3, 100, 100), rng=0).var() * 100), 2)
    2.0
    """
    return (np.sqrt(2.0 / shape[-2]) * make_rng(rng).standard_normal(shape)).astype(dtype)
