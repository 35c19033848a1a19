import math

import numpy as np
import pytest
from scipy import stats

import initkit as ik
from stats_helpers import std_tolerance

SHAPES = [(512, 256), (256, 1024), (3, 3, 64, 128)]
UNIFORM_KURTOSIS = 9 / 5


def expected_std(shape, scale, mode):
    fan_in, fan_out = ik.compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    return math.sqrt(scale / n)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["normal", "truncated_normal", "uniform"])
def test_variance_scaling_std_matches_formula(shape, mode, distribution):
    W = ik.variance_scaling(shape, scale=2.0, mode=mode, distribution=distribution, rng=0)
    std = expected_std(shape, 2.0, mode)
    kurt = UNIFORM_KURTOSIS if distribution == "uniform" else 3.0
    assert W.shape == shape
    assert abs(W.std() / std - 1) < std_tolerance(W.size, kurt)
    assert abs(W.mean()) < 5 * std / math.sqrt(W.size)


def test_variance_scaling_uniform_bound_is_sqrt_3_scale_over_n():
    W = ik.variance_scaling((200, 300), 1.0, "fan_avg", "uniform", rng=0)
    limit = math.sqrt(6 / 500)
    assert W.min() >= -limit and W.max() <= limit
    assert W.max() > 0.999 * limit and W.min() < -0.999 * limit  # 60,000 draws reach the edges


def test_truncated_normal_constant_from_first_principles(rng):
    # Var of N(0,1) truncated to [-b, b] is 1 - 2 b phi(b) / (2 Phi(b) - 1); check it three ways.
    assert ik.TRUNCATED_NORMAL_STD_2 == pytest.approx(0.87962566103423978, rel=1e-15)
    assert ik.TRUNCATED_NORMAL_STD_2 == pytest.approx(stats.truncnorm(-2, 2).std(), rel=1e-12)
    z = rng.standard_normal(2_000_000)
    z = z[np.abs(z) <= 2]
    assert abs(z.std() / ik.TRUNCATED_NORMAL_STD_2 - 1) < std_tolerance(z.size)


def test_truncated_variance_scaling_lies_within_two_corrected_stds():
    W = ik.variance_scaling((400, 400), 1.0, "fan_in", "truncated_normal", rng=0)
    assert np.abs(W).max() <= 2 * math.sqrt(1 / 400) / ik.TRUNCATED_NORMAL_STD_2


@pytest.mark.parametrize("distribution, dist", [
    ("normal", stats.norm()),
    ("uniform", stats.uniform(-math.sqrt(3), 2 * math.sqrt(3))),
    ("truncated_normal", stats.truncnorm(-2, 2, scale=1 / ik.TRUNCATED_NORMAL_STD_2)),
])
def test_variance_scaling_samples_follow_their_distribution_ks(distribution, dist):
    W = ik.variance_scaling((100, 100), 1.0, "fan_in", distribution, rng=3)
    assert stats.kstest(W.ravel() * 10, dist.cdf).pvalue > 1e-4


@pytest.mark.parametrize("fn, scale, mode, kurt", [
    (ik.lecun_normal, 1, "fan_in", 3), (ik.lecun_uniform, 1, "fan_in", UNIFORM_KURTOSIS),
    (ik.glorot_normal, 1, "fan_avg", 3), (ik.glorot_uniform, 1, "fan_avg", UNIFORM_KURTOSIS),
    (ik.he_normal, 2, "fan_in", 3), (ik.he_uniform, 2, "fan_in", UNIFORM_KURTOSIS),
])
@pytest.mark.parametrize("shape", SHAPES)
def test_named_initializer_std_matches_formula(fn, scale, mode, kurt, shape):
    W = fn(shape, rng=1)
    assert abs(W.std() / expected_std(shape, scale, mode) - 1) < std_tolerance(W.size, kurt)


def test_he_normal_std_matches_formula_with_leaky_slope_and_fan_out():
    W = ik.he_normal((256, 1024), mode="fan_out", negative_slope=0.2, rng=0)
    assert abs(W.std() / math.sqrt(2 / (1.04 * 1024)) - 1) < std_tolerance(W.size)


def test_aliases_are_the_same_functions():
    assert ik.xavier_normal is ik.glorot_normal and ik.xavier_uniform is ik.glorot_uniform
    assert ik.kaiming_normal is ik.he_normal and ik.kaiming_uniform is ik.he_uniform


@pytest.mark.parametrize("name", sorted(ik.INITIALIZERS))
def test_initializers_are_deterministic_given_a_seed(name):
    init = ik.get_initializer(name)
    np.testing.assert_array_equal(init((20, 30), rng=7), init((20, 30), rng=7))


@pytest.mark.parametrize("name", sorted(ik.INITIALIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_initializers_honour_dtype(name, dtype):
    assert ik.get_initializer(name)((8, 8), rng=0, dtype=dtype).dtype == dtype


def test_variance_scaling_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode must be one of 'fan_avg', 'fan_in', 'fan_out'; got 'fan_inn'"):
        ik.variance_scaling((3, 3), mode="fan_inn")


def test_variance_scaling_rejects_unknown_distribution():
    with pytest.raises(ValueError, match="distribution must be one of .*'uniform'; got 'gaussian'"):
        ik.variance_scaling((3, 3), distribution="gaussian")


def test_variance_scaling_rejects_nonpositive_scale():
    with pytest.raises(ValueError, match="scale must be > 0; got -1"):
        ik.variance_scaling((3, 3), scale=-1)


def test_initializer_rejects_bad_dtype():
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'float64'; got 'int32'"):
        ik.he_normal((3, 3), dtype="int32")


# Issue 20: bad input gives a clear error or a finite, correct result.

def test_truncated_normal_std_is_exact_for_tiny_bounds():
    # Below b ~ 1 the closed form cancels (it gave 8.9e-6 at 1e-6 and a math domain error at 1e-10);
    # the truncated normal tends to the uniform on [-b, b]: std b / sqrt(3) (1 - b^2 / 15 + O(b^4)).
    for b in (1e-10, 1e-6, 1e-3):
        assert ik.truncated_normal_std(b) == pytest.approx(b / math.sqrt(3) * (1 - b * b / 15), rel=1e-12)
    for b in (0.5, 0.999, 1.0, 1.5):  # both formulas agree where both are accurate
        closed = math.sqrt(1 - 2 * b * stats.norm.pdf(b) / (2 * stats.norm.cdf(b) - 1))
        assert ik.truncated_normal_std(b) == pytest.approx(closed, rel=1e-9)
    with pytest.raises(ValueError, match="bound must be > 0; got 0"):
        ik.truncated_normal_std(0)


def test_misspelled_dtype_and_bad_rng_are_refused_by_name():
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'float64'; got 'flaot32'"):
        ik.he_normal((2, 2), dtype="flaot32")
    with pytest.raises(TypeError, match="rng must be None, a non-negative int seed or a numpy Generator; got 'abc'"):
        ik.he_normal((4, 3), rng="abc")
    with pytest.raises(ValueError, match="rng must be .*got -1"):
        ik.glorot_uniform((4, 3), rng=-1)


def test_huge_negative_slope_gives_tiny_finite_weights():
    W = ik.he_normal((4, 3), negative_slope=1e160, rng=0)
    assert np.isfinite(W).all() and 0 < np.abs(W).max() < 1e-159
    assert ik.calculate_gain("leaky_relu", param=1e150) == pytest.approx(math.sqrt(2) / 1e150)
    with pytest.raises(ValueError, match="param=1e\\+308 makes the gain\\^2 2 / \\(1 \\+ a\\^2\\) underflow to 0"):
        ik.calculate_gain("leaky_relu", param=1e308)
    with pytest.raises(ValueError, match="negative_slope=1e\\+308 makes the gain"):
        ik.he_uniform((4, 3), negative_slope=1e308)


def test_shapes_beyond_memory_are_refused_before_allocating():
    with pytest.raises(ValueError, match=r"an array of shape \(100000, 100000\) = 1e\+10 elements, above the limit"):
        ik.he_normal((10**5, 10**5))


def test_values_that_overflow_the_dtype_are_refused():
    with pytest.raises(ValueError, match="scale: values up to about .* would overflow float32"):
        ik.variance_scaling((2, 2), scale=1e80, distribution="normal", dtype=np.float32)
    assert np.isfinite(ik.variance_scaling((2, 2), scale=1e80, distribution="normal", rng=0)).all()
