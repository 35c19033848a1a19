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
