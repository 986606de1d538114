"""The `preflight` report: who and where was read, what was checked, then one line per reason the deploy
is blocked (or that nothing blocks it) and the notes; as text, markdown (for a pull request or the job
summary) or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab.cli.kit.output_format import markdown_cell, render_text_markdown_json
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.preflight import Finding
from constructs_ab.live.report_heading import (
    found_load_balancers_line,
    heading_markdown,
    identity_json,
    where_line,
)


@dataclass(frozen=True, kw_only=True)
class PreflightResult:
    """What `preflight` found for one environment.

    load_balancers: the AWS names read; missing: those that do not exist yet (the deploy creates them).
    checked: what was checked, one phrase each.
    """

    environment: str
    identity: CallerIdentity
    load_balancers: tuple[str, ...]
    missing: tuple[str, ...]
    checked: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def reasons(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)


def render_preflight(result: PreflightResult, format: str) -> str:  # noqa: A002
    """`format`: text, markdown or json; the result ends with a newline."""
    return render_text_markdown_json(format, result, preflight_text, preflight_markdown, preflight_json)


def verdict(result: PreflightResult) -> str:
    """`the deploy may go ahead` or `the deploy is blocked: 2 reasons`."""
    count = len(result.reasons)
    if not count:
        return "nothing blocks the deploy"
    return f"the deploy is blocked: {count} reason{'s' if count != 1 else ''}"


def _balancers(result: PreflightResult) -> str:
    return found_load_balancers_line(result.load_balancers, result.missing, missing_label="not deployed yet")


def preflight_text(result: PreflightResult) -> str:
    lines = [
        where_line("preflight", result.environment, result.identity),
        _balancers(result),
        f"checked: {'; '.join(result.checked)}",
        "",
        verdict(result) + (":" if result.reasons else ""),
    ]
    lines += [f"  {f.check}: {f.message}" for f in result.reasons]
    if result.notes:
        lines += ["notes:"] + [f"  {f.check}: {f.message}" for f in result.notes]
    return "\n".join(lines) + "\n"


def preflight_markdown(result: PreflightResult) -> str:
    lines = heading_markdown("Preflight", result.environment, result.identity, _balancers(result))
    lines += [
        "",
        f"Checked: {markdown_cell('; '.join(result.checked))}.",
        "",
        ("❌ " if result.reasons else "✅ ") + markdown_cell(verdict(result)).capitalize() + ".",
    ]
    if result.reasons:
        lines += [""] + [f"- **{f.check}**: {markdown_cell(f.message)}" for f in result.reasons]
    if result.notes:
        lines += ["", "Notes:", ""] + [f"- {f.check}: {markdown_cell(f.message)}" for f in result.notes]
    return "\n".join(lines) + "\n"


def preflight_json(result: PreflightResult) -> dict[str, Any]:
    return identity_json(result.environment, result.identity) | {
        "load_balancers": list(result.load_balancers),
        "missing_load_balancers": list(result.missing),
        "checked": list(result.checked),
        "blocked": bool(result.reasons),
        "reasons": [{"check": f.check, "message": f.message} for f in result.reasons],
        "notes": [{"check": f.check, "message": f.message} for f in result.notes],
    }
