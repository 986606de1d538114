"""The minimum sample size per variant to detect a change of the error rate of `delta` (the spec's
minimum detectable effect), and the power of a given size.

The standard normal-approximation formula for two proportions (Fleiss, Levin and Paik, Statistical
Methods for Rates and Proportions, 3rd ed., 2003, without continuity correction; what R's
`power.prop.test` computes):

    n = [ z(1 - alpha/2) sqrt(2 pbar qbar) + z(power) sqrt(p1 q1 + p2 q2) ]^2 / (p2 - p1)^2

with p1 the control's rate, p2 = p1 + delta (p1 - delta when that would pass 1), pbar = (p1 + p2) / 2 and
the quantiles from `scipy.stats.norm.ppf`. The formula is for equal groups; `analyze` asks each of the
candidate and the control for at least n, which is enough for unequal splits too (a larger control only
adds power).
"""

from __future__ import annotations

import math

from scipy import stats


def _second(p1: float, delta: float) -> float:
    return p1 + delta if p1 + delta <= 1 else p1 - delta


def required_per_group(p1: float, delta: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """n per group (not rounded) to detect p1 -> p1 + delta with a two-sided test at `alpha`."""
    if delta <= 0:
        raise ValueError("delta must be positive")
    p2 = _second(p1, delta)
    pbar = (p1 + p2) / 2
    z_alpha = float(stats.norm.ppf(1 - alpha / 2))
    z_power = float(stats.norm.ppf(power))
    root = z_alpha * math.sqrt(2 * pbar * (1 - pbar)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return root**2 / (p2 - p1) ** 2


def minimum_sample_size(p1: float, delta: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """`required_per_group` rounded up: the requests each of candidate and control needs."""
    return math.ceil(required_per_group(p1, delta, alpha=alpha, power=power) - 1e-9)


def power_of(n: float, p1: float, p2: float, *, alpha: float = 0.05) -> float:
    """The power of the two-sided test with n per group when the rates are p1 and p2 (the inverse of
    `required_per_group`)."""
    pbar = (p1 + p2) / 2
    z_alpha = float(stats.norm.ppf(1 - alpha / 2))
    numerator = math.sqrt(n) * abs(p2 - p1) - z_alpha * math.sqrt(2 * pbar * (1 - pbar))
    return float(stats.norm.cdf(numerator / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))))
