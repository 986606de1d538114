"""The verdict on each candidate: promote, hold or rollback, with the numbers behind it.

In this order:

1. Sample ratio mismatch (`srm`): requests per variant against the live weights, checked before anything
   else; a mismatch blocks promote (it does not stop a rollback).
2. The comparisons of each candidate with the control (`roles`), each family corrected across candidates
   with Benjamini-Hochberg (`fdr`), significant when the adjusted p-value is below `alpha`:
   - error rate, (target 5xx + target connection errors) / requests: the two-proportion z-test;
   - latency p50, p90 and p99 per minute: the Wilcoxon signed-rank test on paired minutes (at least
     `min_minutes` pairs, else not tested);
   - each custom metric per minute: Welch's t-test (at least `min_minutes` values on each side), in the
     direction the spec declares.
3. The verdict:
   - rollback when any comparison is significantly worse;
   - else hold when there is a sample ratio mismatch;
   - else hold when data is short: fewer requests than the minimum sample size (`sample_size`, from the
     control's error rate and the spec's minimum detectable effect) on the candidate or the control, or
     a latency percentile or custom metric with fewer than `min_minutes` minutes; the verdict says how
     many more requests (and about how long at the current rate) or minutes are needed;
   - else hold when `require_improvement` is set and nothing is significantly better;
   - else promote.

The values it returns are in `decision`, how their numbers are written in `effects`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_ab.analysis.cloudwatch_reader import Series
from constructs_ab.analysis.decision import (
    CandidateDecision,
    Comparison,
    ExperimentDecision,
    Outcome,
    VariantSeries,
    Verdict,
)
from constructs_ab.analysis.effects import (
    custom_effect,
    describe_minutes,
    error_effect,
    format_p,
    latency_effect,
)
from constructs_ab.analysis.fdr import benjamini_hochberg
from constructs_ab.analysis.metric_queries import PERCENTILES
from constructs_ab.analysis.paired_minutes import PairedComparison, compare_paired
from constructs_ab.analysis.roles import Roles
from constructs_ab.analysis.sample_size import minimum_sample_size
from constructs_ab.analysis.srm import SampleRatioResult, sample_ratio_test
from constructs_ab.analysis.two_proportions import ProportionComparison, compare_proportions
from constructs_ab.analysis.welch import MeanComparison, compare_means
from constructs_ab.spec.model import Analysis, CustomMetric


def _paired(candidate: Series, control: Series, minimum: int) -> PairedComparison:
    result = compare_paired(candidate, control)
    if result.pairs < minimum:  # too few minutes to test: the numbers are shown, the test is not run
        return dataclasses.replace(result, statistic=None, p_value=None)
    return result


def _means(candidate: Series, control: Series, minimum: int) -> MeanComparison:
    values, control_values = list(candidate.values()), list(control.values())
    result = compare_means(values, control_values)
    if min(len(values), len(control_values)) < minimum:
        return dataclasses.replace(result, t=None, degrees_of_freedom=None, p_value=None)
    return result


def decide(
    variants: Sequence[VariantSeries],
    roles: Roles,
    settings: Analysis,
    *,
    sticky: bool,
    latency_measured: bool,
    window_minutes: int,
    srm_skipped: str | None = None,
) -> ExperimentDecision:
    """The decision for the experiment whose taking-traffic variants are `variants` (spec order).

    srm_skipped: why the sample ratio check does not apply (e.g. a target group shared with another
    experiment counts that one's requests too); it is then reported as not tested.
    """
    by_name = {v.name: v for v in variants}
    total_weight = sum(v.weight for v in variants)
    shares = {v.name: v.weight / total_weight if total_weight else 0.0 for v in variants}
    minutes = sorted(set().union(*(v.requests.keys() for v in variants))) if variants else []
    srm = sample_ratio_test(
        [v.total_requests for v in variants],
        [shares[v.name] for v in variants],
        per_minute=[[v.requests.get(m, 0.0) for v in variants] for m in minutes],
        sticky=sticky,
        alpha=settings.srm_alpha,
        tolerance_points=settings.srm_tolerance,
    )
    if srm_skipped is not None:
        srm = dataclasses.replace(
            srm, chi_square=None, p_value=None, mismatch=False, note=f"not tested: {srm_skipped}"
        )
    control = by_name.get(roles.control) if roles.control is not None else None
    control_rate = (
        control.total_errors / control.total_requests if control and control.total_requests else 0.0
    )
    required = minimum_sample_size(
        control_rate, settings.minimum_detectable_effect / 100, alpha=settings.alpha, power=settings.power
    )
    base: dict[str, Any] = {
        "roles": roles,
        "settings": settings,
        "variants": tuple(variants),
        "srm": srm,
        "required_requests": required,
        "latency_measured": latency_measured,
        "window_minutes": window_minutes,
    }
    candidates = [by_name[name] for name in roles.candidates if name in by_name]
    if control is None:
        decisions = tuple(
            CandidateDecision(
                variant=candidate.name,
                verdict=Verdict.HOLD,
                reasons=(f"no control to compare with: {roles.reason}",),
                errors=compare_proportions(candidate.total_errors, candidate.total_requests, 0, 0),
                comparisons=(),
            )
            for candidate in candidates
        )
        return ExperimentDecision(**base, candidates=decisions)

    errors = [
        compare_proportions(c.total_errors, c.total_requests, control.total_errors, control.total_requests)
        for c in candidates
    ]
    errors_adjusted = benjamini_hochberg([e.p_value for e in errors])
    latency: dict[str, list[PairedComparison]] = {}
    latency_adjusted: dict[str, list[float | None]] = {}
    if latency_measured:
        for percentile in PERCENTILES:
            latency[percentile] = [
                _paired(
                    c.latency.get(percentile, {}), control.latency.get(percentile, {}), settings.min_minutes
                )
                for c in candidates
            ]
            latency_adjusted[percentile] = benjamini_hochberg([r.p_value for r in latency[percentile]])
    custom: list[list[MeanComparison]] = []
    custom_adjusted: list[list[float | None]] = []
    for number, _metric in enumerate(settings.custom_metrics):
        results = [
            _means(
                c.custom[number] if number < len(c.custom) else {},
                control.custom[number] if number < len(control.custom) else {},
                settings.min_minutes,
            )
            for c in candidates
        ]
        custom.append(results)
        custom_adjusted.append(benjamini_hochberg([r.p_value for r in results]))

    decisions_list = []
    for index, candidate in enumerate(candidates):
        comparisons = [
            Comparison(
                metric="error rate",
                outcome=Outcome.of(errors_adjusted[index], settings.alpha, 1, errors[index].difference)
                if errors[index].p_value is not None
                else Outcome.NOT_TESTED,
                effect=error_effect(errors[index]),
                p_value=errors[index].p_value,
                adjusted_p=errors_adjusted[index],
                short_by=None if errors[index].p_value is not None else "no requests on one side",
            )
        ]
        for percentile, paired_results in latency.items():
            paired = paired_results[index]
            comparisons.append(
                Comparison(
                    metric=f"latency {percentile}",
                    outcome=Outcome.of(
                        latency_adjusted[percentile][index], settings.alpha, 1, paired.median_difference
                    ),
                    effect=latency_effect(paired),
                    p_value=paired.p_value,
                    adjusted_p=latency_adjusted[percentile][index],
                    short_by=None
                    if paired.pairs >= settings.min_minutes
                    else f"{settings.min_minutes - paired.pairs} more minutes with data for both",
                )
            )
        for number, metric in enumerate(settings.custom_metrics):
            means = custom[number][index]
            fewest = min(means.count, means.control_count)
            comparisons.append(
                Comparison(
                    metric=metric.label,
                    outcome=Outcome.of(
                        custom_adjusted[number][index], settings.alpha, _worse_sign(metric), means.difference
                    ),
                    effect=custom_effect(means),
                    p_value=means.p_value,
                    adjusted_p=custom_adjusted[number][index],
                    short_by=None
                    if fewest >= settings.min_minutes
                    else f"{settings.min_minutes - fewest} more minutes with data for both",
                )
            )
        decisions_list.append(
            _verdict(
                candidate,
                control,
                shares,
                required,
                srm,
                settings,
                comparisons,
                errors[index],
                {p: r[index] for p, r in latency.items()},
                tuple(c[index] for c in custom),
                window_minutes,
                sum(v.total_requests for v in variants),
            )
        )
    return ExperimentDecision(**base, candidates=tuple(decisions_list))


def _worse_sign(metric: CustomMetric) -> float:
    """+1 when a larger value is worse, -1 when a larger value is better."""
    return -1.0 if metric.higher_is_better else 1.0


def _verdict(
    candidate: VariantSeries,
    control: VariantSeries,
    shares: Mapping[str, float],
    required: int,
    srm: SampleRatioResult,
    settings: Analysis,
    comparisons: list[Comparison],
    errors: ProportionComparison,
    latency: Mapping[str, PairedComparison],
    custom: tuple[MeanComparison, ...],
    window_minutes: int,
    total_requests: int,
) -> CandidateDecision:
    missing = max(0, required - candidate.total_requests)
    control_missing = max(0, required - control.total_requests)
    base: dict[str, Any] = {
        "variant": candidate.name,
        "errors": errors,
        "comparisons": tuple(comparisons),
        "missing_requests": missing,
        "control_missing_requests": control_missing,
        "latency": latency,
        "custom": custom,
    }
    alpha = settings.alpha

    def significance(c: Comparison) -> str:
        return f"adjusted p {format_p(c.adjusted_p)} < {alpha:g}"

    worse = [c for c in comparisons if c.outcome is Outcome.WORSE]
    if worse:
        return CandidateDecision(
            **base,
            verdict=Verdict.ROLLBACK,
            reasons=tuple(f"worse on {c.metric}: {c.effect}, {significance(c)}" for c in worse),
        )
    better = [
        f"better on {c.metric}: {c.effect}, {significance(c)}"
        for c in comparisons
        if c.outcome is Outcome.BETTER
    ]
    if srm.mismatch:
        reason = (
            f"sample ratio mismatch: requests are off the weights by up to {srm.max_deviation_points:.2f} points "
            f"(p {format_p(srm.p_value)}); fix the split before trusting any comparison"
        )
        return CandidateDecision(**base, verdict=Verdict.HOLD, reasons=(reason, *better))
    short: list[str] = []
    more_requests: int | None = None
    more_minutes: float | None = None
    if missing or control_missing:
        needs = []
        if missing:
            needs.append(f"{missing:,} more requests on {candidate.name}")
        if control_missing:
            needs.append(f"{control_missing:,} more on the control {control.name}")
        overall = [
            m / shares[n]
            for m, n in ((missing, candidate.name), (control_missing, control.name))
            if m and shares[n]
        ]
        more_requests = math.ceil(max(overall)) if overall else None
        rate = total_requests / window_minutes if window_minutes else 0.0
        more_minutes = more_requests / rate if more_requests is not None and rate > 0 else None
        text = (
            f"not enough data: needs {' and '.join(needs)} ({required:,} each, to detect "
            f"{settings.minimum_detectable_effect:g} points of error rate at alpha {alpha:g} and power "
            f"{settings.power:g})"
        )
        if more_requests is not None:
            text += f"; about {more_requests:,} more experiment requests"
            if more_minutes is not None:
                text += f", {describe_minutes(more_minutes)} at the current {rate:,.0f} requests per minute"
        short.append(text)
    short += [f"not enough data on {c.metric}: needs {c.short_by}" for c in comparisons[1:] if c.short_by]
    if short:
        return CandidateDecision(
            **base,
            verdict=Verdict.HOLD,
            reasons=(*short, *better),
            more_requests=more_requests,
            more_minutes=more_minutes,
        )
    if settings.require_improvement and not better:
        return CandidateDecision(
            **base,
            verdict=Verdict.HOLD,
            reasons=(
                "not significantly better on anything, and the spec asks for an improvement (require_improvement)",
            ),
        )
    same = [c.metric for c in comparisons if c.outcome is Outcome.NO_DIFFERENCE]
    reasons = [
        f"enough data ({candidate.total_requests:,} and {control.total_requests:,} requests, {required:,} needed) "
        "and not worse on anything"
    ]
    if same:
        reasons.append(f"no significant difference on {', '.join(same)}")
    return CandidateDecision(**base, verdict=Verdict.PROMOTE, reasons=(*reasons, *better))


__all__ = [
    "CandidateDecision",
    "Comparison",
    "ExperimentDecision",
    "Outcome",
    "VariantSeries",
    "Verdict",
    "decide",
    "describe_minutes",
    "format_p",
]
