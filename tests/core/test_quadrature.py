import math

import numpy as np
import pytest

import initkit as ik


def test_gaussian_moments_are_exact():
    assert ik.gaussian_expectation(np.ones_like) == pytest.approx(1.0, abs=1e-13)
    assert ik.gaussian_expectation(lambda z: z**2) == pytest.approx(1.0, abs=1e-13)
    assert ik.gaussian_expectation(lambda z: z**4) == pytest.approx(3.0, abs=1e-12)


def test_kinked_integrands_are_exact():
    # E[relu(z)] = 1/sqrt(2 pi): whole-line Gauss-Hermite with 101 nodes is off by 3e-3 here.
    assert ik.gaussian_expectation(lambda z: np.maximum(z, 0)) == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-13)
    assert ik.gaussian_expectation(np.abs) == pytest.approx(math.sqrt(2 / math.pi), abs=1e-13)


def test_expectation_agrees_with_monte_carlo(rng):
    z = rng.standard_normal(1_000_000)
    mc = np.mean(np.tanh(z) ** 2)
    se = np.std(np.tanh(z) ** 2) / math.sqrt(z.size)
    assert abs(ik.gaussian_expectation(lambda t: np.tanh(t) ** 2) - mc) < 5 * se


def test_quadrature_bounds_its_nodes_and_checks_f():
    with pytest.raises(ValueError, match="n must be <= 1000"):
        ik.gaussian_expectation(lambda z: z, n=10**6)
    with pytest.raises(TypeError, match="f must be a function"):
        ik.gaussian_expectation(3.0)
    with pytest.raises(ValueError, match="f must return one value per node"):
        ik.gaussian_expectation(lambda z: z[:3])


def test_whole_line_rule_is_the_half_line_rule_mirrored():
    from initkit.core.quadrature import half_line_rule, whole_line_rule

    x, w = whole_line_rule(40)
    hx, hw = half_line_rule(40)
    np.testing.assert_array_equal(x[40:], hx)
    np.testing.assert_array_equal(x[:40], -hx[::-1])
    np.testing.assert_array_equal(w[:40], hw[::-1])
    assert w @ np.cos(x) == pytest.approx(np.exp(-0.5), rel=1e-12)  # E[cos z] = e^(-1/2)
