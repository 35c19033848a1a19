"""Notebook 09's exercises: the references pass, typical mistakes get specific feedback."""
import numpy as np
import pytest

from initkit.lessons.exercises import EXERCISES, evaluate
from initkit.lessons.exercises_residual import EXERCISES as RESIDUAL

WRONG = {
    # alpha instead of alpha^2
    "residual_stream_variance": lambda var0, alpha, c, n_blocks: var0 * (1 + alpha * c) ** n_blocks,
    "branch_scale_for_e": lambda n_blocks, c: 1 / np.sqrt(n_blocks * c),  # the limit L -> inf, not exact at finite L
    "fixup_scale": lambda n_blocks, m: n_blocks ** (-1.0 / (2 * m)),  # 2m instead of 2m - 2
}


def test_every_exercise_of_notebook_09_is_gathered():
    assert set(RESIDUAL) <= set(EXERCISES) and set(WRONG) == set(RESIDUAL)


@pytest.mark.parametrize("name", sorted(RESIDUAL))
def test_reference_passes_and_mistake_fails(name):
    assert evaluate(name, RESIDUAL[name].reference)[0]
    passed, message = evaluate(name, WRONG[name])
    assert not passed and "expected" in message and "Hint:" in message


def test_branch_scale_keeps_the_stream_within_e():
    for L in (1, 8, 50):
        alpha = RESIDUAL["branch_scale_for_e"].reference(n_blocks=L, c=2.0)
        assert np.isclose(RESIDUAL["residual_stream_variance"].reference(1.0, alpha, 2.0, L), np.e)
