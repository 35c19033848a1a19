"""Gradients through time and the spectra that decide them, for :class:`~initkit.nn.recurrent.RNN` and
:class:`~initkit.nn.lstm.LSTM`.

In a vanilla RNN the back-propagated gradient w.r.t. the hidden state obeys
``dL/dh_{t-1} = (dL/dh_t * phi'(z_t)) W_h^T``: going back ``T - t`` steps multiplies it by a product of
``T - t`` Jacobians ``diag(phi'(z_s)) W_h^T``. Its norm therefore grows or shrinks roughly geometrically, at
a rate set by W_h's spectrum (Bengio, Simard & Frasconi 1994; Pascanu, Mikolov & Bengio 2013, On the
difficulty of training recurrent neural networks).
"""
import numpy as np

from ..core.constraints import RNG, Instance, Integer
from ..core.array_constraints import Data
from ..core.validation import make_rng, validate_params

RECURRENT = Instance("an RNN or LSTM", ("forward", "backward_states", "sizes", "dtype"))


class _Norms(Data):
    """Positive finite norms along the last axis, at least 2 per row (a slope needs two points)."""

    def check(self, name, value, args):
        arr = super().check(name, value, args)
        if arr.shape[-1] < 2 or not (arr > 0).all():
            raise ValueError(f"{name} must hold at least 2 positive norms per row (their logarithm is fitted); "
                             f"got shape {arr.shape}, smallest {arr.min() if arr.size else None!r}")
        return arr

    def bad_values(self):
        return super().bad_values() + [np.array([1.0]), np.array([1.0, 0.0, 2.0]), np.array([-1.0, 1.0])]


@validate_params({"net": RECURRENT, "x": Data(ndim=(3, 4), columns=lambda a: a["net"].sizes[0],
                                               what="(batch, T, n_in)"), "rng": RNG})
def gradient_through_time(net, x, *, rng=None):
    """||dh_T/dh_t|| for every t = 1..T: the back-propagated gradient dL/dh_t (w.r.t. the hidden state, not
    dL/dW) when dL/dh_T is a random unit vector and no other time step has a direct loss.

    Returns an array of shape ``(..., T)`` (one row per stacked network), the root mean square over the batch
    of ||u^T dh_T/dh_t|| with u uniform on the unit sphere: ``||dh_T/dh_t||_F / sqrt(hidden)``, the
    root mean square singular value of the Jacobian product. Entry ``T`` is 1. Runs the network's own
    forward pass and BPTT (:meth:`RNN.backward_states`), without computing dL/dW.

    >>> import initkit as ik
    >>> net = ik.RNN(1, 32, 1, activation="linear", recurrent_init="orthogonal", scale=0.9, rng=0)
    >>> g = gradient_through_time(net, np.zeros((8, 11, 1)), rng=0)
    >>> print(np.round(g[[0, -1]], 3), round(0.9 ** 10, 3))
    [0.349 1.   ] 0.349
    """
    rng = make_rng(rng)
    net.forward(x)
    u = rng.standard_normal(net.h.shape[:-2] + net.h.shape[-1:]).astype(net.dtype)
    u /= np.linalg.norm(u, axis=-1, keepdims=True)
    dh = np.zeros_like(net.h)
    dh[..., -1, :] = u  # dL/dh_T = u, no direct loss on earlier states
    total = net.backward_states(dh, weight_gradients=False)
    return np.sqrt(np.mean(np.sum(total.astype(np.float64) ** 2, axis=-1), axis=-2))


@validate_params({"W": Data(ndim=2, what="(a square matrix)")})
def spectrum(W):
    """Eigenvalues (complex) and singular values (descending) of a square recurrent matrix ``W``.

    The spectral radius max|lambda| decides the long-run rate of W^k; the largest singular value bounds
    every single step: ||v W^k|| <= s_max^k ||v|| (Pascanu et al. 2013 state the vanishing condition as
    s_max < 1/gamma with gamma bounding |phi'|).

    >>> eig, sv = spectrum(np.array([[0.0, 2.0], [0.0, 0.0]]))
    >>> print(np.abs(eig).max(), sv)
    0.0 [2. 0.]
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix; got shape {W.shape}")
    return np.linalg.eigvals(W), np.linalg.svd(W, compute_uv=False)


@validate_params({"norms": _Norms(ndim=(1, 2, 3), what="of gradient norms (..., T)"),
                  "skip": Integer(0, lambda a: a["norms"].shape[-1] - 2)})
def decay_rate(norms, skip=0):
    """The per-step factor r of a geometric ``norms[t] ~ C r^(T - t)``: exp of minus the least-squares slope
    of ln(norms) against t, over the steps ``norms[:len - skip]`` (``skip`` drops the last, transient steps).
    r < 1: vanishing; r > 1: exploding.

    >>> print(round(decay_rate(0.5 ** np.arange(20)[::-1]), 6))
    0.5
    """
    norms = np.asarray(norms, dtype=np.float64)
    y = np.log(norms[..., : norms.shape[-1] - skip])
    t = np.arange(y.shape[-1], dtype=np.float64)
    t -= t.mean()
    slope = np.sum((y - y.mean(axis=-1, keepdims=True)) * t, axis=-1) / np.sum(t * t)
    return np.exp(-slope)
