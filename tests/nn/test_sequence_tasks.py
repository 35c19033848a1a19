"""The adding and copying-memory tasks: what the target is, and the baseline a memoryless network scores."""
import numpy as np
import pytest

import initkit as ik


def test_adding_problem_target_is_the_sum_of_the_two_marked_values():
    batch = ik.adding_problem(500, 20, rng=0)
    values, marker = batch.x[..., 0], batch.x[..., 1]
    assert np.all(marker.sum(axis=1) == 2)
    assert np.all(marker[:, :10].sum(axis=1) == 1) and np.all(marker[:, 10:].sum(axis=1) == 1)  # one per half
    np.testing.assert_allclose(batch.y[:, 0], (values * marker).sum(axis=1))


def test_adding_problem_baseline_is_the_mse_of_answering_one():
    n = 20_000
    batch = ik.adding_problem(n, 10, rng=1)
    mse = np.mean((batch.y - 1.0) ** 2)
    # (u1 + u2 - 1)^2 has variance E[d^4] - (1/6)^2 with E[d^4] = 1/15 for the triangular d: std of the mean
    se = np.sqrt((1 / 15 - 1 / 36) / n)
    assert abs(mse - batch.baseline) < 5 * se


def test_copying_memory_asks_for_the_symbols_after_the_delay():
    batch = ik.copying_memory(4, 6, n_symbols=5, length=3, rng=2)
    tokens = batch.x.argmax(axis=-1)
    assert batch.x.shape == (4, 12, 7) and np.all(batch.x.sum(axis=-1) == 1)
    np.testing.assert_array_equal(batch.y[:, -3:], tokens[:, :3])  # recall the first three symbols, in order
    assert np.all(batch.y[:, :-3] == 5) and np.all(tokens[:, 8] == 6)  # blanks, then go just before the recall
    assert batch.baseline == pytest.approx(3 * np.log(5) / 12)


def test_tasks_reject_impossible_lengths():
    with pytest.raises(ValueError, match="T must be >= 2"):
        ik.adding_problem(3, 1)
    with pytest.raises(ValueError, match="delay must be >= 1"):
        ik.copying_memory(3, 0)


@pytest.mark.parametrize("call, got", [
    (lambda: ik.adding_problem(4, 6, dtype="int32"), "'int32'"),
    (lambda: ik.copying_memory(2, 3, dtype="float16"), "'float16'"),
])
def test_tasks_refuse_a_dtype_other_than_float32_or_float64(call, got):
    # Issue 26: dtype='int32' truncated every input of the adding problem to 0; float16 was accepted.
    with pytest.raises(ValueError, match=f"dtype must be one of 'float32', 'float64'; got {got}"):
        call()
