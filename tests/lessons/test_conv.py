"""initkit.lessons.conv: the CNN signal and Jacobian behind notebook 13, against what they must equal."""
import numpy as np
import pytest

import initkit as ik
from initkit.lessons.conv import conv_kernel, conv_profile, dense_rule_on_channels, second_moments


@pytest.mark.parametrize("kernel", ["gaussian", "delta_orthogonal"])
def test_a_linear_profile_jacobian_is_the_product_of_the_convolutions(kernel):
    # linear activation: J = K_L ... K_1, each K_l the conv as a matrix built column by column here
    p = conv_profile(3, 1.3, kernel, activation="linear", channels=2, size=3, rng=5)
    rng = np.random.default_rng(5)
    rng.standard_normal((1, 3, 3, 2))  # the input drawn first
    n = 18
    J = np.eye(n)
    for _ in range(3):
        W = conv_kernel(kernel, 3, 2, 2, 1.3, rng)
        K = np.stack([ik.conv2d(e.reshape(1, 3, 3, 2), W, padding="circular").ravel() for e in np.eye(n)])
        J = J @ K  # rows: the basis directions pushed through
    np.testing.assert_allclose(p.singular_values, np.linalg.svd(J, compute_uv=False), rtol=1e-10, atol=1e-12)


def test_a_tanh_profile_jacobian_matches_finite_differences():
    p = conv_profile(4, 1.0, "gaussian", activation="tanh", channels=2, size=3, q0=0.5, rng=1)
    rng = np.random.default_rng(1)
    x = np.sqrt(0.5) * rng.standard_normal((1, 3, 3, 2))
    Ws = [conv_kernel("gaussian", 3, 2, 2, 1.0, rng) for _ in range(4)]

    def net(v):
        a = v.reshape(1, 3, 3, 2)
        for W in Ws:
            a = np.tanh(ik.conv2d(a, W, padding="circular"))
        return a.ravel()

    h, x0 = 1e-6, x.ravel()
    J = np.stack([(net(x0 + h * e) - net(x0 - h * e)) / (2 * h) for e in np.eye(18)])
    np.testing.assert_allclose(p.singular_values, np.linalg.svd(J, compute_uv=False), rtol=1e-6, atol=1e-9)


def test_delta_orthogonal_keeps_the_linear_signal_exactly():
    p = conv_profile(20, 1.0, "delta_orthogonal", activation="linear", channels=4, size=4, q0=0.1, rng=0)
    assert np.allclose(p.q, p.q[0]) and np.allclose(p.singular_values, 1.0)


def test_gaussian_kernels_have_variance_sigma_w2_over_k2_cin():
    W = conv_kernel("gaussian", 3, 32, 32, 1.5, np.random.default_rng(0))  # 9,216 draws: 1.5 % standard error
    assert W.var() * 9 * 32 == pytest.approx(1.5, rel=0.05)
    He = conv_kernel("he", 3, 32, 32, 0.7, np.random.default_rng(0))
    assert He.var() * 9 * 32 == pytest.approx(2.0, rel=0.05)


@pytest.mark.parametrize("init, factor", [(dense_rule_on_channels, 9.0), ("he_normal", 1.0),
                                         ("pytorch_default", 1 / 6), ("glorot_normal", 0.5)])
def test_relu_signal_changes_per_layer_by_fan_in_var_w_over_two(init, factor):
    # E[z_next^2] = k^2 c_in Var(W) E[z^2] / 2 in expectation over the kernel (each layer's own draw fluctuates:
    # few channels, spatially correlated inputs), so the test averages the ratio over layers and seeds
    x = np.random.default_rng(0).standard_normal((10, 64))
    ratios = []
    for seed in range(4):
        q = second_moments(ik.CNN((8, 8, 1), [16] * 8, 2, init=init, padding="circular", rng=seed), x)
        ratios.extend(q[1:] / q[:-1])
    assert np.mean(ratios) == pytest.approx(factor, rel=0.2)
