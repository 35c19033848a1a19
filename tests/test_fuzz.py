"""Every public callable is fuzzed from its own declared constraints (issue 26), so none can escape.

The public callables are the names of ``ik.__all__`` and the public functions and classes of the submodules
it lists (theory, mean_field, diagnostics, ...). Each must declare its parameters' constraints with
``validate_params`` (``fn.__constraints__``; for a class, on ``__init__``) or appear in :data:`EXEMPT` with a
reason. For each declared one, hypothesis replaces one argument of a valid call (``tools/fuzz_bases.py``) by a
value its constraint lists as bad (``bad_values()``: wrong type, NaN, inf, negative, zero, huge, bool for
int, str for number, wrong dtype, wrong shape, complex) and asserts a ValueError or TypeError naming that
argument, within a CPU-time bound: the refusal happens at the boundary, before any work. ``-m slow`` runs every
(argument, bad value) pair instead of a sample. ``tests/test_robustness.py`` keeps the checks of results
(valid but extreme values give correct, finite answers).
"""
import contextlib
import inspect
import signal
import sys
import types
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import initkit as ik

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from fuzz_bases import BASES, resolve  # noqa: E402

sys.path.pop(0)

SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
CPU_SECONDS = 2.0  # a refusal costs microseconds; anything near this is work done before checking

RECORD = "a dataclass that holds results"
VIEW = "a matplotlib view: it draws what the checked functions computed"
PRIMITIVE = ("an array primitive called on every training step: it propagates NaN/inf like numpy and checks "
             "shapes inline (a boundary check per step would re-validate inner paths)")
EXEMPT = {
    # records
    **{name: RECORD for name in ("Gradients", "History", "ManyHistory", "SeedsHistory", "TokenBatch", "TokenRuns",
                                 "LSUVReport", "ResidualProfile", "ProbeResult", "SignalRecord", "SequenceBatch",
                                 "SequenceHistory", "AddingResult", "Dataset", "InitSpec", "ResidualScheme",
                                 "theory.Prediction")},
    # views
    **{name: VIEW for name in ("ExplorerView", "plotting.ExplorerView", "plotting.PlaygroundView",
                               "plotting.SymmetryView", "plotting.LSUVView", "plotting.DigitsView",
                               "plotting.SignalView", "plotting.ResidualView", "plotting.TransformerView",
                               "plotting.WidthView", "plotting.RecurrentView", "plotting.ConvView")},
    **{name: "a plot function: it draws a record computed (and checked) by initkit" for name in (
        "plotting.plot_histograms", "plotting.plot_std_by_layer", "plotting.plot_gradient_by_layer",
        "plotting.plot_fractions", "plotting.plot_weight_histograms", "plotting.plot_history",
        "plotting.plot_decision_boundary", "plotting.plot_snapshot_stat", "plotting.plot_phase_diagram",
        "plotting.plot_trainability", "plotting.plot_singular_values", "plotting.plot_profiles",
        "plotting.plot_saturation", "plotting.plot_stream", "plotting.plot_rank_collapse",
        "plotting.plot_layer_gradients", "plotting.plot_token_runs", "plotting.plot_lr_sweep",
        "plotting.plot_coordinate_check", "plotting.plot_width_comparison")},
    **{name: PRIMITIVE for name in ("softmax", "softmax_cross_entropy", "sigmoid_binary_cross_entropy",
                                    "mean_squared_error", "relative_error", "numerical_gradient")},
    "Activation": "checked inline (a class whose callers pass a name or an Activation): its message says 'activation name'",
    "exercises.check": "grades a learner's function: its errors are feedback, tested in tests/lessons",
    "exercises.evaluate": "grades a learner's function: its errors are feedback, tested in tests/lessons",
    "theory.check_sizes": "a checker itself (it writes the message for sizes)",
    "theory.check_weight_var": "a checker itself (it writes the message for weight_var)",
    "theory.known_variance": "takes no argument",
    "exercises.exercise_modules": "takes no argument",
    "symmetry.unit_symmetry": "reports non-finite weights as the lesson (rank 'undefined'), as the widget shows a diverged run",
    # other engineers' modules this round
}
# Parameters that every function taking them must declare (the ones the fuzz of issue 26 broke most).
COMMON = {"rng", "dtype", "depth", "width", "n_blocks", "n_samples", "n_seeds", "T", "epochs", "steps", "d", "x", "X"}


def public_callables():
    """(name, object) for every public callable: ``ik.__all__`` and its submodules' own functions and classes."""
    for name in ik.__all__:
        obj = getattr(ik, name)
        if isinstance(obj, types.ModuleType):
            names = getattr(obj, "__all__", None) or [n for n in vars(obj) if not n.startswith("_")]
            for sub in names:
                member = getattr(obj, sub)
                if (inspect.isfunction(member) or inspect.isclass(member)) and \
                        member.__module__.startswith(obj.__name__):
                    yield f"{name}.{sub}", member
        elif callable(obj):
            yield name, obj


def constraints_of(obj):
    return getattr(obj.__init__ if inspect.isclass(obj) else obj, "__constraints__", None)


CALLABLES = dict(public_callables())
DECLARED = sorted(name for name, obj in CALLABLES.items() if constraints_of(obj))


def test_every_public_callable_declares_its_constraints_or_is_exempt():
    missing = sorted(name for name, obj in CALLABLES.items() if not constraints_of(obj) and name not in EXEMPT)
    assert not missing, f"declare constraints (validate_params) or exempt with a reason: {missing}"


def test_exemptions_are_current():
    stale = sorted(name for name in EXEMPT if name not in CALLABLES or constraints_of(CALLABLES[name]))
    assert not stale, f"remove from EXEMPT (gone, or declared now): {stale}"


@pytest.mark.parametrize("name", DECLARED)
def test_common_parameters_are_declared(name):
    obj = CALLABLES[name]
    params = set(inspect.signature(obj.__init__ if inspect.isclass(obj) else obj).parameters)
    assert not (params & COMMON) - set(constraints_of(obj)), sorted((params & COMMON) - set(constraints_of(obj)))


@contextlib.contextmanager
def cpu_limit(seconds=CPU_SECONDS):
    def stop(signum, frame):
        raise TimeoutError(f"over {seconds} CPU s: work was done before the arguments were checked")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def cases(name):
    return [(param, value) for param, c in constraints_of(CALLABLES[name]).items() for value in c.bad_values()]


def refuses(name, param, value):
    kwargs = BASES[name]()
    kwargs[param] = value
    with cpu_limit(), pytest.raises((ValueError, TypeError)) as err:
        result = resolve(name)(**kwargs)
        if hasattr(result, "__next__"):  # a generator must refuse when called, not at its first next()
            pytest.fail(f"{name}({param}={value!r:.60}) returned a generator")
    assert param in str(err.value), f"{name}({param}={value!r:.60}): {type(err.value).__name__}: {err.value}"


def test_every_declared_callable_has_a_valid_base_call():
    assert not [name for name in DECLARED if name not in BASES]


@pytest.mark.parametrize("name", DECLARED)
def test_bad_arguments_are_refused_by_name_at_the_boundary(name):
    all_cases = cases(name)

    @settings(max_examples=min(len(all_cases), 12), **SETTINGS)
    @given(case=st.sampled_from(all_cases))
    def run(case):
        refuses(name, *case)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("name", DECLARED)
def test_every_bad_argument_is_refused_by_name(name):
    for param, value in cases(name):
        refuses(name, param, value)


def test_base_calls_are_valid():
    # The fuzz above would pass vacuously if the unmodified call already failed.
    for name in DECLARED:
        with cpu_limit(30.0):
            result = resolve(name)(**BASES[name]())
            if hasattr(result, "__next__"):
                next(result)


def test_a_hang_or_a_huge_allocation_is_refused_by_name():
    # Issue 26: these ran until killed or reached numpy's MemoryError.
    for call, param in [(lambda: ik.Transformer(10, n_blocks=10**9), "n_blocks"),
                        (lambda: ik.residual_stream(depth=10**9), "depth"),
                        (lambda: ik.rank_collapse(depth=10**9), "depth"),
                        (lambda: ik.layer_gradient_norms(n_blocks=10**9), "n_blocks"),
                        (lambda: ik.gradient_vs_time(n_seeds=10**9), "n_seeds"),
                        (lambda: ik.LayerNorm(10**9), "d"), (lambda: ik.token_task(n=10**9), "n"),
                        (lambda: ik.uniform_entropy(10**9), "T"), (lambda: ik.probe(depth=10**9), "depth"),
                        (lambda: ik.probe(width=10**5), "depth and width")]:
        with cpu_limit(), pytest.raises(ValueError, match=param):
            call()


def test_values_of_another_kind_are_refused():
    # Issue 26: flags took 'yes' and 2; counts took strings; rng took 'abc'.
    for call, param in [(lambda: ik.uniform_entropy(8, causal="yes"), "causal"),
                        (lambda: ik.MultiHeadAttention(4, causal=2), "causal"),
                        (lambda: ik.init_stds("gpt2", 8, 2, vocab_size="4"), "vocab_size"),
                        (lambda: ik.init_stds("gpt2", 8, 2, d_ff=-3), "d_ff"),
                        (lambda: ik.adding_problem(4, 6, dtype="int32"), "dtype"),
                        (lambda: ik.copying_memory(2, 3, dtype="float16"), "dtype"),
                        (lambda: ik.histogram_edges(0.0, 1.0, 4, dtype="int32"), "dtype"),
                        (lambda: ik.token_task(rng="abc"), "rng")]:
        with cpu_limit(), pytest.raises((ValueError, TypeError), match=param):
            call()


@pytest.mark.parametrize("call, param", [
    (lambda: ik.width_init_scales(ik.load_dataset("xor", n_samples=40, rng=0), [4, 8], n_probe=-3), "n_probe"),
    (lambda: ik.width_init_scales(ik.load_dataset("xor", n_samples=40, rng=0), [4, 8], n_probe=1), "n_probe"),
    (lambda: ik.lr_sweep(ik.load_dataset("xor", n_samples=40, rng=0), [], [0.0]), "widths"),
    (lambda: ik.build_net(hidden=[4, 0]), "hidden"),
    (lambda: ik.decay_rate(None), "norms"), (lambda: ik.rank_collapse(d=0), "d"),
    (lambda: ik.residual_profile(alpha=1e300), "alpha"),
    (lambda: ik.residual_stream(logit_factor=1e300), "logit_factor"),
    (lambda: ik.signal_step(weight_var_n=1e300), "weight_var_n"),
    (lambda: ik.input_pairs(2, 4, 0.5, q0=-1.0), "q0"),
    (lambda: ik.train_digits("foo"), "choice"),
    (lambda: ik.train_token_task(n_blocks=10**9), "n_blocks"),
    (lambda: ik.mean_field.critical_weight_var(bias_var=float("nan")), "bias_var"),
    (lambda: ik.mean_field.critical_weight_var(high=-1.0), "high"),
    (lambda: ik.mean_field.length_map(-1.0, 1.5), "q"),
    (lambda: ik.mean_field.depth_scales(1.5, bias_var=-1.0), "bias_var"),
    (lambda: ik.theory.predict([4, 4], weight_var=1.0, gain=float("nan")), "gain"),
    (lambda: ik.zeros((2, 2), rng="abc"), "rng"),
    (lambda: ik.attention_entropy(np.full((2, 4), np.nan)), "probs"),
    (lambda: ik.jacobian(None, np.ones((2, 3))), "net"),
    (lambda: ik.diagnostics.initial_loss_check(ik.MLP([3, 2], rng=0), np.ones((4, 3)), np.array([0, 1, 0, 1]),
                                               tolerance=-1), "tolerance"),
])
def test_issue_26_examples_name_the_argument_passed(call, param):
    with cpu_limit(), pytest.raises((ValueError, TypeError)) as err:
        call()
    assert param in str(err.value), str(err.value)
    assert "sizes" not in str(err.value) and "min() arg" not in str(err.value)
