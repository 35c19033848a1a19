"""initkit: how to initialize neural networks, computed.

Weight layout used everywhere: a dense weight ``W`` has shape ``(fan_in, fan_out)`` and a layer computes
``x @ W + b`` (conv kernels: ``(*receptive_field, in, out)``). All randomness goes through ``rng``.

    >>> import initkit as ik
    >>> net = ik.MLP([64, 128, 10], activation="relu", init="he_normal", rng=0)
"""
from .core.activations import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, Activation, get_activation
from .core.basic_init import (constant, identity, ones, orthogonal, random_normal, random_uniform, standard_normal,
                         truncated_normal, zeros)
from .nn.data import DATASETS, Dataset, load_dataset
from .core.histogram import fixed_histogram, histogram_edges
from .measure.gradcheck import gradient_check, numerical_gradient, relative_error
from .core.fans import GAINS, calculate_gain, compute_fans, gain_for, second_moment
from .core.initializers import (TRUNCATED_NORMAL_STD_2, glorot_normal, glorot_uniform, he_normal, he_uniform,
                           kaiming_normal, kaiming_uniform, lecun_normal, lecun_uniform, pytorch_default, truncated_normal_std,
                           variance_scaling, delta_orthogonal, xavier_normal, xavier_uniform)
from .measure.jacobian import jacobian, singular_values
from .init.lsuv import LSUVReport, lsuv, lsuv_fastai
from .lessons.digits import train_digits
from .lessons.residual import ResidualProfile, length_spread, residual_profile
from .lessons.lsuv_batch import lsuv_batch_experiment
from .core.losses import (LOSSES, get_loss, mean_squared_error, sigmoid_binary_cross_entropy, softmax,
                     softmax_cross_entropy)
from .nn.multiseed import ManyHistory, fit_many
from .measure.summary import mean_spread
from .nn.seeds import SeedsHistory, fit_seeds
from .nn.network import MLP, Dense, Gradients
from .nn.residual import ResidualBlock, ResidualMLP
from .nn.cnn import CNN
from .nn.conv import Conv2D, conv2d
from .nn.residual_init import SCHEMES as RESIDUAL_SCHEMES, ResidualScheme, scheme_factors
from .nn.recurrent import RNN, recurrent_matrix
from .nn.lstm import LSTM
from .nn.sequence_tasks import SequenceBatch, adding_problem, copying_memory
from .measure.through_time import decay_rate, gradient_through_time, spectrum
from .lessons.recurrent import (AddingResult, SequenceHistory, gradient_vs_time, mean_field_rate,
                                train_adding, train_adding_configs)
from .nn.optimizers import SGD, Adam, clip_by_global_norm, get_optimizer
from .nn.parametrization import PARAMETRIZATIONS, parametrize, scaling_table
from .lessons.width import (best_log2_lr, best_lr_shift, coordinate_check, lr_sweep, width_init_scales,
                            width_slope)
from .init.pretrain import pretrain_layerwise, pretrained_mlp
from .lessons.playground import build_net
from .measure.probe import ProbeResult, probe
from .measure import diagnostics, mean_field, theory
from .lessons.signal import SignalRecord, input_pairs, random_mlp, signal_step
from .lessons import exercises, symmetry
from . import plotting
from .lessons.explorer import explore, explore_fans
from .plotting.explorer_view import ExplorerView
from .core.quadrature import gaussian_expectation
from .core.registry import INIT_TABLE, INITIALIZERS, InitSpec, get_initializer, register_initializer
from .nn.stats import layer_records
from .nn.progress import progress
from .nn.training import History, accuracy, fit
from .nn.attention import LayerNorm, MultiHeadAttention, attention_entropy
from .nn.blocks import Block, FeedForward
from .nn.transformer import INIT_SCHEMES, Transformer, init_stds
from .nn.token_tasks import TASKS, TokenBatch, token_task
from .lessons.transformer import (RANK_VARIANTS, attention_saturation, branch_variances, layer_gradient_norms,
                                  rank_collapse, residual_stream, softmax_jacobian_norm, uniform_entropy)
from .lessons.transformer_training import TokenRuns, train_token_task

from . import lessons as _lessons

# Every lessons module is reachable by its name (``ik.symmetry.max_unit_difference``), found by discovery:
# a new notebook's ``lessons/<stem>.py`` needs no edit of this file.
for _name in _lessons.module_names():
    globals().setdefault(_name, _lessons.load(_name))
del _name

__version__ = "0.2.0"  # the one home of the version: pyproject.toml reads it; CHANGELOG.md

__all__ = [
    # activations
    "ACTIVATIONS", "Activation", "get_activation", "SELU_ALPHA", "SELU_LAMBDA",
    # fans and gains
    "compute_fans", "calculate_gain", "gain_for", "second_moment", "GAINS", "gaussian_expectation",
    # initializers
    "variance_scaling", "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "xavier_normal",
    "xavier_uniform", "he_normal", "he_uniform", "kaiming_normal", "kaiming_uniform", "pytorch_default", "random_normal",
    "random_uniform", "standard_normal", "truncated_normal", "truncated_normal_std", "TRUNCATED_NORMAL_STD_2", "zeros", "ones",
    "constant", "orthogonal", "delta_orthogonal", "identity", "INITIALIZERS", "INIT_TABLE", "InitSpec", "register_initializer",
    "get_initializer",
    # losses
    "LOSSES", "get_loss", "softmax", "softmax_cross_entropy", "sigmoid_binary_cross_entropy",
    "mean_squared_error",
    # network, optimizers, training
    "Dense", "MLP", "Gradients", "Conv2D", "CNN", "conv2d", "ResidualMLP", "ResidualBlock", "RESIDUAL_SCHEMES", "ResidualScheme",
    "scheme_factors", "RNN", "LSTM", "recurrent_matrix", "SGD", "Adam", "get_optimizer", "fit", "History", "accuracy", "progress", "fit_many",
    "ManyHistory", "mean_spread", "fit_seeds", "SeedsHistory",
    # width: SP, NTK, muP (notebook 11)
    "PARAMETRIZATIONS", "parametrize", "scaling_table", "coordinate_check", "lr_sweep", "best_log2_lr",
    "width_slope", "best_lr_shift", "width_init_scales",
    "layer_records", "gradient_check", "numerical_gradient", "relative_error",
    # transformers
    "LayerNorm", "MultiHeadAttention", "attention_entropy", "Block", "FeedForward", "Transformer", "INIT_SCHEMES",
    "init_stds", "token_task", "TokenBatch", "TASKS", "attention_saturation", "softmax_jacobian_norm",
    "uniform_entropy", "branch_variances", "residual_stream", "rank_collapse", "RANK_VARIANTS",
    "layer_gradient_norms", "train_token_task", "TokenRuns",
    # experiment engine
    "lsuv", "LSUVReport", "lsuv_fastai", "lsuv_batch_experiment", "train_digits", "residual_profile", "ResidualProfile", "length_spread", "jacobian", "singular_values", "build_net", "pretrain_layerwise", "pretrained_mlp", "probe", "ProbeResult", "theory", "mean_field", "random_mlp", "input_pairs", "signal_step", "SignalRecord", "diagnostics", "plotting", "exercises", "symmetry", "explore", "explore_fans", "ExplorerView", "fixed_histogram", "histogram_edges",
    # recurrent networks (notebook 12)
    "gradient_through_time", "spectrum", "decay_rate", "adding_problem", "copying_memory", "SequenceBatch",
    "train_adding", "train_adding_configs", "SequenceHistory", "AddingResult", "clip_by_global_norm",
    "gradient_vs_time", "mean_field_rate",
    # data
    "load_dataset", "Dataset", "DATASETS",
]
