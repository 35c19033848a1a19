"""initkit.core.array_constraints: data, labels, targets and grids refused by name, with the value received."""
import warnings

import numpy as np
import pytest

from initkit.core.array_constraints import Data, Labels, Numbers


def test_data_accepts_a_real_finite_array_and_refuses_nan_complex_and_wrong_shape():
    X = Data(ndim=2, columns=3).check("X", [[1.0, 2.0, 3.0]], {})
    assert X.shape == (1, 3)
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite values"):
        Data().check("X", np.array([[np.nan, 1.0]]), {})
    with pytest.raises(TypeError, match="X must be real; got complex"):
        Data().check("X", np.ones((2, 2), dtype=complex), {})
    with pytest.raises(ValueError, match="X must be"):
        Data(ndim=2).check("X", np.ones(3), {})


def test_labels_must_be_integers_within_the_classes_one_per_row():
    y = Labels(rows="X", classes=3).check("y", [0, 2, 1], {"X": np.ones((3, 2))})
    assert y.dtype == np.int64 and y.tolist() == [0, 2, 1]
    with pytest.raises(ValueError, match="y must hold class labels 0 to 2; got values from 0 to 99"):
        Labels(classes=3).check("y", [0, 99], {})
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        Labels().check("y", np.array(["a", "b"]), {})
    with pytest.raises(ValueError, match=r"one label per row of X \(3\)"):
        Labels(rows="X").check("y", [0, 1], {"X": np.ones((3, 2))})


def test_every_listed_bad_value_of_each_constraint_is_refused():
    for constraint, args in [(Data(), {}), (Labels(classes=3), {}), (Numbers(0, 1e150), {})]:
        for bad in constraint.bad_values():
            with pytest.raises((TypeError, ValueError), match="v"):
                constraint.check("v", bad, args)


@pytest.mark.parametrize("constraint", [Data(ndim=(0, 1), bounds=(0, 1e6)), Numbers(0, 1e6)])
def test_bounds_are_compared_in_float64_so_float16_values_pass_without_an_overflow_warning(constraint):
    # Issue 26: attention_saturation(np.float16(1.0)) warned "overflow encountered in cast": the bound 1e6 was
    # cast to float16 (largest 65504) for the comparison.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert constraint.check("factors", np.float16(1.0), {}) == 1.0
    with pytest.raises(ValueError, match="factors must hold"):
        constraint.check("factors", np.array([7e4, 1.0], dtype=np.float32) * 20, {})


def test_a_bool_scalar_is_not_data():
    # Issue 26 fuzz: attention_saturation(True) and fixed_histogram(True, ...) computed with True as 1.
    with pytest.raises(TypeError, match="factors must be a numeric array"):
        Data(ndim=(0, 1)).check("factors", True, {})
    assert Data(ndim=1).check("mask", np.array([True, False]), {}).dtype == bool  # arrays of bools stay data
