"""Optimizers that update a list of parameter arrays in place from a matching list of gradients.

The one SGD and the one Adam of the package: :func:`initkit.fit` steps one network's parameters,
:func:`initkit.fit_many` the stacked parameters of K networks (each array ``(K, ...)``). For a stack, ``lr``
may hold one learning rate per network (a learning-rate sweep in one computation) and ``step(..., keep)``
takes a (K,) mask that is 1 for a network still training and 0 for one that stopped (it no longer moves).
"""
import numpy as np

from ..core.array_constraints import Data
from ..core.constraints import AnyOf, Constraint, Instance, Integer, Optional, Options, Real
from ..core.validation import check_number, validate_params


def _check_pairs(params, grads):
    for name, arrays in (("params", params), ("grads", grads)):
        if not isinstance(arrays, (list, tuple)) or not all(isinstance(a, np.ndarray) for a in arrays):
            raise TypeError(f"{name} must be a list of numpy arrays; got {arrays!r:.60}")
    if not all(p.dtype.kind == "f" and p.flags.writeable for p in params):
        raise TypeError("params must be writeable float arrays (they are updated in place)")
    if len(params) != len(grads):
        raise ValueError(f"params and grads must match one to one; got {len(params)} params and {len(grads)} grads")
    for i, (p, g) in enumerate(zip(params, grads)):
        if np.shape(p) != np.shape(g):
            raise ValueError(f"grads[{i}] must have the shape of params[{i}] {np.shape(p)}; got {np.shape(g)}")


def _check_scales(lr_scales):
    """``None`` (every parameter at ``lr``) or a tuple of positive floats, one per parameter array."""
    if lr_scales is None:
        return None
    if not isinstance(lr_scales, (list, tuple, np.ndarray)) or len(lr_scales) == 0:
        raise TypeError(f"lr_scales must be None or a list of positive numbers, one per parameter array; "
                        f"got {lr_scales!r:.60}")
    return tuple(check_number(f"lr_scales[{i}]", s, low=0, low_inclusive=False) for i, s in enumerate(lr_scales))


def _check_lr(lr):
    """A positive number, or a 1-D array of positive numbers (one per stacked network)."""
    if np.ndim(lr) == 0:
        return check_number("lr", lr, low=0, low_inclusive=False)
    lr = np.asarray(lr)
    if lr.dtype.kind not in "iuf":  # a cast would drop an imaginary part (with a warning) or fail on strings
        raise TypeError(f"lr must be a positive number or a 1-D array of them; got dtype {lr.dtype}")
    lr = lr.astype(np.float64)
    if lr.ndim != 1 or lr.size == 0 or not np.all(np.isfinite(lr) & (lr > 0)):
        raise ValueError(f"lr must be a positive number or a 1-D array of them (one per network); got {lr!r:.80}")
    return lr


class _Checked(Constraint):
    """A parameter checked by one of the functions above (``check(value)``), with the values it must refuse."""

    def __init__(self, check, bad):
        self._check, self._bad = check, bad

    def check(self, name, value, args):
        return self._check(value)

    def bad_values(self):
        return list(self._bad)


LR = _Checked(_check_lr, [None, "1", 0.0, -1.0, float("nan"), float("inf"), True, 1j, [], [[0.1]], [0.1, float("nan")],
                          [0.1, -1.0]])
LR_SCALES = _Checked(_check_scales, ["abc", 3.0, [], [0.0], [1.0, float("nan")], [-1.0], [True]])


def _per_network(values, p):
    """A (K,) array shaped to broadcast over a stacked parameter ``p`` of shape (K, ...)."""
    return values.reshape((len(values),) + (1,) * (p.ndim - 1))


def _rates(lr, lr_scales, params):
    """The step size of each parameter array: ``lr`` times its multiplier (Yang et al. 2022, muP); with one
    ``lr`` per network, an array in the parameter's dtype shaped to broadcast over its stack axis."""
    if lr_scales is not None and len(lr_scales) != len(params):
        raise ValueError(f"lr_scales must have one entry per parameter array ({len(params)}); "
                         f"got {len(lr_scales)}")
    if np.ndim(lr) == 0:
        return [lr] * len(params) if lr_scales is None else [lr * s for s in lr_scales]
    for i, p in enumerate(params):
        if p.ndim == 0 or p.shape[0] != len(lr):
            raise ValueError(f"lr holds one learning rate per stacked network ({len(lr)}), so every parameter "
                             f"needs a leading axis of {len(lr)}; params[{i}] has shape {p.shape}")
    scales = lr_scales or [1.0] * len(params)
    return [_per_network((lr * s).astype(p.dtype), p) for s, p in zip(scales, params)]


class _Rates:
    """Each parameter's step size (:func:`_rates`), computed once per list of parameter arrays."""

    _cache = None

    def _rates(self, params):
        if np.ndim(self.lr) == 0:
            return _rates(self.lr, self.lr_scales, params)
        key = [(id(p), p.ndim, p.dtype) for p in params]
        if self._cache is None or self._cache[0] != key:
            self._cache = key, _rates(self.lr, self.lr_scales, params)
        return self._cache[1]


def _kept(update, keep, p):
    """``update`` for every network, or only for the networks whose ``keep`` is 1."""
    return update if keep is None else _per_network(keep, p) * update


class SGD(_Rates):
    """Stochastic gradient descent with (heavy-ball) momentum.

    v <- momentum * v - lr * g;  w <- w + v.  momentum=0 is plain SGD: w <- w - lr * g.
    ``lr_scales`` (optional, one positive number per parameter array) gives parameter i the learning rate
    ``lr * lr_scales[i]``: the per-layer multipliers of a parametrization such as muP
    (:func:`initkit.parametrize`; Yang et al. 2022, Tensor Programs V). ``lr`` may be one per stacked
    network (see the module docstring).

    >>> import numpy as np
    >>> w, v = np.ones(2), np.ones(2)
    >>> SGD(lr=0.1, lr_scales=[1.0, 4.0]).step([w, v], [np.ones(2), np.ones(2)])
    >>> print(w, v)
    [0.9 0.9] [0.6 0.6]
    """

    @validate_params({"lr": LR, "momentum": Real(0, 1), "lr_scales": LR_SCALES})
    def __init__(self, lr=0.1, momentum=0.0, lr_scales=None):
        self.lr, self.momentum, self.lr_scales = lr, momentum, lr_scales
        self._velocity = None

    def step(self, params, grads, keep=None):
        """Update each array of ``params`` in place from the matching array of ``grads`` (only the stacked
        networks whose ``keep`` is 1, when given)."""
        _check_pairs(params, grads)
        self.apply(params, grads, keep)

    def apply(self, params, grads, keep=None):
        """:meth:`step` without the checks, for a trainer whose arrays match by construction (``fit_many``)."""
        rates = self._rates(params)
        if self.momentum == 0:
            for p, g, lr in zip(params, grads, rates):
                p -= _kept(lr * g, keep, p)
            return
        if self._velocity is None:
            self._velocity = [np.zeros_like(p) for p in params]
        for p, g, v, lr in zip(params, grads, self._velocity, rates):
            v *= self.momentum
            v -= lr * g
            p += _kept(v, keep, p)

    def __repr__(self):
        scales = "" if self.lr_scales is None else f", lr_scales={[float(f'{s:.4g}') for s in self.lr_scales]}"
        return f"SGD(lr={self.lr}, momentum={self.momentum}{scales})"


class Adam(_Rates):
    """Adam (Kingma & Ba 2015) with bias correction.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - lr_t m / (sqrt(v) + eps_t), with the
    bias corrections folded into lr_t = lr sqrt(1 - b2^t) / (1 - b1^t) and eps_t = eps sqrt(1 - b2^t).
    beta1 and beta2 must be below 1: at 1 the moments never update and the corrections divide by zero.
    ``lr_scales`` (optional, one positive number per parameter array) gives parameter i the learning rate
    ``lr * lr_scales[i]`` (muP's per-layer multipliers for Adam, Yang et al. 2022). With one ``lr`` per
    stacked network the step is ``(lr_k lr_scales[i]) (sqrt(1 - b2^t) / (1 - b1^t))`` in the parameter's
    dtype: the same number up to the order of two roundings.
    """

    @validate_params({"lr": LR, "beta1": Real(0, 1, closed="left"), "beta2": Real(0, 1, closed="left"),
                      "eps": Real(0, closed="neither"), "lr_scales": LR_SCALES})
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, lr_scales=None):
        self.lr, self.beta1, self.beta2, self.eps, self.lr_scales = lr, beta1, beta2, eps, lr_scales
        self.t = 0
        self._m = self._v = None

    def _steps(self, params, correction2):
        """Each parameter's step size lr_t (times its multiplier), bias corrections included."""
        if np.ndim(self.lr) == 0:
            lr_t = self.lr * correction2 / (1 - self.beta1**self.t)
            return [lr_t] * len(params) if self.lr_scales is None else [lr_t * s for s in self.lr_scales]
        correction = correction2 / (1 - self.beta1**self.t)
        return [(rate * correction).astype(p.dtype) for rate, p in zip(self._rates(params), params)]

    def step(self, params, grads, keep=None):
        """Update each array of ``params`` in place from the matching array of ``grads`` (only the stacked
        networks whose ``keep`` is 1, when given)."""
        _check_pairs(params, grads)
        self.apply(params, grads, keep)

    def apply(self, params, grads, keep=None):
        """:meth:`step` without the checks, for a trainer whose arrays match by construction (``fit_many``)."""
        if self.lr_scales is not None and len(self.lr_scales) != len(params):
            _rates(1.0, self.lr_scales, params)  # raises: one multiplier per parameter array
        if self._m is None:
            self._m = [np.zeros_like(p) for p in params]
            self._v = [np.zeros_like(p) for p in params]
        self.t += 1
        correction2 = np.sqrt(1 - self.beta2**self.t)
        eps_t = self.eps * correction2
        for p, g, m, v, step in zip(params, grads, self._m, self._v, self._steps(params, correction2)):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * (g * g)
            p -= _kept(step * m / (np.sqrt(v) + eps_t), keep, p)

    def __repr__(self):
        scales = "" if self.lr_scales is None else f", lr_scales={[float(f'{s:.4g}') for s in self.lr_scales]}"
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}{scales})"


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


@validate_params({"optimizer": AnyOf(Options(OPTIMIZERS), Instance("an optimizer", ("step",)))})
def get_optimizer(optimizer, **kwargs):
    """An optimizer instance from a name ('sgd', 'adam') and its arguments; an instance is returned as is."""
    if hasattr(optimizer, "step"):
        return optimizer
    return OPTIMIZERS[optimizer](**kwargs)


@validate_params({"grads": Instance("a list of gradient arrays", types=(list, tuple)),
                  "max_norm": AnyOf(Real(0, closed="right"), Data(ndim=1, finite=False, what="(one per network)")),
                  "n_stack": Optional(Integer(1, 10**5))})
def clip_by_global_norm(grads, max_norm, n_stack=None):
    """Scale ``grads`` in place so that their global norm sqrt(sum ||g||^2) is at most ``max_norm`` (per
    network when stacked, where ``max_norm`` may hold one value per network, ``inf`` for none); return the
    norms before clipping. Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural
    networks, Algorithm 1.

    >>> g = [np.array([3.0]), np.array([4.0])]
    >>> print(clip_by_global_norm(g, 1.0), g)
    5.0 [array([0.6]), array([0.8])]
    """
    if n_stack is None or np.ndim(max_norm) == 0:
        max_norm = check_number("max_norm", max_norm, low=0, low_inclusive=False)
    elif np.shape(max_norm) != (n_stack,) or not np.all(np.asarray(max_norm) > 0):
        raise ValueError(f"max_norm must be a positive number or {n_stack} of them (one per network); got {max_norm!r}")
    if n_stack is None:
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
        scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
        for g in grads:
            g *= scale
        return norm
    norm = np.sqrt(sum(np.sum(g * g, axis=tuple(range(1, g.ndim))) for g in grads))
    scale = np.minimum(1.0, max_norm / np.maximum(norm, 1e-300))
    for g in grads:
        g *= scale.reshape((-1,) + (1,) * (g.ndim - 1)).astype(g.dtype)
    return norm
