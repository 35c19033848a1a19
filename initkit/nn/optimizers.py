"""Optimizers that update a list of parameter arrays in place from a matching list of gradients."""
import numpy as np

from ..core.array_constraints import Data
from ..core.constraints import AnyOf, Instance, Integer, Optional, Real
from ..core.validation import check_number, check_one_of, validate_params


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


def _rates(lr, lr_scales, params):
    """The step size of each parameter array: ``lr`` times its multiplier (Yang et al. 2022, muP)."""
    if lr_scales is None:
        return [lr] * len(params)
    if len(lr_scales) != len(params):
        raise ValueError(f"lr_scales must have one entry per parameter array ({len(params)}); "
                         f"got {len(lr_scales)}")
    return [lr * s for s in lr_scales]


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum.

    v <- momentum * v - lr * g;  w <- w + v.  momentum=0 is plain SGD: w <- w - lr * g.
    ``lr_scales`` (optional, one positive number per parameter array) gives parameter i the learning rate
    ``lr * lr_scales[i]``: the per-layer multipliers of a parametrization such as muP
    (:func:`initkit.parametrize`; Yang et al. 2022, Tensor Programs V).

    >>> import numpy as np
    >>> w, v = np.ones(2), np.ones(2)
    >>> SGD(lr=0.1, lr_scales=[1.0, 4.0]).step([w, v], [np.ones(2), np.ones(2)])
    >>> print(w, v)
    [0.9 0.9] [0.6 0.6]
    """

    def __init__(self, lr=0.1, momentum=0.0, lr_scales=None):
        self.lr = check_number("lr", lr, low=0, low_inclusive=False)
        self.momentum = check_number("momentum", momentum, low=0, high=1)
        self.lr_scales = _check_scales(lr_scales)
        self._velocity = None

    def step(self, params, grads):
        """Update each array of ``params`` in place from the matching array of ``grads``."""
        _check_pairs(params, grads)
        rates = _rates(self.lr, self.lr_scales, params)
        if self.momentum == 0:
            for p, g, lr in zip(params, grads, rates):
                p -= lr * g
            return
        if self._velocity is None:
            self._velocity = [np.zeros_like(p) for p in params]
        for p, g, v, lr in zip(params, grads, self._velocity, rates):
            v *= self.momentum
            v -= lr * g
            p += v

    def __repr__(self):
        scales = "" if self.lr_scales is None else f", lr_scales={[float(f'{s:.4g}') for s in self.lr_scales]}"
        return f"SGD(lr={self.lr}, momentum={self.momentum}{scales})"


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - lr_t m / (sqrt(v) + eps_t), with the
    bias corrections folded into lr_t = lr sqrt(1 - b2^t) / (1 - b1^t) and eps_t = eps sqrt(1 - b2^t).
    beta1 and beta2 must be below 1: at 1 the moments never update and the corrections divide by zero.
    ``lr_scales`` (optional, one positive number per parameter array) gives parameter i the learning rate
    ``lr * lr_scales[i]`` (muP's per-layer multipliers for Adam, Yang et al. 2022).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, lr_scales=None):
        self.lr = check_number("lr", lr, low=0, low_inclusive=False)
        self.beta1 = check_number("beta1", beta1, low=0, high=1, high_inclusive=False)
        self.beta2 = check_number("beta2", beta2, low=0, high=1, high_inclusive=False)
        self.eps = check_number("eps", eps, low=0, low_inclusive=False)
        self.lr_scales = _check_scales(lr_scales)
        self.t = 0
        self._m = self._v = None

    def step(self, params, grads):
        """Update each array of ``params`` in place from the matching array of ``grads``."""
        _check_pairs(params, grads)
        scales = [1.0] * len(params) if self.lr_scales is None else _rates(1.0, self.lr_scales, params)
        if self._m is None:
            self._m = [np.zeros_like(p) for p in params]
            self._v = [np.zeros_like(p) for p in params]
        self.t += 1
        correction2 = np.sqrt(1 - self.beta2**self.t)
        lr_t = self.lr * correction2 / (1 - self.beta1**self.t)
        eps_t = self.eps * correction2
        for p, g, m, v, scale in zip(params, grads, self._m, self._v, scales):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * (g * g)
            step = lr_t if self.lr_scales is None else lr_t * scale
            p -= step * m / (np.sqrt(v) + eps_t)

    def __repr__(self):
        scales = "" if self.lr_scales is None else f", lr_scales={[float(f'{s:.4g}') for s in self.lr_scales]}"
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}{scales})"


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(optimizer, **kwargs):
    """An optimizer instance from a name ('sgd', 'adam') and its arguments; an instance is returned as is."""
    if hasattr(optimizer, "step"):
        return optimizer
    check_one_of("optimizer", optimizer, OPTIMIZERS)
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
