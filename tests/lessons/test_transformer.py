"""Notebook 10's measurements: each asserts the property the notebook states."""
import numpy as np
import pytest

import initkit as ik


def test_attention_entropy_falls_and_softmax_gradient_vanishes_with_logit_scale():
    sat = ik.attention_saturation([1.0, 8.0, 64.0], d=32, T=32, n=8, rng=0)
    assert np.all(np.diff(sat["entropy"]) < 0)
    assert sat["entropy"][0] > 0.8 * np.log(32)
    assert sat["saturated"][2] > 0.5 and sat["jacobian"][2] < 1e-3 * sat["jacobian"][0]
    # logits of q.k with unit-variance q, k, scaled by factor / sqrt(d_k): std ~ factor (8 x 32 x 32 logits)
    np.testing.assert_allclose(sat["logit_std"], [1, 8, 64], rtol=0.1)


def test_softmax_jacobian_norm_matches_the_explicit_matrix():
    p = np.random.default_rng(0).dirichlet(np.ones(7), size=5)
    explicit = [np.linalg.norm(np.diag(r) - np.outer(r, r)) for r in p]
    np.testing.assert_allclose(ik.softmax_jacobian_norm(p), explicit, rtol=1e-12)


def test_softmax_jacobian_norm_keeps_relative_precision_on_near_one_hot_rows():
    # Dyadic rows (exact in float64, summing exactly to 1) with tail entries down to 2^-48; the reference norm
    # is computed exactly in rationals. The expanded formula returned 0 or lost digits here.
    from fractions import Fraction
    rows = []
    for e in (10, 20, 30, 40, 48):  # 1 - 12 x 2^-e needs e <= 53 bits
        tail = [2.0 ** -e * k for k in (1, 2, 3, 1, 5)]
        rows.append([1.0 - sum(tail)] + tail)
        rows.append(tail[:2] + [1.0 - sum(tail)] + tail[2:])  # the large entry not first
    rows = np.array(rows)
    assert np.all(rows.sum(axis=1) == 1.0)
    exact = []
    for r in rows:
        q = [Fraction(v) for v in r]
        sq = sum((qi * ((1 if i == j else 0) - qj)) ** 2 for i, qi in enumerate(q) for j, qj in enumerate(q))
        exact.append(float(sq) ** 0.5)
    got = ik.softmax_jacobian_norm(rows)
    assert np.all(got > 0)
    np.testing.assert_allclose(got, exact, rtol=1e-12)
    # and on saturated softmax rows of large logits: about sqrt(2) x the tail mass for a single small entry
    logits = np.array([[0.0, -30.0], [0.0, -40.0]])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ik.softmax_jacobian_norm(p), 2 * p[:, 0] * p[:, 1], rtol=1e-12)


def test_uniform_entropy_causal_is_mean_log_row_length():
    assert ik.uniform_entropy(4) == pytest.approx(np.mean(np.log([1, 2, 3, 4])))
    assert ik.uniform_entropy(4, causal=False) == pytest.approx(np.log(4))


def test_pure_attention_collapses_rank_and_skips_prevent_it():
    out = ik.rank_collapse(depth=6, d=32, T=8, batch=4, rng=0)
    cos, erank = out["attention only"]
    assert erank[-1] < 1.05 and cos[-1] > 0.99
    for variant in ik.RANK_VARIANTS[1:]:
        assert out[variant][1][-1] > 3  # of 8 tokens


def test_post_ln_last_block_gradient_does_not_shrink_with_depth_like_pre_ln():
    ratio = []
    for L in (1, 8):
        last = {n: np.mean([ik.layer_gradient_norms(n, n_blocks=L, d=32, rng=s)["mlp_proj"][-1] for s in range(3)])
                for n in ("pre", "post")}
        ratio.append(last["post"] / last["pre"])
    assert ratio[1] > 2 * ratio[0]  # Xiong et al.: the ratio grows like sqrt(L) = 2.8 from L = 1 to 8


def test_token_task_reverses_and_scores_only_the_answer():
    b = ik.token_task("reverse", n=5, length=3, vocab_size=7, rng=0)
    x = b.tokens[:, :3]
    np.testing.assert_array_equal(b.targets[:, b.positions], x[:, ::-1])
    assert np.all(b.tokens[:, 3] == 6) and b.tokens.shape == (5, 6)
    s = ik.token_task("sort", n=5, length=3, vocab_size=7, rng=0)
    np.testing.assert_array_equal(s.targets[:, s.positions], np.sort(s.tokens[:, :3], axis=1))


def test_gpt2_init_learns_reverse_and_unit_init_does_not():
    good = ik.train_token_task("gpt2", seeds=(0,), steps=100)
    bad = ik.train_token_task("normal", seeds=(0,), steps=100, std=1.0)
    assert good.test_accuracy[0] > 0.9 and bad.test_accuracy[0] < 0.7
    assert bad.train_loss[0, 0] > 2 * bad.chance_loss  # the initial-loss check fails for N(0, 1)


def test_static_plots_draw_one_line_per_series():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sat = ik.attention_saturation([1.0, 2.0], d=16, T=8, n=2)
    assert len(ik.plotting.plot_saturation([1.0, 2.0], sat, 8).get_lines()) == 2
    recs = [ik.residual_stream(3, init=i, batch=2) for i in ("gpt2", "zero_proj")]
    assert len(ik.plotting.plot_stream(recs, ["a", "b"]).get_lines()) == 5
    axes = ik.plotting.plot_rank_collapse(ik.rank_collapse(depth=2, d=16, T=4, batch=2))
    assert len(axes[1].get_lines()) == 3
    runs = [ik.train_token_task("gpt2", seeds=(0, 1), steps=12, d=8, n_blocks=1, n_heads=1)]
    assert len(ik.plotting.plot_token_runs(runs, ["gpt2"], smooth=3).get_lines()) == 2
    plt.close("all")


@pytest.mark.parametrize("depth, logit, qk, proj, dtype", [(12, 1.0, 1.0, 1.0, np.float32), (3, 2.5, 0.3, 17.0, np.float32),
                                                         (5, 0.1, 20.0, 0.0, np.float64), (12, 1.0, 1.0, 0.01, np.float32)])
def test_residual_stream_reuses_drawn_weights_bit_for_bit(depth, logit, qk, proj, dtype):
    # A seed reuses the drawn weights (scaled copies, the widget's fast step); a Generator with the same seed
    # draws afresh: the two must agree exactly, whatever was asked before.
    ik.residual_stream(depth, 3.0, 2.0, 5.0, dtype=dtype, rng=7)  # another step first: no state may leak
    cached = ik.residual_stream(depth, logit, qk, proj, dtype=dtype, rng=7)
    fresh = ik.residual_stream(depth, logit, qk, proj, dtype=dtype, rng=np.random.default_rng(7))
    for name in ("stream_std", "stream_theory", "entropy", "logit_std"):
        np.testing.assert_array_equal(getattr(cached, name), getattr(fresh, name), err_msg=name)
    assert cached.uniform_entropy == fresh.uniform_entropy


@pytest.mark.parametrize("init", sorted(ik.nn.transformer.INIT_SCHEMES))
def test_residual_stream_reuses_drawn_weights_under_every_scheme(init):
    cached = ik.residual_stream(4, 1.5, 0.7, 3.0, init=init, batch=2, rng=5)
    fresh = ik.residual_stream(4, 1.5, 0.7, 3.0, init=init, batch=2, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(cached.stream_std, fresh.stream_std)
    np.testing.assert_array_equal(cached.logit_std, fresh.logit_std)
