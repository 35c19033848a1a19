"""The Jacobian of a stack of layers for each input, and its singular values (dynamical isometry).

Row-vector convention, as everywhere in initkit: a layer maps ``a_{l-1}`` to ``a_l = phi(a_{l-1} W_l + b_l)``,
so a small change ``da_{l-1}`` becomes ``da_l = da_{l-1} W_l diag(phi'(z_l))``, and the Jacobian of layers
``start..stop`` for one input is the product of these matrices. Back-propagation multiplies by its transpose,
so its singular values say how much each direction of the gradient is stretched or squashed.

Saxe, McClelland & Ganguli (2014): in a deep *linear* network with orthogonal weights every singular value is
the same (an isometry), and learning time does not grow with depth. Pennington, Schoenholz & Ganguli (2017):
tanh networks can come close ("dynamical isometry") with orthogonal weights at criticality; ReLU networks
cannot. For one input a ReLU layer passes only its active units, so the product has rank at most the
smallest number of active units, and the remaining singular values are exactly 0 whatever the weights.
"""
import numpy as np

from ..core.validation import check_number

__all__ = ["jacobian", "singular_values"]


def jacobian(net, x, start=1, stop=None):
    """``d a_stop / d a_{start - 1}`` for each row of ``x``: shape (n_samples, n_{start-1}, n_stop).

    Layers are numbered from 1; ``start=1`` differentiates with respect to the network's input, and ``stop``
    (default: the last layer) includes that layer's activation derivative. Computed in float64 from one
    forward pass of ``net``.
    """
    n_layers = len(net.layers)
    stop = n_layers if stop is None else stop
    check_number("start", start, low=1, high=n_layers, integer=True)
    check_number("stop", stop, low=start, high=n_layers, integer=True)
    net.forward(x)
    layers = net.layers[start - 1:stop]
    J = np.broadcast_to(np.eye(layers[0].fan_in), (len(net.x), layers[0].fan_in, layers[0].fan_in))
    for layer in layers:
        J = np.matmul(J, layer.W.astype(np.float64))  # d z_l / d a_{start-1} = J W_l
        if layer.activation.name != "linear":
            J = J * layer.activation.derivative(layer.z.astype(np.float64))[:, None, :]  # times diag(phi'(z_l))
    return J


def singular_values(net, x, start=1, stop=None):
    """Singular values of :func:`jacobian` for each input, largest first: shape (n_samples, min(n_in, n_out))."""
    return np.linalg.svd(jacobian(net, x, start, stop), compute_uv=False)
