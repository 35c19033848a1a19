"""A 2-D convolution layer with exact, hand-written backpropagation (im2col); :mod:`initkit.nn.cnn` stacks
it into a CNN.

Layout (Keras' and ours, written once): a kernel ``W`` has shape ``(k, k, in, out)``, images are ``(batch, H,
W, C)`` (channels last); PyTorch stores ``(out, in, k, k)`` and ``(batch, C, H, W)``, so
``W_torch = W.transpose(3, 2, 0, 1)``. Fans follow :func:`initkit.compute_fans`: fan_in = k^2 in,
fan_out = k^2 out. Stride 1, 'same' padding with p = (k - 1) / 2 (k odd), either ``"zero"`` (the image is
surrounded by zeros) or ``"circular"`` (it wraps around, as on a torus: Xiao et al. 2018 use it so that every
position is alike).

The layer computes, for every position (h, w) and output channel o (a cross-correlation, as every framework
does)::

    z[n, h, w, o] = sum_{i, j, c} x_pad[n, h + i, w + j, c] W[i, j, c, o] + b[o],    a = phi(z)

im2col gathers the k^2 shifted copies of ``x_pad`` into one ``(batch H W, k^2 in)`` matrix ``X_col``, so the
layer is the dense engine's ``z = X_col W_mat + b`` with ``W_mat = W.reshape(k^2 in, out)``; backward is
``dW_mat = X_col^T dz`` and ``dX_col = dz W_mat^T``, whose k^2 blocks are added back at their shifts (col2im)
and, for circular padding, folded back across the border.
"""
import numpy as np

from ..core.activations import get_activation
from ..core.array_constraints import Data
from ..core.constraints import RNG, Constraint, Dtype, Integer, Optional, Options
from ..core.registry import INIT, init_name, initial_values
from ..core.validation import check_dtype, make_rng, validate_params
from .module import Module
from .network import ACT

__all__ = ["Conv2D", "PADDINGS", "conv2d"]

PADDINGS = ("zero", "circular")
MAX_KERNEL = 31  # k x k kernels up to 31 x 31 (a 'same' pad of 15)


class _OddKernel(Constraint):
    """An odd int k in [1, MAX_KERNEL]: 'same' padding pads (k - 1) / 2 on each side."""

    def check(self, name, value, args):
        k = Integer(1, MAX_KERNEL).check(name, value, args)
        if k % 2 == 0:
            raise ValueError(f"{name} must be odd ('same' padding pads (k - 1) / 2 on each side); got {k}")
        return k

    def bad_values(self):
        return [0, 2, 4, -1, 33, 2.0, True, None, "3"]


KERNEL = _OddKernel()


def _pad(x, p, padding):
    """``x`` (batch, H, W, C) padded by p on both spatial sides: zeros, or the opposite border (circular)."""
    if p == 0:
        return x
    n, H, W, C = x.shape
    xp = np.zeros((n, H + 2 * p, W + 2 * p, C), dtype=x.dtype)  # np.pad, without its per-call overhead
    xp[:, p:p + H, p:p + W] = x
    if padding == "circular":  # rows first, then columns (the corners wrap both ways)
        xp[:, :p, p:p + W] = x[:, H - p:]
        xp[:, p + H:, p:p + W] = x[:, :p]
        xp[:, :, :p] = xp[:, :, W:W + p]
        xp[:, :, p + W:] = xp[:, :, p:2 * p]
    return xp


def _unpad(g, p, padding):
    """The adjoint of :func:`_pad`: the gradient on the padded image back to the image. Zero padding drops the
    border; circular padding adds each border strip back to the rows (columns) it copied."""
    if p == 0:
        return g
    H, W = g.shape[1] - 2 * p, g.shape[2] - 2 * p
    if padding == "circular":
        g = g.copy()
        g[:, H:H + p] += g[:, :p]            # top pad rows copied rows H - p .. H - 1
        g[:, p:2 * p] += g[:, H + p:]        # bottom pad rows copied rows 0 .. p - 1
        g[:, :, W:W + p] += g[:, :, :p]
        g[:, :, p:2 * p] += g[:, :, W + p:]
    return g[:, p:p + H, p:p + W]


def im2col(x, k, padding):
    """(batch, H, W, k, k, C): entry [n, h, w, i, j, c] = x_pad[n, h + i, w + j, c] (p = (k - 1) / 2).

    >>> im2col(np.arange(4.0).reshape(1, 2, 2, 1), 3, "zero")[0, 0, 0, :, :, 0]       # the 3x3 window at (0, 0)
    array([[0., 0., 0.],
           [0., 0., 1.],
           [0., 2., 3.]])
    """
    xp = _pad(x, (k - 1) // 2, padding)
    windows = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(1, 2))  # a view: (batch, H, W, C, k, k)
    return np.ascontiguousarray(windows.transpose(0, 1, 2, 4, 5, 3))


def col2im(dcols, padding):
    """The adjoint of :func:`im2col`: (batch, H, W, k, k, C) -> (batch, H, W, C), each window's gradient added
    back where it was read from."""
    n, H, W, k, _, C = dcols.shape
    p = (k - 1) // 2
    g = np.zeros((n, H + 2 * p, W + 2 * p, C), dtype=dcols.dtype)
    for i in range(k):
        for j in range(k):
            g[:, i:i + H, j:j + W, :] += dcols[:, :, :, i, j, :]
    return _unpad(g, p, padding)


def _conv(x, W, b=None, padding="zero"):
    """:func:`conv2d` without the checks (the layer's forward and backward)."""
    k, _, c_in, c_out = W.shape
    z = im2col(x, k, padding).reshape(-1, k * k * c_in) @ W.reshape(k * k * c_in, c_out)
    if b is not None:
        z += b
    return z.reshape(*x.shape[:3], c_out)


@validate_params({"W": Data(ndim=4, what="(k, k, in, out)"),
                  "x": Data(ndim=4, columns=lambda a: a["W"].shape[2], what="of images (batch, H, W, in)"),
                  "b": Optional(Data(ndim=1, columns=lambda a: a["W"].shape[3], what="(out,)")),
                  "padding": Options(PADDINGS)},
                 budget={"x and W": (lambda a: a["x"].size * a["W"].shape[0] * a["W"].shape[1], "im2col entries")})
def conv2d(x, W, b=None, padding="zero"):
    """The 'same' convolution (cross-correlation) of images ``x`` (batch, H, W, in) with ``W`` (k, k, in, out):
    (batch, H, W, out). What :class:`Conv2D` computes before its activation, as one function.

    >>> x = np.zeros((1, 3, 3, 1)); x[0, 1, 1, 0] = 1.0              # a single 1 in the middle
    >>> W = np.arange(9.0).reshape(3, 3, 1, 1)
    >>> conv2d(x, W)[0, :, :, 0]                                      # the kernel, flipped: a correlation
    array([[8., 7., 6.],
           [5., 4., 3.],
           [2., 1., 0.]])
    """
    if W.shape[0] != W.shape[1] or W.shape[0] % 2 == 0:
        raise ValueError(f"W must be a square kernel of odd size (k, k, in, out) for 'same' padding; got {W.shape}")
    if padding == "circular" and min(x.shape[1:3]) < (W.shape[0] - 1) // 2:
        raise ValueError(f"circular padding of {(W.shape[0] - 1) // 2} needs images at least that large; "
                         f"got x of shape {x.shape}")
    dtype = np.result_type(x, W, np.float32)
    return _conv(x.astype(dtype, copy=False), W.astype(dtype, copy=False), b, padding)


class Conv2D(Module):
    """One convolution layer: ``a = phi(conv(x, W) + b)``, ``W`` of shape ``(k, k, in, out)``, images
    ``(batch, H, W, in)`` -> ``(batch, H, W, out)``; stride 1, 'same' padding (``"zero"`` or ``"circular"``).

    ``init`` is any initializer of the table, drawn for the 4-D shape (so its fans are k^2 in and k^2 out:
    :func:`initkit.compute_fans`), e.g. ``"he_normal"`` or ``"delta_orthogonal"``. ``forward`` keeps x, z and
    a; ``backward`` stores ``dW``, ``db`` and returns dL/dx, like :class:`~initkit.nn.network.Dense`.

    >>> layer = Conv2D(3, 8, kernel_size=3, rng=0)
    >>> layer, layer.forward(np.ones((2, 5, 5, 3))).shape, layer.fan_in
    (Conv2D(3 -> 8, k=3, padding='zero', activation='relu', init='he_normal'), (2, 5, 5, 8), 27)
    """

    @validate_params({"in_channels": Integer(1, 2**14), "out_channels": Integer(1, 2**14), "kernel_size": KERNEL,
                      "activation": ACT, "init": INIT, "bias_init": INIT, "padding": Options(PADDINGS),
                      "dtype": Dtype, "rng": RNG},
                     budget={"kernel_size, in_channels, out_channels": (
                         lambda a: a["kernel_size"] ** 2 * a["in_channels"] * a["out_channels"], "weights")})
    def __init__(self, in_channels, out_channels, kernel_size=3, activation="relu", init="he_normal",
                 bias_init="zeros", *, padding="zero", dtype=np.float64, rng=None):
        rng, dtype = make_rng(rng), check_dtype(dtype)
        self.W = initial_values("init", init, (kernel_size, kernel_size, in_channels, out_channels), rng, dtype)
        self.b = initial_values("bias_init", bias_init, (out_channels,), rng, dtype)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.activation, self.init_name, self.padding = get_activation(activation), init_name(init), padding
        self.x = self.z = self.a = self.dz = self.cols = None

    kernel_size = property(lambda self: self.W.shape[0])
    in_channels = property(lambda self: self.W.shape[2])
    out_channels = property(lambda self: self.W.shape[3])
    fan_in = property(lambda self: self.W.shape[0] * self.W.shape[1] * self.W.shape[2])  # k^2 in
    fan_out = property(lambda self: self.W.shape[0] * self.W.shape[1] * self.W.shape[3])  # k^2 out

    def forward(self, x):
        """``a = phi(conv(x, W) + b)`` for images ``x`` (batch, H, W, in), keeping x, the columns, z and a."""
        k, c_in = self.kernel_size, self.in_channels
        if x.ndim != 4 or x.shape[3] != c_in:
            raise ValueError(f"x must be images (batch, H, W, {c_in}); got shape {x.shape}")
        if self.padding == "circular" and min(x.shape[1:3]) < (k - 1) // 2:
            raise ValueError(f"circular padding of {(k - 1) // 2} needs images at least that large; got {x.shape}")
        self.x = x
        self.cols = im2col(x, k, self.padding)
        z = self.cols.reshape(-1, k * k * c_in) @ self.W.reshape(k * k * c_in, -1)  # z = X_col W_mat + b
        z += self.b
        self.z = z.reshape(*x.shape[:3], -1)
        self.a = self.z if self.activation.name == "linear" else self.activation(self.z)  # a = phi(z)
        return self.a

    def backward(self, da, need_input_grad=True, need_weight_grad=True):
        """Given dL/da, store dL/dW and dL/db and return dL/dx (None if not needed)."""
        if self.a is None:
            raise ValueError("backward needs a forward pass first: call forward(x) before backward(da)")
        da = np.asarray(da, dtype=self.W.dtype)
        if da.shape != self.a.shape:
            raise ValueError(f"da must have the shape of the layer's last output {self.a.shape}; got {da.shape}")
        dz = da if self.activation.name == "linear" else da * self.activation.derivative(self.z)  # da phi'(z)
        self.dz = dz
        k, c_in, c_out = self.kernel_size, self.in_channels, self.out_channels
        dz2 = dz.reshape(-1, c_out)
        if need_weight_grad:
            self.dW[...] = (self.cols.reshape(-1, k * k * c_in).T @ dz2).reshape(self.W.shape)  # X_col^T dz
            self.db[...] = dz2.sum(axis=0)  # summed over batch and positions
        if not need_input_grad:
            return None
        # dL/dx = col2im(dz W_mat^T): each window's gradient added back where it was read. Computed as the same
        # 'same' correlation of dz with the kernel flipped in space and transposed (in <-> out): for stride 1
        # and symmetric padding (zero or circular) that is exactly col2im's sum, in one im2col and one product.
        return _conv(dz, self.W[::-1, ::-1].transpose(0, 1, 3, 2), padding=self.padding)

    def own_parameters(self):
        return [self.W, self.b]

    def own_gradients(self):
        return [self.dW, self.db]

    def extra_repr(self):
        return (f"{self.in_channels} -> {self.out_channels}, k={self.kernel_size}, padding={self.padding!r}, "
                f"activation={self.activation.name!r}, init={self.init_name!r}")
