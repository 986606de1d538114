"""Custom metrics compared on their per-minute values: Welch's unequal-variances t-test
(`scipy.stats.ttest_ind(equal_var=False)`, two-sided).

The minutes are taken as independent samples of each variant's metric; Welch's test does not assume the
variants' variances are equal (a candidate with fewer requests has noisier per-minute values).

See: Welch, "The generalization of 'Student's' problem when several different population variances are
involved", Biometrika 34 (1947).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats


@dataclass(frozen=True, kw_only=True)
class MeanComparison:
    """Per-minute values of a candidate against the control's: counts, means, Welch's t, its degrees of
    freedom and two-sided p-value (None with fewer than 2 values on a side)."""

    count: int
    control_count: int
    mean: float | None
    control_mean: float | None
    t: float | None
    degrees_of_freedom: float | None
    p_value: float | None

    @property
    def difference(self) -> float | None:
        if self.mean is None or self.control_mean is None:
            return None
        return self.mean - self.control_mean

    @property
    def relative(self) -> float | None:
        if self.difference is None or not self.control_mean:
            return None
        return self.difference / abs(self.control_mean)


def compare_means(values: Sequence[float], control_values: Sequence[float]) -> MeanComparison:
    """Welch's test of `values` (the candidate's) against `control_values`."""
    mean = statistics.fmean(values) if values else None
    control_mean = statistics.fmean(control_values) if control_values else None
    base: dict[str, Any] = {
        "count": len(values),
        "control_count": len(control_values),
        "mean": mean,
        "control_mean": control_mean,
    }
    if len(values) < 2 or len(control_values) < 2:
        return MeanComparison(**base, t=None, degrees_of_freedom=None, p_value=None)
    if statistics.pvariance(values) == 0 and statistics.pvariance(control_values) == 0:
        same = mean == control_mean  # constant on both sides: equal, or different beyond doubt
        return MeanComparison(
            **base, t=0.0 if same else math.inf, degrees_of_freedom=None, p_value=1.0 if same else 0.0
        )
    result = stats.ttest_ind(values, control_values, equal_var=False)
    return MeanComparison(
        **base, t=float(result.statistic), degrees_of_freedom=float(result.df), p_value=float(result.pvalue)
    )
