"""The one divergence rule: DivergenceCheck (fit, fit_many) and diverged_at (trainers that record it)."""
import numpy as np

import initkit as ik
from initkit.nn.divergence import DivergenceCheck, broken, diverged_at


def test_broken_is_the_same_rule_for_one_loss_and_for_arrays():
    losses = [1.0, 2.5e4, float("inf"), float("nan"), 10.0]
    assert [bool(broken(x, 2.3e4)) for x in losses] == list(broken(np.array(losses), 2.3e4))
    assert list(broken(np.array(losses), None)) == [False, False, True, True, False]


def test_diverged_at_agrees_with_the_check_fit_applies_step_by_step(rng):
    losses = np.abs(rng.standard_normal((50, 4))) * 3
    losses[20, 1], losses[7, 2], losses[30:, 3] = 1e9, np.nan, 3e4
    want = []
    for run in losses.T:
        check = DivergenceCheck(1e4, 2.3, "chance")
        want.append(next((t + 1 for t, x in enumerate(run) if check(float(x)) is not None), 0))
    assert diverged_at(losses, 2.3).tolist() == want == [0, 21, 8, 31]


def test_recurrent_and_token_trainers_record_divergence_without_stopping():
    h = ik.train_adding(ik.RNN(2, 4, 1, n_stack=2, rng=0), 5, steps=4, batch_size=4, n_test=8, rng=0, progress=False)
    assert h.diverged_at.tolist() == [0, 0] and h.train_mse.shape == (4, 2)
    runs = ik.train_token_task("gpt2", seeds=(0,), steps=2, d=8, n_blocks=1, n_heads=1, n_test=8, progress=False)
    assert runs.diverged_at.tolist() == [0]
