import numpy as np
import pytest

import initkit as ik


def test_sgd_momentum_matches_recurrence():
    p, g = np.array([1.0]), np.array([0.5])
    opt = ik.SGD(lr=0.1, momentum=0.9)
    opt.step([p], [g])  # v = -0.05, p = 0.95
    opt.step([p], [g])  # v = -0.045 - 0.05 = -0.095, p = 0.855
    np.testing.assert_allclose(p, [0.855])


def test_adam_first_step_moves_by_lr_times_sign():
    # With bias correction, the first Adam step is lr * g / (|g| + eps) ~ lr * sign(g).
    p = np.array([1.0, -1.0])
    ik.Adam(lr=0.01).step([p], [np.array([3.0, -0.2])])
    np.testing.assert_allclose(p, [0.99, -0.99], rtol=1e-6)


@pytest.mark.parametrize("opt", [ik.SGD(lr=0.1), ik.SGD(lr=0.05, momentum=0.9), ik.Adam(lr=0.1)])
def test_optimizers_minimize_a_quadratic(opt):
    p = np.array([3.0, -2.0])
    for _ in range(300):
        opt.step([p], [2 * p])  # f = |p|^2
    assert np.linalg.norm(p) < 1e-2


def test_optimizer_validation():
    with pytest.raises(ValueError, match="lr must be > 0; got 0"):
        ik.SGD(lr=0)
    with pytest.raises(ValueError, match="optimizer must be one of 'adam', 'sgd'; got 'rmsprop'"):
        ik.get_optimizer("rmsprop")


@pytest.mark.parametrize("name", ["beta1", "beta2"])
def test_adam_betas_must_stay_below_1(name):
    # Regression (issue 20): beta = 1 never updates the moments and divides by 1 - 1^t = 0 (NaN weights).
    with pytest.raises(ValueError, match=f"{name} must be < 1; got 1.0"):
        ik.Adam(**{name: 1.0})


@pytest.mark.parametrize("opt", [ik.SGD(), ik.SGD(momentum=0.9), ik.Adam()])
def test_step_checks_that_params_and_grads_match(opt):
    with pytest.raises(ValueError, match="params and grads must match one to one"):
        opt.step([np.zeros(2)], [])
    with pytest.raises(ValueError, match=r"grads\[0\] must have the shape of params\[0\] \(2,\)"):
        opt.step([np.zeros(2)], [np.zeros(3)])


def test_clip_by_global_norm_scales_each_stacked_network_to_its_own_limit():
    grads = [np.array([[3.0, 0.0], [0.3, 0.0], [6.0, 0.0]]), np.array([[4.0], [0.4], [8.0]])]
    norms = ik.clip_by_global_norm(grads, np.array([1.0, 1.0, np.inf]), n_stack=3)
    np.testing.assert_allclose(norms, [5.0, 0.5, 10.0])
    np.testing.assert_allclose(grads[0][:, 0], [0.6, 0.3, 6.0])  # clipped to 1, left (below 1), left (no limit)
    np.testing.assert_allclose(grads[1][:, 0], [0.8, 0.4, 8.0])
    with pytest.raises(ValueError, match="max_norm must be a positive number or 3"):
        ik.clip_by_global_norm(grads, np.array([1.0, 2.0]), n_stack=3)


@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_stacked_step_with_one_lr_per_network_and_a_keep_mask(opt, rng):
    # Three networks stacked on axis 0: network k moves as its own optimizer at lr[k] would; keep=0 freezes it.
    lrs = np.array([0.1, 0.01, 0.5])
    make = (lambda lr: ik.SGD(lr=lr, momentum=0.9)) if opt == "sgd" else (lambda lr: ik.Adam(lr=lr))
    W, b = rng.standard_normal((3, 4, 2)), rng.standard_normal((3, 2))
    stacked, singles = make(lrs), [make(lr) for lr in lrs]
    params = [W.copy(), b.copy()]
    alone = [[W[k].copy(), b[k].copy()] for k in range(3)]
    for step in range(4):
        grads = [rng.standard_normal(W.shape), rng.standard_normal(b.shape)]
        keep = np.array([1.0, 1.0, 0.0 if step >= 2 else 1.0])
        stacked.step(params, grads, keep)
        for k in range(3):
            if keep[k]:
                singles[k].step(alone[k], [grads[0][k], grads[1][k]])
    for k in range(3):
        np.testing.assert_allclose(params[0][k], alone[k][0], rtol=1e-14)
        np.testing.assert_allclose(params[1][k], alone[k][1], rtol=1e-14)


def test_lr_must_be_positive_or_one_positive_number_per_network():
    with pytest.raises(ValueError, match="one per network"):
        ik.SGD(lr=np.array([0.1, -1.0]))
    with pytest.raises(ValueError, match="one per network"):
        ik.Adam(lr=np.ones((2, 2)))


def test_one_lr_per_network_needs_stacked_parameters():
    with pytest.raises(ValueError, match=r"leading axis of 2; params\[0\] has shape \(3, 4\)"):
        ik.SGD(lr=np.array([0.1, 0.2])).step([np.ones((3, 4))], [np.ones((3, 4))])
    with pytest.raises(ValueError, match="lr must be a positive number or a 1-D array"):
        ik.Adam(lr=[])
