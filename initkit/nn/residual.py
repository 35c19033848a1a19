"""A residual MLP with exact, hand-written backpropagation (He, Zhang, Ren & Sun 2016, Deep residual learning
for image recognition, CVPR), dense instead of convolutional.

    x_0 = x W_in + b_in                                  (input projection, linear, LeCun normal)
    x_{l+1} = x_l + alpha_l * F(x_l),  F(x) = W2 relu(W1 x + b1) + b2      (l = 0 .. L-1)
    output = x_L W_out + b_out                            (classifier, LeCun normal)

With ``norm="batch"`` the branch is W1 -> BN -> relu -> W2 -> BN (ResNet's order, no ReLU after the sum).
Fixup adds learned scalar biases before W1 and W2 (the Dense layers' own per-unit biases play the role of
its biases after them). ``init_scheme`` names how the branch is initialized: see :mod:`initkit.nn.residual_init`.

Layer list: ``net.layers`` is [input projection, block 1, ..., block L, classifier]. A block looks like a
linear layer from outside (its ``a`` = ``z`` = x_{l+1}, ``dz`` = dL/dx_{l+1}, ``W`` and ``dW`` its first
branch weight), so :func:`initkit.probe` records the residual stream block by block.
"""
import numpy as np

from ..core.activations import get_activation
from ..core.constraints import RNG, Bool, Dtype, Integer, Optional, Options
from ..core.validation import check_array, check_dtype, check_number, check_one_of, make_rng, validate_params
from .module import Module
from .network import Dense, Gradients, _check_norm
from .residual_init import SCHEMES, apply_scheme

LINEAR = get_activation("linear")


class ResidualBlock(Module):
    """``x + alpha * F(x)``; ``branch`` = [Dense(width, width, relu), Dense(width, width, linear)]."""

    @validate_params({"width": Integer(1, 2**14), "norm": Optional(Options(("batch",))), "learn_alpha": Bool,
                      "scalar_biases": Bool, "dtype": Dtype, "rng": RNG})
    def __init__(self, width, *, norm=None, learn_alpha=False, scalar_biases=False, dtype=np.float64, rng=None):
        rng = make_rng(rng)
        self.branch = [Dense(width, width, "relu", "he_normal", norm=norm, dtype=dtype, rng=rng),
                       Dense(width, width, "linear", "he_normal", norm=norm, dtype=dtype, rng=rng)]
        self.alpha = np.ones(1, dtype=dtype)
        self.dalpha = np.zeros(1, dtype=dtype)
        self.learn_alpha = learn_alpha
        self.biases = [np.zeros(1, dtype=dtype), np.zeros(1, dtype=dtype)] if scalar_biases else []
        self.dbiases = [np.zeros(1, dtype=dtype) for _ in self.biases]
        self.activation = LINEAR
        self.z = self.a = self.dz = None

    W = property(lambda self: self.branch[0].W)
    fan_in = property(lambda self: self.branch[0].fan_in)
    fan_out = property(lambda self: self.branch[1].fan_out)
    dW = property(lambda self: self.branch[0].dW)
    db = property(lambda self: self.branch[0].db)

    def forward(self, x):
        first, last = self.branch
        h = first.forward(x + self.biases[0] if self.biases else x)  # h = relu(W1 (x + s1) + b1)
        self.f = last.forward(h + self.biases[1] if self.biases else h)  # F = W2 (h + s2) + b2
        self.a = self.z = x + self.alpha * self.f  # x_{l+1} = x_l + alpha F(x_l)
        return self.a

    def backward(self, da, need_input_grad=True):
        """Given dL/dx_{l+1}, store the branch's gradients and return dL/dx_l = da + (dF/dx)^T (alpha da)."""
        first, last = self.branch
        self.dz = da
        self.dalpha[...] = np.sum(da * self.f)  # dL/dalpha = sum da * F
        dh = last.backward(self.alpha * da)
        du = first.backward(dh)
        if self.biases:
            self.dbiases[1][...] = dh.sum()  # dL/ds2 = sum of dL/d(h + s2)
            self.dbiases[0][...] = du.sum()  # dL/ds1 = sum of dL/d(x + s1)
        return da + du if need_input_grad else None  # the skip path carries da unchanged

    def children(self):
        return self.branch

    def parameters(self):
        return (self.branch[0].parameters() + self.branch[1].parameters()
                + ([self.alpha] if self.learn_alpha else []) + self.biases)

    @property
    def param_names(self):
        """Names matching :meth:`parameters` (read by :func:`initkit.gradient_check`)."""
        names = [f"{n}{i}" for i, layer in enumerate(self.branch, start=1)
                 for n in ("W", "b", "gamma", "beta")[:len(layer.parameters())]]
        return names + (["alpha"] if self.learn_alpha else []) + ["s1", "s2"][:len(self.biases)]

    def gradients(self):
        return (self.branch[0].gradients() + self.branch[1].gradients()
                + ([self.dalpha] if self.learn_alpha else []) + self.dbiases)

    def __repr__(self):
        return f"ResidualBlock({self.W.shape[0]}, alpha={float(self.alpha[0]):.3g})"


class ResidualMLP(Module):
    """``n_in -> width -> L residual blocks -> n_out``, initialized by ``init_scheme`` (a name in
    :data:`initkit.nn.residual_init.SCHEMES`: he, scaled, gpt2, skipinit, rezero, zero_last, zero_gamma, fixup).

    Trains with :func:`initkit.fit` / :func:`initkit.fit_seeds`; ``probe(net)`` records the stream per block.

    >>> import numpy as np, initkit as ik
    >>> net = ik.ResidualMLP(64, 32, 8, 10, init_scheme="he", rng=0)
    >>> net
    ResidualMLP(64 -> 32 -> 8 blocks -> 10, init_scheme='he')
    >>> x = np.random.default_rng(1).standard_normal((500, 64))
    >>> _ = net.forward(x)
    >>> q = np.array([np.mean(x ** 2) for x in net.stream])  # second moment of x_0 ... x_8
    >>> print(f"{np.median(q[1:] / q[:-1]):.1f}")  # each He block multiplies it by about 1 + c = 3
    3.0
    """

    @validate_params({"n_in": Integer(1, 2**14), "width": Integer(1, 2**14), "n_blocks": Integer(1, 10**5),
                      "n_out": Integer(1, 2**14), "init_scheme": Options(SCHEMES), "norm": Optional(Options(("batch",))),
                      "dtype": Dtype, "rng": RNG},
                     budget={"n_blocks and width": (lambda a: 2 * a["n_blocks"] * a["width"] ** 2, "weights")})
    def __init__(self, n_in, width, n_blocks, n_out, init_scheme="he", *, norm=None, dtype=np.float64, rng=None):
        rng = make_rng(rng)
        self.dtype = check_dtype(dtype)
        self.norm, self.init_scheme = norm, init_scheme
        self.sizes = [n_in] + [width] * (n_blocks + 1) + [n_out]
        row = SCHEMES[init_scheme]
        self.blocks = [ResidualBlock(width, norm=norm, learn_alpha=row.learn_alpha, scalar_biases=row.scalar_biases,
                                     dtype=dtype, rng=rng) for _ in range(n_blocks)]
        self.layers = ([Dense(n_in, width, "linear", "lecun_normal", dtype=dtype, rng=rng)] + self.blocks
                       + [Dense(width, n_out, "linear", "lecun_normal", dtype=dtype, rng=rng)])
        apply_scheme(self, init_scheme)

    def forward(self, x):
        """The output for a batch ``x`` (n_samples, n_in); every block keeps x_{l+1} as ``block.a``."""
        x = check_array("x", x, ndim=2)
        if x.shape[1] != self.sizes[0] or len(x) == 0:
            raise ValueError(f"x must have {self.sizes[0]} columns (the input size); got shape {x.shape}")
        x = x.astype(self.dtype, copy=False)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    __call__ = forward

    @property
    def stream(self):
        """[x_0, x_1, ..., x_L]: the residual stream after the projection and after each block."""
        return [layer.a for layer in self.layers[:-1]]

    def backward(self, grad_output, need_input_grad=False):
        """Back-propagate dL/d(output); returns :class:`~initkit.Gradients` with one entry per layer of
        ``net.layers`` (a block's ``dW``/``db`` are its first branch layer's, its ``da`` = ``dz`` = dL/dx_{l+1})."""
        if self.layers[-1].a is None:
            raise ValueError("backward needs a forward pass first: call net.forward(x) before net.backward(grad)")
        grad = check_array("grad_output", grad_output, ndim=2).astype(self.dtype, copy=False)
        if grad.shape != self.layers[-1].a.shape:
            raise ValueError(f"grad_output must have the shape of the last output {self.layers[-1].a.shape}; "
                             f"got {grad.shape}")
        da = [None] * len(self.layers)
        da[-1] = grad
        for i in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[i].backward(grad, need_input_grad=i > 0 or need_input_grad)
            if i > 0:
                da[i - 1] = grad
        return Gradients(dW=[l.dW for l in self.layers], db=[l.db for l in self.layers],
                         dz=[l.dz for l in self.layers], da=da, dx=grad)

    def children(self):
        return self.layers

    def __repr__(self):
        norm = ", norm='batch'" if self.norm else ""
        return (f"ResidualMLP({self.sizes[0]} -> {self.sizes[1]} -> {len(self.blocks)} blocks -> {self.sizes[-1]}, "
                f"init_scheme={self.init_scheme!r}{norm})")
