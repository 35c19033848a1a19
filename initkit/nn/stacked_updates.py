"""The update rules of :func:`initkit.fit_many`: SGD (with momentum) and Adam on stacked parameters.

Parameter i of K stacked networks is one array (K, ...); ``keep`` (K, 1, 1) is 1 for a network still
training and 0 for one that diverged (it stops moving). Each rule does the arithmetic of its single-network
optimizer in :mod:`initkit.nn.optimizers`, with a step size per parameter array (the per-layer multipliers of
a parametrization, Yang et al. 2022) and optionally per network (a learning-rate sweep in one computation).
"""
import numpy as np

from ..core.validation import check_number

__all__ = ["StackedSGD", "StackedAdam", "step_sizes"]


def step_sizes(lr, lr_scales, params, dtype):
    """Each stacked parameter's step size: ``lr`` (a number, or one per network as a (K, 1, 1) array) times
    its multiplier ``lr_scales[i]``; exactly ``lr`` when there are no multipliers and one ``lr``.

    >>> step_sizes(0.1, [1.0, 4.0], [None, None], np.float32)
    [0.1, 0.4]
    """
    if lr_scales is not None:
        lr_scales = [check_number(f"lr_scales[{i}]", s, low=0, low_inclusive=False) for i, s in enumerate(lr_scales)]
        if len(lr_scales) != len(params):
            raise ValueError(f"lr_scales must have one entry per parameter array ({len(params)}); "
                             f"got {len(lr_scales)}")
    scales = lr_scales or [1.0] * len(params)
    if np.ndim(lr) == 0:
        return [lr] * len(params) if lr_scales is None else [lr * s for s in scales]
    return [(lr * s).astype(dtype)[:, None, None] for s in scales]


class StackedSGD:
    """:class:`initkit.SGD`: v <- momentum v - rate g; w <- w + keep v (momentum 0: w <- w - keep rate g)."""

    def __init__(self, params, rates, momentum=0.0):
        self.rates, self.momentum = rates, momentum
        self.velocity = [np.zeros_like(p) for p in params] if momentum else None

    def step(self, params, grads, keep):
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.momentum:
                v = self.velocity[i]
                v *= self.momentum
                v -= self.rates[i] * g
                p += keep * v
            else:
                p -= keep * (self.rates[i] * g)


class StackedAdam:
    """:class:`initkit.Adam` (Kingma & Ba 2015) at its default betas and eps, each parameter at its own rate."""

    def __init__(self, params, rates, momentum=0.0, beta1=0.9, beta2=0.999, eps=1e-8):
        if momentum:
            raise ValueError(f"momentum is SGD's; Adam has its own (beta1): got momentum={momentum!r} with Adam")
        self.rates, self.beta1, self.beta2, self.eps, self.t = rates, beta1, beta2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads, keep):
        self.t += 1
        correction2 = np.sqrt(1 - self.beta2**self.t)
        correction = correction2 / (1 - self.beta1**self.t)
        eps_t = self.eps * correction2
        for p, g, m, v, rate in zip(params, grads, self.m, self.v, self.rates):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * (g * g)
            step = rate * correction if np.ndim(rate) == 0 else (rate * correction).astype(p.dtype)
            p -= keep * (step * m / (np.sqrt(v) + eps_t))
