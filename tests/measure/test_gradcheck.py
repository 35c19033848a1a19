import numpy as np
import pytest

import initkit as ik


def test_numerical_gradient_of_a_quadratic():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(ik.numerical_gradient(lambda: float(np.sum(x * x)), x), [2, 4, 6], rtol=1e-8)


def test_numerical_gradient_refuses_integer_arrays():
    # Regression (issue 20): an int array cannot hold x + h, and the result was [5e5, 1.5e6, 2.5e6].
    x = np.array([1, 2, 3])
    with pytest.raises(TypeError, match="x must be a float numpy array .* got an array of dtype int64"):
        ik.numerical_gradient(lambda: float(np.sum(x * x)), x)


@pytest.mark.parametrize("h", [0, -1e-6, float("nan")])
def test_step_must_be_positive(h):
    x = np.array([1.0])
    with pytest.raises(ValueError, match="h must be"):
        ik.numerical_gradient(lambda: float(x[0]), x, h=h)
    net = ik.MLP([2, 2], rng=0)
    with pytest.raises(ValueError, match="h must be"):
        ik.gradient_check(net, np.ones((3, 2)), np.array([0, 1, 0]), h=h)
