"""delta_orthogonal (Xiao et al. 2018): an orthogonal centre, zeros elsewhere, and a convolution that preserves
every input's norm at initialization (with circular or zero padding alike)."""
import numpy as np
import pytest

import initkit as ik
from initkit.core.registry import INIT_TABLE


@pytest.mark.parametrize("c_in, c_out", [(8, 8), (4, 16), (16, 4)])
def test_delta_orthogonal_centre_is_orthogonal_times_gain(c_in, c_out):
    W = ik.delta_orthogonal((3, 3, c_in, c_out), gain=1.5, rng=0)
    C = W[1, 1]
    small = min(c_in, c_out)
    gram = C @ C.T if c_in <= c_out else C.T @ C  # orthonormal rows (in <= out) or columns
    np.testing.assert_allclose(gram, 1.5 ** 2 * np.eye(small), atol=1e-12)


def test_delta_orthogonal_is_zero_off_centre():
    W = ik.delta_orthogonal((5, 5, 6, 6), rng=0)
    off = W.copy()
    off[2, 2] = 0
    assert not off.any()
    assert np.count_nonzero(W[2, 2]) == 36


def test_delta_orthogonal_of_a_matrix_is_orthogonal():
    W = ik.delta_orthogonal((30, 20), rng=0)
    np.testing.assert_allclose(W.T @ W, np.eye(20), atol=1e-12)


def test_delta_orthogonal_centres_are_haar_distributed():
    # Haar-orthogonal 8x8: each entry has mean 0 and variance 1/8; 400 draws x 64 entries
    centres = np.stack([ik.delta_orthogonal((3, 3, 8, 8), rng=s)[1, 1] for s in range(400)])
    assert abs(centres.mean()) < 4 * np.sqrt(1 / 8 / centres.size)
    assert centres.var() == pytest.approx(1 / 8, rel=0.03)  # 25,600 draws: about 1 % standard error


@pytest.mark.parametrize("padding", ["circular", "zero"])
def test_a_delta_orthogonal_conv_preserves_every_norm_whatever_the_padding(padding):
    # only the centre tap is nonzero and it never reads the pad: zero padding is as exact as circular
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7, 6, 4))
    for gain in (1.0, 2.0):
        W = ik.delta_orthogonal((3, 3, 4, 8), gain=gain, rng=1)
        z = ik.conv2d(x, W, padding=padding)
        norms_in, norms_out = np.linalg.norm(x.reshape(5, -1), axis=1), np.linalg.norm(z.reshape(5, -1), axis=1)
        np.testing.assert_allclose(norms_out, gain * norms_in, rtol=1e-12)


def test_a_gaussian_conv_preserves_norms_only_on_average():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7, 6, 4))
    W = ik.he_normal((3, 3, 4, 8), rng=1) / np.sqrt(2)  # Var = 1 / fan_in: the norm is kept on average
    ratio = np.linalg.norm(ik.conv2d(x, W, padding="circular").reshape(5, -1), axis=1) / \
        np.linalg.norm(x.reshape(5, -1), axis=1) / np.sqrt(8 / 4)
    assert np.ptp(ratio) > 1e-3  # each input's norm changes by its own factor


def test_the_table_row_states_orthogonals_variance():
    spec = INIT_TABLE["delta_orthogonal"]
    W = ik.delta_orthogonal((3, 3, 64, 32), rng=0)
    fan_in, fan_out = ik.compute_fans(W.shape)
    assert W.var() == pytest.approx(spec.variance(fan_in, fan_out), rel=0.03)  # 1 / max(fan_in, fan_out)


def test_delta_orthogonal_rejects_a_vector_shape():
    with pytest.raises(ValueError, match="delta_orthogonal needs a shape"):
        ik.delta_orthogonal((5,))
