"""Render what-if outcomes (`evaluate.evaluate`) as text, markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from constructs_ab.review.evaluate import Outcome, Request
from constructs_ab.review.report import action_json
from constructs_ab.review.traffic import format_percent


def _matched(outcome: Outcome) -> str:
    if outcome.rule is None:
        return "no rule matched, default action"
    rule = outcome.rule
    priority = rule.priority if rule.priority is not None else "not set"
    return f"rule {rule.label if rule.experiment else rule.address} (priority {priority}) matched"


def _where(outcome: Outcome) -> str:
    return f"{outcome.stack.name} / {outcome.load_balancer.name} / {outcome.listener.label}"


def _destination_rows(outcome: Outcome) -> list[tuple[str, str, str]]:
    return [
        (d.target_group.label, format_percent(d.probability), d.target_group.model or "")
        for d in outcome.destinations
    ]


def render_whatif(request: Request, outcomes: tuple[Outcome, ...], format: str) -> str:  # noqa: A002
    """`format`: text, markdown or json; the result ends with a newline."""
    if format == "json":
        return json.dumps(whatif_json(request, outcomes), indent=2, sort_keys=True) + "\n"
    markdown = format == "markdown"
    lines = [f"### What-if: `{request.describe()}`" if markdown else f"what-if: {request.describe()}"]
    for outcome in outcomes:
        if markdown:
            lines += ["", f"**{_where(outcome)}**: {_matched(outcome)}", ""]
        else:
            lines += ["", f"{_where(outcome)}: {_matched(outcome)}"]
        rows = _destination_rows(outcome)
        if not rows:
            action = outcome.action.describe() if outcome.action is not None else "unknown"
            lines.append(f"- {action}" if markdown else f"  {action}")
            continue
        if markdown:
            lines += ["| Target group | Probability | Model |", "|---|---:|---|"]
            lines += [f"| {label} | {percent} | {model} |" for label, percent, model in rows]
        else:
            width = max(len(r[0]) for r in rows)
            pwidth = max(len(r[1]) for r in rows)
            lines += [
                f"  {label:<{width}}  {percent:>{pwidth}}" + (f"  {model}" if model else "")
                for label, percent, model in rows
            ]
    return "\n".join(lines) + "\n"


def whatif_json(request: Request, outcomes: tuple[Outcome, ...]) -> dict[str, Any]:
    return {
        "request": {
            "method": request.method,
            "path": request.path,
            "query": [list(pair) for pair in request.query],
            "headers": [list(pair) for pair in request.headers],
            "host": request.host,
            "source_ip": request.source_ip,
        },
        "outcomes": [
            {
                "stack": o.stack.name,
                "load_balancer": o.load_balancer.name,
                "listener": o.listener.label,
                "rule": None
                if o.rule is None
                else {"address": o.rule.address, "priority": o.rule.priority, "label": o.rule.label},
                "action": action_json(o.action),
                "probabilities": [
                    {
                        "target_group": d.target_group.label,
                        "model": d.target_group.model,
                        "probability": d.probability,
                    }
                    for d in o.destinations
                ],
            }
            for o in outcomes
        ],
    }
