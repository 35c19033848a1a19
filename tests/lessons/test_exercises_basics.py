"""Notebooks 01-07's exercises (:mod:`initkit.lessons.exercises_basics`): typical wrong answers, each of which
must fail with specific feedback (tests/lessons/test_exercises.py runs every ``WRONG`` of every stem)."""
import numpy as np

import initkit as ik
from initkit.lessons.exercises import evaluate

WRONG = {
    "max_unit_difference": lambda W: float(np.ptp(W, axis=0).max()),  # rows instead of columns
    "hidden_weights_after_steps": lambda c, X, y, steps, lr: np.full((X.shape[1], 4), c),  # no training
    "preserving_std": lambda n: 1.0 / n,  # the variance, not the std
    "linear_output_std": lambda weight_std, n, depth: (n * weight_std**2) ** depth,  # variance, not std
    "glorot_uniform_limit": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),  # the std, not the bound
    "he_normal": lambda shape, rng: np.sqrt(1.0 / shape[0]) * np.random.default_rng(rng).standard_normal(shape),
    "truncated_std": lambda bound: 1.0 - 2 * bound * np.exp(-bound**2 / 2) / np.sqrt(2 * np.pi),  # forgot / (2 Phi - 1)
    "lsuv_step": lambda W, x: W / np.var(x @ W),  # divided by the variance, not the std
    "linear_lsuv_scale": lambda n, weight_std, input_var: 1 / (n * weight_std**2 * input_var),
    "initial_loss": lambda n_classes: 1.0 / n_classes,  # the probability, not the loss
    "update_ratio": lambda W_before, W_after: float(np.std(W_after) / np.std(W_before)),  # not the update
    "pytorch_default_std": lambda fan_in: float(1 / np.sqrt(fan_in)),  # the bound, not the std
    "fans_from_torch_shape": lambda shape: (shape[0], shape[1]),  # read in initkit's order
    "gain_numerically": lambda phi: 1.0 / np.sqrt(np.mean(phi(np.linspace(-3, 3, 1001)) ** 2)),  # uniform, not normal
    "lecun_relu_rms": lambda depth, input_rms: input_rms * 2.0 ** -depth,  # the second moment's factor, not the rms
}


def test_he_normal_exercise_accepts_any_correct_sampler():
    # A different but correct sampler (rng.normal) draws other numbers; the statistical comparison passes it.
    assert evaluate("he_normal", lambda shape, rng: np.random.default_rng(rng + 100).normal(0, np.sqrt(2 / shape[0]), shape))[0]



def test_not_attempted_message_points_to_an_example_cell_only_when_there_is_one():
    def stub(n_classes):
        raise NotImplementedError

    assert "collapsed cell below" in evaluate("initial_loss", stub)[1]
    assert evaluate("initial_loss", stub, collapsed_cell=False)[1] == (
        "Your turn: initial_loss is not attempted yet. Replace `raise NotImplementedError` with your code and run "
        "this cell again.")


def test_student_release_of_notebooks_00_to_07_mentions_no_collapsed_example_cell():
    # the release has no example cells: neither a stub's message nor the prompts may point to one
    import sys
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    import student

    for path in sorted((root / "notebooks").glob("0[0-7]-*.ipynb")):
        released = student.release_notebook(nbformat.read(path, as_version=4))
        texts = [cell.source for cell in released.cells]
        texts += [o.get("text", "") for cell in released.cells for o in cell.get("outputs", [])]
        assert not [t for t in texts if "collapsed cell" in t or "collapsed **example" in t], path.name
        stubs = [cell.source for cell in released.cells
                 if cell.cell_type == "code" and "raise NotImplementedError" in cell.source]
        assert stubs and all("collapsed_cell=False" in s for s in stubs), path.name
