"""Batch normalization (Ioffe & Szegedy 2015) for dense layers, with its exact backward pass.

Training mode normalizes each unit by the batch's mean and variance and updates running statistics;
inference mode uses the running statistics. In an ``MLP(..., norm="batch")`` it sits between a hidden
layer's linear part and its activation: z = x W + b, z_hat = BN(z), a = phi(z_hat).
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

    def forward(self, z):
        """Normalize ``z`` per unit: batch statistics in training mode (updating the running ones), else running."""
        if self.training:
            mean, var = z.mean(axis=0), z.var(axis=0)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            # Unbiased variance for inference, as PyTorch does.
            n = len(z)
            self.running_var = (1 - m) * self.running_var + m * var * (n / max(n - 1, 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.z_hat = (z - mean) * self.inv_std
        return self.gamma * self.z_hat + self.beta

    def backward(self, dy):
        """dL/dy -> dL/dz; stores dgamma, dbeta.

        Training mode: dz = inv_std / N * (N dz_hat - sum(dz_hat) - z_hat sum(dz_hat z_hat)), dz_hat = dy gamma,
        because the batch mean and variance depend on every sample. Inference mode: dz = dy gamma inv_std.
        """
        self.dgamma[...] = np.sum(dy * self.z_hat, axis=0)  # dL/dgamma = sum dy z_hat
        self.dbeta[...] = np.sum(dy, axis=0)  # dL/dbeta = sum dy
        dz_hat = dy * self.gamma
        if not self.training:
            return dz_hat * self.inv_std
        n = len(dy)
        return (self.inv_std / n) * (n * dz_hat - dz_hat.sum(axis=0)
                                     - self.z_hat * np.sum(dz_hat * self.z_hat, axis=0))

    def own_parameters(self):
        return [self.gamma, self.beta]

    def own_gradients(self):
        return [self.dgamma, self.dbeta]

    def __repr__(self):
        return f"BatchNorm({len(self.gamma)}, eps={self.eps}, momentum={self.momentum})"
