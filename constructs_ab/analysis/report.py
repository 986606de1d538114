"""The `analyze` report: where and what was read, the sample ratio check, each candidate's comparisons
with the control and its verdict with the reasons. As text, markdown (for a pull request) or JSON."""

from __future__ import annotations

from typing import Any

from constructs_ab.analysis.decision import CandidateDecision, Comparison, ExperimentDecision, Verdict
from constructs_ab.analysis.effects import format_p
from constructs_ab.analysis.run import AnalysisResult
from constructs_ab.analysis.srm import SampleRatioResult
from constructs_ab.cli.kit.output_format import markdown_cell, render_text_markdown_json

FORMATS = ("text", "markdown", "json")  # the kit's REVIEW_FORMATS
_MARK = {Verdict.PROMOTE: "🟢", Verdict.HOLD: "🟡", Verdict.ROLLBACK: "🔴"}


def render_analysis(result: AnalysisResult, format: str) -> str:  # noqa: A002
    return render_text_markdown_json(format, result, analysis_text, analysis_markdown, analysis_json)


def _headline(result: AnalysisResult) -> str:
    return f"analyze {result.experiment.name} ({result.environment}): {result.identity.describe()}"


def _control_line(decision: ExperimentDecision) -> str:
    if decision.control is None:
        return f"control: none ({decision.roles.reason})"
    return f"control {decision.control} ({decision.roles.reason})"


def _settings_line(decision: ExperimentDecision) -> str:
    s = decision.settings
    return (
        f"alpha {s.alpha:g} per comparison (Benjamini-Hochberg across candidates), power {s.power:g}, minimum "
        f"detectable effect {s.minimum_detectable_effect:g} points of error rate: {decision.required_requests:,} "
        "requests per variant"
    )


def srm_summary(srm: SampleRatioResult) -> str:
    """One line: the outcome and its numbers."""
    if srm.p_value is None or srm.chi_square is None:
        return f"sample ratio: {srm.note or 'not tested'}"
    outcome = "MISMATCH" if srm.mismatch else "no mismatch"
    sticky = f"; stickiness on: divided by dispersion {srm.dispersion:.2f}" if srm.sticky else ""
    return (
        f"sample ratio: {outcome} (chi-square {srm.chi_square:.2f}, {srm.degrees_of_freedom} df{sticky}; "
        f"p {format_p(srm.p_value)}; largest share deviation {srm.max_deviation_points:.2f} points; a mismatch "
        f"needs p below {srm.alpha:g} and a deviation of {srm.tolerance_points:g} "
        f"point{'' if srm.tolerance_points == 1 else 's'} or more)"
    )


def _table(rows: list[list[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent
            + "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row))
        ).rstrip()
        for row in rows
    ]


def _srm_rows(decision: ExperimentDecision) -> list[list[str]]:
    srm = decision.srm
    rows = [["variant", "weight", "expected", "requests", "observed", "errors"]]
    for variant, expected, observed in zip(
        decision.variants, srm.expected_shares, srm.observed_shares, strict=True
    ):
        rows.append(
            [
                variant.name + (" (control)" if variant.name == decision.control else ""),
                str(variant.weight),
                f"{expected * 100:.1f}%",
                f"{variant.total_requests:,}",
                f"{observed * 100:.1f}%",
                f"{variant.total_errors:,}",
            ]
        )
    return rows


def _comparison_rows(candidate: CandidateDecision) -> list[list[str]]:
    rows = [["metric", "outcome", "effect", "p", "adjusted p"]]
    for c in candidate.comparisons:
        rows.append([c.metric, c.outcome.value, c.effect, format_p(c.p_value), format_p(c.adjusted_p)])
    return rows


def analysis_text(result: AnalysisResult) -> str:
    decision = result.decision
    lines = [
        _headline(result),
        f"window {result.window.describe()}; {_control_line(decision)}",
        _settings_line(decision),
        "",
        srm_summary(decision.srm),
        *_table(_srm_rows(decision), {1, 2, 3, 4, 5}),
    ]
    for candidate in decision.candidates:
        lines += ["", f"{candidate.variant} against {decision.control}: {candidate.verdict.value.upper()}"]
        if candidate.comparisons:
            lines += _table(_comparison_rows(candidate), {3, 4})
        lines += [f"  - {reason}" for reason in candidate.reasons]
    if result.notes:
        lines += ["", "notes:"] + [f"  - {note}" for note in result.notes]
    lines += [
        "",
        "verdicts: " + (", ".join(f"{c.variant} {c.verdict.value}" for c in decision.candidates) or "none"),
    ]
    return "\n".join(lines) + "\n"


def _md_table(rows: list[list[str]], right: set[int]) -> list[str]:
    head, *body = rows
    return [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|",
        *("| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in body),
    ]


def analysis_markdown(result: AnalysisResult) -> str:
    decision = result.decision
    verdicts = ", ".join(
        f"{_MARK[c.verdict]} `{c.variant}`: **{c.verdict.value}**" for c in decision.candidates
    )
    lines = [
        f"### Analysis of `{result.experiment.name}` ({result.environment}): {verdicts or 'no candidate'}",
        "",
        f"{markdown_cell(result.identity.describe())}; window {result.window.describe()}; {markdown_cell(_control_line(decision))}.",
        f"{markdown_cell(_settings_line(decision))}.",
        "",
        f"**{markdown_cell(srm_summary(decision.srm))}**"
        if decision.srm.mismatch
        else markdown_cell(srm_summary(decision.srm)),
        "",
        *_md_table(_srm_rows(decision), {1, 2, 3, 4, 5}),
    ]
    for candidate in decision.candidates:
        lines += [
            "",
            f"#### {_MARK[candidate.verdict]} `{candidate.variant}` against `{decision.control}`: {candidate.verdict.value}",
            "",
        ]
        if candidate.comparisons:
            lines += [*_md_table(_comparison_rows(candidate), {3, 4}), ""]
        lines += [f"- {markdown_cell(reason)}" for reason in candidate.reasons]
    if result.notes:
        lines += ["", "Notes:", ""] + [f"- {markdown_cell(note)}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "metric": c.metric,
        "outcome": c.outcome.value,
        "effect": c.effect,
        "p_value": c.p_value,
        "adjusted_p_value": c.adjusted_p,
        "short_by": c.short_by,
    }


def analysis_json(result: AnalysisResult) -> dict[str, Any]:
    decision = result.decision
    srm = decision.srm
    settings = decision.settings
    return {
        "experiment": result.experiment.name,
        "environment": result.environment,
        "account": result.identity.account,
        "caller_arn": result.identity.arn,
        "region": result.identity.region,
        "window": {
            "start": result.window.start.isoformat(),
            "end": result.window.end.isoformat(),
            "minutes": result.window.minutes,
        },
        "control": decision.control,
        "control_reason": decision.roles.reason,
        "ramp_candidate": result.ramp_candidate,
        "settings": {
            "alpha": settings.alpha,
            "power": settings.power,
            "minimum_detectable_effect_points": settings.minimum_detectable_effect,
            "srm_alpha": settings.srm_alpha,
            "srm_tolerance_points": settings.srm_tolerance,
            "min_minutes": settings.min_minutes,
            "require_improvement": settings.require_improvement,
        },
        "required_requests_per_variant": decision.required_requests,
        "latency_compared": decision.latency_measured,
        "sticky": result.split.sticky,
        "sample_ratio": {
            "mismatch": srm.mismatch,
            "chi_square": srm.chi_square,
            "degrees_of_freedom": srm.degrees_of_freedom,
            "dispersion": srm.dispersion,
            "p_value": srm.p_value,
            "max_deviation_points": srm.max_deviation_points,
            "note": srm.note,
        },
        "variants": [
            {
                "name": v.name,
                "weight": v.weight,
                "expected_share": expected,
                "requests": v.total_requests,
                "errors": v.total_errors,
                "observed_share": observed,
            }
            for v, expected, observed in zip(
                decision.variants, srm.expected_shares, srm.observed_shares, strict=True
            )
        ],
        "candidates": [
            {
                "variant": c.variant,
                "verdict": c.verdict.value,
                "reasons": list(c.reasons),
                "comparisons": [_comparison_json(x) for x in c.comparisons],
                "error_rate": c.errors.rate,
                "control_error_rate": c.errors.control_rate,
                "missing_requests": c.missing_requests,
                "control_missing_requests": c.control_missing_requests,
                "more_experiment_requests": c.more_requests,
                "more_minutes": c.more_minutes,
            }
            for c in decision.candidates
        ],
        "notes": list(result.notes),
    }
