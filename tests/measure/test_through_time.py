"""initkit.measure.through_time: the gradient through time of a recurrent network, its spectrum, its rate."""
import numpy as np
import pytest

import initkit as ik
from initkit.measure.through_time import decay_rate, gradient_through_time, spectrum


def test_linear_orthogonal_rnn_scales_the_gradient_by_exactly_scale_per_step():
    net = ik.RNN(1, 16, 1, activation="linear", recurrent_init="orthogonal", scale=0.8, rng=0)
    g = gradient_through_time(net, np.zeros((4, 13, 1)), rng=1)
    np.testing.assert_allclose(g, 0.8 ** np.arange(12, -1, -1), rtol=1e-10)
    assert decay_rate(g) == pytest.approx(0.8)


def test_decay_rate_reads_a_geometric_sequence_and_skips_the_transient():
    norms = np.concatenate([2.0 ** np.arange(10, 0, -1), [50.0, 1.0]])  # a jump in the last two steps
    assert decay_rate(norms, skip=2) == pytest.approx(2.0)


def test_spectrum_of_a_rotation_and_a_non_square_matrix_error():
    c, s = np.cos(0.3), np.sin(0.3)
    eig, sv = spectrum(1.5 * np.array([[c, -s], [s, c]]))
    np.testing.assert_allclose(np.abs(eig), [1.5, 1.5])
    np.testing.assert_allclose(sv, [1.5, 1.5])
    with pytest.raises(ValueError, match="W must be a square matrix; got shape"):
        spectrum(np.ones((2, 3)))
