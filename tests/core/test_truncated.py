"""initkit.core.truncated: the truncated normal's std and the inverse-CDF sampler."""
import math

import numpy as np
import pytest

from initkit.core.truncated import sample_truncated, truncated_normal_std, upper_quantile


def test_upper_quantile_inverts_the_normal_cdf_in_both_regions():
    z = np.array([0.0, 0.5, 1.0, 1.96, 3.0, 6.0, 9.0])  # q > 0.425 takes the tail branches from z ~ 1.44
    phi = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in z])
    tail = np.array([0.5 * math.erfc(v / math.sqrt(2)) for v in z])
    np.testing.assert_allclose(upper_quantile(phi - 0.5, tail), z, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("bound", [0.1, 1.0, 2.0, 5.0])
def test_samples_stay_inside_the_bound_with_the_formula_std(bound):
    n = 200_000
    z = sample_truncated(np.random.default_rng(0), (n,), bound)
    assert np.abs(z).max() <= bound
    std = truncated_normal_std(bound)
    # the sample std's standard error is about std / sqrt(2 n) (light tails): 6 of them
    assert abs(z.std() - std) < 6 * std / math.sqrt(2 * n)
    assert abs(z.mean()) < 6 * std / math.sqrt(n)


def test_std_matches_numerical_integration_on_both_sides_of_the_series_switch():
    for bound in (0.5, 0.999, 1.0, 1.5, 2.0):
        z = np.linspace(-bound, bound, 200_001)
        w = np.exp(-z * z / 2)  # trapezoid rule: error O(h^2) = 1e-10 here
        np.testing.assert_allclose(truncated_normal_std(bound), math.sqrt(np.trapezoid(z * z * w, z) / np.trapezoid(w, z)),
                                   rtol=1e-8)
    assert truncated_normal_std(1e-8) == pytest.approx(1e-8 / math.sqrt(3), rel=1e-12)


def test_std_rejects_a_non_positive_bound():
    with pytest.raises(ValueError, match="bound"):
        truncated_normal_std(0.0)
