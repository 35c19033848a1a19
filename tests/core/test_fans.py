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


def test_changing_hes_variance_in_its_one_home_changes_every_use(monkeypatch):
    """He's rule lives in the gain table (gain^2 = 2 / (1 + a^2)); give it 3 instead of 2 and every draw, theory
    prediction, menu label, preset, residual scheme and exercise check that uses He follows."""
    from initkit.core import fans
    from initkit.core.registry import menu
    from initkit.lessons.exercises_basics import _he_std
    from initkit.widgets.basics import presets

    monkeypatch.setitem(fans.SQUARED_GAINS, "leaky_relu", lambda a: 3.0 / (1.0 + a * a))
    shape = (256, 128)
    for fn, law in [(ik.he_normal, "normal"), (ik.kaiming_uniform, "uniform")]:  # draws, and their aliases
        np.testing.assert_array_equal(fn(shape, rng=0), ik.variance_scaling(shape, 3.0, "fan_in", law, rng=0))
    np.testing.assert_array_equal(ik.MLP([256, 128], init="he_normal", rng=0).layers[0].W,
                                  ik.variance_scaling(shape, 3.0, "fan_in", "normal", rng=np.random.default_rng(0)))
    assert ik.he_normal(shape, negative_slope=1.0, rng=0).std() == pytest.approx(np.sqrt(1.5 / 256), rel=0.02)
    assert ik.calculate_gain("relu") == pytest.approx(np.sqrt(3.0), rel=1e-15)
    spec = ik.INIT_TABLE["he_normal"]  # the table's row: variance, formula, menu label
    assert (spec.variance(256, 128), spec.formula, spec.menu_label) == (3 / 256, "Var(W) = 3 / fan_in", "He √(3/n)")
    assert ik.INIT_TABLE["he_uniform"].formula == "Var(W) = 3 / fan_in" and menu()["He √(3/n)"] == "he_normal"
    assert ik.theory.weight_variance("kaiming_normal", 256, 128) == 3 / 256  # theory
    assert ik.theory.predict([100] * 3, "linear", init="he_normal").pre_var[0] == pytest.approx(3.0, rel=1e-12)
    assert "He leaky √(3/((1+a²)n))" in presets()  # the explorer's preset, and its variance at slope a
    assert spec.variance(100, 100, 0.5) == pytest.approx(3 / (1.25 * 100), rel=1e-15)
    assert ik.scheme_factors("he", 4)["c"] == pytest.approx(3 * 0.5 * 3)  # residual branch gain s^2 / 2
    assert _he_std((256, 128)) == pytest.approx(np.sqrt(3 / 256))  # the exercise's reference and check
    assert ik.pytorch_default((512, 256), rng=0).std() == pytest.approx(np.sqrt(3 / 6 / 512), rel=0.02)
