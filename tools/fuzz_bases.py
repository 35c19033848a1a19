"""Valid base calls (tiny sizes) of the public API, for :mod:`fuzz_report` and the fuzz test.

``BASES[name]()`` returns the keyword arguments of one valid call of ``resolve(name)``; a fuzz replaces one of
them (or one defaulted parameter) by a bad value. Names are those of ``ik.__all__``; ``module.function`` for
the public functions of a submodule in ``ik.__all__`` (theory, mean_field, diagnostics, ...).
"""
import numpy as np

import initkit as ik
from initkit.core.registry import INIT_TABLE


def resolve(name):
    obj = ik
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _net(sizes=(3, 4, 2), **kw):
    return ik.MLP(list(sizes), activation="tanh", rng=0, **kw)


def _xy(n=12, d=3, classes=2):
    X = np.random.default_rng(0).normal(size=(n, d))
    return X, np.arange(n) % classes


def _data():
    return ik.load_dataset("xor", n_samples=80, rng=0)


def _digits():
    return ik.load_dataset("digits", rng=0)


def _sweep():
    return ik.lr_sweep(_digits(), [8, 16], [-2.0, -1.0], seeds=1, epochs=1, n_train=64)


def _rnn(**kw):
    return ik.RNN(2, 4, 1, rng=0, **kw)


SHAPE = {"shape": (4, 3), "rng": 0}
X, Y = _xy()
BASES = {
    # core: activations, fans, initializers, losses, quadrature, histograms
    "Activation": lambda: {"name": "leaky_relu", "negative_slope": 0.2},
    "get_activation": lambda: {"activation": "relu"},
    "compute_fans": lambda: {"shape": (3, 3, 4, 5)},
    "calculate_gain": lambda: {"nonlinearity": "leaky_relu", "param": 0.2},
    "gain_for": lambda: {"activation": "tanh"},
    "second_moment": lambda: {"activation": "relu", "q": 2.0},
    "gaussian_expectation": lambda: {"f": np.square, "n": 20},
    "variance_scaling": lambda: {**SHAPE, "scale": 2.0, "mode": "fan_in", "distribution": "uniform"},
    "he_normal": lambda: {**SHAPE, "mode": "fan_out", "negative_slope": 0.1},
    "he_uniform": lambda: dict(SHAPE), "glorot_normal": lambda: dict(SHAPE), "glorot_uniform": lambda: dict(SHAPE),
    "lecun_normal": lambda: dict(SHAPE), "lecun_uniform": lambda: dict(SHAPE),
    "kaiming_normal": lambda: {**SHAPE, "mode": "fan_out", "negative_slope": 0.1},
    "kaiming_uniform": lambda: dict(SHAPE), "xavier_normal": lambda: dict(SHAPE),
    "xavier_uniform": lambda: dict(SHAPE), "pytorch_default": lambda: dict(SHAPE),
    "random_normal": lambda: {**SHAPE, "mean": 0.1, "std": 0.5},
    "random_uniform": lambda: {**SHAPE, "low": -1.0, "high": 2.0},
    "standard_normal": lambda: dict(SHAPE),
    "truncated_normal": lambda: {**SHAPE, "std": 0.5, "bound": 1.5},
    "truncated_normal_std": lambda: {"bound": 2.0},
    "zeros": lambda: {"shape": (4, 3)}, "ones": lambda: {"shape": (4, 3)},
    "constant": lambda: {"shape": (4, 3), "value": 0.3},
    "orthogonal": lambda: {**SHAPE, "gain": 2.0},
    "delta_orthogonal": lambda: {"shape": (3, 3, 2, 4), "gain": 1.5, "rng": 0}, "identity": lambda: {"shape": (4, 3), "gain": 2.0},
    "get_initializer": lambda: {"init": "he_normal"},
    "register_initializer": lambda: {"spec": INIT_TABLE["he_normal"]},  # re-registers a row: the table is unchanged
    "get_loss": lambda: {"loss": "mse"},
    "softmax": lambda: {"logits": np.array([[1.0, 2.0, 3.0]])},
    "softmax_cross_entropy": lambda: {"logits": np.ones((3, 4)), "y": np.array([0, 3, 1])},
    "sigmoid_binary_cross_entropy": lambda: {"logits": np.ones((3, 1)), "y": np.array([0, 1, 1])},
    "mean_squared_error": lambda: {"outputs": np.ones((3, 2)), "y": np.zeros((3, 2))},
    "fixed_histogram": lambda: {"a": np.linspace(-4, 4, 9), "low": -1.0, "high": 1.0, "bins": 4},
    "histogram_edges": lambda: {"low": -1.0, "high": 1.0, "bins": 4, "dtype": np.float32},
    # networks and training
    "Dense": lambda: {"fan_in": 3, "fan_out": 2, "activation": "relu", "init": "he_normal", "rng": 0},
    "MLP": lambda: {"sizes": [3, 4, 2], "activation": "tanh", "init": "glorot_uniform", "rng": 0},
    "Conv2D": lambda: {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "activation": "tanh",
                       "init": "delta_orthogonal", "padding": "circular", "rng": 0},
    "CNN": lambda: {"image_shape": (4, 4, 1), "channels": [2, 2], "n_out": 3, "kernel_size": 3, "pool": "flatten",
                    "padding": "zero", "rng": 0},
    "conv2d": lambda: {"x": np.ones((2, 4, 4, 2)), "W": np.ones((3, 3, 2, 3)), "b": np.zeros(3), "padding": "zero"},
    "ResidualMLP": lambda: {"n_in": 3, "width": 4, "n_blocks": 2, "n_out": 2, "rng": 0},
    "ResidualBlock": lambda: {"width": 4, "rng": 0},
    "scheme_factors": lambda: {"scheme": "he", "n_blocks": 4},
    "RNN": lambda: {"n_in": 2, "hidden": 4, "n_out": 1, "rng": 0},
    "LSTM": lambda: {"n_in": 2, "hidden": 4, "n_out": 1, "rng": 0},
    "recurrent_matrix": lambda: {"n": 4, "init": "orthogonal", "scale": 1.0, "rng": 0},
    "SGD": lambda: {"lr": 0.1, "momentum": 0.5}, "Adam": lambda: {"lr": 0.1},
    "get_optimizer": lambda: {"optimizer": "adam"},
    "fit": lambda: {"net": _net(), "X": X, "y": Y, "epochs": 2, "batch_size": 4, "progress": False, "rng": 0},
    "accuracy": lambda: {"outputs": np.eye(3), "y": np.array([0, 1, 1])},
    "fit_many": lambda: {"nets": [_net(), _net()], "X": X, "y": Y, "epochs": 2, "batch_size": 4, "rng": 0},
    "progress": lambda: {"iterable": [1, 2, 3], "total": 3, "unit": "seed", "enabled": False},
    "mean_spread": lambda: {"values": np.ones((3, 4))},
    "fit_seeds": lambda: {"make_net": lambda rng: _net((2, 4, 2)), "data": _data(), "seeds": [0, 1], "epochs": 1},
    "parametrize": lambda: {"sizes": [3, 8, 2], "parametrization": "mup", "base_width": 4, "rng": 0},
    "scaling_table": lambda: {"parametrization": "mup"},
    "coordinate_check": lambda: {"data": _digits(), "widths": [8, 16], "steps": 2, "seeds": 1, "batch_size": 16},
    "lr_sweep": lambda: {"data": _digits(), "widths": [8, 16], "log2_lrs": [-2.0, -1.0], "seeds": 1, "n_train": 64},
    "best_log2_lr": lambda: {"sweep": _sweep()}, "best_lr_shift": lambda: {"sweep": _sweep()},
    "width_slope": lambda: {"widths": [8, 16, 32], "values": [1.0, 2.0, 4.0]},
    "width_init_scales": lambda: {"data": _digits(), "widths": [8, 16], "n_probe": 8},
    "layer_records": lambda: {"net": _trained()},
    "gradient_check": lambda: {"net": _net(), "x": np.ones((4, 3)), "y": np.array([0, 1, 1, 0])},
    "numerical_gradient": lambda: {"f": lambda: 1.0, "x": np.ones(3), "h": 1e-6},
    "relative_error": lambda: {"a": np.ones(3), "b": np.zeros(3)},
    "load_dataset": lambda: {"name": "moons", "n_samples": 40, "noise": 0.1, "test_size": 0.25, "rng": 0},
    # transformers
    "LayerNorm": lambda: {"d": 4},
    "MultiHeadAttention": lambda: {"d": 4, "n_heads": 2, "rng": 0},
    "attention_entropy": lambda: {"probs": np.full((2, 4), 0.25)},
    "Block": lambda: {"d": 4, "n_heads": 2, "rng": 0},
    "FeedForward": lambda: {"d": 4, "d_ff": 8, "rng": 0},
    "Transformer": lambda: {"vocab_size": 6, "d": 4, "n_blocks": 1, "max_len": 4, "rng": 0},
    "init_stds": lambda: {"init": "gpt2", "d": 8, "n_blocks": 2},
    "token_task": lambda: {"task": "reverse", "n": 4, "length": 3, "vocab_size": 6, "rng": 0},
    "attention_saturation": lambda: {"factors": [1.0, 4.0], "d": 8, "T": 8, "n": 2, "rng": 0},
    "softmax_jacobian_norm": lambda: {"probs": np.full((2, 4), 0.25)},
    "uniform_entropy": lambda: {"T": 8},
    "branch_variances": lambda: {"d": 8, "d_ff": 32, "stds": ik.init_stds("gpt2", 8, 2), "T": 8},
    "residual_stream": lambda: {"depth": 2, "d": 8, "T": 4, "batch": 2, "vocab_size": 8, "rng": 0},
    "rank_collapse": lambda: {"depth": 2, "d": 8, "T": 4, "batch": 2, "rng": 0},
    "layer_gradient_norms": lambda: {"n_blocks": 2, "d": 8, "T": 4, "batch": 2, "vocab_size": 8, "rng": 0},
    "train_token_task": lambda: {"seeds": [0], "steps": 2, "batch_size": 4, "length": 2, "vocab_size": 5,
                                 "d": 8, "n_blocks": 1},
    # measurements and lessons
    "lsuv": lambda: {"net": _net(), "x": np.random.default_rng(0).normal(size=(8, 3))},
    "lsuv_fastai": lambda: {"net": ik.MLP([3, 8, 2], activation="relu", rng=0), "x": np.random.default_rng(0).normal(size=(64, 3)), "tol": 0.2},
    "lsuv_batch_experiment": lambda: {"batch_size": 8, "depth": 3, "width": 8, "rng": 0},
    "train_digits": lambda: {"choice": "Xavier", "epochs": 1, "chunks": 1},
    "residual_profile": lambda: {"n_blocks": 3, "alpha": 1.0, "width": 8, "n_samples": 16, "rng": 0},
    "length_spread": lambda: {"kind": "residual", "depth": 3, "width": 8, "n_nets": 4, "rng": 0},
    "jacobian": lambda: {"net": _net(), "x": np.ones((2, 3))},
    "singular_values": lambda: {"net": _net(), "x": np.ones((2, 3))},
    "build_net": lambda: {"init": "he_normal", "scale": 1.0, "hidden": (4, 3), "rng": 0},
    "pretrain_layerwise": lambda: {"sizes": [3, 4, 2], "X": np.ones((6, 3)), "epochs": 1},
    "pretrained_mlp": lambda: {"sizes": [3, 4, 2], "X": np.ones((6, 3)), "epochs": 1},
    "probe": lambda: {"depth": 3, "width": 8, "activation": "tanh", "weight_std": 0.3, "n_samples": 20,
                      "bins": 10, "hist_layers": [1, 3], "rng": 0},
    "random_mlp": lambda: {"sizes": [8, 8, 4], "weight_var_n": 1.5, "rng": 0},
    "input_pairs": lambda: {"n_pairs": 2, "width": 8, "c0": 0.5, "rng": 0},
    "signal_step": lambda: {"depth": 3, "width": 8, "n_pairs": 2, "rng": 0},
    "explore": lambda: {"weight_std": 0.3, "depth": 3, "width": 8, "n_samples": 10, "n_hist": 2, "rng": 0},
    "explore_fans": lambda: {"wide": 8, "narrow": 4, "depth": 3, "n_samples": 10, "n_hist": 2, "rng": 0},
    "gradient_through_time": lambda: {"net": _rnn(), "x": np.ones((2, 5, 2)), "rng": 0},
    "spectrum": lambda: {"W": np.eye(3)},
    "decay_rate": lambda: {"norms": 0.5 ** np.arange(6.0)},
    "adding_problem": lambda: {"n": 4, "T": 6, "rng": 0},
    "copying_memory": lambda: {"n": 2, "delay": 3, "length": 2, "rng": 0},
    "train_adding": lambda: {"net": _rnn(), "T": 6, "steps": 2, "batch_size": 4, "eval_every": 1, "n_test": 8},
    "train_adding_configs": lambda: {"configs": [{"label": "a", "activation": "tanh"}], "T": 6, "seeds": [0],
                                     "hidden": 4, "steps": 2, "batch_size": 4, "n_test": 8},
    "clip_by_global_norm": lambda: {"grads": [np.ones(3)], "max_norm": 1.0},
    "gradient_vs_time": lambda: {"T": 8, "hidden": 4, "n_seeds": 2, "batch_size": 2, "rng": 0},
    "mean_field_rate": lambda: {"scale": 1.0},
    # submodules
    "theory.predict": lambda: {"sizes": [4, 5, 6], "activation": "tanh", "weight_var": 0.3, "bias_var": 0.01},
    "theory.weight_variance": lambda: {"init": "orthogonal", "fan_in": 3, "fan_out": 4, "gain": 2.0},
    "theory.linear_variance": lambda: {"sizes": [3, 4], "weight_var": 0.5, "input_var": 1.0},
    "theory.chi1": lambda: {"weight_var_n": 1.5, "q": 0.7, "activation": "tanh"},
    "theory.fixed_point": lambda: {"weight_var_n": 1.5, "activation": "tanh", "max_iter": 50},
    "theory.std_for": lambda: {"init": "he_uniform", "shape": (3, 4), "gain": 1.0},
    "mean_field.propagate": lambda: {"c0": 0.5, "depth": 4, "weight_var_n": 1.5},
    "mean_field.length_map": lambda: {"q": 1.0, "weight_var_n": 1.5},
    "mean_field.fixed_point_q": lambda: {"weight_var_n": 1.5},
    "mean_field.chi1_grid": lambda: {"weight_var_n": 1.5, "q": 0.7},
    "mean_field.correlation_map": lambda: {"c": 0.5, "weight_var_n": 1.5},
    "mean_field.correlation_fixed_point": lambda: {"weight_var_n": 1.5},
    "mean_field.chi_c": lambda: {"weight_var_n": 1.5},
    "mean_field.depth_scales": lambda: {"weight_var_n": 1.5},
    "mean_field.critical_weight_var": lambda: {},
    "mean_field.critical_line": lambda: {"q": 0.5},
    "mean_field.gaussian_moments": lambda: {"q": 1.0},
    "mean_field.chi1_map": lambda: {"sw2": [1.0, 2.0], "sb2": [0.0, 0.05]},
    "diagnostics.initial_loss_check": lambda: {"net": _net(), "X": X, "y": Y},
    "diagnostics.gradient_norms": lambda: {"net": _net(), "X": X, "y": Y},
    "diagnostics.gradient_table": lambda: {"net": _net(), "X": X, "y": Y},
    "diagnostics.training_stats": lambda: {"history": ik.fit(_net(), X, Y, epochs=1, snapshot_every=1,
                                                             progress=False, rng=0)},
    "diagnostics.update_data_check": lambda: {"net": _net(), "X": X, "y": Y, "lr": 0.1},
    "symmetry.max_unit_difference": lambda: {"W": np.ones((3, 4))},
    "symmetry.train_from_constant": lambda: {"steps": 3, "hidden": 4},
    "symmetry.train_with_dropout": lambda: {"net": _net(), "X": X, "y": Y, "steps": 3},
}


def _trained():
    net = _net()
    net.forward(np.ones((5, 3)))
    net.backward(np.ones((5, 2)))
    return net
