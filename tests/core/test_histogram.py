import numpy as np
import pytest

import initkit as ik

from initkit.core.histogram import fixed_histogram, histogram_edges


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(20))
def test_fixed_histogram_equals_numpy_histogram_of_clipped_values(dtype, seed):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(50_000) * rng.uniform(0.1, 3)).astype(dtype)
    low, high, bins = (-1.0, 1.0, int(rng.integers(5, 120))) if seed % 2 else (0.0, 2.5, 37)
    expected = np.histogram(np.clip(a, low, high), bins, (low, high))[0]
    np.testing.assert_array_equal(fixed_histogram(a, low, high, bins), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_exactly_on_edges_match_numpy(dtype):
    a = histogram_edges(-1, 1, 50, dtype)  # every edge once
    expected = np.histogram(a, 50, (-1, 1))[0]
    np.testing.assert_array_equal(fixed_histogram(a, -1, 1, 50), expected)


def test_nan_and_inf_are_refused_by_name():
    # Issue 26: NaN was dropped and +inf counted in the last bin, silently.
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="a contains 1 NaN or infinite values"):
            fixed_histogram(np.array([0.5, bad]), -1, 1, 4)


def test_inner_path_ignores_nan_and_puts_infinities_in_end_bins():
    from initkit.core.histogram import _fixed_histogram

    a = np.array([np.nan, 0.5, np.nan, -3.0, np.inf, -np.inf])
    np.testing.assert_array_equal(_fixed_histogram(a, -1, 1, 4), [2, 0, 0, 2])


def test_histogram_edges_refuse_integer_dtypes():
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'float64'; got 'int32'"):
        ik.histogram_edges(-1.0, 1.0, 4, dtype="int32")


def test_fixed_histogram_validates_range():
    with pytest.raises(ValueError, match="low must be < high; got low=1, high=1"):
        fixed_histogram(np.zeros(3), 1, 1)


@pytest.mark.parametrize("low, high, bins, error, match", [
    (1, 0, 5, ValueError, "low must be < high; got low=1, high=0"),
    (0, 1, 0, ValueError, "bins must be >= 1"),
    (0, np.inf, 5, ValueError, "high must be finite"),
    (0, 1, 2.5, TypeError, "bins must be an integer"),
    (-1e308, 1e308, 4, ValueError, "low and high span more than the largest float64"),
])
def test_edges_are_increasing_or_refused(low, high, bins, error, match):
    # Regression (issue 20): histogram_edges(1, 0, 5) returned decreasing edges.
    with pytest.raises(error, match=match):
        histogram_edges(low, high, bins)
    with pytest.raises(error, match=match):
        fixed_histogram(np.zeros(3), low, high, bins)
