"""The `preflight` report: who and where was read, what was checked, then one line per reason the deploy
is blocked (or that nothing blocks it) and the notes; as text, markdown (for a pull request or the job
summary) or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab.cli.kit.output_format import render_text_markdown_json
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.preflight import Finding


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
    found = [name for name in result.load_balancers if name not in result.missing]
    text = f"load balancers: {', '.join(found) or 'none'}"
    return text + (f" (not deployed yet: {', '.join(result.missing)})" if result.missing else "")


def preflight_text(result: PreflightResult) -> str:
    lines = [
        f"preflight {result.environment}: {result.identity.describe()}",
        _balancers(result),
        f"checked: {'; '.join(result.checked)}",
        "",
        verdict(result) + (":" if result.reasons else ""),
    ]
    lines += [f"  {f.check}: {f.message}" for f in result.reasons]
    if result.notes:
        lines += ["notes:"] + [f"  {f.check}: {f.message}" for f in result.notes]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def preflight_markdown(result: PreflightResult) -> str:
    lines = [
        f"# Preflight: {result.environment}",
        "",
        f"{_md(result.identity.describe())}.",
        "",
        _md(_balancers(result)).capitalize() + ".",
        "",
        f"Checked: {_md('; '.join(result.checked))}.",
        "",
        ("❌ " if result.reasons else "✅ ") + _md(verdict(result)).capitalize() + ".",
    ]
    if result.reasons:
        lines += [""] + [f"- **{f.check}**: {_md(f.message)}" for f in result.reasons]
    if result.notes:
        lines += ["", "Notes:", ""] + [f"- {f.check}: {_md(f.message)}" for f in result.notes]
    return "\n".join(lines) + "\n"


def preflight_json(result: PreflightResult) -> dict[str, Any]:
    return {
        "environment": result.environment,
        "account": result.identity.account,
        "caller_arn": result.identity.arn,
        "region": result.identity.region,
        "load_balancers": list(result.load_balancers),
        "missing_load_balancers": list(result.missing),
        "checked": list(result.checked),
        "blocked": bool(result.reasons),
        "reasons": [{"check": f.check, "message": f.message} for f in result.reasons],
        "notes": [{"check": f.check, "message": f.message} for f in result.notes],
    }
