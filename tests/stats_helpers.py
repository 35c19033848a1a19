"""Shared helpers for the unit tests (imported by name, so not in conftest.py)."""
import numpy as np


def std_tolerance(n, kurtosis=3.0, sigmas=5.0):
    """Relative tolerance for a sample std from n draws: sigmas standard errors.

    Var(s^2) ~ sigma^4 (kurtosis - 1) / n, so the relative standard error of s is
    sqrt((kurtosis - 1) / (4 n)); kurtosis 3 for a normal, 9/5 for a uniform. Five standard errors make a
    false failure a one-in-a-million event while a wrong formula (off by >= 5%) fails for n >= 2,000.
    """
    return sigmas * np.sqrt((kurtosis - 1.0) / (4.0 * n))
