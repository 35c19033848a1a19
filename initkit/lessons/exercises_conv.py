"""The exercises of notebook 13 (convolutional networks). References read the package (``compute_fans``, the
initializer table), so an exercise cannot disagree with it."""
import numpy as np

from ..core.fans import compute_fans
from ..core.registry import INIT_TABLE
from .exercise import Exercise


def _conv_he_std(k, c_in, c_out):
    # He for ReLU: std = sqrt(2 / fan_in), fan_in = k^2 c_in (the kernel's shape in our layout (k, k, in, out))
    fan_in, fan_out = compute_fans((k, k, c_in, c_out))
    return float(np.sqrt(INIT_TABLE["he_normal"].variance(fan_in, fan_out)))


def _pytorch_default_signal(k, c, depth):
    # A ReLU conv layer: E[z_next^2] = fan_in Var(W) E[relu(z)^2] = fan_in Var(W) E[z^2] / 2. PyTorch's default
    # has fan_in Var(W) = 1/3, so each layer multiplies E[z^2] by 1/6 (He's 2 / fan_in gives exactly 1).
    fan_in, fan_out = compute_fans((k, k, c, c))
    factor = fan_in * INIT_TABLE["pytorch_default"].variance(fan_in, fan_out) / 2.0
    return float(factor ** depth)


EXERCISES = {
    "conv_he_std": Exercise(
        reference=_conv_he_std,
        cases=[dict(k=k, c_in=c_in, c_out=c_out) for k, c_in, c_out in ((3, 16, 32), (1, 64, 64), (5, 3, 8),
                                                                       (7, 3, 64))],
        hint="fan_in counts every input a single output sums: k x k pixels of c_in channels, fan_in = k^2 c_in "
             "(the output channels do not enter). He: std = sqrt(2 / fan_in).",
    ),
    "pytorch_default_signal": Exercise(
        reference=_pytorch_default_signal,
        cases=[dict(k=3, c=16, depth=d) for d in (1, 5, 20)] + [dict(k=5, c=8, depth=10)],
        hint="PyTorch's default conv init has Var(W) = 1 / (3 fan_in). A ReLU layer gives E[z_next^2] = "
             "fan_in Var(W) E[relu(z)^2] and E[relu(z)^2] = E[z^2] / 2: a factor fan_in Var(W) / 2 per layer.",
    ),
}
