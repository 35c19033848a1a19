"""The constraints of :mod:`initkit.core.constraints` and :mod:`initkit.core.array_constraints`: what each accepts, what it refuses, and its message."""
import numpy as np
import pytest

from initkit.core.array_constraints import Data, Labels, Numbers, Targets
from initkit.core.constraints import RNG, AnyOf, Bool, Callable, Dtype, Instance, Integer, Optional, Options, Real, Shape, Sizes


@pytest.mark.parametrize("constraint", [Real(0, 1), Real(0, 1, closed="neither"), Integer(1, 10), Options({"a", "b"}),
                                        Bool, RNG, Dtype, Shape, Callable(), Optional(Integer(0)), Sizes(),
                                        Data(ndim=2), Data(ndim=1, bounds=(0, 5), positive=True), Labels(classes=3),
                                        Numbers(0, 1), Instance("a list", types=(list,)),
                                        AnyOf(Real(0), Options({"auto"}))])
def test_every_listed_bad_value_is_refused_naming_the_parameter(constraint):
    for value in constraint.bad_values():
        with pytest.raises((TypeError, ValueError), match="^(each entry of )?p[ :]"):
            constraint.check("p", value, {})


@pytest.mark.parametrize("constraint, value, expected", [
    (Real(0, 1), 1, 1.0), (Real(0, 1), np.float32(0.5), 0.5), (Integer(1), np.int64(3), 3),
    (Options({"a"}), "a", "a"), (Bool, np.bool_(True), True), (Dtype, "float32", np.dtype("float32")),
    (Shape, 3, (3,)), (Sizes(), (2, np.int64(3)), [2, 3]), (Optional(Real()), None, None),
    (AnyOf(Real(0), Options({"auto"})), "auto", "auto"), (RNG, [1, 2], [1, 2]),
])
def test_valid_values_pass_and_are_converted(constraint, value, expected):
    got = constraint.check("p", value, {})
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("constraint, value, error, match", [
    (Real(0, 1), 2.0, ValueError, "p must be <= 1; got 2.0"),
    (Real(0, 1, closed="neither"), 0, ValueError, "p must be > 0; got 0"),
    (Real(), float("nan"), ValueError, "p must be finite; got nan"),
    (Real(), "1", TypeError, "p must be a real number; got '1' of type str"),
    (Integer(1), True, TypeError, "p must be an integer; got True of type bool"),
    (Integer(1, 10), 10**400, ValueError, "p must be <= 10; got 1000"),
    (Options({"b", "a"}), "c", ValueError, "p must be one of 'a', 'b'; got 'c'"),
    (Options(["z", "a"], ordered=True), "c", ValueError, "p must be one of 'z', 'a'; got 'c'"),
    (Bool, "yes", TypeError, "p must be True or False; got 'yes'"),
    (Bool, 2, TypeError, "p must be True or False; got 2"),
    (RNG, "abc", TypeError, "p must be None, a non-negative int seed or a numpy Generator; got 'abc'"),
    (RNG, -1, ValueError, "p must be None, a non-negative int seed"),
    (Dtype, "float16", ValueError, "p must be one of 'float32', 'float64'; got 'float16'"),
    (Data(ndim=2), np.ones(3), ValueError, r"p must be a 2-D array \(n_samples, n_features\) with at least one row"),
    (Data(ndim=2), np.ones((2, 2)) * 1j, TypeError, "p must be real; got complex values"),
    (Data(ndim=2), [[np.nan, 1.0]], ValueError, "p contains 1 NaN or infinite values"),
    (Labels(classes=3), [0, 3], ValueError, "p must hold class labels 0 to 2; got values from 0 to 3"),
    (Labels(classes=3), ["a"], TypeError, "p must hold integer class labels"),
    (Sizes(), [4, 0], ValueError, "each entry of p must be >= 1; got 0"),
    (Sizes(), [], ValueError, "p must list between 1 and"),
    (Callable(), 3, TypeError, "p must be a function"),
])
def test_messages_name_the_parameter_the_allowed_values_and_what_was_received(constraint, value, error, match):
    with pytest.raises(error, match=match):
        constraint.check("p", value, {})


def test_bounds_and_columns_may_depend_on_other_arguments():
    high = Real(lambda a: a["low"], closed="neither")
    assert high.check("high", 2.0, {"low": 1.0}) == 2.0
    with pytest.raises(ValueError, match="high must be > 1.0; got 1.0"):
        high.check("high", 1.0, {"low": 1.0})
    with pytest.raises(ValueError, match="x must have 4 columns"):
        Data(columns=lambda a: a["n"]).check("x", np.ones((2, 3)), {"n": 4})
    y = Targets("X", classes=lambda a: 2)
    assert y.check("y", [0, 1], {"X": np.ones((2, 3)), "loss": None}) == [0, 1]
    assert y.check("y", [[0.5], [2.0]], {"X": np.ones((2, 3)), "loss": "mse"}) == [[0.5], [2.0]]
    with pytest.raises(ValueError, match="y must hold class labels 0 to 1; got values from -1"):
        y.check("y", [-1, 1], {"X": np.ones((2, 3)), "loss": None})


def test_a_value_that_fits_the_range_must_also_fit_the_dtype():
    std = Real(0, fits="dtype")
    assert std.check("std", 1e38, {"dtype": np.dtype("float64")}) == 1e38
    with pytest.raises(ValueError, match="std: values up to about 1e\\+39 would overflow float32"):
        std.check("std", 1e39, {"dtype": np.dtype("float32")})
