"""A vanilla recurrent network with exact backpropagation through time (BPTT).

``h_t = phi(x_t W_x + h_{t-1} W_h + b)``, ``h_0 = 0``, for inputs ``x`` of shape ``(batch, T, n_in)``; the
readout is ``y = h_T W_y + b_y`` (``readout='last'``) or ``y_t = h_t W_y + b_y`` for every t (``'all'``).
Layout as everywhere in initkit: ``W_x`` is ``(n_in, hidden)``, ``W_h`` ``(hidden, hidden)``, rows times
matrices.

``n_stack=S`` builds S independent networks at once (each parameter gets a leading axis of S, inputs
``(S, batch, T, n_in)`` or a shared ``(batch, T, n_in)``): seeds or initializations trained side by side in
one batched computation, each with exactly the arithmetic of a single network.
"""
import copy

import numpy as np

from ..core.activations import get_activation
from ..core.basic_init import identity, orthogonal
from ..core.registry import initial_values
from ..core.constraints import RNG, AnyOf, Callable, Dtype, Integer, Optional, Options, Real
from ..core.activations import ACTIVATIONS, Activation
from ..core.registry import ALIASES as INIT_ALIASES, INITIALIZERS
from ..core.validation import check_array, check_dtype, check_number, check_one_of, make_rng, validate_params
from .module import Module

RECURRENT_INITS = ("gaussian", "orthogonal", "identity")
READOUTS = ("last", "all")


READOUTS_ = ("last", "all")
INIT = AnyOf(Options(lambda: {*INITIALIZERS, *INIT_ALIASES}), Callable())
RECURRENT_PARAMS = {"n_in": Integer(1, 2**14), "hidden": Integer(1, 2**14), "n_out": Integer(1, 2**14),
                    "recurrent_init": Options(("gaussian", "orthogonal", "identity")), "scale": Real(-1e150, 1e150),
                    "input_init": INIT, "output_init": INIT, "readout": Options(READOUTS_),
                    "n_stack": Optional(Integer(1, 10**5)), "dtype": Dtype, "rng": RNG}
RECURRENT_BUDGET = {"n_stack, n_in, hidden and n_out": (
    lambda a: (a["n_stack"] or 1) * 4 * a["hidden"] * (a["n_in"] + a["hidden"] + a["n_out"]), "weights")}


@validate_params({"n": Integer(1, 2**14), "init": Options(("gaussian", "orthogonal", "identity")),
                  "scale": Real(-1e150, 1e150), "rng": RNG, "dtype": Dtype})
def recurrent_matrix(n, init="orthogonal", scale=1.0, *, rng=None, dtype=np.float64):
    """A ``(n, n)`` recurrent matrix: ``scale`` times a Gaussian (std 1/sqrt(n)), orthogonal or identity matrix.

    * ``'gaussian'``: W_ij ~ N(0, scale^2 / n); its eigenvalues fill a disc of radius about ``scale``
      (the circular law), its largest singular value is about ``2 scale``.
    * ``'orthogonal'``: scale * Q, Q Haar-orthogonal: every eigenvalue and singular value has modulus
      ``scale`` (Saxe, McClelland & Ganguli 2014; Henaff, Szlam & LeCun 2016).
    * ``'identity'``: scale * I, the IRNN (Le, Jaitly & Hinton 2015, A Simple Way to Initialize Recurrent
      Networks of Rectified Linear Units).

    >>> W = recurrent_matrix(64, "orthogonal", 0.9, rng=0)
    >>> print(np.round(np.abs(np.linalg.eigvals(W)).max(), 3), np.round(np.linalg.svd(W, compute_uv=False).min(), 3))
    0.9 0.9
    """
    rng = make_rng(rng)
    if init == "gaussian":
        return (scale / np.sqrt(n) * rng.standard_normal((n, n))).astype(dtype)
    if init == "orthogonal":
        return orthogonal((n, n), gain=scale, rng=rng, dtype=dtype)
    return identity((n, n), gain=scale, dtype=dtype)


def stacked(n_stack, draw):
    """``draw()`` once (``n_stack`` None) or ``n_stack`` times, stacked along a new first axis."""
    return draw() if n_stack is None else np.stack([draw() for _ in range(n_stack)])


def t_(a):
    """Transpose of the last two axes (a stack of matrices)."""
    return np.swapaxes(a, -1, -2)


def flat_time(a):
    """``(..., n1, n2, k)`` -> ``(..., n1 * n2, k)``: a sum over time and batch becomes one matrix product."""
    return a.reshape(*a.shape[:-3], a.shape[-3] * a.shape[-2], a.shape[-1])


def stack_networks(cls, nets):
    """A copy of ``nets[0]`` whose parameters are those of every net in ``nets`` stacked on a new first axis."""
    nets = list(nets)
    if not nets or not all(isinstance(n, cls) and n.n_stack is None for n in nets):
        raise TypeError(f"nets must be a non-empty list of unstacked {cls.__name__}s; got {nets!r:.80}")
    if len({(tuple(n.sizes), n.activation.name, getattr(n, "readout", None), n.dtype) for n in nets}) != 1:
        raise ValueError("nets must share sizes, activation, readout and dtype to be stacked")
    out = copy.copy(nets[0])
    for name, _ in out.named_parameters():
        setattr(out, name, np.stack([getattr(n, name) for n in nets]))
    out.n_stack = len(nets)
    out._grads = [np.zeros_like(p) for p in out.parameters()]
    out.labels = [repr(n) for n in nets]
    return out


class RNN(Module):
    """A vanilla RNN ``h_t = phi(x_t W_x + h_{t-1} W_h + b)`` with a linear readout and exact BPTT.

    ``recurrent_init`` ('gaussian', 'orthogonal', 'identity') times ``scale`` sets W_h (see
    :func:`recurrent_matrix`); ``input_init`` and ``output_init`` are initializer names for W_x and W_y;
    biases start at 0. ``forward(x)`` keeps every state; ``backward(d_output)`` fills ``dW_x``, ``dW_h``,
    ``db``, ``dW_y``, ``db_y`` and returns dL/dh_t for every t (shape ``(..., batch, T, hidden)``).

    >>> net = RNN(2, 32, 1, activation="tanh", recurrent_init="orthogonal", rng=0)
    >>> net
    RNN(2 -> 32 -> 1, activation='tanh', recurrent_init='orthogonal', scale=1, readout='last')
    >>> net.forward(np.zeros((4, 10, 2))).shape
    (4, 1)
    """

    @validate_params({**RECURRENT_PARAMS, "activation": Options(ACTIVATIONS, types=(Activation,))},
                     budget=RECURRENT_BUDGET)
    def __init__(self, n_in, hidden, n_out, activation="tanh", recurrent_init="orthogonal", scale=1.0, *,
                 input_init="glorot_uniform", output_init="glorot_uniform", readout="last", n_stack=None,
                 dtype=np.float64, rng=None):
        self.activation = get_activation(activation)
        self.recurrent_init, self.scale = check_one_of("recurrent_init", recurrent_init, RECURRENT_INITS), float(scale)
        self.readout = check_one_of("readout", readout, READOUTS)
        self.dtype, self.n_stack, self.sizes = check_dtype(dtype), n_stack, [n_in, hidden, n_out]
        rng = make_rng(rng)
        lead = () if n_stack is None else (n_stack,)
        self.W_x = stacked(n_stack, lambda: initial_values("input_init", input_init, (n_in, hidden), rng, self.dtype))
        self.W_h = stacked(n_stack, lambda: recurrent_matrix.__wrapped__(hidden, recurrent_init, scale, rng=rng,
                                                                              dtype=self.dtype))
        self.b = np.zeros(lead + (hidden,), self.dtype)
        self.W_y = stacked(n_stack, lambda: initial_values("output_init", output_init, (hidden, n_out), rng, self.dtype))
        self.b_y = np.zeros(lead + (n_out,), self.dtype)
        self._grads = [np.zeros_like(p) for p in self.parameters()]
        self._h = self._z = None

    def own_parameters(self):
        """[W_x, W_h, b, W_y, b_y]: the arrays optimizers update in place."""
        return [self.W_x, self.W_h, self.b, self.W_y, self.b_y]

    def named_parameters(self):
        return list(zip(("W_x", "W_h", "b", "W_y", "b_y"), self.parameters()))

    def own_gradients(self):
        """dL/d(each parameter) from the last backward pass, matching :meth:`parameters`."""
        return self._grads

    def _check_x(self, x):
        x = check_array("x", x).astype(self.dtype, copy=False)
        stacked_ok = self.n_stack is not None and x.ndim == 4 and x.shape[0] == self.n_stack
        if not (x.ndim == 3 or stacked_ok) or x.shape[-1] != self.sizes[0] or min(x.shape[-3:-1]) < 1:
            one = f"(batch, T, {self.sizes[0]})"
            shapes = one if self.n_stack is None else f"{one} or ({self.n_stack}, batch, T, {self.sizes[0]})"
            raise ValueError(f"x must have shape {shapes} with batch, T >= 1; got {x.shape}")
        return x

    # States are stored as (..., T, batch, hidden), so each step reads one contiguous (batch, hidden) block per
    # network and sums over time and batch are one matrix product; ``z`` and ``h`` show them as
    # (..., batch, T, hidden), like the input.
    @property
    def z(self):
        return None if self._z is None else np.swapaxes(self._z, -3, -2)

    @property
    def h(self):
        return None if self._h is None else np.swapaxes(self._h, -3, -2)

    def _x_time_major(self):
        """The input as (..., T, batch, n_in), with a stack axis of 1 when a stacked net shares one input."""
        x = np.swapaxes(self.x, -3, -2)
        return x[None] if self.n_stack and self.x.ndim == 3 else x

    def _input_part(self, x, width):
        """``x_t W_x + b`` for every t at once: shape (..., T, batch, width)."""
        lead = self.W_h.shape[:-2]
        xw = self._x_time_major() @ (self.W_x[..., None, :, :] if lead else self.W_x)
        z = np.broadcast_to(xw, lead + (x.shape[-2], x.shape[-3], width)).copy()
        z += self.b[..., None, None, :]
        return z

    def _readout(self):
        lead = self.W_h.shape[:-2]
        out = self._h[..., -1, :, :] if self.readout == "last" else self.h
        y = out @ (self.W_y if self.readout == "last" or not lead else self.W_y[..., None, :, :])
        return y + (self.b_y[..., None, :] if self.readout == "last" else self.b_y[..., None, None, :])

    def forward(self, x):
        """Run the recurrence over ``x`` (``(batch, T, n_in)``); return the readout. Keeps h_t, z_t for BPTT."""
        x = self._check_x(x)
        self.x = x
        self._z = z = self._input_part(x, self.sizes[1])
        self._h = np.empty_like(z)
        h = np.zeros(z.shape[:-3] + z.shape[-2:], self.dtype)
        for t in range(z.shape[-3]):
            z_t = z[..., t, :, :]
            z_t += h @ self.W_h  # z_t = x_t W_x + b + h_{t-1} W_h
            h = self._h[..., t, :, :] = self.activation(z_t)  # h_t = phi(z_t)
        return self._readout()

    __call__ = forward

    def backward(self, d_output):
        """Back-propagate dL/d(readout) through time; fill the gradients; return dL/dh_t for every t."""
        if self._h is None:
            raise ValueError("backward needs a forward pass first: call forward(x) before backward(d_output)")
        d_output = np.asarray(d_output, dtype=self.dtype)
        dW_y, db_y = self._grads[3:]
        h_out = self._h[..., -1, :, :] if self.readout == "last" else self.h
        expected = h_out.shape[:-1] + (self.sizes[2],)
        if d_output.shape != expected:
            raise ValueError(f"d_output must have the readout's shape {expected}; got {d_output.shape}")
        if self.readout == "last":
            dW_y[...] = t_(h_out) @ d_output  # dL/dW_y = h_T^T dy
            db_y[...] = d_output.sum(axis=-2)
            dh = np.zeros_like(self.h)
            dh[..., -1, :] = d_output @ t_(self.W_y)  # dL/dh_T = dy W_y^T
        else:
            dW_y[...] = t_(flat_time(self.h)) @ flat_time(d_output)
            db_y[...] = d_output.sum(axis=(-3, -2))
            dh = d_output @ (t_(self.W_y)[..., None, :, :] if self.n_stack else self.W_y.T)
        return self.backward_states(dh)

    def backward_states(self, dh, weight_gradients=True):
        """BPTT from the direct gradients ``dh`` = dL/dh_t (every t, before the recurrence adds the future's
        share); fills dW_x, dW_h, db (unless ``weight_gradients=False``) and returns the total dL/dh_t. The
        readout's gradients are not touched.

        dL/dz_t = dL/dh_t * phi'(z_t);  dL/dh_{t-1} += dL/dz_t W_h^T  (one Jacobian W_h^T diag(phi') per step).
        """
        total = np.swapaxes(np.asarray(dh, dtype=self.dtype), -3, -2).copy()  # (..., T, batch, hidden)
        dz = np.empty_like(self._z)
        deriv, W_hT = self.activation.derivative, t_(self.W_h)
        for t in range(dz.shape[-3] - 1, -1, -1):
            dz_t = dz[..., t, :, :]
            dz_t[...] = total[..., t, :, :] * deriv(self._z[..., t, :, :])  # dL/dz_t = dL/dh_t * phi'(z_t)
            if t > 0:
                total[..., t - 1, :, :] += dz_t @ W_hT  # dL/dh_{t-1} += dL/dz_t W_h^T
        if weight_gradients:  # False: only dL/dh is wanted (gradient_through_time)
            self._weight_gradients(dz)
        return np.swapaxes(total, -3, -2)

    def _weight_gradients(self, dz):
        """dL/dW_h = sum_t h_{t-1}^T dz_t, dL/dW_x = sum_t x_t^T dz_t, dL/db = sum_t dz_t (dz: (..., T, batch, k))."""
        dW_x, dW_h, db = self._grads[:3]
        h_prev = np.concatenate([np.zeros_like(self._h[..., :1, :, :]), self._h[..., :-1, :, :]], axis=-3)
        x = np.broadcast_to(self._x_time_major(), dz.shape[:-1] + (self.sizes[0],))
        dW_h[...] = t_(flat_time(h_prev)) @ flat_time(dz)
        dW_x[...] = t_(flat_time(x)) @ flat_time(dz)
        db[...] = dz.sum(axis=(-3, -2))
        self.dz = np.swapaxes(dz, -3, -2)

    @classmethod
    def stack(cls, nets):
        """One stacked network (``n_stack = len(nets)``) holding copies of the parameters of ``nets`` (same
        sizes, activation and readout; initializations may differ): they then train side by side."""
        return stack_networks(cls, nets)

    def __repr__(self):
        stack = "" if self.n_stack is None else f", n_stack={self.n_stack}"
        return (f"RNN({self.sizes[0]} -> {self.sizes[1]} -> {self.sizes[2]}, activation={self.activation.name!r}, "
                f"recurrent_init={self.recurrent_init!r}, scale={self.scale:g}, readout={self.readout!r}{stack})")
