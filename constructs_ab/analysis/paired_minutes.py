"""Latency percentiles compared minute by minute: the Wilcoxon signed-rank test on the paired
differences (candidate - control) of the minutes where both have a value (`scipy.stats.wilcoxon`,
two-sided; zero differences dropped, as Wilcoxon proposed; exact p-values for small samples, the normal
approximation with ties).

Pairing by minute removes what both variants share in a minute (load, request mix); the signed-rank
test needs no normality of the differences, which per-minute p99 latencies do not have.

See: Wilcoxon, "Individual comparisons by ranking methods", Biometrics Bulletin 1 (1945).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from scipy import stats


@dataclass(frozen=True, kw_only=True)
class PairedComparison:
    """pairs: minutes with both values; median_difference: median of candidate - control (None without
    pairs); control_median: the control's median over those minutes; p_value: None with no pair, 1 when
    every difference is 0."""

    pairs: int
    median_difference: float | None
    control_median: float | None
    statistic: float | None
    p_value: float | None

    @property
    def relative(self) -> float | None:
        """median_difference / control_median (None when the control's median is 0 or unknown)."""
        if self.median_difference is None or not self.control_median:
            return None
        return self.median_difference / self.control_median


def compare_paired(
    candidate: Mapping[datetime, float], control: Mapping[datetime, float]
) -> PairedComparison:
    """The signed-rank test of the candidate's per-minute values against the control's."""
    minutes = sorted(candidate.keys() & control.keys())
    differences = [candidate[m] - control[m] for m in minutes]
    if not differences:
        return PairedComparison(
            pairs=0, median_difference=None, control_median=None, statistic=None, p_value=None
        )
    median = statistics.median(differences)
    control_median = statistics.median(control[m] for m in minutes)
    if all(d == 0 for d in differences):
        return PairedComparison(
            pairs=len(minutes),
            median_difference=0.0,
            control_median=control_median,
            statistic=0.0,
            p_value=1.0,
        )
    result = stats.wilcoxon(differences, alternative="two-sided")
    return PairedComparison(
        pairs=len(minutes),
        median_difference=median,
        control_median=control_median,
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
    )
