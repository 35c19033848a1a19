"""The standard normal truncated to [-b, b]: its std, and a sampler whose cost does not depend on b.

Sampling is by inverse CDF: with V ~ U(-1, 1), the sample is sign(V) |z| where |z| solves
P(|Z| <= |z|) = |V| P(|Z| <= b), i.e. Phi(|z|) - 1/2 = |V| erf(b / sqrt 2) / 2. It takes one uniform draw
per value for every bound, where redrawing until |z| <= b takes about 1 / P(|Z| <= b) draws (2.5e5 per
value at b = 1e-5, and it never ends at b = 1e-9 in float64 practice).

The quantile Phi^{-1} is Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477-484:
rational approximations accurate to about 1e-16 relative. It is evaluated from the centered probability
q = Phi(z) - 1/2 and the tail probability 1 - Phi(z) given separately, so that neither tiny bounds
(q near 0) nor large ones (tail near 0) lose digits to the rounding of 1/2 + q.
"""
import math

import numpy as np

from .constraints import Real
from .validation import validate_params

# AS 241 coefficients, ascending powers: central region |q| <= 0.425 (A / B), tail with
# r = sqrt(-log(tail)) <= 5 (C / D), far tail r > 5 (E / F).
_A = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
      4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3)
_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3, 2.1213794301586595867e4,
      3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3)
_C = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
      1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4)
_D = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
      1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9)
_E = (6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
      2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7)
_F = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
      7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15)


def _poly(coefficients, x):
    result = np.full_like(x, coefficients[-1])
    for c in coefficients[-2::-1]:
        result = result * x + c
    return result


def upper_quantile(q, tail):
    """z >= 0 with Phi(z) - 1/2 = q and 1 - Phi(z) = tail (the caller passes both, each accurate).

    Wichura (1988), Algorithm AS 241: The Percentage Points of the Normal Distribution.

    >>> upper_quantile(np.array([0.0, 0.475]), np.array([0.5, 0.025])).round(4)   # Phi(1.96) = 0.975
    array([0.  , 1.96])
    """
    q, tail = np.asarray(q, dtype=np.float64), np.asarray(tail, dtype=np.float64)
    r = 0.180625 - q * q
    z = q * _poly(_A, r) / _poly(_B, r)
    far = q > 0.425
    if far.any():
        s = np.sqrt(-np.log(np.maximum(tail[far], 1e-300)))
        near = s <= 5.0
        z[far] = np.where(near, _poly(_C, s - 1.6) / _poly(_D, s - 1.6), _poly(_E, s - 5.0) / _poly(_F, s - 5.0))
    return z


def sample_truncated(rng, shape, bound, dtype=np.float64):
    """Standard normal samples conditioned on |z| <= bound, by inverse CDF (one uniform draw per value).

    >>> z = sample_truncated(np.random.default_rng(0), (10000,), 1e-9)
    >>> bool(abs(z).max() <= 1e-9), round(float(z.std() / 1e-9 * np.sqrt(3)), 2)   # nearly U[-b, b]
    (True, 1.0)
    """
    mass = math.erf(bound / math.sqrt(2.0))  # P(|Z| <= b)
    outside = math.erfc(bound / math.sqrt(2.0))  # 1 - mass, without cancellation for large b
    v = rng.uniform(-1.0, 1.0, shape)
    u = np.abs(v)
    # Phi(|z|) - 1/2 = u mass / 2, and 1 - Phi(|z|) = (1 - u mass) / 2 = ((1 - u) + u (1 - mass)) / 2
    z = upper_quantile(0.5 * mass * u, 0.5 * ((1.0 - u) + u * outside))
    z = np.minimum(z, bound)  # the last ulp of rounding never crosses the bound
    return np.copysign(z, v).astype(dtype, copy=False)


def _normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@validate_params({"bound": Real(0, closed="neither")})
def truncated_normal_std(bound):
    """Std of N(0, 1) truncated to [-bound, bound]: sqrt(1 - 2 b phi(b) / (2 Phi(b) - 1)).

    For b < 1 that difference cancels (at b = 1e-6 it keeps no correct digit), so the variance is summed
    as b^2 S_3 / S_1 with S_m = sum_k (-b^2 / 2)^k / (k! (2k + m)), the series of
    int_0^b z^2 e^{-z^2/2} dz / int_0^b e^{-z^2/2} dz. Small bounds approach the uniform's b / sqrt(3).

    >>> round(truncated_normal_std(2.0), 6), round(truncated_normal_std(1e-6) * math.sqrt(3) / 1e-6, 6)
    (0.879626, 1.0)
    """
    if bound < 1.0:
        x = -0.5 * bound * bound
        s1 = s3 = 0.0
        term = 1.0  # x^k / k!
        for k in range(40):
            s1 += term / (2 * k + 1)
            s3 += term / (2 * k + 3)
            term *= x / (k + 1)
        return bound * math.sqrt(s3 / s1)
    pdf = math.exp(-0.5 * bound * bound) / math.sqrt(2 * math.pi)
    return math.sqrt(1.0 - 2.0 * bound * pdf / math.erf(bound / math.sqrt(2.0)))
