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

from ..core.constraints import Instance, Integer, Optional
from ..core.array_constraints import Data
from ..core.validation import validate_params
from ..nn.network import MLP

__all__ = ["jacobian", "singular_values"]


def _n_layers(args):
    return len(args["net"].layers)


NET_AND_X = {"net": Instance("an MLP (a ResidualMLP, RNN or Transformer has no layer-by-layer Jacobian here)",
                             types=(MLP,)),
             "x": Data(ndim=2, columns=lambda a: a["net"].sizes[0]),
             "start": Integer(1, _n_layers), "stop": Optional(Integer(lambda a: a["start"], _n_layers))}


@validate_params(NET_AND_X)
def jacobian(net, x, start=1, stop=None):
    """``d a_stop / d a_{start - 1}`` for each row of ``x``: shape (n_samples, n_{start-1}, n_stop).

    Layers are numbered from 1; ``start=1`` differentiates with respect to the network's input, and ``stop``
    (default: the last layer) includes that layer's activation derivative. Computed in float64 from one
    forward pass of ``net``.

    A BatchNorm layer (``norm="batch"``) in inference mode is the affine map gamma (z - mu) / sqrt(var + eps)
    + beta with the running statistics: its factor diag(gamma / sqrt(running_var + eps)) is included exactly.
    In training mode each sample's output depends on the whole batch, so there is no per-sample Jacobian:
    call ``net.eval()`` first.
    """
    stop = len(net.layers) if stop is None else stop
    if any(layer.norm is not None and layer.norm.training for layer in net.layers):
        raise ValueError("net has BatchNorm in training mode, where each output depends on the whole batch: "
                         "call net.eval() before jacobian")
    net.forward(x)
    layers = net.layers[start - 1:stop]
    J = np.broadcast_to(np.eye(layers[0].fan_in), (len(net.x), layers[0].fan_in, layers[0].fan_in))
    for layer in layers:
        J = np.matmul(J, layer.W.astype(np.float64))  # d z_l / d a_{start-1} = J W_l
        if layer.norm is not None:  # times diag(gamma / sqrt(running_var + eps)), BatchNorm in inference mode
            bn = layer.norm
            J = J * (bn.gamma.astype(np.float64) / np.sqrt(bn.running_var.astype(np.float64) + bn.eps))
        if layer.activation.name != "linear":
            J = J * layer.activation.derivative(layer.z.astype(np.float64))[:, None, :]  # times diag(phi'(z_l))
    return J


@validate_params(NET_AND_X)
def singular_values(net, x, start=1, stop=None):
    """Singular values of :func:`jacobian` for each input, largest first: shape (n_samples, min(n_in, n_out))."""
    return np.linalg.svd(jacobian.__wrapped__(net, x, start, stop), compute_uv=False)
