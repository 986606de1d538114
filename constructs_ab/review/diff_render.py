"""Render a `TrafficDiff` as text (a terminal), markdown (a pull request comment) or JSON.

All three are deterministic: the diff's changes are already in a stable order, and risky changes are
listed first.
"""

from __future__ import annotations

from typing import Any

from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, render_text_markdown_json
from constructs_ab.review.changes import DEFAULT_MAX_STEP_POINTS, Change, TrafficDiff

#: Marker of a risky change in text and markdown output.
RISKY_TEXT = "RISKY"
RISKY_MARKDOWN = "⚠️"

FORMATS = REVIEW_FORMATS


def render(diff: TrafficDiff, format: str) -> str:  # noqa: A002
    """The diff as `text`, `markdown` (a pull request comment) or `json` (indented, sorted keys, no final
    newline); `format` is one of FORMATS (an `OutputFormat` or its name)."""
    return render_text_markdown_json(
        format, diff, render_text, render_markdown, diff_to_json, final_newline=False
    )


def summary_line(diff: TrafficDiff) -> str:
    """`Traffic diff: 5 changes, 2 risky (max step 25 points).` or `... no changes to live traffic.`"""
    if not diff.changes:
        return "Traffic diff: no changes to live traffic."
    count = len(diff.changes)
    noun = "change" if count == 1 else "changes"
    step = (
        f"max step {diff.max_step:g} points"
        if diff.max_step is not None
        else f"max step: each experiment's ramp step, else {DEFAULT_MAX_STEP_POINTS:g} points"
    )
    return f"Traffic diff: {count} {noun}, {len(diff.risky)} risky ({step})."


def _reasons(change: Change) -> str:
    return "; ".join(risk.reason for risk in change.risks)


def _where(change: Change) -> str:
    return f"{change.stack} / {change.load_balancer} / {change.listener}"


def render_text(diff: TrafficDiff) -> str:
    lines = [summary_line(diff)]
    if diff.risky:
        lines += ["", "Risky changes:"]
        lines += [
            f"  {RISKY_TEXT} {change.message} [{_where(change)}]: {_reasons(change)}" for change in diff.risky
        ]
    current = None
    for change in diff.changes:
        if _where(change) != current:
            current = _where(change)
            lines += ["", current]
        marker = f"  [{RISKY_TEXT}: {_reasons(change)}]" if change.risky else ""
        lines.append(f"  {change.message}{marker}")
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    if text is None:
        return "–"
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: TrafficDiff) -> str:
    lines = [f"### {summary_line(diff)}"]
    if not diff.changes:
        return "\n".join(lines) + "\n"
    if diff.risky:
        lines += ["", f"**{RISKY_MARKDOWN} Risky changes**", ""]
        lines += [
            f"- {RISKY_MARKDOWN} `{_cell(_where(change))}`: {_cell(change.message)}: "
            f"{_cell(_reasons(change))}"
            for change in diff.risky
        ]
    lines += [
        "",
        "| | Where | Change | Before | After |",
        "|---|---|---|---|---|",
    ]
    ordered = list(diff.risky) + [change for change in diff.changes if not change.risky]
    for change in ordered:
        marker = RISKY_MARKDOWN if change.risky else ""
        lines.append(
            f"| {marker} | {_cell(_where(change))} | {_cell(change.message)} | {_cell(change.before)} "
            f"| {_cell(change.after)} |"
        )
    return "\n".join(lines) + "\n"


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 2)


def diff_to_json(diff: TrafficDiff) -> dict[str, Any]:
    """A JSON-ready dict: `summary`, `max_step`, `changes` (each with its risks)."""
    return {
        "summary": {"changes": len(diff.changes), "risky": len(diff.risky)},
        "max_step": diff.max_step,
        "changes": [
            {
                "kind": change.kind.value,
                "stack": change.stack,
                "load_balancer": change.load_balancer,
                "listener": change.listener,
                "rule": change.rule,
                "subject": change.subject,
                "before": change.before,
                "after": change.after,
                "before_percent": _percent(change.before_share),
                "after_percent": _percent(change.after_share),
                "message": change.message,
                "risky": change.risky,
                "risks": [{"kind": risk.kind.value, "reason": risk.reason} for risk in change.risks],
            }
            for change in diff.changes
        ],
    }
