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
