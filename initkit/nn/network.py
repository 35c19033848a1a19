"""A dense multilayer perceptron with exact, hand-written backpropagation (Rumelhart, Hinton & Williams 1986,
Learning representations by back-propagating errors).

Layout: ``W`` has shape ``(fan_in, fan_out)`` and a layer computes ``z = x @ W + b``, ``a = phi(z)``.
``forward`` keeps every layer's input, pre-activation ``z`` and activation ``a``; ``backward`` takes
dL/d(output) and fills ``dW``, ``db`` of every layer, returning all per-layer gradients.
"""
from dataclasses import dataclass

import numpy as np

from ..core.validation import MAX_ELEMENTS, check_array, check_number, check_size, make_rng, validate_params
from ..core.activations import ACTIVATIONS, Activation, get_activation
from ..core.constraints import RNG, Constraint, Dtype, Integer, Optional, Options
from .batchnorm import BatchNorm
from .module import Module
from ..core.registry import INIT, init_name, initial_values


NORMS = (None, "batch")


ACT = Options(ACTIVATIONS, types=(Activation,))


class _Norm(Constraint):
    """None or 'batch' (BatchNorm after each hidden layer's linear part)."""

    def check(self, name, value, args):
        if not (value is None or (isinstance(value, str) and value in NORMS)):
            raise ValueError(f"{name} must be one of None, 'batch'; got {value!r:.80}")
        return value

    def bad_values(self):
        return ["layer", "", 3, True, ["batch"]]


class _Widths(Constraint):
    """MLP layer widths, input first: a list (or tuple) of at least 2 ints >= 1, returned as a list."""

    def check(self, name, value, args):
        sizes = list(value) if isinstance(value, (list, tuple)) else value
        if not isinstance(sizes, list) or len(sizes) < 2:
            raise ValueError(f"{name} must be a list of at least 2 layer widths (input and output); got {value!r:.80}")
        for s in sizes:
            check_number(f"each entry of {name}", s, low=1, high=MAX_ELEMENTS, integer=True)
        return [int(s) for s in sizes]

    def bad_values(self):
        return [None, 3, "ab", [3], [3, 0], [3, 2.5], [3, True], [3, "2"], [3, 10**400]]


class _PerLayer(Constraint):
    """One value for every layer, or a list (tuple) of one per layer (``layers(args)`` of them), each accepted by
    ``inner``."""

    def __init__(self, inner, layers):
        self.inner, self.layers = inner, layers

    def check(self, name, value, args):
        if isinstance(value, (list, tuple)):
            n = self.layers(args)
            if len(value) != n:
                raise ValueError(f"{name} must be a single value or a list of {n} (one per layer); got {len(value)}")
            return [self.inner.check(name, v, args) for v in value]
        return self.inner.check(name, value, args)

    def bad_values(self):
        return [v for v in self.inner.bad_values() if not isinstance(v, (list, tuple))] + [[None], []]


NORM = _Norm()


def _check_norm(norm):
    """The norm check for callers without a declaration (ResidualBlock)."""
    return NORM.check("norm", norm, {})


def _t(a):
    """Transpose of the last two axes: ``W.T`` for one matrix, each matrix's transpose for a stack."""
    return a.mT


class Dense(Module):
    """One layer: ``a = phi(x @ W + b)`` with ``W`` of shape ``(fan_in, fan_out)``: the one dense engine.

    ``MLP``, :func:`initkit.fit`, :func:`initkit.fit_many` and :func:`initkit.probe` all run their dense
    layers through :meth:`forward` and :meth:`backward`. ``n_stack=S`` holds S independent layers at once
    (the ``n_stack`` of :class:`~initkit.nn.recurrent.RNN`): ``W`` is ``(S, fan_in, fan_out)``, ``b`` is
    ``(S, fan_out)``, an input ``(batch, fan_in)`` (shared) or ``(S, batch, fan_in)`` gives ``(S, batch,
    fan_out)``, and each product is one batched ``np.matmul``; stack member s does the arithmetic of an
    unstacked layer with ``W[s]``, ``b[s]``. ``b`` may be None (no bias).

    >>> Dense(3, 2, activation="tanh", init="glorot_uniform", rng=0).forward(np.ones((4, 3))).shape
    (4, 2)
    >>> Dense(3, 2, n_stack=5, rng=0).forward(np.ones((4, 3))).shape
    (5, 4, 2)
    """

    @validate_params({"fan_in": Integer(1, MAX_ELEMENTS), "fan_out": Integer(1, MAX_ELEMENTS), "activation": ACT,
                      "init": INIT, "bias_init": INIT, "norm": NORM, "n_stack": Optional(Integer(1, MAX_ELEMENTS)),
                      "dtype": Dtype, "rng": RNG},
                     budget={"fan_in x fan_out": (lambda a: a["fan_in"] * a["fan_out"] * (a["n_stack"] or 1),
                                                  "weights (n_stack x fan_in x fan_out)")})
    def __init__(self, fan_in, fan_out, activation="relu", init="he_normal", bias_init="zeros", *,
                 norm=None, n_stack=None, dtype=np.float64, rng=None):
        if n_stack is not None and norm is not None:
            raise ValueError("n_stack does not support BatchNorm (norm='batch'): build one layer per network")
        rng = make_rng(rng)
        draws = 1 if n_stack is None else n_stack
        W = [initial_values("init", init, (fan_in, fan_out), rng, dtype) for _ in range(draws)]
        b = [initial_values("bias_init", bias_init, (fan_out,), rng, dtype) for _ in range(draws)]
        self._setup(W[0] if n_stack is None else np.stack(W), b[0] if n_stack is None else np.stack(b),
                    get_activation(activation), init_name(init))
        self.norm = BatchNorm(fan_out, dtype=dtype) if norm == "batch" else None

    def _setup(self, W, b, activation, init, grads=True):
        self.W, self.b, self.activation, self.init_name, self.norm = W, b, activation, init, None
        self.n_stack = None if W.ndim == 2 else W.shape[0]
        self.dW = np.zeros_like(W) if grads else None  # None: allocated by the first backward pass
        self.db = None if b is None or not grads else np.zeros_like(b)
        self.x = self.z = self.a = None

    @classmethod
    def from_arrays(cls, W, b, activation, init="given"):
        """A layer computing with the given arrays (not copied): ``W`` (fan_in, fan_out) or a stack
        (S, fan_in, fan_out), ``b`` of shape ``W.shape[:-2] + (fan_out,)`` or None.

        >>> Dense.from_arrays(np.eye(2), None, "linear").forward(np.ones((1, 2)))
        array([[1., 1.]])
        """
        layer = cls.__new__(cls)
        layer._setup(W, b, get_activation(activation), init, grads=False)
        return layer

    @property
    def fan_in(self):
        return self.W.shape[-2]

    @property
    def fan_out(self):
        return self.W.shape[-1]

    def forward(self, x):
        """``a = phi(x @ W + b)`` (with BatchNorm: ``phi(BN(x @ W + b))``), keeping x, z and a for backward."""
        self.x = x
        self.z = x @ self.W  # z = x W + b
        if self.b is not None:
            self.z += self.b if self.n_stack is None else self.b[:, None, :]
        if self.norm is not None:
            self.z = self.norm.forward(self.z)  # z <- BN(z): the pre-activation the activation sees
        self.a = self.z if self.activation.name == "linear" else self.activation(self.z)  # a = phi(z)
        return self.a

    def backward(self, da, need_input_grad=True, need_weight_grad=True):
        """Given dL/da, store dL/dW and dL/db (unless ``need_weight_grad`` is False) and return dL/dx
        (None if not needed)."""
        dz = self.backward_to_z(da, need_weight_grad)
        return self.input_gradient(dz) if need_input_grad else None

    def backward_to_z(self, da, need_weight_grad=True):
        """The first half of :meth:`backward`: dL/dz (stored as ``dz``), dL/dW and dL/db; returns the gradient
        at the linear part's output (dL/dz, or with BatchNorm the gradient through it)."""
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
        if need_weight_grad:
            self.dW = np.matmul(_t(self.x), dz, out=self.dW)  # dL/dW = x^T dz (summed over the batch)
            if self.b is not None:
                self.db = dz.sum(axis=-2, out=self.db)  # dL/db = sum over the batch of dz
        return dz

    def input_gradient(self, dz):
        """The second half of :meth:`backward`: dL/dx = dz W^T."""
        return dz @ _t(self.W)

    def own_parameters(self):
        return [self.W] + ([] if self.b is None else [self.b])

    def own_gradients(self):
        return [self.dW] + ([] if self.b is None else [self.db])

    def children(self):
        return [] if self.norm is None else [self.norm]

    def extra_repr(self):
        norm = ", norm='batch'" if self.norm is not None else ""
        stack = "" if self.n_stack is None else f", n_stack={self.n_stack}"
        return (f"{self.fan_in} -> {self.fan_out}, activation={self.activation.name!r}, "
                f"init={self.init_name!r}{norm}{stack}")


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


class MLP(Module):
    """Dense layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``; the last layer is linear by default.

    ``activation`` is one name (or ``Activation``) for every hidden layer or a list of one per hidden
    layer; ``init`` one initializer name/callable for every layer or a list of one per layer.
    ``n_stack=S`` builds S independent networks of this architecture at once (each :class:`Dense` layer
    stacked; inputs ``(batch, sizes[0])`` shared or ``(S, batch, sizes[0])``, outputs ``(S, batch,
    sizes[-1])``); :meth:`stack` stacks existing networks, as :func:`initkit.fit_many` does.

    >>> MLP([64, 128, 128, 10], activation="relu", init="he_normal", rng=0)
    MLP(64 -> 128 -> 128 -> 10, activation='relu', init='he_normal')
    >>> MLP([2, 3, 1], n_stack=4, rng=0).forward(np.ones((5, 2))).shape
    (4, 5, 1)
    """

    @validate_params({"sizes": _Widths(), "activation": _PerLayer(ACT, lambda a: len(a["sizes"]) - 2),
                      "init": _PerLayer(INIT, lambda a: len(a["sizes"]) - 1), "bias_init": INIT,
                      "output_activation": ACT, "norm": NORM, "n_stack": Optional(Integer(1, MAX_ELEMENTS)),
                      "dtype": Dtype, "rng": RNG},
                     budget={"sizes": (lambda a: sum(m * n for m, n in zip(a["sizes"][:-1], a["sizes"][1:])) *
                                       (a["n_stack"] or 1), "weights in all layers")})
    def __init__(self, sizes, activation="relu", init="he_normal", bias_init="zeros",
                 output_activation="linear", *, norm=None, n_stack=None, dtype=np.float64, rng=None):
        n_layers = len(sizes) - 1
        acts = _per_layer("activation", activation, n_layers - 1) + [_named("output_activation", output_activation)]
        inits = _per_layer("init", init, n_layers)
        rng = make_rng(rng)
        self.dtype = dtype
        self.sizes = sizes
        self.norm = norm
        # BatchNorm after every hidden layer's linear part (not the output layer), before its activation.
        self.layers = [Dense.__new__(Dense) for _ in range(n_layers)]
        for i, layer in enumerate(self.layers):  # the trusted path: the declaration above checked every argument
            Dense.__init__.__wrapped__(layer, sizes[i], sizes[i + 1], acts[i], inits[i], bias_init, dtype=dtype,
                                       rng=rng, norm=norm if i < n_layers - 1 else None, n_stack=n_stack)
        self.n_stack = self.layers[0].n_stack

    @classmethod
    def stack(cls, nets):
        """One stacked MLP (``n_stack = len(nets)``) holding copies of the weights of ``nets`` (one
        architecture: sizes, activations, dtype, norm); :meth:`unstack_into` writes them back (with
        BatchNorm's parameters and running statistics)."""
        nets = list(nets)
        if not nets:
            raise ValueError("nets must hold at least one MLP; got an empty list")
        first = nets[0]
        acts = [layer.activation for layer in first.layers]
        for net in nets:
            if not isinstance(net, MLP) or net.n_stack is not None:
                raise TypeError(f"nets must hold unstacked MLPs; got {type(net).__name__}")
            if net.sizes != first.sizes or net.dtype != first.dtype or [l.activation for l in net.layers] != acts:
                raise ValueError(f"nets must share one architecture (sizes, activations, dtype); got {first!r} "
                                 f"({first.dtype}) and {net!r} ({net.dtype})")
            if net.norm != first.norm:
                raise ValueError(f"nets must share one architecture (norm); got norm={first.norm!r} and {net.norm!r}")
        out = cls.__new__(cls)
        out.dtype, out.sizes, out.norm, out.n_stack = first.dtype, list(first.sizes), first.norm, len(nets)
        out.layers = []
        for l, layer in enumerate(first.layers):
            stacked = Dense.from_arrays(np.stack([n.layers[l].W for n in nets]),
                                        np.stack([n.layers[l].b for n in nets]), layer.activation, layer.init_name)
            stacked._setup(stacked.W, stacked.b, layer.activation, layer.init_name)  # with gradient arrays
            if layer.norm is not None:  # BatchNorm: one stacked BatchNorm, each member over its own batch
                stacked.norm = BatchNorm.stack([n.layers[l].norm for n in nets])
            out.layers.append(stacked)
        return out

    def unstack_into(self, nets):
        """Copy stack member k's weights into ``nets[k]`` (the inverse of :meth:`stack`)."""
        for k, net in enumerate(nets):
            for layer, stacked in zip(net.layers, self.layers):
                layer.W[...] = stacked.W[k]
                layer.b[...] = stacked.b[k]
        for l, stacked in enumerate(self.layers):
            if stacked.norm is not None:
                stacked.norm.unstack_into([net.layers[l].norm for net in nets])

    def _check_x(self, x):
        stacked = self.n_stack is not None and np.ndim(x) == 3
        x = check_array("x", x, ndim=3 if stacked else 2)
        if x.shape[-1] != self.sizes[0] or x.shape[-2] == 0 or (stacked and x.shape[0] != self.n_stack):
            stack = f" (a stack: ({self.n_stack}, n_samples, {self.sizes[0]}))" if stacked else ""
            raise ValueError(f"x must have {self.sizes[0]} columns (the input size){stack}; got shape {x.shape}"
                             + (" (no rows)" if x.shape[-2] == 0 else ""))
        check_size("x", x.shape[-2] * max(self.sizes) * (self.n_stack or 1), "rows x the widest layer")
        return x.astype(self.dtype, copy=False)

    def forward(self, x):
        """The network output for a batch ``x`` of shape (n_samples, sizes[0]), keeping every layer's values."""
        return self.run(self._check_x(x))

    __call__ = forward

    def run(self, x):
        """:meth:`forward` without the checks (``x`` already a float array of the network's dtype)."""
        self.x = x
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output, need_input_grad=False):
        """Back-propagate dL/d(output); fills each layer's ``dW``, ``db`` and returns :class:`Gradients`."""
        if self.layers[-1].a is None:
            raise ValueError("backward needs a forward pass first: call net.forward(x) before net.backward(grad)")
        grad = check_array("grad_output", grad_output, ndim=self.layers[-1].a.ndim).astype(self.dtype, copy=False)
        if grad.shape != self.layers[-1].a.shape:
            raise ValueError(f"grad_output must have the shape of the last output {self.layers[-1].a.shape}; "
                             f"got {grad.shape}")
        return self.backprop(grad, need_input_grad)

    def backprop(self, grad, need_input_grad=False):
        """:meth:`backward` without the checks."""
        da = [None] * len(self.layers)
        da[-1] = grad
        for i in range(len(self.layers) - 1, -1, -1):
            need = i > 0 or need_input_grad
            grad = self.layers[i].backward(grad, need_input_grad=need)
            if i > 0:
                da[i - 1] = grad  # dL/da_{l-1} = dL/dz_l W_l^T
        return Gradients(dW=[l.dW for l in self.layers], db=[l.db for l in self.layers],
                         dz=[l.dz for l in self.layers], da=da, dx=grad)

    @property
    def pre_activations(self):
        return [layer.z for layer in self.layers]

    @property
    def activations(self):
        return [layer.a for layer in self.layers]

    def children(self):
        """The layers: parameters are [W_1, b_1, (gamma_1, beta_1), W_2, ...]."""
        return self.layers

    def extra_repr(self):
        arch = " -> ".join(str(s) for s in self.sizes)
        hidden = [layer.activation.name for layer in self.layers[:-1]]
        inits = [layer.init_name for layer in self.layers]
        act = hidden[0] if len(set(hidden)) == 1 else (hidden or "none")
        init = inits[0] if len(set(inits)) == 1 else inits
        out = self.layers[-1].activation.name
        extra = "" if out == "linear" else f", output_activation={out!r}"
        extra += ", norm='batch'" if self.norm else ""
        extra += f", n_stack={self.n_stack}" if self.n_stack else ""
        return f"{arch}, activation={act!r}, init={init!r}{extra}"
