"""Property-based robustness suite (issue 20): bad and extreme inputs for every public function.

Each public function in ``ik.__all__`` (and ``ik.theory``'s) is called with generated arguments: one
parameter replaced by a wrong type, an empty, negative, NaN, infinite or huge value, an unknown name, a
mismatched shape or a bad ``rng``. The call must either raise ValueError/TypeError whose message names that
parameter, or return a finite, correct result. Every call runs with warnings turned into errors and under
a time limit, so a warning or a hang fails the test. A second group feeds valid but extreme values
(stds from 1e-300 to 1e300, huge logits, tiny bounds) and checks the results' invariants.

Not fuzzed: the dataclasses that only hold results (History, Gradients, Dataset, LSUVReport, ProbeResult),
the widget view ExplorerView and the modules diagnostics, plotting, exercises and symmetry (their own
tests cover them). Counts that set an amount of work (epochs, max_iter) get small and invalid values
only: a large count is long work, not a hang. Hypothesis runs derandomized, so CI is deterministic.
"""
import contextlib
import math
import signal
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import initkit as ik
import initkit.nn.training as ik_training
from initkit import theory

SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
CALL_SECONDS = 10.0  # far above any valid call here (all use tiny sizes); a hang trips it


class Hang(Exception):
    pass


@contextlib.contextmanager
def strict(seconds=CALL_SECONDS):
    """Warnings are errors, and the block must finish within ``seconds`` (SIGALRM)."""
    def alarm(signum, frame):
        raise Hang(f"call did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fresh(value):
    """A new copy of mutable example values, so that one call cannot change the next one's input."""
    return value.copy() if isinstance(value, np.ndarray) else value


# Bad values: wrong types, empty, negative, zero, NaN, inf, huge, unknown names, odd shapes.
SPECIAL = [None, True, "", "x", "relu", float("nan"), float("inf"), float("-inf"), -1, 0, 1, 2, -0.5, 0.5, 1e-300,
           1e300, -1e300, 10**12, -(10**12), 2**64, 1j, [], [1, 2], ["a"], (), (0,), (2, -1), {}, np.array([]),
           np.array([[np.nan]]), np.ones((2, 3)), np.zeros((3,), dtype=int), np.float32(3e38), np.int64(3), object()]
BAD = st.one_of(st.sampled_from(SPECIAL), st.floats(width=64), st.integers(-3, 40), st.text(max_size=3))
SMALL_BAD = st.one_of(st.sampled_from([None, "", "x", float("nan"), float("inf"), -1, 0, -0.5, 1.5, [], 1j]),
                      st.integers(-3, 3))  # for counts that set an amount of work


def _values(result):
    """Every number in a result (arrays, floats, lists, tuples, dicts, objects with __dict__)."""
    if isinstance(result, (bool, np.bool_)) or result is None or isinstance(result, str):
        return
    if isinstance(result, (int, float, np.number)):
        yield float(result)
    elif isinstance(result, np.ndarray):
        if np.issubdtype(result.dtype, np.number):
            yield from result.astype(np.float64).ravel()
    elif isinstance(result, dict):
        for v in result.values():
            yield from _values(v)
    elif isinstance(result, (list, tuple)):
        for v in result:
            yield from _values(v)


def assert_finite(result):
    values = np.fromiter(_values(result), dtype=np.float64)
    assert np.isfinite(values).all(), f"non-finite values in {result!r:.300}"


def call(fn, kwargs, param, aliases=()):
    """Call ``fn(**kwargs)`` strictly. Returns (result, True), or (None, False) after a ValueError/TypeError
    whose message names ``param`` (or one of ``aliases``)."""
    try:
        with strict():
            return fn(**kwargs), True
    except (ValueError, TypeError) as err:
        names = (param, *aliases)
        assert any(n in str(err) for n in names), f"{param}={kwargs.get(param)!r:.80}: {type(err).__name__}: {err}"
        return None, False


def non_finite(value):
    try:
        arr = np.asarray(value)
        return np.issubdtype(arr.dtype, np.number) and not np.isfinite(arr).all()
    except (TypeError, ValueError):
        return False


def fuzz(fn, base, params, check=assert_finite, aliases=None, bad=BAD, examples=40, propagates=False):
    """A hypothesis test: ``fn(**base)`` with one of ``params`` replaced by a bad value.

    ``propagates``: an array primitive (softmax, an activation, a forward pass) given NaN or inf may return
    NaN or inf, as numpy does; it must still not warn.
    """
    aliases = aliases or {}

    @settings(max_examples=examples, **SETTINGS)
    @given(param=st.sampled_from(params), value=bad)
    def test(param, value):
        kwargs = {k: fresh(v) for k, v in base().items()}
        kwargs[param] = fresh(value)
        result, ok = call(fn, kwargs, param, aliases.get(param, ()))
        if ok and not (propagates and non_finite(value)):
            with strict():
                check(result) if check.__code__.co_argcount == 1 else check(result, kwargs)

    return test


# ----------------------------------------------------------------------------------------------------------
# Wrong values, one parameter at a time.

def _weight(result, kwargs):
    shape = kwargs["shape"] if isinstance(kwargs["shape"], tuple) else (kwargs["shape"],)
    assert result.shape == tuple(int(d) for d in shape) and result.dtype.kind == "f"
    assert_finite(result)


SHAPED = {"shape": (4, 3), "rng": 0}
INIT_CASES = [
    (ik.variance_scaling, {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"},
     ["shape", "scale", "mode", "distribution", "rng", "dtype"]),
    (ik.he_normal, {"mode": "fan_out", "negative_slope": 0.1}, ["shape", "mode", "negative_slope", "rng", "dtype"]),
    (ik.he_uniform, {}, ["shape", "negative_slope", "rng", "dtype"]),
    (ik.glorot_normal, {}, ["shape", "rng", "dtype"]), (ik.glorot_uniform, {}, ["shape", "rng", "dtype"]),
    (ik.lecun_normal, {}, ["shape", "rng", "dtype"]), (ik.lecun_uniform, {}, ["shape", "rng", "dtype"]),
    (ik.random_normal, {"mean": 0.1, "std": 0.5}, ["shape", "mean", "std", "rng", "dtype"]),
    (ik.random_uniform, {"low": -1.0, "high": 2.0}, ["shape", "low", "high", "rng", "dtype"]),
    (ik.truncated_normal, {"std": 0.5, "bound": 1.5}, ["shape", "mean", "std", "bound", "rng", "dtype"]),
    (ik.zeros, {}, ["shape", "dtype"]), (ik.ones, {}, ["shape", "dtype"]),
    (ik.constant, {"value": 0.3}, ["shape", "value", "dtype"]),
    (ik.orthogonal, {"gain": 2.0}, ["shape", "gain", "rng", "dtype"]),
    (ik.identity, {"gain": 2.0}, ["shape", "gain", "dtype"]),
]


@pytest.mark.parametrize("fn, extra, params", INIT_CASES, ids=[c[0].__name__ for c in INIT_CASES])
def test_initializers_refuse_or_return_a_finite_weight(fn, extra, params):
    fuzz(fn, lambda: {**SHAPED, **extra}, params, check=_weight, examples=80,
         aliases={"low": ["high"], "high": ["low"], "mean": ["std"], "std": ["mean"]})()


def _net():
    return ik.MLP([3, 4, 2], activation="tanh", rng=0)


def _data():
    X = np.random.default_rng(0).normal(size=(12, 3))
    return X, (X[:, 0] > 0).astype(int)


FUZZ_CASES = {
    "get_activation": (ik.get_activation, lambda: {"activation": "relu"}, ["activation"], None, {}),
    "Activation params": (lambda negative_slope: ik.Activation("leaky_relu", negative_slope=negative_slope),
                          lambda: {"negative_slope": 0.2}, ["negative_slope"], None, {}),
    "activation call": (lambda name, z: (ik.get_activation(name)(z), ik.get_activation(name).derivative(z)),
                        lambda: {"name": "gelu", "z": np.linspace(-3, 3, 7)}, ["name", "z"], None,
                        {"name": ["activation"]}),
    "compute_fans": (ik.compute_fans, lambda: {"shape": (3, 3, 4, 5)}, ["shape"], None, {}),
    "calculate_gain": (ik.calculate_gain, lambda: {"nonlinearity": "leaky_relu", "param": 0.2},
                       ["nonlinearity", "param"], None, {}),
    "gain_for": (ik.gain_for, lambda: {"activation": "tanh"}, ["activation"], None, {}),
    "second_moment": (ik.second_moment, lambda: {"activation": "relu", "q": 2.0}, ["activation", "q"], None, {}),
    "gaussian_expectation": (ik.gaussian_expectation, lambda: {"f": np.square, "n": 20}, ["f", "n"], None, {}),
    "truncated_normal_std": (ik.truncated_normal_std, lambda: {"bound": 2.0}, ["bound"], None, {}),
    "get_initializer": (ik.get_initializer, lambda: {"init": "he_normal"}, ["init"], lambda r: callable(r), {}),
    "get_loss": (ik.get_loss, lambda: {"loss": "mse"}, ["loss"], lambda r: callable(r), {}),
    "softmax": (ik.softmax, lambda: {"logits": np.array([[1.0, 2.0, 3.0]])}, ["logits"], None, {}),
    "softmax_cross_entropy": (ik.softmax_cross_entropy, lambda: {"logits": np.ones((3, 4)), "y": np.array([0, 3, 1])},
                              ["logits", "y"], None, {"logits": ["y"], "y": ["logits"]}),
    "sigmoid_binary_cross_entropy": (ik.sigmoid_binary_cross_entropy,
                                     lambda: {"logits": np.ones((3, 1)), "y": np.array([0, 1, 1])},
                                     ["logits", "y"], None, {"logits": ["y"], "y": ["logits"]}),
    "mean_squared_error": (ik.mean_squared_error, lambda: {"outputs": np.ones((3, 2)), "y": np.zeros((3, 2))},
                           ["outputs", "y"], None, {"outputs": ["logits", "y"], "y": ["logits"]}),
    "Dense": (ik.Dense, lambda: {"fan_in": 3, "fan_out": 2, "activation": "relu", "init": "he_normal",
                                 "bias_init": "zeros", "norm": None, "dtype": np.float32, "rng": 0},
              ["fan_in", "fan_out", "activation", "init", "bias_init", "norm", "dtype", "rng"],
              lambda r: assert_finite([r.W, r.b]), {"fan_in": ["fan_out"], "fan_out": ["fan_in"]}),
    "MLP": (ik.MLP, lambda: {"sizes": [3, 4, 2], "activation": "tanh", "init": "glorot_uniform", "bias_init": "zeros",
                             "output_activation": "linear", "norm": "batch", "dtype": np.float64, "rng": 0},
            ["sizes", "activation", "init", "bias_init", "output_activation", "norm", "dtype", "rng"],
            lambda r: assert_finite(r.parameters()), {}),
    "MLP.forward": (lambda x: _net().forward(x), lambda: {"x": np.ones((5, 3))}, ["x"], None, {}),
    "MLP.backward": (lambda grad_output: _forwarded().backward(grad_output), lambda: {"grad_output": np.ones((5, 2))},
                     ["grad_output"], lambda r: assert_finite([r.dW, r.db]), {}),
    "SGD": (ik.SGD, lambda: {"lr": 0.1, "momentum": 0.5}, ["lr", "momentum"], lambda r: None, {}),
    "Adam": (ik.Adam, lambda: {"lr": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8}, ["lr", "beta1", "beta2", "eps"],
             lambda r: None, {}),
    "get_optimizer": (ik.get_optimizer, lambda: {"optimizer": "adam"}, ["optimizer"], lambda r: None, {}),
    "optimizer step": (lambda params, grads: ik.Adam().step(params, grads),
                       lambda: {"params": [np.ones(3)], "grads": [np.ones(3)]}, ["params", "grads"], None,
                       {"params": ["grads"], "grads": ["params"]}),
    "accuracy": (ik.accuracy, lambda: {"outputs": np.eye(3), "y": np.array([0, 1, 1])}, ["outputs", "y"],
                 lambda r: 0 <= r <= 1, {}),
    "layer_records": (ik.layer_records, lambda: {"net": _trained()}, ["net"], None, {}),
    "relative_error": (ik.relative_error, lambda: {"a": np.ones(3), "b": np.zeros(3)}, ["a", "b"], None,
                       {"a": ["b"], "b": ["a"]}),
    "numerical_gradient": (ik.numerical_gradient, lambda: {"f": lambda: 1.0, "x": np.ones(3), "h": 1e-6},
                           ["f", "x", "h"], None, {}),
    "gradient_check": (ik.gradient_check, lambda: {"net": _net(), "x": np.ones((4, 3)), "y": np.array([0, 1, 1, 0]),
                                                   "loss": "softmax_cross_entropy", "h": 1e-6},
                       ["net", "x", "y", "loss", "h"], None, {"y": ["logits"]}),
    "fixed_histogram": (ik.fixed_histogram, lambda: {"a": np.linspace(-4, 4, 9), "low": -1.0, "high": 1.0, "bins": 4},
                        ["a", "low", "high", "bins"], None, {"low": ["high"], "high": ["low"]}),
    "histogram_edges": (ik.histogram_edges, lambda: {"low": -1.0, "high": 1.0, "bins": 4, "dtype": np.float32},
                        ["low", "high", "bins"], None, {"low": ["high"], "high": ["low"]}),
    "load_dataset": (ik.load_dataset, lambda: {"name": "moons", "n_samples": 40, "noise": 0.1, "test_size": 0.25,
                                               "factor": 0.5, "rng": 0},
                     ["name", "n_samples", "noise", "test_size", "factor", "standardize", "rng"],
                     lambda r: assert_finite([r.X_train, r.X_test]), {"n_samples": ["test_size"]}),
    "probe": (ik.probe, lambda: {"depth": 3, "width": 8, "activation": "tanh", "init": "lecun_normal", "weight_std": 0.3,
                                 "gain": 1.0, "bias_std": 0.1, "n_samples": 20, "dtype": np.float32, "bins": 10,
                                 "hist_layers": [1, 3], "rng": 0},
              ["depth", "width", "activation", "init", "weight_std", "gain", "bias_std", "x", "n_samples", "dtype",
               "bins", "hist_layers", "weight_grads", "rng"], lambda r: _probe_ok(r), {"depth": ["hist_layers"]}),
    "probe(net)": (ik.probe, lambda: {"net": _net(), "x": np.ones((6, 3)), "bins": 5, "hist_layers": [2], "rng": 1},
                   ["net", "x", "bins", "hist_layers", "rng"], lambda r: _probe_ok(r), {}),
    "explore": (ik.explore, lambda: {"weight_std": 0.3, "depth": 3, "width": 8, "activation": "relu",
                                     "init": "he_normal", "bias_std": 0.0, "n_samples": 10, "n_hist": 2, "rng": 0},
                ["weight_std", "depth", "width", "activation", "init", "bias_std", "n_samples", "n_hist", "dtype",
                 "rng"], lambda r: _probe_ok(r[0]), {}),
    "explore_fans": (ik.explore_fans, lambda: {"mode": "fan_avg", "wide": 8, "narrow": 4, "depth": 3,
                                               "activation": "linear", "scale": 1.0, "n_samples": 10, "n_hist": 2,
                                               "rng": 0},
                     ["mode", "wide", "narrow", "depth", "activation", "scale", "n_samples", "n_hist", "rng"],
                     lambda r: _probe_ok(r[0]), {}),
    "theory.predict": (theory.predict, lambda: {"sizes": [4, 5, 6], "activation": "tanh", "weight_var": 0.3,
                                                "bias_var": 0.01, "input_m2": 1.0},
                       ["sizes", "activation", "weight_var", "bias_var", "input_m2"], lambda r: _prediction_ok(r), {}),
    "theory.predict(init)": (theory.predict, lambda: {"sizes": [4, 5, 6], "init": "he_normal", "gain": 1.5},
                             ["init", "gain"], lambda r: _prediction_ok(r), {}),
    "theory.weight_variance": (theory.weight_variance, lambda: {"init": "orthogonal", "fan_in": 3, "fan_out": 4,
                                                                 "gain": 2.0},
                               ["init", "fan_in", "fan_out", "gain"], None, {}),
    "theory.linear_variance": (theory.linear_variance, lambda: {"sizes": [3, 4], "weight_var": 0.5, "input_var": 1.0},
                               ["sizes", "weight_var", "input_var"], lambda r: _no_nan(r), {}),
    "theory.chi1": (theory.chi1, lambda: {"weight_var_n": 1.5, "q": 0.7, "activation": "tanh"},
                    ["weight_var_n", "q", "activation"], None, {}),
    "theory.std_for": (theory.std_for, lambda: {"init": "he_uniform", "shape": (3, 4), "gain": 1.0},
                       ["init", "shape", "gain"], None, {}),
    "lsuv": (ik.lsuv, lambda: {"net": _net(), "x": np.random.default_rng(0).normal(size=(8, 3))}, ["net"],
             lambda r: assert_finite(r.column("var_after")), {}),
    "pretrained_mlp": (ik.pretrained_mlp, lambda: {"sizes": [3, 4, 2], "X": np.ones((6, 3)), "epochs": 1},
                       ["sizes"], None, {}),
}
WORK_CASES = {  # counts that set an amount of work: small and invalid values only
    "fit": (lambda **kw: ik.fit(**{"net": _net(), "X": _data()[0], "y": _data()[1], **kw}),
            lambda: {"epochs": 2, "batch_size": 4, "lr": 0.1, "momentum": 0.5, "snapshot_every": 1,
                     "divergence_factor": 100.0, "rng": 0},
            ["epochs", "batch_size", "snapshot_every"], lambda r: _history_ok(r), {}),
    "theory.fixed_point": (theory.fixed_point, lambda: {"weight_var_n": 1.5, "activation": "tanh", "max_iter": 5},
                           ["max_iter"], None, {}),
}
FIT_CASES = {
    "fit": (lambda **kw: ik.fit(**{"epochs": 2, "batch_size": 4, **kw}),
            lambda: {"net": _net(), "X": _data()[0], "y": _data()[1], "X_test": _data()[0], "y_test": _data()[1],
                     "loss": "softmax_cross_entropy", "optimizer": "sgd", "lr": 0.1, "momentum": 0.5,
                     "divergence_factor": 100.0, "rng": 0},
            ["net", "X", "y", "X_test", "y_test", "loss", "optimizer", "lr", "momentum", "divergence_factor", "rng"],
            lambda r: _history_ok(r), {"X": ["y"], "y": ["X"], "X_test": ["y_test"], "y_test": ["X_test"],
                                        "lr": ["optimizer"], "momentum": ["optimizer"]}),
}


def _forwarded():
    net = _net()
    net.forward(np.ones((5, 3)))
    return net


def _trained():
    net = _forwarded()
    net.backward(np.ones((5, 2)))
    return net


def _probe_ok(result):
    """Records hold numbers; the layers before an explosion are finite; histograms count every value."""
    ok = slice(None, None if result.exploded_at is None else result.exploded_at - 1)
    for key in ("act_std", "pre_std", "saturation", "dead"):
        values = result.column(key)[ok]
        assert np.isfinite(values).all() and (values >= 0).all(), (key, values)
    assert (result.act_hist >= 0).all() and (result.grad_hist >= 0).all()


def _no_nan(values):
    values = np.asarray(values, dtype=np.float64)
    assert not np.isnan(values).any() and (values >= 0).all(), values


def _prediction_ok(p):
    """Forward predictions overflow to inf (documented) but are never NaN or negative."""
    _no_nan(p.pre_var)
    _no_nan(p.act_m2)


def _history_ok(history):
    """A run either diverged with a reason, or all its losses are finite."""
    if history.diverged:
        assert history.diverged_reason and 1 <= history.diverged_at <= history.steps
    else:
        assert_finite([history.step_loss, history.train_loss, history.train_acc])


# Array primitives: NaN or inf in, NaN or inf out (without a warning), like numpy.
PROPAGATES = {"activation call", "softmax", "softmax_cross_entropy", "sigmoid_binary_cross_entropy",
              "mean_squared_error", "MLP.forward", "MLP.backward", "relative_error", "optimizer step"}


def _case(cases, name, bad):
    fn, base, params, check, aliases = cases[name]
    return fuzz(fn, base, params, check=check or assert_finite, aliases=aliases, bad=bad, examples=120,
                propagates=name in PROPAGATES)


@pytest.mark.parametrize("name", sorted(FUZZ_CASES))
def test_public_functions_refuse_bad_values_by_name(name):
    _case(FUZZ_CASES, name, BAD)()


@pytest.mark.parametrize("name", sorted(WORK_CASES))
def test_work_counts_refuse_bad_values_by_name(name):
    _case(WORK_CASES, name, SMALL_BAD)()


def test_fit_refuses_bad_values_by_name():
    _case(FIT_CASES, "fit", BAD)()


# ----------------------------------------------------------------------------------------------------------
# Valid but extreme values: correct, finite results.

LOG_SCALES = st.floats(-300, 300).map(lambda e: 10.0**e)
SHAPES = st.lists(st.integers(1, 6), min_size=2, max_size=4).map(tuple)


@settings(max_examples=60, **SETTINGS)
@given(shape=SHAPES, scale=LOG_SCALES, mode=st.sampled_from(["fan_in", "fan_out", "fan_avg"]),
       distribution=st.sampled_from(["normal", "truncated_normal", "uniform"]),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_variance_scaling_at_any_scale_is_finite_and_bounded(shape, scale, mode, distribution, dtype):
    result, ok = call(ik.variance_scaling, dict(shape=shape, scale=scale, mode=mode, distribution=distribution,
                                                rng=0, dtype=dtype), "scale")
    if ok:
        fan_in, fan_out = ik.compute_fans(shape)
        std = math.sqrt(scale / {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode])
        reach = {"normal": 10.0, "truncated_normal": 2 / ik.TRUNCATED_NORMAL_STD_2, "uniform": math.sqrt(3)}
        assert result.shape == shape and result.dtype == dtype and np.isfinite(result).all()
        assert np.abs(result).max() <= reach[distribution] * std * (1 + 1e-6)


@settings(max_examples=60, **SETTINGS)
@given(bound=st.floats(-30, 3).map(lambda e: 10.0**e), std=LOG_SCALES, n=st.integers(1, 50))
def test_truncated_normal_respects_any_bound_quickly(bound, std, n):
    result, ok = call(ik.truncated_normal, dict(shape=(n,), std=std, bound=bound, rng=1), "std")
    if ok:
        assert np.isfinite(result).all() and np.abs(result).max() <= std * bound * (1 + 1e-12)
        s = ik.truncated_normal_std(bound)
        assert 0 < s <= min(1.0, bound / math.sqrt(3)) * (1 + 1e-12)


@settings(max_examples=60, **SETTINGS)
@given(scale=LOG_SCALES, sign=st.sampled_from([-1.0, 1.0]), c=st.integers(1, 5), n=st.integers(1, 6))
def test_losses_and_softmax_are_finite_for_huge_logits(scale, sign, c, n):
    logits = sign * scale * np.random.default_rng(c * n).standard_normal((n, c))
    with strict():
        p = ik.softmax(logits)
        assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1.0)
        loss, grad = ik.softmax_cross_entropy(logits, np.arange(n) % c)
        assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
        loss, grad = ik.sigmoid_binary_cross_entropy(logits[:, :1], np.arange(n) % 2)
        assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()


@settings(max_examples=60, **SETTINGS)
@given(name=st.sampled_from(sorted(ik.ACTIVATIONS)), z=st.lists(st.floats(allow_nan=False), min_size=1, max_size=8),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_activations_and_derivatives_are_finite_for_any_finite_input(name, z, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cast of huge float64 values to float32 may overflow: not ours
        z = np.asarray(z).astype(dtype)
    act = ik.get_activation(name)
    with strict():
        value, slope = act(z), act.derivative(z)
    finite = np.isfinite(z)
    assert value.shape == z.shape and value.dtype == dtype and np.isfinite(slope).all()
    assert np.isfinite(value[finite]).all() or name in ("linear", "leaky_relu", "relu", "elu", "selu", "gelu",
                                                        "softplus", "swish")


@settings(max_examples=40, **SETTINGS)
@given(weight_std=st.floats(-30, 30).map(lambda e: 10.0**e), activation=st.sampled_from(sorted(ik.ACTIVATIONS)),
       init=st.sampled_from(["lecun_normal", "he_uniform", "orthogonal", "truncated_normal", "zeros"]),
       dtype=st.sampled_from([np.float32, np.float64]), depth=st.integers(1, 6))
def test_probe_reports_any_weight_scale_without_warnings(weight_std, activation, init, dtype, depth):
    result, ok = call(ik.probe, dict(depth=depth, width=8, activation=activation, init=init, weight_std=weight_std,
                                     n_samples=16, dtype=dtype, bins=8, rng=0), "weight_std")
    if ok:
        _probe_ok(result)
        if activation in ("tanh", "linear", "leaky_relu", "elu", "selu") and init != "zeros":
            # phi(0) = 0, phi'(0) > 0: a layer is all exactly 0 (vanished) or its std is positive, however
            # small (float32 squares underflow below 1e-19; the moments must not)
            last = result.depth if result.exploded_at is None else result.exploded_at - 1
            first_zero = result.vanished_at or last + 1
            assert (result.column("act_std")[:min(first_zero, last + 1) - 1] > 0).all()


@settings(max_examples=25, **SETTINGS)
@given(lr=st.floats(-8, 8).map(lambda e: 10.0**e), optimizer=st.sampled_from(["sgd", "adam"]),
       std=st.floats(-3, 3).map(lambda e: 10.0**e), norm=st.sampled_from([None, "batch"]))
def test_fit_at_any_learning_rate_trains_or_reports_divergence(lr, optimizer, std, norm):
    X, y = _data()
    net = ik.MLP([3, 8, 2], init=ik.get_initializer("random_normal", std=std), norm=norm, rng=0)
    with strict():
        history = ik.fit(net, X, y, optimizer=optimizer, lr=lr, epochs=3, batch_size=4, rng=0)
    _history_ok(history)
    if history.diverged:
        loss = history.step_loss[-1]
        assert not np.isfinite(loss) or loss > ik_training.DIVERGENCE_FACTOR * np.log(2)


@settings(max_examples=40, **SETTINGS)
@given(sizes=st.lists(st.integers(1, 50), min_size=2, max_size=6), weight_var=st.floats(-20, 20).map(lambda e: 10.0**e),
       activation=st.sampled_from(sorted(ik.ACTIVATIONS)))
def test_theory_predictions_never_warn_and_never_give_nan_forward(sizes, weight_var, activation):
    with strict():
        p = theory.predict(sizes, activation, weight_var=weight_var)
    assert not np.isnan(p.pre_var).any() and (p.pre_var >= 0).all()


@settings(max_examples=40, **SETTINGS)
@given(test_size=st.floats(0.0, 1.0), n_samples=st.integers(4, 60), name=st.sampled_from(["moons", "spiral", "xor"]))
def test_load_dataset_splits_are_never_empty(test_size, n_samples, name):
    result, ok = call(ik.load_dataset, dict(name=name, n_samples=n_samples, test_size=test_size, rng=0), "test_size")
    if ok:
        assert len(result.X_train) >= 2 and len(result.X_test) >= 1
        assert np.isfinite(result.X_train).all() and np.isfinite(result.X_test).all()


@settings(max_examples=40, **SETTINGS)
@given(low=st.floats(-1e6, 1e6), width=LOG_SCALES, bins=st.integers(1, 30),
       values=st.lists(st.floats(allow_nan=True), max_size=20))
def test_fixed_histogram_counts_every_value_once(low, width, bins, values):
    result, ok = call(ik.fixed_histogram, dict(a=np.array(values, dtype=np.float64), low=low, high=low + width,
                                               bins=bins), "high", ("low", "a"))  # NaN/inf in a: refused
    if ok:
        assert result.sum() == len(values) and (result >= 0).all()


ALL_CASES = {**FUZZ_CASES, **{f"work: {k}": v for k, v in WORK_CASES.items()}, "fit (all arguments)": FIT_CASES["fit"]}


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_every_baseline_call_is_valid(name):
    # The fuzz tests above would pass vacuously if the unmodified call already failed.
    fn, base, params, check, aliases = ALL_CASES[name]
    with strict():
        result = fn(**base())
        (check or assert_finite)(result)
