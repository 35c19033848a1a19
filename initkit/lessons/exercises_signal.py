"""The exercises of notebook 08 (signal propagation): chi_1 by quadrature, and the edge of chaos by root finding."""

from ..measure.mean_field import chi1_grid, critical_weight_var
from .exercise import Exercise


def _chi1_tanh(weight_var_n, q):
    return float(chi1_grid(weight_var_n, q, "tanh"))  # sigma_w^2 E[tanh'(sqrt(q) z)^2]


def _critical_weight_var(bias_var):
    return float(critical_weight_var(bias_var, "tanh"))  # chi_1(sigma_w^2, q*) = 1


EXERCISES = {
    "chi1_tanh": Exercise(
        reference=_chi1_tanh,
        cases=[{"weight_var_n": 1.0, "q": 0.0}, {"weight_var_n": 1.76, "q": 0.57}, {"weight_var_n": 2.5, "q": 1.06},
               {"weight_var_n": 25 / 9, "q": 3.0}],
        hint="chi_1 = weight_var_n * E[tanh'(sqrt(q) z)^2] with tanh'(u) = 1 - tanh(u)^2; "
             "ik.gaussian_expectation(lambda z: ...) computes E[f(z)] for z ~ N(0, 1)",
        rtol=1e-4),
    "critical_weight_var": Exercise(
        reference=_critical_weight_var,
        cases=[{"bias_var": 0.05}, {"bias_var": 0.1}, {"bias_var": 0.01}, {"bias_var": 0.2}],
        hint="bisect on sigma_w^2 in [1, 5]: compute q* = ik.theory.fixed_point(sigma_w^2, bias_var), then "
             "ik.theory.chi1(sigma_w^2, q*); chi_1 > 1 means sigma_w^2 is above the critical value",
        rtol=2e-3),
}
