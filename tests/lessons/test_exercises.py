import numpy as np
import pytest

import initkit as ik
from initkit.lessons.exercises import EXERCISES, check, evaluate
from test_exercises_signal import WRONG as WRONG_SIGNAL


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_solution_passes(name, capsys):
    assert evaluate(name, EXERCISES[name].reference)[0]
    check(name, EXERCISES[name].reference)
    assert capsys.readouterr().out.startswith(f"✓ {name}: correct")


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
    "mup_hidden_rule": lambda n, base_width, optimizer: np.array([np.sqrt(2 / n), 1.0]),  # SP's lr for Adam too
    "delta_f_exponent": lambda parametrization, optimizer: 0.0,  # width-independent for SP too
    **WRONG_SIGNAL,  # notebook 08's
    "forget_bias_for_memory": lambda tau: float(np.exp(-1 / tau)),  # the gate value, not the bias
    "scale_within_factor": lambda T, factor: factor / T,  # a linear, not a geometric, growth
    "logit_scale": lambda d_k, q_std, k_std: 1.0 / d_k,  # 1/d_k instead of 1/sqrt(d_k q_std^2 k_std^2)
    "residual_proj_std": lambda std, n_blocks, branches_per_block: std / n_blocks,  # 1/L, not 1/sqrt(N)
    "attention_entropy": lambda probs: float(-(probs * np.log(np.where(probs > 0, probs, 1.0))).sum()),  # sum, not mean
    "stream_variance": lambda var0, branch_var, n_blocks: var0 * (1 + branch_var) ** n_blocks,  # multiplied, not added
}


def test_he_normal_exercise_accepts_any_correct_sampler():
    # A different but correct sampler (rng.normal) draws other numbers; the statistical comparison passes it.
    assert evaluate("he_normal", lambda shape, rng: np.random.default_rng(rng + 100).normal(0, np.sqrt(2 / shape[0]), shape))[0]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_wrong_solution_gets_specific_feedback(name, capsys):
    if name not in WRONG:
        pytest.skip(f"{name}: its wrong solutions are tested in its notebook's tests/test_exercises_<topic>.py")
    assert not evaluate(name, WRONG[name])[0]
    check(name, WRONG[name])
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {name}(") and "Hint:" in out
    # a statistical check says what it tested instead of pretending to expect particular numbers
    assert ("statistical" in out and "std" in out) if EXERCISES[name].explain else "expected" in out


def test_check_labels_the_example_solution(capsys):
    check("preserving_std", lambda n: 1 / np.sqrt(n), example=True)
    assert capsys.readouterr().out.startswith("Example solution: ✓ preserving_std: correct on all")


def test_stub_none_and_exceptions_are_explained():
    def stub(n):
        raise NotImplementedError

    for fn, words in [(stub, "not attempted yet"), (lambda n: None, "returned None"),
                      (lambda n: 1 / (n - 1), "raised ZeroDivisionError"),
                      (lambda n: np.array([1.0, 2.0]), "expected shape ()")]:
        passed, message = evaluate("preserving_std", fn)
        assert not passed and words in message


def test_check_rejects_unknown_exercise():
    with pytest.raises(ValueError, match="name must be one of .*'preserving_std'.*got 'nope'"):
        evaluate("nope", print)


def test_hidden_units_from_constant_init_stay_identical():
    net, _ = ik.symmetry.train_from_constant(0.1, 0.0, steps=20)
    W = net.layers[0].W
    assert ik.symmetry.max_unit_difference(W) == 0.0 and np.linalg.matrix_rank(W) == 1


def test_noise_breaks_symmetry_and_learns():
    same, h0 = ik.symmetry.train_from_constant(0.1, 0.0)
    diff, h1 = ik.symmetry.train_from_constant(0.1, 0.02)
    assert ik.symmetry.max_unit_difference(diff.layers[0].W) > 0.1
    assert h1.test_acc[-1] > h0.test_acc[-1] + 0.3


def test_symmetry_widget_updates_view():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from initkit import widgets

    box = widgets.symmetry(steps=5)
    box.controls["noise_std"].value = 0.05
    assert "noise std = 0.05" in box.view.ax.get_title()
    plt.close(box.view.fig)
