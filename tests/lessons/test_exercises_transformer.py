"""Notebook 10's exercises: the references pass, typical wrong answers fail with feedback."""
import numpy as np

import initkit as ik

# Typical wrong answers: each must fail with specific feedback (tests/lessons/test_exercises.py).
WRONG = {
    "logit_scale": lambda d_k, q_std, k_std: 1.0 / d_k,  # 1/d_k instead of 1/sqrt(d_k q_std^2 k_std^2)
    "residual_proj_std": lambda std, n_blocks, branches_per_block: std / n_blocks,  # 1/L, not 1/sqrt(N)
    "attention_entropy": lambda probs: float(-(probs * np.log(np.where(probs > 0, probs, 1.0))).sum()),  # sum, not mean
    "stream_variance": lambda var0, branch_var, n_blocks: var0 * (1 + branch_var) ** n_blocks,  # multiplied, not added
}



def test_logit_scale_accepts_inverse_std_and_rejects_inverse_dk():
    ok, _ = ik.exercises.evaluate("logit_scale", lambda d_k, q_std, k_std: 1 / (np.sqrt(d_k) * q_std * k_std))
    bad, msg = ik.exercises.evaluate("logit_scale", lambda d_k, q_std, k_std: 1 / d_k)
    assert ok and not bad and "expected" in msg


def test_residual_proj_std_rejects_one_over_l():
    assert ik.exercises.evaluate("residual_proj_std", lambda std, n_blocks, branches_per_block:
                                 std / np.sqrt(n_blocks * branches_per_block))[0]
    assert not ik.exercises.evaluate("residual_proj_std", lambda std, n_blocks, branches_per_block:
                                     std / n_blocks)[0]


def test_attention_entropy_needs_zero_log_zero():
    naive = lambda probs: float(-(probs * np.log(probs)).sum(-1).mean())  # noqa: E731  (nan on masked zeros)
    assert ik.exercises.evaluate("attention_entropy", ik.attention_entropy)[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        assert not ik.exercises.evaluate("attention_entropy", naive)[0]


def test_stream_variance_rejects_multiplicative_growth():
    assert ik.exercises.evaluate("stream_variance", lambda var0, branch_var, n_blocks: var0 + n_blocks * branch_var)[0]
    assert not ik.exercises.evaluate("stream_variance",
                                     lambda var0, branch_var, n_blocks: var0 * (1 + branch_var) ** n_blocks)[0]


def test_not_attempted_says_your_turn():
    def stub(**kwargs):
        raise NotImplementedError

    ok, msg = ik.exercises.evaluate("logit_scale", stub)
    assert not ok and msg.startswith("Your turn")
