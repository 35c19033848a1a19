"""A dense multilayer perceptron with exact, hand-written backpropagation (Rumelhart, Hinton & Williams 1986,
Learning representations by back-propagating errors).

Layout: ``W`` has shape ``(fan_in, fan_out)`` and a layer computes ``z = x @ W + b``, ``a = phi(z)``.
``forward`` keeps every layer's input, pre-activation ``z`` and activation ``a``; ``backward`` takes
dL/d(output) and fills ``dW``, ``db`` of every layer, returning all per-layer gradients.
"""
import copy
from dataclasses import dataclass

import numpy as np

from ..core.validation import check_array, check_dtype, check_number, check_size, make_rng
from ..core.activations import get_activation
from .batchnorm import BatchNorm
from ..core.losses import get_loss
from ..core.registry import init_name, initial_values


NORMS = (None, "batch")


def _check_norm(norm):
    if not (norm is None or (isinstance(norm, str) and norm in NORMS)):
        raise ValueError(f"norm must be one of None, 'batch'; got {norm!r}")


class Dense:
    """One layer: ``a = phi(x @ W + b)`` with ``W`` of shape ``(fan_in, fan_out)``.

    >>> Dense(3, 2, activation="tanh", init="glorot_uniform", rng=0).forward(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(self, fan_in, fan_out, activation="relu", init="he_normal", bias_init="zeros", *,
                 norm=None, dtype=np.float64, rng=None):
        fan_in = check_number("fan_in", fan_in, low=1, integer=True)
        fan_out = check_number("fan_out", fan_out, low=1, integer=True)
        check_size("fan_in x fan_out", fan_in * fan_out, f"a ({fan_in}, {fan_out}) weight")
        _check_norm(norm)
        dtype = check_dtype(dtype)
        rng = make_rng(rng)
        self.activation = get_activation(activation)
        self.init_name = init_name(init)
        self.W = initial_values("init", init, (fan_in, fan_out), rng, dtype)
        self.b = initial_values("bias_init", bias_init, (fan_out,), rng, dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x = self.z = self.a = None
        self.norm = BatchNorm(fan_out, dtype=dtype) if norm == "batch" else None

    @property
    def fan_in(self):
        return self.W.shape[0]

    @property
    def fan_out(self):
        return self.W.shape[1]

    def forward(self, x):
        """``a = phi(x @ W + b)`` (with BatchNorm: ``phi(BN(x @ W + b))``), keeping x, z and a for backward."""
        self.x = x
        self.z = x @ self.W  # z = x W + b
        self.z += self.b
        if self.norm is not None:
            self.z = self.norm.forward(self.z)  # z <- BN(z): the pre-activation the activation sees
        self.a = self.z if self.activation.name == "linear" else self.activation(self.z)  # a = phi(z)
        return self.a

    def backward(self, da, need_input_grad=True):
        """Given dL/da, store dL/dW and dL/db and return dL/dx (None if not needed)."""
        if self.a is None:
            raise ValueError("backward needs a forward pass first: call forward(x) before backward(da)")
        da = np.asarray(da, dtype=self.W.dtype)
        if da.shape != self.a.shape:
            raise ValueError(f"da must have the shape of the layer's last output {self.a.shape}; got {da.shape}")
        if self.activation.name == "linear":
            dz = da
        else:
            dz = da * self.activation.derivative(self.z)  # dL/dz = dL/da * phi'(z)
        self.dz = dz
        if self.norm is not None:
            dz = self.norm.backward(dz)  # through BN to the linear part
        np.matmul(self.x.T, dz, out=self.dW)  # dL/dW = x^T dz
        np.sum(dz, axis=0, out=self.db)  # dL/db = sum over the batch of dz
        if self.norm is None:
            self.dz = dz
        return dz @ self.W.T if need_input_grad else None  # dL/dx = dz W^T

    def parameters(self):
        return [self.W, self.b] + ([self.norm.gamma, self.norm.beta] if self.norm is not None else [])

    def gradients(self):
        return [self.dW, self.db] + ([self.norm.dgamma, self.norm.dbeta] if self.norm is not None else [])

    def __repr__(self):
        norm = ", norm='batch'" if self.norm is not None else ""
        return (f"Dense({self.fan_in} -> {self.fan_out}, activation={self.activation.name!r}, "
                f"init={self.init_name!r}{norm})")


@dataclass
class Gradients:
    """Per-layer gradients from one backward pass (lists indexed by layer, 0 = first hidden layer).

    ``dW[l]``, ``db[l]``: parameter gradients; ``dz[l]``: dL/d(pre-activation); ``da[l]``:
    dL/d(activation of layer l), whose last entry is dL/d(output); ``dx``: dL/d(network input).

    >>> net = MLP([3, 4, 2], rng=0)
    >>> grads = net.backward(net.forward(np.ones((5, 3))))     # dL/d(output) = output: L = |output|^2 / 2
    >>> [dW.shape for dW in grads.dW], grads.da[-1].shape
    ([(3, 4), (4, 2)], (5, 2))
    """

    dW: list
    db: list
    dz: list
    da: list
    dx: np.ndarray


def _named(name, activation):
    """``get_activation(activation)``, its error naming ``name`` (e.g. output_activation)."""
    try:
        return get_activation(activation)
    except ValueError as err:
        raise ValueError(f"{name}: {err}") from None


def _per_layer(name, value, n):
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} must be a single value or a list of {n} (one per layer); got {len(value)}")
        return list(value)
    return [value] * n


class MLP:
    """Dense layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``; the last layer is linear by default.

    ``activation`` is one name (or ``Activation``) for every hidden layer or a list of one per hidden
    layer; ``init`` one initializer name/callable for every layer or a list of one per layer.

    >>> MLP([64, 128, 128, 10], activation="relu", init="he_normal", rng=0)
    MLP(64 -> 128 -> 128 -> 10, activation='relu', init='he_normal')
    """

    def __init__(self, sizes, activation="relu", init="he_normal", bias_init="zeros",
                 output_activation="linear", *, norm=None, dtype=np.float64, rng=None):
        sizes = list(sizes) if isinstance(sizes, (list, tuple)) else sizes
        if not isinstance(sizes, list) or len(sizes) < 2:
            raise ValueError(f"sizes must be a list of at least 2 layer widths (input and output); got {sizes!r}")
        for s in sizes:
            check_number("each entry of sizes", s, low=1, integer=True)
        n_layers = len(sizes) - 1
        check_size("sizes", sum(a * b for a, b in zip(sizes[:-1], sizes[1:])), "weights in all layers")
        acts = _per_layer("activation", activation, n_layers - 1) + [_named("output_activation", output_activation)]
        inits = _per_layer("init", init, n_layers)
        _check_norm(norm)
        rng = make_rng(rng)
        self.dtype = check_dtype(dtype)
        self.sizes = sizes
        self.norm = norm
        # BatchNorm after every hidden layer's linear part (not the output layer), before its activation.
        self.layers = [Dense(sizes[i], sizes[i + 1], acts[i], inits[i], bias_init, dtype=dtype, rng=rng,
                             norm=norm if i < n_layers - 1 else None)
                       for i in range(n_layers)]

    def forward(self, x):
        """The network output for a batch ``x`` of shape (n_samples, sizes[0]), keeping every layer's values."""
        x = check_array("x", x, ndim=2)
        if x.shape[1] != self.sizes[0] or len(x) == 0:
            raise ValueError(f"x must have {self.sizes[0]} columns (the input size); got shape {x.shape}"
                             + (" (no rows)" if len(x) == 0 else ""))
        check_size("x", x.shape[0] * max(self.sizes), "rows x the widest layer")
        x = x.astype(self.dtype, copy=False)
        self.x = x
        for layer in self.layers:
            x = layer.forward(x)
        return x

    __call__ = forward

    def backward(self, grad_output, need_input_grad=False):
        """Back-propagate dL/d(output); fills each layer's ``dW``, ``db`` and returns :class:`Gradients`."""
        if self.layers[-1].a is None:
            raise ValueError("backward needs a forward pass first: call net.forward(x) before net.backward(grad)")
        da = [None] * len(self.layers)
        da[-1] = grad = check_array("grad_output", grad_output, ndim=2).astype(self.dtype, copy=False)
        if grad.shape != self.layers[-1].a.shape:
            raise ValueError(f"grad_output must have the shape of the last output {self.layers[-1].a.shape}; "
                             f"got {grad.shape}")
        for i in range(len(self.layers) - 1, -1, -1):
            need = i > 0 or need_input_grad
            grad = self.layers[i].backward(grad, need_input_grad=need)
            if i > 0:
                da[i - 1] = grad  # dL/da_{l-1} = dL/dz_l W_l^T
        return Gradients(dW=[l.dW for l in self.layers], db=[l.db for l in self.layers],
                         dz=[l.dz for l in self.layers], da=da, dx=grad)

    def loss_and_gradients(self, x, y, loss):
        """Forward ``x``, evaluate ``loss(output, y)`` -> (loss, grad), back-propagate; return (loss, Gradients).

        >>> net = MLP([64, 10], init="zeros", rng=0)                 # zero weights: uniform prediction
        >>> loss, grads = net.loss_and_gradients(np.ones((8, 64)), np.arange(8), "cross_entropy")
        >>> round(loss, 4), round(float(np.log(10)), 4)
        (2.3026, 2.3026)
        """
        value, grad = get_loss(loss)(self.forward(x), y)
        return value, self.backward(grad)

    @property
    def pre_activations(self):
        return [layer.z for layer in self.layers]

    @property
    def activations(self):
        return [layer.a for layer in self.layers]

    def parameters(self):
        """[W_1, b_1, (gamma_1, beta_1), W_2, ...], the arrays optimizers update in place."""
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """The gradients from the last backward pass, matching :meth:`parameters`."""
        return [g for layer in self.layers for g in layer.gradients()]

    def train(self, mode=True):
        """Training mode (BatchNorm uses batch statistics) or, with ``mode=False``, inference mode."""
        for layer in self.layers:
            if layer.norm is not None:
                layer.norm.training = mode
        return self

    def eval(self):
        return self.train(False)

    def copy(self):
        return copy.deepcopy(self)

    def __repr__(self):
        arch = " -> ".join(str(s) for s in self.sizes)
        hidden = [layer.activation.name for layer in self.layers[:-1]]
        inits = [layer.init_name for layer in self.layers]
        act = hidden[0] if len(set(hidden)) == 1 else (hidden or "none")
        init = inits[0] if len(set(inits)) == 1 else inits
        out = self.layers[-1].activation.name
        extra = "" if out == "linear" else f", output_activation={out!r}"
        extra += ", norm='batch'" if self.norm else ""
        return f"MLP({arch}, activation={act!r}, init={init!r}{extra})"
