"""Initializers by name: the one table (function, law, scale, mode, variance, aliases, paper, menu label)
that ``MLP(init="he_normal")``, theory, probe, widget menus and docs all read."""
import functools
from fractions import Fraction
from dataclasses import dataclass
from typing import Callable, Optional, Union

import numpy as np

from . import basic_init, initializers
from .constraints import Constraint, Instance
from .fans import fan_for
from .initializers import TRUNCATED_NORMAL_STD_2
from .validation import validate_params

# The one table of initializers: every other module (theory's Var(W), probe's unit draws, widget menus,
# docs) reads it, so a new initializer is one entry here. ``distribution`` is the law of W / std(W)
# ("normal", "uniform", "truncated_normal", "orthogonal", "zeros"; None when W is not random: ones,
# constant, identity, or has no fixed rule: variance_scaling); ``variance(fan_in, fan_out)`` is Var(W)
# (None when unknown) and ``formula`` says it in words.
@dataclass(frozen=True)
class InitSpec:
    """One row of the table: an initializer's function and the facts every other module reads.

    >>> spec = INIT_TABLE["he_normal"]
    >>> spec.distribution, spec.formula, spec.variance(256, 128), spec.menu_label   # Var(W) = scale / n
    ('normal', 'Var(W) = 2 / fan_in', 0.0078125, 'He √(2/n)')

    The variance-scaling rows (LeCun, Glorot, He) are built from
    :data:`initkit.core.initializers.SPECIALIZATIONS`, the rows their functions draw from: their ``scale`` is a
    function that reads the gain table at each use, so He's 2 lives in the gain table only.
    """

    name: str
    fn: Callable
    distribution: Optional[str] = None
    scale: Union[float, Callable[[], float], None] = None  # Var(W) = scale / n, n by mode; or a function giving it
    mode: Optional[str] = None
    fixed_var: Optional[float] = None  # a fixed Var(W), whatever the fans
    aliases: tuple = ()
    paper: str = ""
    label: Optional[str] = None  # the name in widget menus (None: not in menus); "{scale:g}" is filled in

    @property
    def scale_value(self):
        """The variance-scaling factor as a number (``scale`` itself, or what its function returns now)."""
        return self.scale_at()

    def scale_at(self, param=None):
        """The scale for the gain's parameter ``param`` (He: the leaky slope a, giving 2 / (1 + a^2)); a row
        with a fixed number has no parameter."""
        if callable(self.scale):
            return self.scale() if param is None else self.scale(param)
        if param is not None:
            raise ValueError(f"initializer {self.name!r} has no gain parameter; got param={param!r}")
        return self.scale

    @property
    def menu_label(self):
        """The widget-menu label, with the current scale filled in (He: ``'He √(2/n)'``); None if not in menus."""
        return None if self.label is None else self.label.format(scale=self.scale_value)

    def variance(self, fan_in, fan_out, param=None):
        """Var(W) for a layer with these fans (and gain parameter ``param``, He's leaky slope), or None when the
        initializer has no fixed variance."""
        if self.scale is not None:
            return self.scale_at(param) / fan_for(self.mode, fan_in, fan_out)
        if self.fixed_var is not None:
            return self.fixed_var
        if self.distribution == "orthogonal":
            return 1.0 / max(fan_in, fan_out)  # unit rows or columns
        return None

    @property
    def formula(self):
        """Var(W) in words: ``'Var(W) = 2 / (fan_in + fan_out)'`` for Glorot (scale 1, n = fan_avg)."""
        if self.scale is not None:
            if self.mode == "fan_avg":  # scale / ((fan_in + fan_out) / 2)
                return f"Var(W) = {2 * self.scale_value:g} / (fan_in + fan_out)"
            return f"Var(W) = {_over(self.scale_value, self.mode)}"
        if self.fixed_var is not None:
            return f"Var(W) = {self.fixed_var:.4g}"
        return "Var(W) = 1 / max(fan_in, fan_out)" if self.distribution == "orthogonal" else "no fixed variance"


def _over(scale, n):
    """``scale / n`` as text, ``'2 / fan_in'``; ``'1 / (3 fan_in)'`` for a simple fraction (PyTorch's 1/3).

    >>> _over(2.0, "fan_in"), _over(2 / (1 + 5.000000000000001), "fan_in"), _over(0.6, "fan_out")
    ('2 / fan_in', '1 / (3 fan_in)', '0.6 / fan_out')
    """
    frac = Fraction(scale).limit_denominator(12)
    if len(f"{scale:g}") > 6 and abs(float(frac) - scale) <= 1e-12 * abs(scale):
        return f"{frac.numerator} / ({frac.denominator} {n})"
    return f"{scale:g} / {n}"


_LECUN = "LeCun, Bottou, Orr & Mueller (1998), Efficient BackProp"
_GLOROT = "Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks"
_HE = ("He, Zhang, Ren & Sun (2015), Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet "
       "Classification")
_SAXE = ("Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in deep linear "
         "neural networks")
_XIAO = ("Xiao, Bahri, Sohl-Dickstein, Schoenholz & Pennington (2018), Dynamical Isometry and a Mean Field Theory "
         "of CNNs: How to Train 10,000-Layer Vanilla Convolutional Neural Networks")
_KERAS = "Keras' default for this initializer"


def _scaling_row(name, **facts):
    """A row of the variance-scaling family, built from its specialization (law, scale from the gain table,
    mode) and the function that draws from the same specialization."""
    row = initializers.SPECIALIZATIONS[name]
    return InitSpec(name, getattr(initializers, name), row.distribution, row.scale, row.mode, **facts)


INIT_TABLE = {spec.name: spec for spec in [
    InitSpec("variance_scaling", initializers.variance_scaling, paper=_KERAS),
    _scaling_row("lecun_normal", paper=_LECUN, label="LeCun 1/√n"),
    _scaling_row("lecun_uniform", paper=_LECUN),
    _scaling_row("he_normal", aliases=("kaiming_normal",), paper=_HE, label="He √({scale:g}/n)"),
    _scaling_row("he_uniform", aliases=("kaiming_uniform",), paper=_HE),
    _scaling_row("glorot_normal", aliases=("xavier_normal",), paper=_GLOROT, label="Xavier (n = fan_avg)"),
    _scaling_row("glorot_uniform", aliases=("xavier_uniform",), paper=_GLOROT),
    _scaling_row("pytorch_default", paper="PyTorch's nn.Linear and nn.Conv default: kaiming_uniform_(w, a=sqrt(5))"),
    InitSpec("random_normal", basic_init.random_normal, "normal", fixed_var=0.05 ** 2, aliases=("normal",),
             paper=_KERAS + ": N(0, 0.05^2)"),
    InitSpec("standard_normal", basic_init.standard_normal, "normal", fixed_var=1.0,
             paper="Ng et al., deeplearning.ai Improving Deep Neural Networks (2017), initialization assignment"),
    InitSpec("random_uniform", basic_init.random_uniform, "uniform", fixed_var=0.1 ** 2 / 12, aliases=("uniform",),
             paper=_KERAS + ": U[-0.05, 0.05]"),
    InitSpec("truncated_normal", basic_init.truncated_normal, "truncated_normal",
             fixed_var=(0.05 * TRUNCATED_NORMAL_STD_2) ** 2, paper=_KERAS + ": N(0, 0.05^2) cut at 2 std"),
    InitSpec("zeros", basic_init.zeros, "zeros", fixed_var=0.0),
    InitSpec("ones", basic_init.ones),
    InitSpec("constant", basic_init.constant),
    InitSpec("orthogonal", basic_init.orthogonal, "orthogonal", paper=_SAXE),
    InitSpec("identity", basic_init.identity),
    InitSpec("delta_orthogonal", initializers.delta_orthogonal, "orthogonal", paper=_XIAO),
]}
INITIALIZERS = {name: spec.fn for name, spec in INIT_TABLE.items()}
ALIASES = {alias: spec.name for spec in INIT_TABLE.values() for alias in spec.aliases}


def init_spec(name):
    """The :class:`InitSpec` of an initializer name or alias (ValueError naming ``init`` otherwise).

    >>> init_spec("xavier_uniform").name
    'glorot_uniform'
    """
    if isinstance(name, str) and ALIASES.get(name, name) in INIT_TABLE:
        return INIT_TABLE[ALIASES.get(name, name)]
    known = ", ".join(repr(k) for k in sorted({*INIT_TABLE, *ALIASES}))
    raise ValueError(f"init must be one of {known}; got {name!r}")


@validate_params({"spec": Instance("an InitSpec", types=(InitSpec,))})
def register_initializer(spec):
    """Add ``spec`` (an :class:`InitSpec`) to the table: theory, probe, menus, docs and ``get_initializer``
    see it (and ``python tools/docs.py`` puts it in the README's table).

    >>> import initkit as ik
    >>> spec = ik.register_initializer(ik.InitSpec("half_he", lambda shape, *, rng=None, dtype=np.float64:
    ...     ik.variance_scaling(shape, 1.0, "fan_in", "normal", rng=rng, dtype=dtype), "normal", 1.0, "fan_in"))
    >>> ik.MLP([4, 3], init="half_he", rng=0).layers[0].W.shape, spec.formula
    ((4, 3), 'Var(W) = 1 / fan_in')
    >>> _ = INIT_TABLE.pop("half_he"), INITIALIZERS.pop("half_he")       # unregister (for this example)
    """
    INIT_TABLE[spec.name] = spec
    INITIALIZERS[spec.name] = spec.fn
    ALIASES.update({alias: spec.name for alias in spec.aliases})
    return spec


def menu():
    """Widget menu entries, label -> initializer name, in table order.

    >>> menu()["He √(2/n)"]
    'he_normal'
    """
    return {spec.menu_label: spec.name for spec in INIT_TABLE.values() if spec.label}


class _Initializer(Constraint):
    """A callable, or a name (or alias) in the table, read at call time (registered names included)."""

    def check(self, name, value, args):
        if callable(value) or (isinstance(value, str) and ALIASES.get(value, value) in INITIALIZERS):
            return value
        known = ", ".join(repr(k) for k in sorted({*INITIALIZERS, *ALIASES}))
        raise ValueError(f"{name} must be a callable or one of {known}; got {value!r:.80}")

    def bad_values(self):
        return [None, "", "no-such-init", 3, ["he_normal"], object()]


INIT = _Initializer()  # the constraint of every ``init`` parameter


@validate_params({"init": INIT})
def get_initializer(init, **kwargs):
    """Resolve an initializer name (or alias) to its function; a callable is returned unchanged.

    Keyword arguments are bound with ``functools.partial``:
    ``get_initializer("random_normal", std=1.0)(shape, rng=0)``.

    >>> get_initializer("kaiming_normal").__name__
    'he_normal'
    >>> round(float(get_initializer("random_normal", std=1.0)((100, 100), rng=0).std()), 2)
    1.0
    """
    fn = init if callable(init) else INITIALIZERS[ALIASES.get(init, init)]
    return functools.partial(fn, **kwargs) if kwargs else fn


def init_name(init):
    """A readable name for an initializer: the string itself, or the function's name.

    >>> init_name("he_normal"), init_name(initializers.glorot_uniform)
    ('he_normal', 'glorot_uniform')
    """
    return init if isinstance(init, str) else getattr(init, "__name__", type(init).__name__)


def initial_values(name, init, shape, rng, dtype):
    """Draw ``init(shape)`` and check it: an initializer (possibly user-written) must return a finite array of
    exactly ``shape``, or the network would silently compute with a broadcast or NaN weight.

    >>> initial_values("init", "ones", (2, 2), None, np.dtype(np.float32)).dtype
    dtype('float32')
    """
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


def _cell(text):
    return str(text).replace("|", "\\|")


def markdown_table():
    """The table as Markdown, one row per initializer in table order: name, aliases, distribution (the law of
    W / std(W); "-" when W is not random or has no fixed law), Var(W) and the paper. The README's
    "Initializers" table is this text (``python tools/docs.py`` writes it; ``tests/test_docs.py`` checks it).

    >>> print("\\n".join(markdown_table().splitlines()[:3]))
    | initializer | aliases | distribution | Var(W) | paper |
    |---|---|---|---|---|
    | `variance_scaling` |  | - | no fixed variance | Keras' default for this initializer |
    """
    rows = ["| initializer | aliases | distribution | Var(W) | paper |", "|---|---|---|---|---|"]
    for spec in INIT_TABLE.values():
        aliases = ", ".join(f"`{alias}`" for alias in spec.aliases)
        formula = spec.formula.removeprefix("Var(W) = ")
        cells = [f"`{spec.name}`", aliases, spec.distribution or "-", formula, spec.paper]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"
