"""lessons/residual.py: the per-block profile against its theory, and Hanin & Rolnick's length spread."""
import numpy as np
import pytest

import initkit as ik
from initkit.lessons.residual import CHOICES, length_spread, profile_choice, residual_profile


def test_he_profile_follows_three_to_the_l_forward_and_backward():
    # width 256, 500 samples: per block the measured ratio fluctuates by about sqrt(8 / 256) ~ 18% over
    # networks; over 8 blocks the log-ratio's spread is about 0.18 sqrt(8) ~ 0.5: a factor 2 is > 1.3 sigma
    # in the log, so check the mean over 5 networks within a factor 1.6.
    logs = []
    for seed in range(5):
        p = residual_profile(8, 1.0, "he", width=256, n_samples=500, dtype=np.float64, rng=seed)
        logs.append([np.log(p.forward[-1] / p.forward_theory[-1]), np.log(p.grad[0] / p.grad_theory[0])])
    assert p.forward_theory[-1] == pytest.approx(3.0**8) and p.c == 2.0
    assert np.all(np.abs(np.mean(logs, axis=0)) < np.log(1.6))


@pytest.mark.parametrize("scheme", ["rezero", "skipinit", "zero_last", "fixup"])
def test_identity_schemes_give_flat_profiles(scheme):
    p = residual_profile(20, 1.0, scheme, width=32, n_samples=64)
    np.testing.assert_allclose(p.forward, 1.0, rtol=1e-6)
    np.testing.assert_allclose(p.grad, 1.0, rtol=1e-6)


def test_alpha_zero_turns_he_into_the_identity():
    p = residual_profile(10, 0.0, "he", width=32, n_samples=64)
    np.testing.assert_allclose(p.forward, 1.0, rtol=1e-6)


def test_scaled_scheme_is_bounded_by_e_to_the_c():
    p = residual_profile(100, 1.0, "scaled", width=32, n_samples=64)
    assert p.forward_theory[-1] == pytest.approx((1 + 2 / 100) ** 100) and p.forward_theory[-1] < np.exp(2)


def test_batchnorm_profile_grows_linearly():
    # Var(x_{l+1}) = Var(x_l) + gamma^2 (BatchNorm's output has unit variance per unit in training mode)
    p = residual_profile(30, 1.0, "he", norm="batch", width=64, n_samples=256)
    increments = np.diff(p.forward) * p.forward_theory[1] ** 0  # relative units
    q0_inv = p.forward_theory[1] - 1  # 1 / E[x_0^2]
    np.testing.assert_allclose(np.mean(increments) / q0_inv, 1.0, rtol=0.1)
    assert np.isnan(p.grad_theory).all()


def test_profile_choice_rejects_unknown_labels():
    assert profile_choice("Fixup", 5).scheme == "fixup" and set(CHOICES) >= {"He (fails)", "Fixup"}
    with pytest.raises(ValueError, match="choice must be one of"):
        profile_choice("fixup", 5)


def test_residual_profile_equals_the_networks_own_pass():
    # same seed: the profile's stream is the ResidualMLP's own stream
    gen = np.random.default_rng(3)
    net = ik.ResidualMLP(16, 16, 4, 10, init_scheme="gpt2", dtype=np.float32, rng=gen)
    x = gen.standard_normal((32, 16)).astype(np.float32)
    net.forward(x)
    q = [np.mean(np.square(s, dtype=np.float64)) for s in net.stream]
    p = residual_profile(4, 1.0, "gpt2", width=16, n_samples=32, rng=3)
    np.testing.assert_allclose(p.forward, np.array(q) / q[0], rtol=1e-6)


def test_length_spread_plain_grows_with_depth_residual_does_not():
    # Hanin & Rolnick 2018: Var(log length) ~ 5 sum 1/n_j for plain ReLU nets (here 5 * 40 / 16 = 12.5)
    plain = length_spread("plain", depth=40, width=16, n_nets=60, rng=0)
    res = length_spread("residual", depth=40, width=16, n_nets=60, rng=0)
    assert plain.var(ddof=1) > 5 * res.var(ddof=1)
    with pytest.raises(ValueError, match="kind must be one of"):
        length_spread("dense")


def test_theory_range_covers_every_scheme():
    from initkit.lessons.residual import CHOICES, profile_choice, theory_range

    lo, hi = theory_range(12, 0.7)
    for choice in CHOICES:
        p = profile_choice(choice, n_blocks=12, alpha=0.7, n_samples=32)
        finite = p.forward_theory[np.isfinite(p.forward_theory)]
        if CHOICES[choice][1] is None:  # BatchNorm's theory uses the measured E[x_0^2]; the view adds the data
            assert lo <= finite.min() and finite.max() <= hi * (1 + 1e-12), choice
    assert theory_range(12, 0.0) == (1.0, 1.0)
