"""When is a training run diverged? The rule ``fit`` applies to every step's loss.

A run has diverged when its loss is non-finite, or more than ``DIVERGENCE_FACTOR`` times the chance-level
loss, the loss of a model that has learned nothing (ln C for C classes, Karpathy's "loss at init" check).
The rule looks at one loss at a time, so it needs no state across chunks of training, and a loss
spiking above its recent minimum near convergence is never mistaken for divergence.
"""
import math

import numpy as np

from ..core.losses import mean_squared_error, sigmoid_binary_cross_entropy, softmax_cross_entropy

# fit stops at the first step whose loss exceeds DIVERGENCE_FACTOR times the chance-level loss (ln C for
# C classes). Chosen from measurements (fit's docstring): trainable runs start at most ~3.7e3 x chance,
# runs that blow up without overflowing reach 2.8e4 x chance and far more; 1e4 sits between them.
DIVERGENCE_FACTOR = 1e4


def chance_loss(loss_fn, n_outputs, y):
    """(value, description) of the loss of a model that has learned nothing; the scale of divergence.

    Softmax cross-entropy: ln C (uniform probabilities 1/C). Sigmoid binary cross-entropy: ln 2 (p = 1/2).
    Mean squared error: 0.5 * sum of the targets' variances (always predicting their mean). Other losses:
    ``(None, ...)``, and :func:`fit` uses the first step's loss instead.

    >>> value, description = chance_loss(softmax_cross_entropy, 10, np.arange(10))
    >>> round(value, 4), description
    (2.3026, 'chance level ln(10) = 2.3')
    """
    if loss_fn is softmax_cross_entropy:
        return float(np.log(n_outputs)), f"chance level ln({n_outputs}) = {np.log(n_outputs):.3g}"
    if loss_fn is sigmoid_binary_cross_entropy:
        return float(np.log(2.0)), f"chance level ln(2) = {np.log(2.0):.3g}"
    if loss_fn is mean_squared_error:
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        value = 0.5 * float(np.sum(np.var(targets, axis=0)))
        return value, f"the loss of predicting the targets' mean = {value:.3g}"
    return None, "the first step's loss"


def broken(loss, limit):
    """The rule itself, elementwise: the loss is non-finite or above ``limit`` (None: no limit).

    >>> broken(np.array([1.0, np.nan, 50.0]), 10.0)
    array([False,  True,  True])
    """
    if isinstance(loss, float):  # one loss per step (fit, fit_many): plain Python, no array overhead
        return not math.isfinite(loss) or (limit is not None and loss > limit)
    bad = ~np.isfinite(loss)
    return bad if limit is None else bad | (loss > limit)  # NaN > limit is False: caught by isfinite


def diverged_at(losses, reference, factor=DIVERGENCE_FACTOR):
    """Per run, the first step (1-based) whose loss breaks the rule, 0 if none: ``losses`` is (steps, runs),
    ``reference`` the chance-level loss (see :func:`chance_loss`). For trainers that record divergence
    without stopping (the recurrent and token-task trainers): the same rule as :class:`DivergenceCheck`.

    >>> diverged_at(np.array([[1.0, 1.0], [2.0, np.inf], [1e9, 1.0]]), 2.3)
    array([3, 2])
    """
    bad = broken(np.asarray(losses, dtype=np.float64), None if factor is None else factor * reference)
    return np.where(bad.any(axis=0), bad.argmax(axis=0) + 1, 0)


class DivergenceCheck:
    """Called with each step's loss; returns why training diverged (a sentence) or None.

    Diverged: the loss is non-finite, or above ``factor * reference`` (see :func:`chance_loss`; when it
    has none or it is 0, the first step's loss). ``factor=None`` keeps only the non-finite rule.

    >>> check = DivergenceCheck(1e4, *chance_loss(softmax_cross_entropy, 10, np.arange(10)))
    >>> check(2.0) is None, check(float("nan")), check(1e6)
    (True, 'the loss became nan', 'loss 1e+06 > 1e+04 x chance level ln(10) = 2.3 (limit 2.3e+04)')
    """

    def __init__(self, factor, reference, description):
        self.factor, self.reference, self.description = factor, reference, description

    def __call__(self, loss):
        if not np.isfinite(loss):
            return f"the loss became {loss}"
        if self.factor is None:
            return None
        if not self.reference:  # no chance level (or it is 0): measure against the first step's loss
            if self.reference is not None and loss == 0:
                return None
            self.reference, self.description = loss, f"the first step's loss {loss:.3g}"
        limit = self.factor * self.reference
        if broken(loss, limit):
            return f"loss {loss:.3g} > {self.factor:.3g} x {self.description} (limit {limit:.3g})"
        return None
