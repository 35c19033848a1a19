import math

import numpy as np
import pytest
from scipy import stats

import initkit as ik
from stats_helpers import std_tolerance


def test_constants():
    assert not ik.zeros((3, 4)).any()
    assert (ik.ones((3, 4)) == 1).all()
    assert (ik.constant((3, 4), 0.5) == 0.5).all()


def test_random_normal_std_matches_argument():
    W = ik.random_normal((300, 300), std=0.05, rng=0)
    assert abs(W.std() / 0.05 - 1) < std_tolerance(W.size)


def test_random_uniform_has_bounds_and_variance():
    W = ik.random_uniform((300, 300), rng=0)
    assert W.min() >= -0.05 and W.max() <= 0.05
    assert abs(W.std() / (0.1 / math.sqrt(12)) - 1) < std_tolerance(W.size, 9 / 5)


def test_truncated_normal_is_uncorrected_like_keras():
    W = ik.truncated_normal((300, 300), std=0.05, rng=0)
    assert np.abs(W).max() <= 0.1
    assert abs(W.std() / (0.05 * ik.TRUNCATED_NORMAL_STD_2) - 1) < std_tolerance(W.size)
    assert stats.kstest(W.ravel(), stats.truncnorm(-2, 2, scale=0.05).cdf).pvalue > 1e-4


@pytest.mark.parametrize("shape", [(64, 64), (128, 32), (32, 128), (3, 3, 8, 16)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    W = ik.orthogonal(shape, gain=2.0, rng=0)
    M = W.reshape(-1, shape[-1])
    small = min(M.shape)
    gram = M.T @ M if M.shape[0] >= M.shape[1] else M @ M.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-12)


def test_orthogonal_is_haar_distributed_not_sign_biased():
    # Without the sign fix, numpy's QR makes diag(R) negative-biased and Q's diagonal skewed.
    diag = np.array([ik.orthogonal((4, 4), rng=s)[0, 0] for s in range(2000)])
    assert abs(diag.mean()) < 5 * 0.5 / math.sqrt(2000)  # E = 0, std of an entry = 1/2 for n = 4


def test_identity_is_scaled_eye_and_2d_only():
    np.testing.assert_array_equal(ik.identity((3, 4), gain=2.0), 2.0 * np.eye(3, 4))
    with pytest.raises(ValueError, match="identity needs a 2-D shape"):
        ik.identity((3, 3, 3))


def test_random_uniform_rejects_inverted_bounds():
    with pytest.raises(ValueError, match="low must be < high; got low=1, high=0"):
        ik.random_uniform((2, 2), low=1, high=0)


def test_random_normal_rejects_negative_std():
    with pytest.raises(ValueError, match="std must be >= 0; got -0.1"):
        ik.random_normal((2, 2), std=-0.1)


def test_registry_resolves_names_aliases_and_kwargs():
    assert ik.get_initializer("kaiming_normal") is ik.he_normal
    W = ik.get_initializer("constant", value=3.0)((2, 2))
    assert (W == 3.0).all()
    with pytest.raises(ValueError, match="init must be a callable or one of .*'he_normal'.*got 'he'"):
        ik.get_initializer("he")


# Issue 20: the truncated normal is sampled by inverse CDF, so no bound makes it slow.

@pytest.mark.parametrize("bound", [1e-9, 1e-6, 0.1, 2.0, 8.0, 40.0])
def test_truncated_normal_takes_one_uniform_draw_per_value_for_any_bound(bound):
    # The rejection sampler never returned at bound 1e-9 (and took 20 s at 1e-6); inverse-CDF sampling
    # advances the generator by exactly one uniform draw per value, whatever the bound.
    rng, reference = np.random.default_rng(0), np.random.default_rng(0)
    W = ik.truncated_normal((100, 100), std=1.0, bound=bound, rng=rng)
    reference.uniform(-1.0, 1.0, (100, 100))
    assert rng.bit_generator.state == reference.bit_generator.state
    assert np.abs(W).max() <= bound
    assert abs(W.std() / ik.truncated_normal_std(bound) - 1) < std_tolerance(W.size, kurtosis=3.0 if bound > 3 else 9 / 5)


@pytest.mark.parametrize("bound", [1e-6, 0.5, 2.0, 5.0])
def test_truncated_normal_follows_the_truncated_law(bound):
    W = ik.truncated_normal((200, 100), std=1.0, bound=bound, rng=1)
    assert stats.kstest(W.ravel(), stats.truncnorm(-bound, bound).cdf).pvalue > 1e-4


def test_normal_quantile_matches_scipy_to_1e_15():
    from scipy.special import ndtri

    from initkit.core.truncated import upper_quantile

    p = np.concatenate([np.linspace(0.5, 0.9999, 2001), 1 - np.logspace(-300, -4, 300)])
    tail = np.concatenate([1 - np.linspace(0.5, 0.9999, 2001), np.logspace(-300, -4, 300)])
    np.testing.assert_allclose(upper_quantile(p - 0.5, tail), -ndtri(tail), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ik.random_normal((2, 2), std=1e39, dtype=np.float32), ValueError, "would overflow float32"),
    (lambda: ik.random_uniform((2, 2), low=-1e308, high=1e308), ValueError, "would overflow float64"),
    (lambda: ik.constant((2, 2), value=1e300, dtype=np.float32), ValueError, "value: values up to"),
    (lambda: ik.zeros((10**5, 10**5)), ValueError, "above the limit"),
])
def test_basic_initializers_refuse_what_they_cannot_represent(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_zeros_refuses_a_string_rng_by_name():
    # Issue 26: zeros((2, 2), rng='abc') was accepted (zeros draws nothing, but rng is still checked).
    with pytest.raises(TypeError, match="rng must be None, a non-negative int seed or a numpy Generator; got 'abc'"):
        ik.zeros((2, 2), rng="abc")
