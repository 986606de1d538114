"""Error rates of a candidate and the control: the two-proportion z-test (pooled variance, two-sided).

z = (p1 - p0) / sqrt(p (1 - p) (1/n1 + 1/n0)), p = (x1 + x0) / (n1 + n0); its square is Pearson's
chi-square of the 2x2 table. The p-value is 2 * P(Z > |z|) from `scipy.stats.norm`. The difference's
confidence interval is the unpooled Wald interval, p1 - p0 +/- z(1 - alpha/2) sqrt(p1 q1/n1 + p0 q0/n0).

See: Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (2007), chapter 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import stats


@dataclass(frozen=True, kw_only=True)
class ProportionComparison:
    """A candidate's error rate against the control's (rates are fractions 0..1).

    difference: candidate rate - control rate; ci_low, ci_high: its confidence interval.
    z, p_value: None when a side has no requests; with no error (or only errors) on both sides, z is 0
        and the p-value 1.
    """

    errors: int
    requests: int
    control_errors: int
    control_requests: int
    z: float | None
    p_value: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def control_rate(self) -> float:
        return self.control_errors / self.control_requests if self.control_requests else 0.0

    @property
    def difference(self) -> float:
        return self.rate - self.control_rate


def compare_proportions(
    errors: int, requests: int, control_errors: int, control_requests: int, *, confidence: float = 0.95
) -> ProportionComparison:
    """The z-test of `errors` / `requests` against `control_errors` / `control_requests`."""
    base: dict[str, Any] = {
        "errors": errors,
        "requests": requests,
        "control_errors": control_errors,
        "control_requests": control_requests,
    }
    if requests <= 0 or control_requests <= 0:
        return ProportionComparison(**base, z=None, p_value=None, ci_low=None, ci_high=None)
    rate, control = errors / requests, control_errors / control_requests
    pooled = (errors + control_errors) / (requests + control_requests)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / requests + 1 / control_requests))
    z = (rate - control) / spread if spread > 0 else 0.0
    p_value = float(2 * stats.norm.sf(abs(z))) if spread > 0 else 1.0
    quantile = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    half = quantile * math.sqrt(rate * (1 - rate) / requests + control * (1 - control) / control_requests)
    return ProportionComparison(
        **base, z=z, p_value=p_value, ci_low=rate - control - half, ci_high=rate - control + half
    )
