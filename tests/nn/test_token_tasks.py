"""initkit.nn.token_tasks: the generated copy, reverse and sort tasks."""
import numpy as np
import pytest

from initkit.nn.token_tasks import TASKS, token_task


@pytest.mark.parametrize("task", sorted(TASKS))
def test_targets_are_the_next_tokens_and_the_scored_half_is_the_task(task):
    b = token_task(task, n=50, length=5, vocab_size=9, rng=0)
    assert b.tokens.shape == b.targets.shape == (50, 10)  # T = 2 length
    np.testing.assert_array_equal(b.targets[:, :-1], b.tokens[:, 1:])  # next-token targets
    assert np.all(b.tokens[:, 5] == 8)  # the separator is the last symbol
    x = b.tokens[:, :5]
    assert x.max() < 8
    np.testing.assert_array_equal(b.targets[:, b.positions], TASKS[task](x))


def test_same_seed_same_batch_and_bad_task_is_named():
    a, b = token_task("sort", rng=3), token_task("sort", rng=3)
    np.testing.assert_array_equal(a.tokens, b.tokens)
    with pytest.raises(ValueError, match="task"):
        token_task("shuffle")
