import numpy as np
import pytest

import initkit as ik
from initkit.core.activations import PARAMETERS


@pytest.mark.parametrize("name", sorted(ik.ACTIVATIONS))
def test_derivative_matches_finite_differences(name, rng):
    act = ik.Activation(name)
    z = rng.uniform(-3, 3, 200)
    z = z[np.abs(z) > 1e-3]  # away from the kink of relu-type functions
    h = 1e-6
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ik.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_keeps_shape_and_dtype(name, dtype):
    z = np.linspace(-5, 5, 12, dtype=dtype).reshape(3, 4)
    act = ik.Activation(name)
    assert act(z).shape == z.shape and act(z).dtype == dtype
    assert act.derivative(z).dtype == dtype


@pytest.mark.parametrize("name", sorted(ik.ACTIVATIONS))
def test_activation_is_finite_at_extreme_inputs(name):
    z = np.array([-1e4, -50.0, 0.0, 50.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = ik.Activation(name)(z)
    assert np.all(np.isfinite(y))


def test_selu_constants_give_the_self_normalizing_fixed_point():
    selu = ik.Activation("selu")
    assert ik.gaussian_expectation(selu) == pytest.approx(0.0, abs=1e-12)
    assert ik.gaussian_expectation(lambda z: selu(z) ** 2) == pytest.approx(1.0, abs=1e-12)


def test_leaky_relu_slope_parameter_is_used():
    act = ik.Activation("leaky_relu", negative_slope=0.2)
    np.testing.assert_allclose(act(np.array([-2.0, 3.0])), [-0.4, 3.0])
    assert PARAMETERS["leaky_relu"]["negative_slope"] == 0.01


def test_sigmoid_matches_logistic_formula():
    z = np.linspace(-20, 20, 101)
    np.testing.assert_allclose(ik.Activation("sigmoid")(z), 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_unknown_activation_lists_known_ones():
    with pytest.raises(ValueError, match="activation name must be one of .*'relu'.*got 'rlu'"):
        ik.Activation("rlu")


def test_unknown_activation_parameter_is_rejected():
    with pytest.raises(ValueError, match="activation 'relu' takes parameters none; got 'alpha'"):
        ik.Activation("relu", alpha=0.1)


@pytest.mark.parametrize("name", sorted(ik.ACTIVATIONS))
def test_scalars_lists_and_integers_work_like_float_arrays(name):
    # Regression (issue 20): derivative(0.5) raised AttributeError in 5 of 10 activations, and integer
    # inputs made elu's derivative round to 0.
    act = ik.get_activation(name)
    z = np.array([-2.0, 0.5, 3.0])
    assert float(act(0.5)) == act(z)[1] and float(act.derivative(0.5)) == act.derivative(z)[1]
    np.testing.assert_array_equal(act.derivative([-2, 1, 3]), act.derivative(np.array([-2.0, 1.0, 3.0])))
    with pytest.raises(TypeError, match="z must be a real numeric array"):
        act(["a"])


def test_gelu_is_finite_and_exact_for_huge_inputs():
    gelu = ik.get_activation("gelu")
    z = np.array([-1e200, -50.0, 50.0, 1e200])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(gelu(z), [0.0, 0.0, 50.0, 1e200])
        np.testing.assert_array_equal(gelu.derivative(z), [0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("name", ["elu", "selu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elu_and_selu_equal_the_branch_formula_bit_for_bit(name, dtype, rng):
    # The arithmetic select must give exactly np.where's values (the notebooks' stored outputs depend on it).
    from initkit.core.activations import SELU_ALPHA, SELU_LAMBDA
    alpha, scale = (1.0, 1.0) if name == "elu" else (SELU_ALPHA, SELU_LAMBDA)
    z = (rng.standard_normal(2000) * rng.choice([1e-3, 1.0, 30.0, 1e3], 2000)).astype(dtype)
    z[:7] = [np.nan, np.inf, -np.inf, 0.0, -0.0, np.finfo(dtype).tiny, -np.finfo(dtype).tiny]
    act = ik.get_activation(name)
    with np.errstate(all="ignore"):
        value = scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
        slope = scale * np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))).astype(dtype)
        np.testing.assert_array_equal(act(z), value)
        np.testing.assert_array_equal(act.derivative(z), slope)
    assert act(z).dtype == act.derivative(z).dtype == dtype
