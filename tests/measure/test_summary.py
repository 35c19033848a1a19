import warnings

import numpy as np
import pytest

from initkit.measure.summary import mean_spread


@pytest.mark.parametrize("values, expected", [
    ([0.52, 0.61, 0.58], "0.57 ± 0.05"),
    ([107, 127, 87], "110 ± 20"),
    ([10.0, 30.0], "20 ± 14"),  # a spread starting with 1 keeps two digits
    ([0.693, 0.693], "0.693 ± 0"),
    ([0.0012, 0.0013], "0.00125 ± 0.00007"),
    ([64.0], "64 ± 0"),
])
def test_mean_spread_keeps_only_the_digits_the_spread_allows(values, expected):
    assert mean_spread(values) == expected


def test_mean_spread_units_and_scale():
    assert mean_spread([0.5, 0.7], "%", 100) == "60 ± 14 %"
    assert mean_spread([50.0, 70.0], " %") == "60 ± 14 %"


def test_mean_spread_counts_diverged_runs_apart():
    assert mean_spread([np.inf, 1.0, 1.2]) == "1.10 ± 0.14 (1 of 3 not finite)"
    assert mean_spread([np.nan, np.inf]) == "not finite (2 of 2 not finite)"


def test_a_huge_scale_is_refused_by_name_and_huge_values_do_not_overflow():
    # Issue 26 fuzz: scale=1e300 squared the scaled values and warned "overflow encountered in square".
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mean_spread([0.91, 0.95, 0.93], scale=1e300).startswith("92999999")  # 0.93e300, no overflow
        assert mean_spread([1e300, 1e300]) == "1e+300 ± 0"
    with pytest.raises(ValueError, match="scale=1e\\+308 makes the values overflow float64"):
        mean_spread([2.0, 3.0], scale=1e308)


def test_a_bool_is_not_a_sample():
    with pytest.raises(TypeError, match="values must be a numeric array"):
        mean_spread(True)
