"""ResidualMLP: exact backprop (finite differences in float64), the init schemes, training and probe."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.residual_init import SCHEMES


def _loss_value(net, x, y):
    return ik.softmax_cross_entropy(net.forward(x), y)[0]


def _perturbed(net, rng):
    """Move every parameter off its (possibly zero) initial value so every gradient path is exercised."""
    for p in net.parameters():
        p += 0.3 * rng.standard_normal(p.shape)
    return net


@pytest.mark.parametrize("scheme,norm", [(s, None) for s in SCHEMES if s != "zero_gamma"]
                         + [("he", "batch"), ("zero_gamma", "batch")])
def test_backward_matches_finite_differences(scheme, norm):
    rng = np.random.default_rng(0)
    net = _perturbed(ik.ResidualMLP(5, 4, 3, 3, init_scheme=scheme, norm=norm, rng=1), rng)
    x, y = rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
    net.loss_and_gradients(x, y, "softmax_cross_entropy")
    grads = [g.copy() for g in net.gradients()]
    assert len(grads) == len(net.parameters())
    for p, g in zip(net.parameters(), grads):
        num = ik.numerical_gradient(lambda: _loss_value(net, x, y), p)
        assert ik.relative_error(g, num) < 1e-6 or np.max(np.abs(g - num)) < 1e-9


def test_input_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    net = _perturbed(ik.ResidualMLP(4, 3, 2, 2, init_scheme="fixup", rng=0), rng)
    x, y = rng.standard_normal((5, 4)), rng.integers(0, 2, 5)
    _, grad = ik.softmax_cross_entropy(net.forward(x), y)
    dx = net.backward(grad, need_input_grad=True).dx
    assert ik.relative_error(dx, ik.numerical_gradient(lambda: _loss_value(net, x, y), x)) < 1e-6


def test_learned_scalars_are_parameters_only_for_their_schemes():
    counts = {s: len(ik.ResidualMLP(3, 4, 2, 2, init_scheme=s, rng=0).parameters()) for s in ("he", "rezero", "fixup")}
    base = 2 + 2 * 4 + 2  # projection, 2 blocks of (W1, b1, W2, b2), classifier
    assert counts == {"he": base, "rezero": base + 2, "fixup": base + 2 * 3}


def test_schemes_set_the_documented_values():
    L = 16
    fixup = ik.ResidualMLP(8, 64, L, 3, init_scheme="fixup", rng=0)
    he = ik.ResidualMLP(8, 64, L, 3, init_scheme="he", rng=0)
    for bf, bh in zip(fixup.blocks, he.blocks):
        np.testing.assert_allclose(bf.branch[0].W, bh.branch[0].W * L ** -0.5)  # same draws, scaled
        assert not bf.branch[1].W.any()
    assert not fixup.layers[-1].W.any()
    gpt2 = ik.ResidualMLP(8, 64, L, 3, init_scheme="gpt2", rng=0)
    np.testing.assert_allclose(gpt2.blocks[3].branch[1].W, he.blocks[3].branch[1].W / np.sqrt(2 * L))
    assert all(b.alpha[0] == 0 for b in ik.ResidualMLP(8, 4, 3, 3, init_scheme="rezero", rng=0).blocks)
    zg = ik.ResidualMLP(8, 4, 3, 3, init_scheme="zero_gamma", norm="batch", rng=0)
    assert all(not b.branch[1].norm.gamma.any() and b.branch[0].norm.gamma.all() for b in zg.blocks)


def test_zero_gamma_needs_batchnorm():
    with pytest.raises(ValueError, match="needs norm='batch'"):
        ik.ResidualMLP(8, 4, 3, 3, init_scheme="zero_gamma")


def test_unknown_scheme_is_rejected_with_the_list():
    with pytest.raises(ValueError, match="init_scheme must be one of .*'fixup'.*got 'fixupp'"):
        ik.ResidualMLP(8, 4, 3, 3, init_scheme="fixupp")


@pytest.mark.parametrize("scheme", ["skipinit", "zero_last", "fixup"])
def test_identity_schemes_start_as_identity_blocks(scheme):
    net = ik.ResidualMLP(6, 8, 5, 2, init_scheme=scheme, rng=0)
    net.forward(np.random.default_rng(0).standard_normal((10, 6)))
    for x_prev, x_next in zip(net.stream[:-1], net.stream[1:]):
        np.testing.assert_array_equal(x_prev, x_next)


def test_he_forward_second_moment_grows_by_three_per_block():
    # Var(x_{l+1}) = Var(x_l) (1 + c), c = 2 for He/He; averaged over 20 networks, 2000 samples, width 256.
    ratios = []
    for seed in range(20):
        net = ik.ResidualMLP(16, 256, 1, 2, init_scheme="he", rng=seed)
        net.forward(np.random.default_rng(seed + 100).standard_normal((2000, 16)))
        x0, x1 = net.stream
        ratios.append(np.mean(x1**2) / np.mean(x0**2))
    # one block's ratio fluctuates by about sqrt(8/width) ~ 0.18 relative over networks; 20 nets: 0.04
    assert abs(np.mean(ratios) / 3.0 - 1) < 0.1


def test_fit_trains_a_fixup_net_on_digits():
    data = ik.load_dataset("digits", rng=0)
    net = ik.ResidualMLP(64, 32, 10, 10, init_scheme="fixup", rng=0)
    h = ik.fit(net, data, epochs=2, lr=0.05, progress=False, rng=0)
    assert not h.diverged and h.test_acc[-1] > 0.8  # chance is 0.1


def test_fit_reports_he_divergence_at_depth():
    data = ik.load_dataset("digits", rng=0)
    h = ik.fit(ik.ResidualMLP(64, 32, 50, 10, init_scheme="he", rng=0), data, epochs=1, lr=0.05, progress=False,
               rng=0)
    assert h.diverged and h.diverged_at == 1


def test_probe_records_equal_a_direct_forward_backward():
    net = ik.ResidualMLP(12, 16, 4, 3, init_scheme="scaled", norm="batch", rng=0)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((64, 12))
    result = ik.probe(net, x=x, rng=0)
    twin = net.copy()
    twin.forward(x)
    # probe draws its dL/d(output) from probe_generator(0) (x is given, so that is its first draw): use the same
    gen = ik.measure.probe.probe_generator(0)
    grads = twin.backward(gen.standard_normal((64, 3)))
    assert result.depth == len(net.layers) == 6
    np.testing.assert_allclose(result.column("act_std"), [float(np.std(l.a)) for l in twin.layers], rtol=1e-12)
    np.testing.assert_allclose(result.column("da_std"), [float(np.std(d)) for d in grads.da], rtol=1e-12)
    np.testing.assert_allclose(result.column("dW_std")[1:-1], [float(np.std(b.branch[0].dW)) for b in twin.blocks],
                               rtol=1e-12)
    assert np.array_equal(net.blocks[0].branch[0].norm.running_mean, np.zeros(16))  # probe left the net untouched


def test_gradient_check_names_and_checks_every_parameter():
    rng = np.random.default_rng(4)
    net = _perturbed(ik.ResidualMLP(4, 3, 2, 2, init_scheme="fixup", norm="batch", rng=0), rng)
    records = ik.gradient_check(net, rng.standard_normal((6, 4)), rng.integers(0, 2, 6))
    assert len(records) == len(net.parameters()) and all(r["ok"] for r in records)
    assert [r["param"] for r in records if r["layer"] == 2] == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2",
                                                               "beta2", "alpha", "s1", "s2"]


def test_lsuv_refuses_a_residual_network():
    net = ik.ResidualMLP(8, 16, 3, 2, rng=0)
    with pytest.raises(TypeError, match="lsuv initializes networks of Dense layers .* ResidualBlock"):
        ik.lsuv(net, np.random.default_rng(0).standard_normal((32, 8)))


def test_fit_snapshots_record_every_layer_of_a_residual_network():
    data = ik.load_dataset("digits", rng=0)
    net = ik.ResidualMLP(64, 16, 3, 10, init_scheme="fixup", rng=0)
    h = ik.fit(net, data, epochs=1, lr=0.05, snapshot_every=20, progress=False, rng=0)
    assert len(h.snapshots[0]["layers"]) == len(net.layers) == 5
