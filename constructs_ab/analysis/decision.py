"""What `decide` finds: the verdict on each candidate, each comparison's outcome, and the data they rest
on (`VariantSeries`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_ab.analysis.cloudwatch_reader import Series
from constructs_ab.analysis.paired_minutes import PairedComparison
from constructs_ab.analysis.roles import Roles
from constructs_ab.analysis.srm import SampleRatioResult
from constructs_ab.analysis.two_proportions import ProportionComparison
from constructs_ab.analysis.welch import MeanComparison
from constructs_ab.spec.model import Analysis


class Verdict(enum.StrEnum):
    PROMOTE = "promote"
    HOLD = "hold"
    ROLLBACK = "rollback"


class Outcome(enum.StrEnum):
    """What the test of one metric says of a candidate against the control (`of`)."""

    WORSE = "worse"
    BETTER = "better"
    NO_DIFFERENCE = "no significant difference"
    NOT_TESTED = "not tested"

    @classmethod
    def of(cls, adjusted_p: float | None, alpha: float, worse_sign: float, effect: float | None) -> Outcome:
        """Not tested without an adjusted p-value or an effect (too little data: no requests or too few
        paired minutes on one side); no significant difference when the adjusted p-value is at least
        `alpha` or the effect is 0; else worse when the effect is in the bad direction (its sign times
        `worse_sign` is positive), better otherwise."""
        if adjusted_p is None or effect is None:
            return cls.NOT_TESTED
        if adjusted_p >= alpha or effect == 0:
            return cls.NO_DIFFERENCE
        return cls.WORSE if effect * worse_sign > 0 else cls.BETTER


@dataclass(frozen=True, kw_only=True)
class VariantSeries:
    """One variant's data over the window.

    weight: its live weight. requests, target_5xx, connection_errors: per-minute counts.
    latency: percentile (p50, p90, p99) -> per-minute seconds; empty when latency was not read.
    custom: one series per custom metric of the spec, in its order.
    """

    name: str
    weight: int
    requests: Series = field(default_factory=dict)
    target_5xx: Series = field(default_factory=dict)
    connection_errors: Series = field(default_factory=dict)
    latency: Mapping[str, Series] = field(default_factory=dict)
    custom: tuple[Series, ...] = ()

    @property
    def total_requests(self) -> int:
        return round(sum(self.requests.values()))

    @property
    def total_errors(self) -> int:
        """Target 5xx plus connection errors (at most the requests)."""
        errors = round(sum(self.target_5xx.values()) + sum(self.connection_errors.values()))
        return min(errors, self.total_requests)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """One metric of one candidate against the control, after the correction.

    metric: `error rate`, `latency p99` or a custom metric's label.
    effect: the numbers, e.g. `3.00% vs 1.00% (+2.00 points, 95% CI +1.78 to +2.22)`.
    """

    metric: str
    outcome: Outcome
    effect: str
    p_value: float | None = None
    adjusted_p: float | None = None
    short_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class CandidateDecision:
    """The verdict on one candidate and everything behind it.

    missing_requests, control_missing_requests: requests still needed by the candidate and the control.
    more_requests: requests to the whole experiment that would bring both there (None when not short).
    more_minutes: about how long those take at the window's rate (None when unknown).
    """

    variant: str
    verdict: Verdict
    reasons: tuple[str, ...]
    errors: ProportionComparison
    comparisons: tuple[Comparison, ...]
    missing_requests: int = 0
    control_missing_requests: int = 0
    more_requests: int | None = None
    more_minutes: float | None = None
    latency: Mapping[str, PairedComparison] = field(default_factory=dict)
    custom: tuple[MeanComparison, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ExperimentDecision:
    """control: None when no variant can be one (then every candidate holds).
    required_requests: the minimum sample size per variant.
    """

    roles: Roles
    settings: Analysis
    variants: tuple[VariantSeries, ...]
    srm: SampleRatioResult
    required_requests: int
    latency_measured: bool
    window_minutes: int
    candidates: tuple[CandidateDecision, ...]

    @property
    def control(self) -> str | None:
        return self.roles.control

    def candidate(self, name: str) -> CandidateDecision | None:
        return next((c for c in self.candidates if c.variant == name), None)
