"""A long short-term memory network (LSTM) with a forget gate and exact backpropagation through time.

Gate order in the stacked weights (the columns of ``W_x``, ``W_h``, ``b``), as PyTorch's ``nn.LSTM``:
input i, forget f, cell candidate g, output o. With ``z_t = x_t W_x + h_{t-1} W_h + b`` split in four,

    i = sigma(z_i), f = sigma(z_f), g = tanh(z_g), o = sigma(z_o)
    c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t),   c_0 = h_0 = 0.

Hochreiter & Schmidhuber (1997), Long Short-Term Memory; the forget gate is Gers, Schmidhuber & Cummins
(2000), Learning to Forget. ``forget_bias=b_f`` starts the forget gate at sigma(b_f): 0.5 for 0, 0.73 for 1
(Jozefowicz, Zaremba & Sutskever 2015; Keras' ``unit_forget_bias=True``), 0.88 for 2.
"""
import numpy as np

from ..core.registry import initial_values
from ..core.constraints import Real
from ..core.validation import check_dtype, check_one_of, make_rng, validate_params
from .recurrent import READOUTS, RECURRENT_BUDGET, RECURRENT_PARAMS, RNN, recurrent_matrix, stack_networks, stacked, t_

GATES = ("input", "forget", "cell", "output")


class LSTM(RNN):
    """An LSTM layer (gate order i, f, g, o) with a linear readout from the last state or every state.

    ``recurrent_init`` ('orthogonal', 'gaussian', 'identity') times ``scale`` initializes each gate's
    ``(hidden, hidden)`` block of ``W_h`` (Keras draws one orthogonal ``(hidden, 4 hidden)`` matrix instead);
    ``input_init`` draws ``W_x`` (Keras: glorot_uniform); biases are 0 except the forget gate's,
    ``forget_bias``. Same interface as :class:`~initkit.nn.recurrent.RNN`, ``n_stack`` included.

    >>> net = LSTM(2, 16, 1, forget_bias=1.0, rng=0)
    >>> net
    LSTM(2 -> 16 -> 1, forget_bias=1, recurrent_init='orthogonal', readout='last')
    >>> print(net.forward(np.zeros((3, 5, 2))).shape, round(float(1 / (1 + np.exp(-net.b[16]))), 3))
    (3, 1) 0.731
    """

    @validate_params({**RECURRENT_PARAMS, "forget_bias": Real(-1e6, 1e6)}, budget=RECURRENT_BUDGET)
    def __init__(self, n_in, hidden, n_out, forget_bias=1.0, recurrent_init="orthogonal", scale=1.0, *,
                 input_init="glorot_uniform", output_init="glorot_uniform", readout="last", n_stack=None,
                 dtype=np.float64, rng=None):
        self.forget_bias = forget_bias
        self.recurrent_init, self.scale = recurrent_init, float(scale)
        self.readout = check_one_of("readout", readout, READOUTS)
        self.dtype, self.n_stack, self.sizes = check_dtype(dtype), n_stack, [n_in, hidden, n_out]
        self.activation = _LSTMActivation()
        rng = make_rng(rng)
        lead = () if n_stack is None else (n_stack,)
        self.W_x = stacked(n_stack, lambda: initial_values("input_init", input_init, (n_in, 4 * hidden), rng, self.dtype))
        self.W_h = stacked(n_stack, lambda: np.concatenate(
            [recurrent_matrix(hidden, recurrent_init, scale, rng=rng, dtype=self.dtype) for _ in GATES], axis=1))
        self.b = np.zeros(lead + (4 * hidden,), self.dtype)
        self.b[..., hidden:2 * hidden] = self.forget_bias  # the forget gate starts at sigma(b_f)
        self.W_y = stacked(n_stack, lambda: initial_values("output_init", output_init, (hidden, n_out), rng, self.dtype))
        self.b_y = np.zeros(lead + (n_out,), self.dtype)
        self._grads = [np.zeros_like(p) for p in self.parameters()]
        self._h = self._z = self._gates = self._c = None

    @property
    def gates(self):
        return None if self._gates is None else np.swapaxes(self._gates, -3, -2)

    @property
    def c(self):
        return None if self._c is None else np.swapaxes(self._c, -3, -2)

    def forward(self, x):
        """Run the LSTM over ``x`` (``(batch, T, n_in)``); return the readout. Keeps gates and states for BPTT."""
        x = self._check_x(x)
        self.x = x
        n = self.sizes[1]
        self._z = zs = self._input_part(x, 4 * n)
        self._gates = np.empty_like(zs)  # i, f, g, o after their nonlinearities
        self._c = np.empty(zs.shape[:-1] + (n,), self.dtype)
        self._h = np.empty_like(self._c)
        # sigma(z) = (1 + tanh(z / 2)) / 2: one tanh for all four gates, a = 1/2 (or 1 for g), g = a tanh(z a) + b
        a = np.repeat(np.array([0.5, 0.5, 1.0, 0.5], self.dtype), n)
        b = np.repeat(np.array([0.5, 0.5, 0.0, 0.5], self.dtype), n)
        h = c = np.zeros(zs.shape[:-3] + zs.shape[-2:-1] + (n,), self.dtype)
        for t in range(zs.shape[-3]):
            z = zs[..., t, :, :]
            z += h @ self.W_h  # z_t = x_t W_x + b + h_{t-1} W_h
            gates = self._gates[..., t, :, :]
            np.tanh(z * a, out=gates)
            gates *= a
            gates += b  # i, f, o = sigma(z); g = tanh(z_g)
            i, f, g, o = (gates[..., k * n:(k + 1) * n] for k in range(4))
            c = self._c[..., t, :, :] = f * c + i * g  # c_t = f c_{t-1} + i g
            h = self._h[..., t, :, :] = o * np.tanh(c)  # h_t = o tanh(c_t)
        return self._readout()

    __call__ = forward

    def backward_states(self, dh, weight_gradients=True):
        """BPTT from the direct gradients ``dh`` = dL/dh_t; fills dW_x, dW_h, db; returns the total dL/dh_t.

        With dc the total dL/dc_t: dc = dc_{t+1} f_{t+1} + dh o (1 - tanh^2 c_t); dz_i = dc g i (1 - i),
        dz_f = dc c_{t-1} f (1 - f), dz_g = dc i (1 - g^2), dz_o = dh tanh(c_t) o (1 - o);
        dL/dh_{t-1} += dz W_h^T.
        """
        n = self.sizes[1]
        total = np.swapaxes(np.asarray(dh, dtype=self.dtype), -3, -2).copy()  # (..., T, batch, hidden)
        dz = np.empty_like(self._z)
        dc = np.zeros_like(self._c[..., 0, :, :])
        W_hT = t_(self.W_h)
        for t in range(dz.shape[-3] - 1, -1, -1):
            gates = self._gates[..., t, :, :]
            i, f, g, o = (gates[..., k * n:(k + 1) * n] for k in range(4))
            c_prev = self._c[..., t - 1, :, :] if t > 0 else np.zeros_like(dc)
            tc = np.tanh(self._c[..., t, :, :])
            dh_t = total[..., t, :, :]
            dc = dc + dh_t * o * (1 - tc * tc)  # dL/dc_t: through h_t = o tanh(c_t), plus the future's share
            d = dz[..., t, :, :]
            d[..., :n] = dc * g * i * (1 - i)
            d[..., n:2 * n] = dc * c_prev * f * (1 - f)
            d[..., 2 * n:3 * n] = dc * i * (1 - g * g)
            d[..., 3 * n:] = dh_t * tc * o * (1 - o)
            dc = dc * f  # dL/dc_{t-1} through c_t = f c_{t-1} + ...
            if t > 0:
                total[..., t - 1, :, :] += d @ W_hT  # dL/dh_{t-1} += dL/dz_t W_h^T
        if weight_gradients:  # False: only dL/dh is wanted (gradient_through_time)
            self._weight_gradients(dz)
        return np.swapaxes(total, -3, -2)

    @classmethod
    def stack(cls, nets):
        """One stacked LSTM holding copies of the parameters of ``nets`` (see :meth:`RNN.stack`)."""
        return stack_networks(cls, nets)

    def __repr__(self):
        stack = "" if self.n_stack is None else f", n_stack={self.n_stack}"
        return (f"LSTM({self.sizes[0]} -> {self.sizes[1]} -> {self.sizes[2]}, forget_bias={self.forget_bias:g}, "
                f"recurrent_init={self.recurrent_init!r}, readout={self.readout!r}{stack})")


class _LSTMActivation:
    """The LSTM's fixed nonlinearities (sigmoid gates, tanh cell), named for :func:`stack_networks`."""

    name = "lstm"
