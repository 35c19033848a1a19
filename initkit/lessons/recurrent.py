"""Notebook 12's experiments: train recurrent networks on the adding problem (with optional gradient
clipping), and the pure step behind its widget (gradient norm through time and the recurrent spectrum).

``ik.fit`` takes 2-D inputs; sequences need this small loop. Everything is deterministic given ``rng``.
"""
import inspect
from dataclasses import dataclass

import numpy as np

from ..core.activations import ACTIVATIONS, Activation
from ..core.constraints import RNG, AnyOf, Constraint, Dtype, Instance, Integer, Optional, Options, Real, Sizes
from ..core.array_constraints import Data
from ..core.validation import MAX_ELEMENTS, check_number, make_rng, validate_params
from ..measure import theory
from ..measure.through_time import decay_rate, gradient_through_time, spectrum
from ..nn.optimizers import clip_by_global_norm, get_optimizer
from ..nn.progress import progress_bar
from ..nn.divergence import diverged_at
from ..nn.lstm import LSTM
from ..nn.recurrent import RECURRENT_INITS, RNN
from ..nn.sequence_tasks import adding_problem


@dataclass
class SequenceHistory:
    """Per-step training MSE ``train_mse`` (steps, networks), the test MSE at ``eval_steps`` (evals,
    networks), the gradient's global norm before clipping ``grad_norm`` (steps, networks) and the baseline;
    ``diverged_at`` (networks,): the first step whose training MSE broke fit's divergence rule against the
    baseline (:func:`initkit.nn.divergence.diverged_at`; 0 if none). Training does not stop there."""

    train_mse: np.ndarray
    test_mse: np.ndarray
    eval_steps: np.ndarray
    grad_norm: np.ndarray
    baseline: float
    diverged_at: np.ndarray = None

    def solved(self, fraction=0.1):
        """Per network: final test MSE below ``fraction`` of the baseline (1/6 for the adding problem)."""
        return self.test_mse[-1] < fraction * self.baseline


RECURRENT = Instance("an RNN or LSTM with one output", ("forward", "backward", "gradients", "parameters", "n_stack"))
ACTIVATION = Options(ACTIVATIONS, types=(Activation,))


@validate_params({"net": RECURRENT, "T": Integer(2, 10_000), "steps": Integer(1, 10**6),
                  "batch_size": Integer(1, MAX_ELEMENTS), "lr": Real(0, 1e6, closed="right"),
                  "optimizer": Options(("adam", "sgd")), "eval_every": Integer(1, 10**6),
                  "clip": Optional(AnyOf(Real(0, closed="right"),
                                         Data(ndim=1, finite=False, what="(one per network; inf: no clipping)"))),
                  "n_test": Integer(1, MAX_ELEMENTS), "rng": RNG},
                 budget={"T, batch_size and n_test": (lambda a: 4 * a["T"] * max(a["batch_size"], a["n_test"]),
                                                      "values per batch (T x batch x 4)"),
                         "steps, T and batch_size": (lambda a: a["steps"] * a["T"] * a["batch_size"] // 64,
                                                     "steps x T x batch_size / 64 (work)")})
def train_adding(net, T, *, steps=500, batch_size=32, lr=1e-2, optimizer="adam", clip=None, eval_every=50,
                 n_test=256, rng=None, progress=None):
    """Train ``net`` (an RNN or LSTM, stacked or not, one output) on fresh adding-problem batches of length
    ``T``; mean squared error, ``optimizer`` 'adam' or 'sgd', gradients clipped to global norm ``clip`` per
    network when given (one value, or one per stacked network with ``np.inf`` for no clipping). Returns a :class:`SequenceHistory`; every stacked network sees the same batches.
    ``progress`` as in :func:`initkit.fit` (one bar over the steps, or a caller's bar to advance).
    """
    if clip is not None and np.ndim(clip) == 1 and len(clip) != (net.n_stack or 1):
        raise ValueError(f"clip must be one number or one per stacked network ({net.n_stack or 1}); got "
                         f"{len(clip)} values")
    rng = make_rng(rng)
    test = adding_problem.__wrapped__(n_test, T, rng=rng, dtype=net.dtype)
    opt = get_optimizer(optimizer, lr=lr)
    lead = (net.n_stack,) if net.n_stack else ()
    train_mse, norms = np.empty((steps,) + lead), np.empty((steps,) + lead)
    evals, eval_steps = [], []
    bar = progress_bar(progress, steps, unit="step")
    for step in range(1, steps + 1):
        batch = adding_problem.__wrapped__(batch_size, T, rng=rng, dtype=net.dtype)
        diff = net.forward(batch.x) - batch.y
        train_mse[step - 1] = np.mean(diff[..., 0] ** 2, axis=-1)
        net.backward(2 * diff / batch_size)  # d mean((y - t)^2) / dy
        grads = net.gradients()
        norms[step - 1] = (clip_by_global_norm(grads, clip, net.n_stack) if clip is not None else
                           np.sqrt(sum(np.sum(g * g, axis=tuple(range(len(lead), g.ndim))) for g in grads)))
        opt.step(net.parameters(), grads)
        with np.errstate(all="ignore"):  # a diverging network is a result: no warning from its display
            bar.advance(1, float(np.mean(train_mse[step - 1])))
        if step % eval_every == 0 or step == steps:
            with np.errstate(over="ignore", invalid="ignore"):
                evals.append(np.mean((net.forward(test.x) - test.y)[..., 0] ** 2, axis=-1))
            eval_steps.append(step)
    diverged = diverged_at(train_mse.reshape(steps, -1), test.baseline)
    diverged = diverged if lead else int(diverged[0])  # one network: a number, as its losses are (steps,)
    return SequenceHistory(train_mse, np.array(evals), np.array(eval_steps), norms, test.baseline, diverged)


SCALE_FREE = ("linear", "relu")  # positively homogeneous: chi_1 does not depend on the state's variance


@validate_params({"scale": Real(0, 1e150), "activation": ACTIVATION, "input_var": Real(0, 1e300),
                  "max_steps": Integer(1, 10**6)})
def mean_field_rate(scale, activation="tanh", input_var=1.0, max_steps=1000):
    """The per-step factor of ||dh_T/dh_t|| predicted by mean-field theory for W_h ~ N(0, scale^2 / n):
    sqrt(chi_1), chi_1 = scale^2 E[phi'(sqrt(q*) z)^2], with q* the fixed point of
    q = scale^2 E[phi(sqrt(q) z)^2] + input_var (the input drive plays the role of a fresh bias each step),
    iterated from the first state's q = input_var (h_0 = 0) for at most ``max_steps`` steps: with no input
    the state stays at 0 and the rate is ``scale``; near scale 1 the approach to q* is slow, and a sequence
    of T steps only gets T of them.
    Poole et al. (2016) and Schoenholz et al. (2017) for deep feedforward nets; Chen, Pennington &
    Schoenholz (2018) apply it to recurrent nets (weights shared across time) and find that it predicts their
    signal propagation and trainability.

    >>> print(round(mean_field_rate(1.0, "linear", 0.0), 6), round(mean_field_rate(2.0, "relu"), 4))
    1.0 1.4142
    """
    if activation in SCALE_FREE:
        q = 1.0  # phi(cz) = c phi(z): E[phi'(sqrt(q) z)^2] is the same at every q (and q* may not exist)
    else:
        q = theory.fixed_point(scale**2, input_var, activation, q0=input_var, max_iter=max_steps)
    return float(np.sqrt(theory.chi1(scale**2, q, activation)))


@validate_params({"init": Options(RECURRENT_INITS), "scale": Real(0, 1e6), "T": Integer(2, 10_000),
                  "activation": ACTIVATION, "hidden": Integer(1, 4096), "n_seeds": Integer(1, 1000),
                  "batch_size": Integer(1, MAX_ELEMENTS), "input_std": Real(0, 1e6), "rng": RNG},
                 budget={"n_seeds, batch_size, T and hidden": (
                     lambda a: a["n_seeds"] * (a["batch_size"] * a["T"] + a["hidden"]) * a["hidden"],
                     "states and weights (n_seeds x (batch x T + hidden) x hidden)")})
def gradient_vs_time(init="gaussian", scale=1.0, T=100, *, activation="tanh", hidden=64, n_seeds=4,
                     batch_size=8, input_std=1.0, rng=0):
    """The widget's step: ||dh_T/dh_t|| (rms over ``batch_size`` sequences of N(0, input_std^2) inputs) for
    ``n_seeds`` random RNNs, and the spectrum of the first one's recurrent matrix.

    Returns a dict: ``norms`` (n_seeds, T), ``rate`` per seed (:func:`decay_rate` over all steps),
    ``predicted_rate`` (:func:`mean_field_rate`; None for the identity, which is not random),
    ``eigenvalues``, ``singular_values``, and the settings. The input weights are LeCun normal, so each
    unit's input drive has variance ``input_std^2``.

    >>> out = gradient_vs_time("orthogonal", 1.0, 50, activation="linear", n_seeds=2)
    >>> print(out["norms"].shape, np.round(out["rate"], 6))
    (2, 50) [1. 1.]
    """
    rng = make_rng(rng)
    nets = [RNN(1, hidden, 1, activation=activation, recurrent_init=init, scale=scale, input_init="lecun_normal",
                rng=rng) for _ in range(n_seeds)]
    net = RNN.stack(nets)
    x = input_std * rng.standard_normal((batch_size, T, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        norms = gradient_through_time.__wrapped__(net, x, rng=rng)
    eig, sv = spectrum.__wrapped__(nets[0].W_h)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = decay_rate.__wrapped__(np.maximum(norms, 1e-300))  # inf/nan of an explosion: reported as such
    predicted = None if init == "identity" else mean_field_rate.__wrapped__(scale, activation, input_std**2, max_steps=T)
    return {"norms": norms, "rate": rate, "predicted_rate": predicted, "eigenvalues": eig, "singular_values": sv, "init": init, "scale": scale,
            "T": T, "activation": activation, "hidden": hidden}


@dataclass
class AddingResult:
    """One configuration trained from several seeds: final test MSE per seed, the step at which each seed's
    test MSE first fell below 10% of the baseline (``nan``: never), the largest gradient norm (before
    clipping) seen by each seed, and the test-MSE curves (evals, seeds) at ``eval_steps``."""

    label: str
    final_mse: np.ndarray
    solved_at: np.ndarray
    max_grad_norm: np.ndarray
    curves: np.ndarray
    eval_steps: np.ndarray
    baseline: float

    @property
    def n_solved(self):
        return int(np.sum(np.isfinite(self.solved_at)))


class _Configs(Constraint):
    """A non-empty list (or tuple) of dicts, each with a 'label'."""

    def check(self, name, value, args):
        if not isinstance(value, (list, tuple)) or not value:
            raise TypeError(f"{name} must be a non-empty list of dicts with a 'label'; got {value!r:.60}")
        for i, cfg in enumerate(value):
            if not isinstance(cfg, dict) or "label" not in cfg:
                raise TypeError(f"{name} must be a non-empty list of dicts with a 'label'; item {i} is {cfg!r:.60}")
        return value

    def bad_values(self):
        return [None, 3, [], [1, 0], [{"init": "orthogonal"}]]


@validate_params({"configs": _Configs(), "T": Integer(2, 10_000),
                  "seeds": Sizes(min_len=1, max_len=1000, low=0, high=2**63, what="seeds"),
                  "hidden": Integer(1, 4096), "dtype": Dtype})
def train_adding_configs(configs, T, *, seeds=range(5), hidden=32, dtype=np.float32, **train_kwargs):
    """Train every configuration of ``configs`` from each of ``seeds`` on the adding problem of length ``T``.

    A configuration is a dict with ``label`` and either ``activation``, ``init``, ``scale`` (an :class:`RNN`)
    or ``forget_bias`` (an :class:`LSTM`), plus an optional ``clip`` (global norm). Networks with the same
    cell and activation train side by side as one stacked network, on the same batches; returns
    ``{label: AddingResult}``. ``train_kwargs`` go to :func:`train_adding`; one progress bar over every
    group's steps.
    """
    seeds = list(seeds)
    groups = {}
    for cfg in configs:
        key = "lstm" if "forget_bias" in cfg else cfg.get("activation", "tanh")
        groups.setdefault(key, []).append(cfg)
    results = {}
    steps = train_kwargs.get("steps", inspect.signature(train_adding).parameters["steps"].default)
    train_kwargs["progress"] = progress_bar(train_kwargs.get("progress"), len(groups) * steps, unit="step")
    for key, cfgs in groups.items():
        nets = [LSTM(2, hidden, 1, forget_bias=c["forget_bias"], dtype=dtype, rng=s) if key == "lstm" else
                RNN(2, hidden, 1, activation=key, recurrent_init=c.get("init", "orthogonal"), scale=c.get("scale", 1.0),
                    dtype=dtype, rng=s) for c in cfgs for s in seeds]
        clips = np.repeat([c.get("clip") or np.inf for c in cfgs], len(seeds))
        history = train_adding(RNN.stack(nets) if key != "lstm" else LSTM.stack(nets), T,
                               clip=None if np.all(np.isinf(clips)) else clips, **train_kwargs)
        solved = history.test_mse < 0.1 * history.baseline
        first = np.where(solved.any(axis=0), history.eval_steps[np.argmax(solved, axis=0)], np.nan)
        for k, cfg in enumerate(cfgs):
            cols = slice(k * len(seeds), (k + 1) * len(seeds))
            results[cfg["label"]] = AddingResult(cfg["label"], history.test_mse[-1, cols], first[cols],
                                                 np.nanmax(history.grad_norm[:, cols], axis=0),
                                                 history.test_mse[:, cols], history.eval_steps, history.baseline)
    return results
