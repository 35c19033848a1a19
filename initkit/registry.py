"""Initializers by name, so ``MLP(init="he_normal")`` and widget dropdowns can use strings."""
import functools

import numpy as np

from . import basic_init, initializers

INITIALIZERS = {
    "variance_scaling": initializers.variance_scaling,
    "lecun_normal": initializers.lecun_normal,
    "lecun_uniform": initializers.lecun_uniform,
    "glorot_normal": initializers.glorot_normal,
    "glorot_uniform": initializers.glorot_uniform,
    "he_normal": initializers.he_normal,
    "he_uniform": initializers.he_uniform,
    "random_normal": basic_init.random_normal,
    "random_uniform": basic_init.random_uniform,
    "truncated_normal": basic_init.truncated_normal,
    "zeros": basic_init.zeros,
    "ones": basic_init.ones,
    "constant": basic_init.constant,
    "orthogonal": basic_init.orthogonal,
    "identity": basic_init.identity,
}
ALIASES = {
    "xavier_normal": "glorot_normal",
    "xavier_uniform": "glorot_uniform",
    "kaiming_normal": "he_normal",
    "kaiming_uniform": "he_uniform",
    "normal": "random_normal",
    "uniform": "random_uniform",
}


def get_initializer(init, **kwargs):
    """Resolve an initializer name (or alias) to its function; a callable is returned unchanged.

    Keyword arguments are bound with ``functools.partial``:
    ``get_initializer("random_normal", std=1.0)(shape, rng=0)``.
    """
    if callable(init):
        fn = init
    elif isinstance(init, str) and ALIASES.get(init, init) in INITIALIZERS:
        fn = INITIALIZERS[ALIASES.get(init, init)]
    else:
        known = ", ".join(repr(k) for k in sorted({*INITIALIZERS, *ALIASES}))
        raise ValueError(f"init must be a callable or one of {known}; got {init!r}")
    return functools.partial(fn, **kwargs) if kwargs else fn


def init_name(init):
    """A readable name for an initializer: the string itself, or the function's name."""
    return init if isinstance(init, str) else getattr(init, "__name__", type(init).__name__)


def initial_values(name, init, shape, rng, dtype):
    """Draw ``init(shape)`` and check it: an initializer (possibly user-written) must return a finite array of
    exactly ``shape``, or the network would silently compute with a broadcast or NaN weight."""
    try:
        values = np.asarray(get_initializer(init)(shape, rng=rng, dtype=dtype))
    except (TypeError, ValueError) as err:
        if str(err).startswith(name + " "):
            raise
        raise type(err)(f"{name} {init_name(init)!r} failed for a {shape} weight: {err}") from None
    if values.shape != shape:
        raise ValueError(f"{name} {init_name(init)!r} returned an array of shape {values.shape}; expected {shape}")
    if not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"{name} {init_name(init)!r} returned a non-numeric array of dtype {values.dtype}")
    with np.errstate(over="ignore"):
        values = values.astype(dtype)  # a copy: the layer owns its parameters
    if not np.isfinite(values).all():
        raise ValueError(f"{name} {init_name(init)!r} returned non-finite values (NaN or inf in {dtype.name})")
    return values
