import math

import numpy as np
import pytest

import initkit as ik


@pytest.mark.parametrize("shape, fans", [
    ((64, 128), (64, 128)),
    ((3, 16, 32), (48, 96)),  # 1-D conv, kernel 3
    ((3, 3, 16, 32), (144, 288)),  # 2-D conv
    ((2, 3, 3, 4, 5), (72, 90)),  # 3-D conv
])
def test_compute_fans_follows_keras_layout(shape, fans):
    assert ik.compute_fans(shape) == fans


def test_compute_fans_rejects_vectors():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        ik.compute_fans((10,))


def test_compute_fans_rejects_bad_shape():
    with pytest.raises(ValueError, match="shape must be a tuple of positive integers; got \\(3, 0\\)"):
        ik.compute_fans((3, 0))


@pytest.mark.parametrize("name, gain", [
    ("linear", 1.0), ("sigmoid", 1.0), ("tanh", 5 / 3), ("relu", math.sqrt(2)), ("selu", 0.75),
    ("leaky_relu", math.sqrt(2 / (1 + 0.01**2))),
])
def test_calculate_gain_matches_pytorch_table(name, gain):
    assert ik.calculate_gain(name) == pytest.approx(gain, rel=1e-12)


def test_leaky_relu_gain_uses_slope():
    assert ik.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert ik.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))


def test_calculate_gain_rejects_unknown_and_stray_param():
    with pytest.raises(ValueError, match="nonlinearity must be one of .*'tanh'.*got 'tahn'"):
        ik.calculate_gain("tahn")
    with pytest.raises(ValueError, match="param is only used by 'leaky_relu'"):
        ik.calculate_gain("relu", 0.1)


def test_gain_for_relu_is_sqrt2_and_tanh_is_1_5925():
    assert ik.gain_for("relu") == pytest.approx(math.sqrt(2), rel=1e-12)
    assert ik.gain_for("tanh") == pytest.approx(1.5925, abs=5e-5)
    assert ik.gain_for("linear") == pytest.approx(1.0, rel=1e-12)
    assert ik.gain_for("leaky_relu", negative_slope=0.2) == pytest.approx(math.sqrt(2 / 1.04), rel=1e-12)


def test_gain_for_restores_unit_second_moment_by_sampling(rng):
    z = rng.standard_normal(400_000)
    for name in ("tanh", "gelu", "swish", "elu"):
        phi = ik.Activation(name)
        m2 = np.mean(phi(z) ** 2) * ik.gain_for(name) ** 2
        se = np.std(phi(z) ** 2) * ik.gain_for(name) ** 2 / math.sqrt(z.size)
        assert abs(m2 - 1.0) < 5 * se, name


def test_second_moment_of_relu_scales_with_q():
    assert ik.second_moment("relu", 4.0) == pytest.approx(2.0, rel=1e-12)
