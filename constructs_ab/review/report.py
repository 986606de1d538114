"""The routing report of a `TrafficModel`: per stack, load balancer and listener, the rules in
evaluation order with their conditions, target groups, weights, shares and stickiness, then the
default action. As text, markdown (with a Mermaid flowchart per listener) or JSON.

Output is deterministic (the model is sorted), so it can be snapshotted and diffed.
"""

from __future__ import annotations

from typing import Any

from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, markdown_cell, render_text_markdown_json
from constructs_ab.review.mermaid import listener_flowchart
from constructs_ab.review.traffic import (
    Action,
    Condition,
    ForwardAction,
    Listener,
    LoadBalancer,
    Rule,
    RuleRole,
    TrafficModel,
    format_percent,
)

FORMATS = REVIEW_FORMATS


def render_report(model: TrafficModel, format: str) -> str:  # noqa: A002
    """`format` is one of FORMATS; the result ends with a newline."""
    return render_text_markdown_json(format, model, report_text, report_markdown, report_json)


def balancer_heading(balancer: LoadBalancer) -> str:
    """`prod-public (internet-facing, aws_lb.public_alb)`; the scheme only when `internal` is set."""
    details = {True: ["internal"], False: ["internet-facing"], None: []}[balancer.internal]
    if balancer.name != balancer.address:
        details.append(balancer.address)
    return f"{balancer.name} ({', '.join(details)})" if details else balancer.name


def listener_heading(listener: Listener) -> str:
    """`HTTPS:443, TLS policy ELBSecurityPolicy-TLS13-1-2-2021-06` (the policy only when set)."""
    text = f"listener {listener.label}"
    if listener.ssl_policy:
        text += f", TLS policy {listener.ssl_policy}"
    return text


def rule_heading(rule: Rule) -> str:
    """`priority 102  sentiment-abtest (split)`."""
    priority = f"priority {rule.priority}" if rule.priority is not None else "priority not set"
    name = rule.label if rule.experiment else rule.address
    role = f" ({rule.role.value})" if rule.experiment and rule.role is not RuleRole.OVERRIDE else ""
    return f"{priority}  {name}{role}"


def _forward_lines(action: ForwardAction, indent: str, paused: tuple[str, ...] = ()) -> list[str]:
    rows = []
    for target in action.targets:
        group = target.target_group
        extra = [f"target group {group.name}"] if group.name != group.label else []
        if group.model:
            extra.append(f"model {group.model}")
        if group.variant in paused:
            extra.append("paused")
        weight = "?" if target.weight is None else str(target.weight)
        rows.append((group.label, weight, target.percent, ", ".join(extra)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
    lines = [
        f"{indent}{label:<{widths[0]}}  weight {weight:>{widths[1]}}  {percent:>{widths[2]}}"
        + (f"  {extra}" if extra else "")
        for label, weight, percent, extra in rows
    ]
    sticky = action.stickiness.describe() if action.stickiness else "not declared (off)"
    lines.append(f"{indent}stickiness {sticky}")
    return lines


def _action_lines(action: Action | None, indent: str, paused: tuple[str, ...] = ()) -> list[str]:
    if isinstance(action, ForwardAction):
        return [f"{indent}forward:"] + _forward_lines(action, indent + "  ", paused)
    return [f"{indent}{action.describe() if action is not None else 'unknown'}"]


def report_text(model: TrafficModel) -> str:
    lines: list[str] = []
    for stack in model.stacks:
        lines.append(f"stack {stack.name}")
        for balancer in stack.load_balancers:
            lines.append(f"  load balancer {balancer_heading(balancer)}")
            for listener in balancer.listeners:
                lines.append(f"    {listener_heading(listener)}")
                for rule in listener.rules:
                    lines.append(f"      {rule_heading(rule)}")
                    lines.append(f"        if {rule.describe_conditions()}")
                    lines.extend(_action_lines(rule.action, "        ", rule.paused_variants))
                default = listener.default_action
                if isinstance(default, ForwardAction):
                    lines.append("      default action: forward:")
                    lines.extend(_forward_lines(default, "        "))
                else:
                    lines.append(f"      default action: {default.describe() if default else 'unknown'}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def report_markdown(model: TrafficModel) -> str:
    lines: list[str] = ["# Traffic report"]
    for stack in model.stacks:
        lines += ["", f"## Stack `{stack.name}`"]
        for balancer in stack.load_balancers:
            for listener in balancer.listeners:
                lines += [
                    "",
                    f"### {markdown_cell(balancer_heading(balancer))}: {markdown_cell(listener_heading(listener))}",
                    "",
                ]
                lines += ["```mermaid", *listener_flowchart(listener), "```", ""]
                lines += [
                    "| Priority | Rule | Conditions | Target group | Model | Weight | Share | Stickiness |",
                    "|---:|---|---|---|---|---:|---:|---|",
                ]
                for rule in listener.rules:
                    lines += _markdown_rows(
                        rule.priority,
                        rule_heading(rule).split("  ", 1)[1],
                        rule.describe_conditions(),
                        rule.action,
                    )
                lines += _markdown_rows(None, "default action", "no rule matched", listener.default_action)
    return "\n".join(lines) + "\n"


def _markdown_rows(priority: int | None, name: str, conditions: str, action: Action | None) -> list[str]:
    first = f"| {priority if priority is not None else '–'} | {markdown_cell(name)} | {markdown_cell(conditions)} |"
    if not isinstance(action, ForwardAction):
        text = action.describe() if action is not None else "unknown"
        return [f"{first} {markdown_cell(text)} | | | | |"]
    sticky = action.stickiness.describe() if action.stickiness else "not declared (off)"
    rows = []
    for i, target in enumerate(action.targets):
        group = target.target_group
        lead = first if i == 0 else "| | | |"
        weight = "?" if target.weight is None else str(target.weight)
        rows.append(
            f"{lead} {markdown_cell(group.label)} | {markdown_cell(group.model or '')} | {weight} | {target.percent} | "
            f"{sticky if i == 0 else ''} |"
        )
    return rows


def condition_json(condition: Condition) -> dict[str, Any]:
    data: dict[str, Any] = {"field": condition.field.value}
    if condition.header_name is not None:
        data["header_name"] = condition.header_name
    if condition.query:
        data["query"] = [{"key": pair.key, "value": pair.value} for pair in condition.query]
    else:
        data["values"] = list(condition.values)
    return data


def action_json(action: Action | None) -> dict[str, Any] | None:
    """A JSON form of an action; shares as percentages rounded to 2 decimals."""
    if action is None:
        return None
    data: dict[str, Any] = {"type": action.type, "description": action.describe()}
    if isinstance(action, ForwardAction):
        data["stickiness"] = (
            None
            if action.stickiness is None
            else {"enabled": action.stickiness.enabled, "duration": action.stickiness.duration}
        )
        data["target_groups"] = [
            {
                "address": t.target_group.address,
                "name": t.target_group.name,
                "variant": t.target_group.variant,
                "model": t.target_group.model,
                "weight": t.weight,
                "share_percent": None if t.share is None else round(t.share * 100, 2),
            }
            for t in action.targets
        ]
    return data


def report_json(model: TrafficModel) -> dict[str, Any]:
    """The whole model as JSON-ready dicts: stacks -> load_balancers -> listeners -> rules."""
    return {
        "stacks": [
            {
                "name": stack.name,
                "sources": list(stack.sources),
                "load_balancers": [
                    {
                        "address": balancer.address,
                        "name": balancer.name,
                        "internal": balancer.internal,
                        "listeners": [
                            {
                                "address": listener.address,
                                "port": listener.port,
                                "protocol": listener.protocol,
                                "ssl_policy": listener.ssl_policy,
                                "rules": [
                                    {
                                        "address": rule.address,
                                        "priority": rule.priority,
                                        "experiment": rule.experiment,
                                        "role": rule.role.value,
                                        "variants": list(rule.variants),
                                        "paused_variants": list(rule.paused_variants),
                                        "construct_path": rule.construct_path,
                                        "conditions": [condition_json(c) for c in rule.conditions],
                                        "action": action_json(rule.action),
                                    }
                                    for rule in listener.rules
                                ],
                                "default_action": action_json(listener.default_action),
                            }
                            for listener in balancer.listeners
                        ],
                    }
                    for balancer in stack.load_balancers
                ],
            }
            for stack in model.stacks
        ]
    }


__all__ = ["FORMATS", "format_percent", "render_report", "report_json", "report_markdown", "report_text"]
