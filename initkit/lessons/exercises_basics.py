"""The exercises of notebooks 01-07 (symmetry, scale, LeCun/Xavier, He, LSUV, diagnosing, choosing)."""
import numpy as np

from ..core.basic_init import constant
from ..core.initializers import truncated_normal_std
from ..core.losses import mean_squared_error, softmax_cross_entropy
from ..core.quadrature import gaussian_expectation
from ..core.registry import INIT_TABLE
from ..nn.divergence import chance_loss
from ..nn.network import MLP
from ..nn.optimizers import SGD
from .exercise import Exercise
from .symmetry import max_unit_difference


def _hidden_weights_after_steps(c, X, y, steps, lr):
    net = MLP([X.shape[1], 4, 1], activation="tanh", init=lambda s, rng=None, dtype=None: constant(s, c))
    opt = SGD(lr=lr)
    for _ in range(steps):
        _, grad = mean_squared_error(net.forward(X), y)
        net.backward(grad)
        opt.step(net.parameters(), net.gradients())
    return net.layers[0].W


def _preserving_std(n):
    return 1.0 / np.sqrt(n)  # Var(z) = n Var(w) Var(x) = Var(x)  <=>  Var(w) = 1/n


def _linear_output_std(weight_std, n, depth):
    return (np.sqrt(n) * weight_std) ** depth  # each layer multiplies the std by sqrt(n) * std(w)


def _glorot_uniform_limit(fan_in, fan_out):
    return np.sqrt(6.0 / (fan_in + fan_out))  # Var(U[-a, a]) = a^2 / 3 = 2 / (fan_in + fan_out)


def _he_std(shape):
    return np.sqrt(INIT_TABLE["he_normal"].variance(*shape))  # sqrt(2 / fan_in), from the initializer table


def _he_normal(shape, rng):
    return _he_std(shape) * np.random.default_rng(rng).standard_normal(shape)


def _same_law(got, expected, case):
    # Any correct sampler passes: same shape, mean 0 and the He std within 5 standard errors.
    got = np.asarray(got, dtype=np.float64)
    n, std = got.size, _he_std(case["shape"])
    return abs(got.mean()) < 5 * std / np.sqrt(n) and abs(got.std() / std - 1) < 5 / np.sqrt(2 * n)


def _explain_same_law(got, case):
    got = np.asarray(got, dtype=np.float64)
    n, std = got.size, _he_std(case["shape"])
    return (f"the check is statistical: the sample's std must be within 5 standard errors of sqrt(2 / fan_in) = "
            f"{std:.4g} (tolerance {5 / np.sqrt(2 * n):.2%}) and its mean within {5 * std / np.sqrt(n):.2g} of 0; "
            f"your sample has std {got.std():.4g} and mean {got.mean():.2g}")


def _gain_numerically(phi):
    return 1.0 / np.sqrt(gaussian_expectation(lambda z: phi(z) ** 2))


def _cases_matrices():
    rng = np.random.default_rng(0)
    cases = [{"W": rng.standard_normal((3, 5))}, {"W": np.full((4, 6), 0.3)}, {"W": rng.uniform(-1, 1, (64, 16))}]
    return cases + [{"W": np.array([[1.0, 1.0], [2.0, -2.0]])}]


def _cases_constant_steps():
    rng = np.random.default_rng(1)
    return [{"c": c, "X": rng.standard_normal((20, d)), "y": rng.standard_normal((20, 1)), "steps": k, "lr": 0.1}
            for c, d, k in ((0.5, 2, 1), (-0.3, 3, 5), (0.1, 5, 20))]


def _initial_loss(n_classes):
    return chance_loss(softmax_cross_entropy, n_classes, None)[0]  # uniform prediction: -ln(1/C)


def _update_ratio(W_before, W_after):
    return float(np.std(W_after - W_before) / np.std(W_before))


EXERCISES = {
    "max_unit_difference": Exercise(
        max_unit_difference, _cases_matrices(),
        "hidden unit j's incoming weights are the column W[:, j]; compare every pair of columns."),
    "hidden_weights_after_steps": Exercise(
        _hidden_weights_after_steps, _cases_constant_steps(),
        "build ik.MLP([X.shape[1], 4, 1], activation='tanh') with every weight equal to c, then take `steps` "
        "full-batch SGD steps on ik.mean_squared_error and return the first layer's W."),
    "preserving_std": Exercise(
        _preserving_std, [{"n": n} for n in (1, 4, 100, 256, 1000)],
        "Var(z) = n Var(w) Var(x): which Var(w) makes Var(z) = Var(x)? Return the std, not the variance."),
    "glorot_uniform_limit": Exercise(
        _glorot_uniform_limit, [{"fan_in": a, "fan_out": b} for a, b in ((100, 100), (512, 128), (3, 7), (784, 10))],
        "Var(U[-a, a]) = a^2 / 3; Glorot wants Var(w) = 2 / (fan_in + fan_out). Solve for a."),
    "truncated_std": Exercise(
        truncated_normal_std,
        [{"bound": b} for b in (0.5, 1.0, 2.0, 3.0)],
        "for N(0, 1) cut to [-b, b]: Var = 1 - 2 b phi(b) / (2 Phi(b) - 1), with phi the pdf and Phi the cdf "
        "(Phi(b) = (1 + erf(b / sqrt 2)) / 2). Return the std.", rtol=1e-8),
    "he_normal": Exercise(
        _he_normal, [{"shape": s, "rng": r} for s, r in (((256, 128), 0), ((1000, 50), 1), ((64, 512), 2))],
        "draw N(0, 1) samples of the given shape with np.random.default_rng(rng) and scale them by "
        "sqrt(2 / fan_in), where fan_in = shape[0].", compare=_same_law, explain=_explain_same_law),
    "gain_numerically": Exercise(
        _gain_numerically, [{"phi": f} for f in (np.tanh, lambda z: np.maximum(z, 0), np.sin, lambda z: z / (1 + np.abs(z)))],
        "the gain is 1 / sqrt(E[phi(z)^2]) for z ~ N(0, 1): estimate the expectation with a million samples "
        "(or ik.gaussian_expectation) and invert its square root.", rtol=5e-3),
    "lsuv_step": Exercise(
        lambda W, x: W / np.sqrt(np.var(x @ W)),
        [{"W": np.random.default_rng(s).standard_normal((n, m)) * sd, "x": np.random.default_rng(s + 9).standard_normal((200, n))}
         for s, n, m, sd in ((0, 10, 5, 1.0), (1, 64, 32, 0.01), (2, 128, 128, 3.0))],
        "measure v = Var(x @ W) over the whole batch (all samples and units) and return W / sqrt(v)."),
    "linear_lsuv_scale": Exercise(
        lambda n, weight_std, input_var: 1 / np.sqrt(n * weight_std**2 * input_var),
        [{"n": n, "weight_std": s, "input_var": v} for n, s, v in ((100, 0.1, 1.0), (256, 0.01, 4.0), (64, 1.0, 0.5))],
        "a linear layer's output variance is n Var(w) Var(x); LSUV divides W by the square root of that."),
    "linear_output_std": Exercise(
        _linear_output_std, [{"weight_std": s, "n": n, "depth": L}
                             for s, n, L in ((0.1, 100, 1), (0.01, 100, 10), (1.0, 100, 3), (0.0625, 256, 50))],
        "one layer multiplies the variance by n Var(w); after `depth` layers the factor is (n Var(w))^depth."),
    "initial_loss": Exercise(
        _initial_loss, [{"n_classes": c} for c in (2, 3, 10, 1000)],
        "a network that predicts every class with probability 1/C has cross-entropy -ln(1/C)."),
    "update_ratio": Exercise(
        _update_ratio, [{"W_before": np.random.default_rng(s).standard_normal((20, 10)),
                         "W_after": np.random.default_rng(s).standard_normal((20, 10)) * 1.001 + 0.001 * s}
                        for s in range(3)],
        "the update is W_after - W_before; compare its std with the std of W_before."),
    "pytorch_default_std": Exercise(
        lambda fan_in: float(np.sqrt(INIT_TABLE["pytorch_default"].variance(fan_in, 1))),  # 1 / sqrt(3 fan_in)
        [{"fan_in": n} for n in (1, 64, 512, 4096)],
        "nn.Linear draws U(-1/sqrt(fan_in), 1/sqrt(fan_in)); a uniform on [-a, a] has variance a^2 / 3."),
    "fans_from_torch_shape": Exercise(
        lambda shape: (shape[1] * int(np.prod(shape[2:])), shape[0] * int(np.prod(shape[2:]))),
        [{"shape": s} for s in ((128, 512), (10, 64), (32, 16, 3, 3))],
        "PyTorch stores (fan_out, fan_in, *kernel); initkit and Keras store (*kernel, fan_in, fan_out). "
        "Return (fan_in, fan_out), each multiplied by the kernel's size."),
    "lecun_relu_rms": Exercise(
        lambda depth, input_rms: input_rms * 2.0 ** (-depth / 2),
        [{"depth": L, "input_rms": r} for L, r in ((1, 1.0), (30, 1.0), (60, 1.0), (10, 3.0))],
        "with Var(w) = 1 / fan_in, each ReLU layer halves the second moment E[a^2]; the root mean square is the "
        "square root of the second moment, so it shrinks by sqrt(2) per layer."),
}
