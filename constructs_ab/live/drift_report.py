"""The `drift` report: who and where was read, then one line per difference (or that there is none), as
text, markdown (a table for a pull request) or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab.cli.kit.output_format import markdown_cell, render_text_markdown_json
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.drift import Difference
from constructs_ab.live.report_heading import (
    found_load_balancers_line,
    heading_markdown,
    identity_json,
    where_line,
)


@dataclass(frozen=True, kw_only=True)
class DriftResult:
    """What `drift` found for one environment.

    load_balancers: the AWS names read; missing: those asked for that do not exist.
    rules, experiments: how many rules of how many experiments the spec puts on the load balancers read.
    """

    environment: str
    identity: CallerIdentity
    load_balancers: tuple[str, ...]
    missing: tuple[str, ...]
    rules: int
    experiments: int
    differences: tuple[Difference, ...]


def render_drift(result: DriftResult, format: str) -> str:  # noqa: A002
    """`format` is one of FORMATS; the result ends with a newline."""
    return render_text_markdown_json(format, result, drift_text, drift_markdown, drift_json)


def summary(result: DriftResult) -> str:
    """`no drift: 6 rules of 2 experiments match the spec` or `2 differences from the spec`."""
    if not result.differences:
        return (
            f"no drift: {result.rules} rules of {result.experiments} experiments on "
            f"{', '.join(result.load_balancers) or 'no load balancer'} match the spec"
        )
    count = len(result.differences)
    return f"{count} difference{'s' if count != 1 else ''} from the spec"


def _balancers(result: DriftResult) -> str:
    return found_load_balancers_line(result.load_balancers, result.missing)


def drift_text(result: DriftResult) -> str:
    lines = [
        where_line("drift", result.environment, result.identity),
        _balancers(result),
        "",
        summary(result) + (":" if result.differences else ""),
    ]
    lines += [f"  {difference.describe()}" for difference in result.differences]
    return "\n".join(lines) + "\n"


def drift_markdown(result: DriftResult) -> str:
    lines = heading_markdown("Drift", result.environment, result.identity, _balancers(result))
    lines += ["", ("✅ " if not result.differences else "❌ ") + markdown_cell(summary(result)) + "."]
    if result.differences:
        lines += [
            "",
            "| Load balancer | Experiment | Variant | Rule | Field | Expected | Live |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            "| "
            + " | ".join(
                markdown_cell(cell)
                for cell in (d.load_balancer, d.experiment, d.variant, d.rule, d.field, d.expected, d.live)
            )
            + " |"
            for d in result.differences
        ]
    return "\n".join(lines) + "\n"


def difference_json(difference: Difference) -> dict[str, Any]:
    return {
        "load_balancer": difference.load_balancer,
        "experiment": difference.experiment,
        "variant": difference.variant,
        "rule": difference.rule,
        "field": difference.field,
        "expected": difference.expected,
        "live": difference.live,
        "message": difference.describe(),
    }


def drift_json(result: DriftResult) -> dict[str, Any]:
    return identity_json(result.environment, result.identity) | {
        "load_balancers": list(result.load_balancers),
        "missing_load_balancers": list(result.missing),
        "rules_compared": result.rules,
        "experiments_compared": result.experiments,
        "drift": bool(result.differences),
        "differences": [difference_json(d) for d in result.differences],
    }
