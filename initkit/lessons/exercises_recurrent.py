"""The exercises of notebook 12 (recurrent networks): the forget-gate bias for a memory time constant, and
the recurrent scale that keeps the gradient through time within a factor."""
import numpy as np

from .exercise import Exercise


def _forget_bias_for_memory(tau):
    f = np.exp(-1.0 / tau)  # the gate value whose memory time constant -1 / ln f is tau
    return np.log(f / (1.0 - f))  # b_f = logit(f), so that sigma(b_f) = f


def _scale_within_factor(T, factor):
    return factor ** (1.0 / T)  # ||dh_T/dh_0|| = g^T for a linear orthogonal RNN: g^T = factor


EXERCISES = {
    "forget_bias_for_memory": Exercise(
        reference=_forget_bias_for_memory,
        cases=[{"tau": 1.4426950408889634}, {"tau": 3.0}, {"tau": 10.0}, {"tau": 100.0}],
        hint="the cell keeps a fraction f = sigma(b_f) per step, so after k steps f^k = exp(-k / tau) with "
             "tau = -1 / ln f. Solve for f, then invert the sigmoid: b_f = ln(f / (1 - f))."),
    "scale_within_factor": Exercise(
        reference=_scale_within_factor,
        cases=[{"T": 100, "factor": 10.0}, {"T": 50, "factor": 10.0}, {"T": 200, "factor": 2.0},
               {"T": 100, "factor": 0.1}],
        hint="a linear RNN with W_h = g Q (Q orthogonal) multiplies every back-propagated vector's norm by "
             "exactly g per step, so ||dh_T/dh_0|| = g^T. Solve g^T = factor."),
}
