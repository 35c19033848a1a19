"""Finite-difference gradient checks: the oracle for every derivative in the package.

``numerical_gradient`` uses central differences, (f(x + h) - f(x - h)) / 2h, whose error is O(h^2);
in float64 with h = 1e-6 an exact backward pass agrees to a relative error around 1e-9.
"""
import numpy as np

from ..core.constraints import AnyOf, Callable, Instance, Options, Real
from ..core.array_constraints import Data, Targets
from ..core.losses import ALIASES, LOSSES
from ..core.validation import check_number, check_size, validate_params
from ..core.losses import get_loss


def numerical_gradient(f, x, h=1e-6):
    """d f / d x for a scalar function ``f()`` of the float array ``x`` (perturbed in place, then restored).

    ``x`` must be a float array that ``f`` reads: an integer array cannot hold x + h (it would round), and
    a copy would not be seen by ``f``.

    >>> x = np.array([1.0, 2.0, 3.0])
    >>> numerical_gradient(lambda: float(np.sum(x**2)), x).round(6)      # d(sum x^2)/dx = 2x
    array([2., 4., 6.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning a number; got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        what = f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float numpy array that f reads (it is perturbed in place); got {what}")
    h = check_number("h", h, low=0, low_inclusive=False)
    check_size("x", x.size, "finite differences of x")
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def _numeric(name, x):
    arr = np.asarray(x)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real numeric array; got {x!r:.60}")
    return arr.astype(np.float64)


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), 0 when both are zero: scale-free and symmetric.

    >>> round(relative_error([3.0, 4.0], [3.0, 4.001]), 6), relative_error([0.0], [0.0])
    (0.0001, 0.0)
    """
    a, b = _numeric("a", a), _numeric("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


@validate_params({"net": Instance("an MLP", ("layers", "forward", "loss_and_gradients")),
                  "x": Data(ndim=2, columns=lambda a: a["net"].sizes[0]),
                  "y": Targets("x", lambda a: max(a["net"].sizes[-1], 2)),
                  "loss": AnyOf(Options({*LOSSES, *ALIASES}), Callable()), "h": Real(0, 1.0, closed="right")},
                 budget={"x and net": (lambda a: 2 * len(a["x"]) * sum(a["net"].sizes) * sum(
                     p.size for p in a["net"].parameters()) // 1000, "work (x rows x units x parameters / 1000)")})
def gradient_check(net, x, y, loss="softmax_cross_entropy", h=1e-6):
    """Compare the network's backward pass with finite differences; returns one record per parameter.

    Each record: ``{"layer": l, "param": "W", "b", "gamma" or "beta", "rel_error", "abs_error", "ok"}``;
    ``ok`` means relative error below 1e-6 (or, for an exactly-zero gradient, absolute error below 1e-9).
    Use a float64 network: in float32 the differences themselves are only good to about 1e-3.

    >>> import initkit as ik
    >>> net = ik.MLP([4, 8, 3], activation="tanh", norm="batch", rng=0)
    >>> records = gradient_check(net, np.random.default_rng(0).standard_normal((10, 4)), np.arange(10) % 3)
    >>> [r["param"] for r in records], all(r["ok"] for r in records)
    (['W', 'b', 'gamma', 'beta', 'W', 'b'], True)
    """
    loss_fn = get_loss(loss)

    def value():
        return loss_fn(net.forward(x), y)[0]

    net.loss_and_gradients(x, y, loss_fn)
    names = ("W", "b", "gamma", "beta")
    analytic = [[g.copy() for g in layer.gradients()] for layer in net.layers]
    records = []
    for l, (layer, grads) in enumerate(zip(net.layers, analytic), start=1):
        # a layer with other parameters (a residual block) names them itself
        for name, param, grad in zip(getattr(layer, "param_names", names), layer.parameters(), grads):
            num = numerical_gradient(value, param, h)
            rel, err = relative_error(grad, num), float(np.max(np.abs(grad - num)))
            # A gradient that is exactly zero (a bias right before BatchNorm) has no meaningful relative
            # error: accept it when the absolute error is at finite-difference noise level.
            records.append({"layer": l, "param": name, "rel_error": rel, "abs_error": err,
                            "ok": rel < 1e-6 or err < 1e-9})
    return records
