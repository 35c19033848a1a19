"""validate_params: constraints declared beside the signature, checked once at the boundary."""
import numpy as np
import pytest

from initkit.core.constraints import RNG, Bool, Integer, Real
from initkit.core.array_constraints import Data
from initkit.core.validation import MAX_ELEMENTS, check_data, check_number, validate_params


@validate_params({"depth": Integer(1, 100), "x": Data(ndim=2), "scale": Real(0), "flag": Bool, "rng": RNG},
                 budget={"depth and x": (lambda a: a["depth"] * a["x"].size, "values (depth x x.size)")})
def _step(depth, x, *, scale=1.0, flag=False, rng=None):
    return depth, x, scale, flag, rng


def test_checked_values_reach_the_function_converted():
    depth, x, scale, flag, rng = _step(3, [[1, 2]], scale=2)
    assert (depth, scale, flag, rng) == (3, 2.0, False, None) and isinstance(x, np.ndarray)
    assert type(scale) is float


@pytest.mark.parametrize("kwargs, error, match", [
    ({"depth": 0}, ValueError, "depth must be >= 1; got 0"),
    ({"x": [[1j]]}, TypeError, "x must be real"),
    ({"scale": -1}, ValueError, "scale must be >= 0; got -1"),
    ({"flag": "yes"}, TypeError, "flag must be True or False"),
    ({"rng": "abc"}, TypeError, "rng must be None"),
    ({"depth": 100, "x": np.zeros((MAX_ELEMENTS // 50, 1), dtype=np.uint8)}, ValueError,
     "depth and x asks for values"),
])
def test_the_first_bad_argument_is_named(kwargs, error, match):
    args = {"depth": 3, "x": [[1.0]], **kwargs}
    with pytest.raises(error, match=match):
        _step(**args)


def test_positional_keyword_and_unusual_calls_bind_like_python():
    assert _step(3, [[1.0]], scale=0.5)[2] == 0.5
    assert _step(depth=3, x=[[1.0]])[0] == 3
    with pytest.raises(TypeError, match="missing a required argument|missing"):
        _step(3)
    with pytest.raises(TypeError, match="multiple values|got multiple"):
        _step(3, [[1.0]], depth=4)
    with pytest.raises(TypeError, match=r"_step\(\) got an unexpected keyword argument 'colour'"):
        _step(3, [[1.0]], colour=1)  # named as Python names it (inspect's message lacks the function)


def test_declarations_are_introspectable_and_the_unchecked_function_is_kept():
    assert set(_step.__constraints__) == {"depth", "x", "scale", "flag", "rng"}
    assert "depth and x" in _step.__budget__
    assert _step.__wrapped__(0, None)[0] == 0  # the trusted path: no checks


def test_a_constraint_for_an_unknown_parameter_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown parameters"):
        validate_params({"colour": Bool})(lambda x: x)


def test_check_number_refuses_huge_ints_without_overflowing():
    with pytest.raises(ValueError, match="n must be <= 10"):
        check_number("n", 10**400, low=1, high=10, integer=True)


def test_check_data_refuses_complex_instead_of_casting():
    with pytest.raises(TypeError, match="X must be real; got complex"):
        check_data("X", np.ones((2, 2), dtype=complex), np.float64)
