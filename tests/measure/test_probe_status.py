"""ProbeResult.status(): one sentence that names every problem a probe shows, with documented thresholds."""
import numpy as np
import pytest

import initkit as ik
from initkit.measure.probe import ProbeResult


def synthetic(act_std, da_std=None, saturation=0.0, dead=0.0, **flags):
    """A ProbeResult whose records hold exactly the given per-layer values (scalars are broadcast)."""
    depth = len(act_std)
    columns = {"act_std": act_std, "da_std": da_std if da_std is not None else [1.0] * depth,
               "saturation": np.broadcast_to(saturation, depth), "dead": np.broadcast_to(dead, depth)}
    records = [{"layer": l + 1, **{k: float(v[l]) for k, v in columns.items()}} for l in range(depth)]
    empty = np.zeros((0, 1))
    return ProbeResult(records, empty, empty, empty, empty, [], **flags)


def test_healthy_network_is_called_healthy():
    assert synthetic([1.0, 0.5, 0.3], [0.2, 0.5, 1.0]).status().startswith("healthy")
    result, _ = ik.explore(weight_std=1 / 16, depth=20, width=256, activation="tanh")  # LeCun
    assert result.status().startswith("healthy")


def test_overflow_is_named_alone():
    status = synthetic([1.0, np.nan], [np.nan, np.nan], exploded_at=2).status()
    assert status == "overflow: the signal exploded to inf/nan at layer 2"


def test_underflow_to_exact_zero_and_zero_std():
    assert "underflow: the signal vanished to exactly 0 from layer 3" in synthetic([1, 1e-20, 0.0], vanished_at=3).status()
    assert "underflow: the activations' std is 0 at layer 2" in synthetic([1.0, 0.0, 0.0]).status()


@pytest.mark.parametrize("fraction, named", [(0.49, False), (0.51, True)])
def test_saturation_threshold_is_half_the_units(fraction, named):
    status = synthetic([0.9, 0.9], saturation=[0.2, fraction]).status()
    assert ("saturated: over half the units near a bound in 1 of 2 layers" in status) is named


@pytest.mark.parametrize("fraction, named", [(0.49, False), (0.51, True)])
def test_dead_relu_threshold_is_half_the_units(fraction, named):
    status = synthetic([0.9, 0.9, 0.9], dead=[fraction, fraction, 0.0]).status()
    assert ("dead units: over half the ReLU units never active in 2 of 3 layers" in status) is named


@pytest.mark.parametrize("first, kind", [(2e3, "exploding"), (5e-4, "vanishing")])
def test_gradient_beyond_a_factor_1000_is_named(first, kind):
    assert synthetic([1.0, 1.0], [first, 1.0]).status().startswith(f"{kind} gradient: dL/da std")
    assert synthetic([1.0, 1.0], [first / 3 if kind == "exploding" else first * 3, 1.0]).status().startswith("healthy")


def test_non_finite_and_zero_gradients_are_named():
    assert "exploding gradient: dL/da became inf/nan at layer 2" in synthetic([1.0] * 3, [np.nan, np.inf, 1.0]).status()
    assert "vanishing gradient: dL/da is exactly 0 at layer 1" in synthetic([1.0] * 2, [0.0, 1.0],
                                                                              grad_vanished_at=1).status()


@pytest.mark.parametrize("last, word", [(2e3, "grew"), (5e-4, "shrank")])
def test_forward_signal_beyond_a_factor_1000_is_named(last, word):
    assert f"the signal {word} by a factor 2e+03 from layer 1 to layer 2" in synthetic([1.0, last]).status()


def test_tanh_with_standard_normal_weights_is_saturated():
    x = np.random.default_rng(0).standard_normal((1000, 100))  # notebook 02's case: about 80% saturated
    status = ik.probe(depth=5, width=50, activation="tanh", weight_std=1.0, x=x, dtype=np.float64, rng=3).status()
    assert status.startswith("saturated: over half the units near a bound in 5 of 5 layers")


def test_tanh_at_weight_std_100_names_saturation_and_the_gradient():
    # The case: the old status said "stayed finite and nonzero" here.
    result, _ = ik.explore(weight_std=100.0, depth=20, width=256, activation="tanh")
    status = result.status()
    assert "saturated: over half the units near a bound in 20 of 20 layers (up to 100%)" in status
    assert "vanishing gradient" in status and not status.startswith("healthy")


def test_relu_with_large_weights_names_the_growth_and_exploding_gradient():
    result, _ = ik.explore(weight_std=1.0, depth=30, width=256, activation="relu", n_samples=200)
    assert "the signal grew" in result.status() and "exploding gradient" in result.status()


def test_relu_with_negative_biases_names_dead_units():
    net = ik.MLP([10] + [64] * 4, activation="relu", output_activation="relu", init="he_normal", rng=0)
    for layer in net.layers:
        layer.b[:] = -3.0
    assert "dead units" in ik.probe(net).status()
