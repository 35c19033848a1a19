"""A small CNN: :class:`~initkit.nn.conv.Conv2D` layers, a global average pool (or a flatten) and a dense linear
head, with exact backpropagation through all of them, usable by :func:`initkit.fit`, :func:`initkit.probe` and
:func:`initkit.gradient_check` like an MLP (inputs are rows of flattened images)."""
import numpy as np

from ..core.constraints import RNG, Constraint, Dtype, Integer, Options, Sizes
from ..core.registry import INIT
from ..core.validation import check_array, check_dtype, make_rng, validate_params
from .conv import KERNEL, PADDINGS, Conv2D
from .module import Module
from .network import ACT, Dense, Gradients

__all__ = ["CNN", "POOLS"]

POOLS = ("avg", "flatten")


class _ImageShape(Constraint):
    """(H, W, C): three ints >= 1, returned as a tuple."""

    def check(self, name, value, args):
        return tuple(Sizes(3, 3, 1, 2**12, what="sizes (H, W, C)").check(name, value, args))

    def bad_values(self):
        return [None, 8, "8x8", [8, 8], [8, 8, 0], [8, 8, 1.5], [8, 8, 1, 1]]


class CNN(Module):
    """Images -> conv layers (``channels``, all k x k, 'same') -> a dense linear head, on the global average
    pool of the last conv layer (``pool="avg"``) or on all its pixels (``pool="flatten"``, VGG's way).

    Inputs are rows of flattened images, ``(n, H W C)`` (so :func:`initkit.fit`, :func:`initkit.probe` and
    :func:`initkit.gradient_check` take it like an MLP: ``sizes[0] = H W C``), or images ``(n, H, W, C)``.
    ``net.layers`` = [conv 1, ..., conv L, head]; the pool (or flatten) sits between the last conv and the
    head (it has no parameters), so ``probe(net)`` records every conv layer and the head.

    >>> net = CNN((8, 8, 1), [4, 4], 10, init="he_normal", rng=0)
    >>> net, net.forward(np.ones((5, 64))).shape
    (CNN(8x8x1 -> 4 -> 4 -> pool -> 10, k=3, padding='zero', activation='relu', init='he_normal'), (5, 10))
    """

    @validate_params({"image_shape": _ImageShape(), "channels": Sizes(1, 10_000, 1, 2**12, what="channel counts"),
                      "n_out": Integer(1, 2**14), "kernel_size": KERNEL, "activation": ACT, "init": INIT,
                      "head_init": INIT, "padding": Options(PADDINGS), "pool": Options(POOLS), "dtype": Dtype,
                      "rng": RNG},
                     budget={"channels and kernel_size": (
                         lambda a: sum(a["kernel_size"] ** 2 * m * n for m, n in zip(
                             [a["image_shape"][2]] + a["channels"][:-1], a["channels"])), "weights in all layers")})
    def __init__(self, image_shape, channels, n_out, kernel_size=3, activation="relu", init="he_normal",
                 head_init="lecun_normal", *, padding="zero", pool="avg", dtype=np.float64, rng=None):
        rng, self.dtype = make_rng(rng), check_dtype(dtype)
        self.image_shape, self.padding, self.pool = image_shape, padding, pool
        H, W, C = image_shape
        self.sizes = [H * W * C] + [H * W * c for c in channels] + [n_out]
        convs = [Conv2D.__new__(Conv2D) for _ in channels]
        for conv, c_in, c_out in zip(convs, [C] + channels[:-1], channels):  # trusted: checked above
            Conv2D.__init__.__wrapped__(conv, c_in, c_out, kernel_size, activation, init, padding=padding,
                                        dtype=self.dtype, rng=rng)
        self.head = Dense.__new__(Dense)
        head_in = channels[-1] * (1 if pool == "avg" else H * W)
        Dense.__init__.__wrapped__(self.head, head_in, n_out, "linear", head_init, dtype=self.dtype, rng=rng)
        self.layers = convs + [self.head]
        self.x = None

    @property
    def convs(self):
        return self.layers[:-1]

    def forward(self, x):
        """The output (n, n_out) for rows of flattened images (n, H W C) or images (n, H, W, C)."""
        x = check_array("x", x)
        if x.ndim not in (2, 4) or x.shape[1:] not in ((self.sizes[0],), self.image_shape) or len(x) == 0:
            raise ValueError(f"x must be rows of {self.sizes[0]} pixel values or images {self.image_shape}; "
                             f"got shape {x.shape}")
        return self.run(x.astype(self.dtype, copy=False).reshape(-1, *self.image_shape))

    __call__ = forward

    def run(self, x):
        """:meth:`forward` without the checks (``x`` images of the network's dtype)."""
        self.x = x
        for conv in self.convs:
            x = conv.forward(x)
        features = x.mean(axis=(1, 2)) if self.pool == "avg" else x.reshape(len(x), -1)  # pool or flatten
        return self.head.forward(features)  # the linear head

    def backward(self, grad_output, need_input_grad=False):
        """Back-propagate dL/d(output); fills every layer's ``dW``, ``db`` and returns
        :class:`~initkit.Gradients` (``dx`` in the shape of the images)."""
        if self.head.a is None:
            raise ValueError("backward needs a forward pass first: call net.forward(x) before net.backward(grad)")
        grad = check_array("grad_output", grad_output, ndim=2).astype(self.dtype, copy=False)
        if grad.shape != self.head.a.shape:
            raise ValueError(f"grad_output must have the shape of the last output {self.head.a.shape}; "
                             f"got {grad.shape}")
        da = [None] * len(self.layers)
        da[-1] = grad
        dpool = self.head.backward(grad)
        last = self.convs[-1].a
        if self.pool == "avg":  # each pixel got 1 / (H W) of the pooled gradient
            grad = np.broadcast_to(dpool[:, None, None, :] / (last.shape[1] * last.shape[2]), last.shape)
        else:
            grad = dpool.reshape(last.shape)
        for i in range(len(self.convs) - 1, -1, -1):
            da[i] = grad
            grad = self.convs[i].backward(grad, need_input_grad=i > 0 or need_input_grad)
        return Gradients(dW=[l.dW for l in self.layers], db=[l.db for l in self.layers],
                         dz=[l.dz for l in self.layers], da=da, dx=grad)

    def children(self):
        return self.layers

    def extra_repr(self):
        H, W, C = self.image_shape
        pool = "pool" if self.pool == "avg" else "flatten"
        arch = " -> ".join([f"{H}x{W}x{C}"] + [str(c.out_channels) for c in self.convs] + [pool, str(self.sizes[-1])])
        first = self.convs[0]
        inits = {c.init_name for c in self.convs}
        init = first.init_name if len(inits) == 1 else [c.init_name for c in self.convs]
        return (f"{arch}, k={first.kernel_size}, padding={self.padding!r}, activation={first.activation.name!r}, "
                f"init={init!r}")
