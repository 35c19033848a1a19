"""Per-parameter learning-rate multipliers (lr_scales) in SGD, Adam and fit_many, per-network lr and Adam in
fit_many: each checked against the single-network path it must reproduce."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.multiseed import fit_many


def _pairs(rng, shapes=((3, 4), (4,), (4, 2))):
    params = [rng.standard_normal(s) for s in shapes]
    grads = [rng.standard_normal(s) for s in shapes]
    return params, grads


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_lr_scales_give_each_parameter_its_own_learning_rate(rng, momentum):
    params, grads = _pairs(rng)
    scales = [1.0, 4.0, 0.25]
    scaled = [p.copy() for p in params]
    opt = ik.SGD(lr=0.1, momentum=momentum, lr_scales=scales)
    singles = [ik.SGD(lr=0.1 * s, momentum=momentum) for s in scales]
    singles_params = [[p.copy()] for p in params]
    for _ in range(3):
        opt.step(scaled, grads)
        for single, p, g in zip(singles, singles_params, grads):
            single.step(p, [g])
    for got, (want,) in zip(scaled, singles_params):
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_sgd_without_scales_is_unchanged_bit_for_bit(rng):
    params, grads = _pairs(rng)
    a, b = [p.copy() for p in params], [p.copy() for p in params]
    ik.SGD(lr=0.1).step(a, grads)
    for p, g in zip(b, grads):
        p -= 0.1 * g  # the optimizer's documented update
    for x, y in zip(a, b):
        assert np.array_equal(x, y)


def test_adam_lr_scales_match_adam_at_the_scaled_learning_rate(rng):
    params, grads = _pairs(rng)
    scales = [1.0, 8.0, 0.125]
    scaled = [p.copy() for p in params]
    opt = ik.Adam(lr=1e-2, lr_scales=scales)
    singles = [(ik.Adam(lr=1e-2 * s), [p.copy()]) for s, p in zip(scales, params)]
    for step in range(4):
        g = [gr * (step + 1) for gr in grads]
        opt.step(scaled, g)
        for (single, p), gi in zip(singles, g):
            single.step(p, [gi])
    for got, (_, (want,)) in zip(scaled, singles):
        np.testing.assert_allclose(got, want, rtol=1e-13)


@pytest.mark.parametrize("bad, error", [([1.0, 2.0], ValueError), ([1.0, 0.0, 1.0], ValueError),
                                        ("fast", TypeError), ([], TypeError)])
def test_bad_lr_scales_are_refused_with_their_name(rng, bad, error):
    params, grads = _pairs(rng)
    with pytest.raises(error, match="lr_scales"):
        ik.SGD(lr=0.1, lr_scales=bad).step(params, grads)


def _digits_small():
    data = ik.load_dataset("digits", rng=0)
    return data.X_train[:96], data.y_train[:96]


def test_fit_many_with_one_lr_per_network_matches_separate_runs():
    X, y = _digits_small()
    lrs = [0.01, 0.05, 0.2]
    nets = [ik.MLP([64, 16, 10], rng=1) for _ in lrs]
    together = fit_many(nets, X, y, lr=lrs, epochs=2, batch_size=32, rng=3)
    for k, lr in enumerate(lrs):
        alone = fit_many([ik.MLP([64, 16, 10], rng=1)], X, y, lr=lr, epochs=2, batch_size=32, rng=3)
        np.testing.assert_allclose(together.step_loss[k], alone.step_loss[0], rtol=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fit_many_with_lr_scales_matches_fit_with_the_optimizer(optimizer):
    X, y = _digits_small()
    build = lambda seed: ik.parametrize([64, 32, 32, 10], "mup", base_width=8, optimizer=optimizer, rng=seed)  # noqa: E731
    nets, scales = zip(*[build(s) for s in range(2)])
    lr = 0.05 if optimizer == "sgd" else 2e-3
    h = fit_many(list(nets), X, y, lr=lr, lr_scales=scales[0], optimizer=optimizer, epochs=2, batch_size=32,
                 rng=5)
    for s in range(2):
        net, sc = build(s)
        opt = ik.SGD(lr=lr, lr_scales=sc) if optimizer == "sgd" else ik.Adam(lr=lr, lr_scales=sc)
        ref = ik.fit(net, X, y, optimizer=opt, epochs=2, batch_size=32, rng=5)
        np.testing.assert_allclose(h.step_loss[s], ref.step_loss, rtol=1e-9)
        for a, b in zip(nets[s].layers, net.layers):
            np.testing.assert_allclose(a.W, b.W, rtol=1e-8, atol=1e-12)


def test_fit_many_refuses_momentum_with_adam_and_a_wrong_number_of_lrs():
    X, y = _digits_small()
    with pytest.raises(ValueError, match="momentum"):
        fit_many([ik.MLP([64, 8, 10], rng=0)], X, y, optimizer="adam", momentum=0.9, epochs=1)
    with pytest.raises(ValueError, match="one per network"):
        fit_many([ik.MLP([64, 8, 10], rng=0)] * 2, X, y, lr=[0.1, 0.2, 0.3], epochs=1)
    with pytest.raises(ValueError, match="lr_scales"):
        fit_many([ik.MLP([64, 8, 10], rng=0)], X, y, lr_scales=[1.0, 2.0], epochs=1)
