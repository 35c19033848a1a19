"""Batch normalization (Ioffe & Szegedy 2015) for dense layers, with its exact backward pass.

Training mode normalizes each unit by the batch's mean and variance and updates running statistics;
inference mode uses the running statistics. In an ``MLP(..., norm="batch")`` it sits between a hidden
layer's linear part and its activation: z = x W + b, z_hat = BN(z), a = phi(z_hat).

A stacked layer (``Dense`` with ``n_stack=S``, as :meth:`initkit.MLP.stack` builds for :func:`initkit.fit_many`)
has one BatchNorm of S members (:meth:`BatchNorm.stack`): ``gamma``, ``beta`` and the running statistics are
``(S, n_units)``, an input ``(S, batch, n_units)``, and member s normalizes over its own batch only.
"""
import numpy as np

from ..core.validation import check_number
from .module import Module


class BatchNorm(Module):
    """y = gamma * (z - mean) / sqrt(var + eps) + beta, per unit; ``gamma`` starts at 1, ``beta`` at 0.

    Ioffe & Szegedy (2015), Batch Normalization: Accelerating Deep Network Training by Reducing Internal
    Covariate Shift. Running statistics: r <- (1 - momentum) r + momentum * (batch statistic).

    >>> bn = BatchNorm(3)
    >>> y = bn.forward(np.random.default_rng(0).normal(5.0, 2.0, (100, 3)))
    >>> y.mean(axis=0).round(6) + 0.0, y.std(axis=0).round(3), bn.running_mean.round(1)
    (array([0., 0., 0.]), array([1., 1., 1.]), array([0.5, 0.5, 0.5]))
    """

    def __init__(self, n_units, eps=1e-5, momentum=0.1, dtype=np.float64):
        check_number("n_units", n_units, low=1, integer=True)
        check_number("eps", eps, low=0, low_inclusive=False)
        check_number("momentum", momentum, low=0, high=1)
        self.eps, self.momentum = eps, momentum
        self.gamma = np.ones(n_units, dtype=dtype)
        self.beta = np.zeros(n_units, dtype=dtype)
        self.dgamma = np.zeros_like(self.gamma)
        self.dbeta = np.zeros_like(self.beta)
        self.running_mean = np.zeros(n_units, dtype=dtype)
        self.running_var = np.ones(n_units, dtype=dtype)
        self.training = True

    @classmethod
    def stack(cls, norms):
        """One stacked BatchNorm holding copies of the parameters and running statistics of ``norms`` (one
        size, eps and momentum); :meth:`unstack_into` writes them back."""
        first = norms[0]
        for norm in norms:
            if (len(norm.gamma), norm.eps, norm.momentum) != (len(first.gamma), first.eps, first.momentum):
                raise ValueError(f"stacked BatchNorms must share n_units, eps and momentum; got {first!r} and {norm!r}")
        out = cls(len(first.gamma), first.eps, first.momentum, dtype=first.gamma.dtype)
        for name in ("gamma", "beta", "running_mean", "running_var"):
            setattr(out, name, np.stack([getattr(norm, name) for norm in norms]))
        out.dgamma, out.dbeta = np.zeros_like(out.gamma), np.zeros_like(out.beta)
        out.training = first.training
        return out

    def unstack_into(self, norms):
        """Copy member k's parameters and running statistics into ``norms[k]`` (the inverse of :meth:`stack`)."""
        for k, norm in enumerate(norms):
            for name in ("gamma", "beta", "running_mean", "running_var"):
                getattr(norm, name)[...] = getattr(self, name)[k]

    def _rows(self, a):
        """A per-unit array, broadcastable against the input: (n,) as it is, a stack's (S, n) as (S, 1, n)."""
        return a if self.gamma.ndim == 1 else a[:, None, :]

    def forward(self, z):
        """Normalize ``z`` per unit: batch statistics in training mode (updating the running ones), else running."""
        if self.training:
            mean, var = z.mean(axis=-2), z.var(axis=-2)  # over the batch (of each stack member)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            # Unbiased variance for inference, as PyTorch does.
            n = z.shape[-2]
            self.running_var = (1 - m) * self.running_var + m * var * (n / max(n - 1, 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.inv_std = self._rows(1.0 / np.sqrt(var + self.eps))
        self.z_hat = (z - self._rows(mean)) * self.inv_std
        return self._rows(self.gamma) * self.z_hat + self._rows(self.beta)

    def backward(self, dy):
        """dL/dy -> dL/dz; stores dgamma, dbeta.

        Training mode: dz = inv_std / N * (N dz_hat - sum(dz_hat) - z_hat sum(dz_hat z_hat)), dz_hat = dy gamma,
        because the batch mean and variance depend on every sample. Inference mode: dz = dy gamma inv_std.
        """
        self.dgamma[...] = np.sum(dy * self.z_hat, axis=-2)  # dL/dgamma = sum dy z_hat
        self.dbeta[...] = np.sum(dy, axis=-2)  # dL/dbeta = sum dy
        dz_hat = dy * self._rows(self.gamma)
        if not self.training:
            return dz_hat * self.inv_std
        n = dy.shape[-2]
        return (self.inv_std / n) * (n * dz_hat - dz_hat.sum(axis=-2, keepdims=True)
                                     - self.z_hat * np.sum(dz_hat * self.z_hat, axis=-2, keepdims=True))

    def own_parameters(self):
        return [self.gamma, self.beta]

    def own_gradients(self):
        return [self.dgamma, self.dbeta]

    def __repr__(self):
        stack = "" if self.gamma.ndim == 1 else f", n_stack={len(self.gamma)}"
        return f"BatchNorm({self.gamma.shape[-1]}, eps={self.eps}, momentum={self.momentum}{stack})"
