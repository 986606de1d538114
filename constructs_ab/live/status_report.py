"""The `status` report of a `LivePicture`: who and where was read, every experiment's live split with
the target health of each variant and the warnings, then the routing table exactly as `report` prints
it. As text, markdown (for a pull request or an incident note) or JSON, like `report`.
"""

from __future__ import annotations

from typing import Any

from constructs_ab.cli.kit.output_format import markdown_cell, render_text_markdown_json
from constructs_ab.live.picture import LiveExperiment, LivePicture, LiveVariant
from constructs_ab.live.report_heading import heading_markdown, identity_json, load_balancers_line, where_line
from constructs_ab.live.resources import LiveTargetGroup
from constructs_ab.live.target_health import HEALTHY, STATES
from constructs_ab.review.report import report_json, report_markdown, report_text
from constructs_ab.review.traffic import format_percent

FORMATS = ("text", "markdown", "json")  # the kit's REVIEW_FORMATS


def render_status(picture: LivePicture, format: str) -> str:  # noqa: A002
    """`format` is one of FORMATS; the result ends with a newline."""
    return render_text_markdown_json(format, picture, status_text, status_markdown, status_json)


def warnings(picture: LivePicture) -> list[str]:
    """What needs attention: a variant taking traffic without a healthy target, targets not healthy, a
    split target group the load balancer does not have, load balancers not found."""
    found: list[str] = []
    for name in picture.missing_load_balancers:
        found.append(f"load balancer {name} not found in {picture.identity.describe()}")
    for experiment in picture.experiments:
        if experiment.split is None:
            found.append(
                f"{experiment.name}: no split rule on {experiment.load_balancer.name} {experiment.listener}"
            )
        for variant in experiment.variants:
            where = f"{experiment.name}: {variant.name}"
            group = variant.target_group
            if group is None:
                found.append(
                    f"{where}: target group {variant.target_group_arn} is not on {experiment.load_balancer.name}"
                )
                continue
            if variant.takes_traffic and group.health.healthy == 0:
                found.append(
                    f"{where} takes {format_percent(variant.share)} of the traffic with no healthy target "
                    f"({group.health.describe()})"
                )
            found.extend(f"{where}: {reason}" for reason in group.health.reasons())
    return found


def _split_line(experiment: LiveExperiment) -> str:
    parts = []
    if experiment.split is not None:
        parts.append(f"split priority {experiment.split.priority}")
    if experiment.overrides:
        parts.append("overrides " + ", ".join(str(r.priority) for r in experiment.overrides))
    sticky = experiment.stickiness.describe() if experiment.stickiness else "not declared (off)"
    parts.append(f"stickiness {sticky}")
    return ", ".join(parts)


def _row(variant: LiveVariant) -> list[str]:
    group = variant.target_group
    counts = group.health.counts() if group is not None else {}
    weight = "?" if variant.weight is None else str(variant.weight)
    name = variant.name + (" (paused)" if variant.paused else "")
    group_text = f"{group.name} {group.endpoint}" if group is not None else variant.target_group_arn
    check = group.health_check.describe() if group is not None else ""
    return [
        name,
        weight,
        format_percent(variant.share),
        *(str(counts.get(s, 0)) for s in STATES),
        group_text,
        check,
    ]


_HEADER = ["variant", "weight", "share", *STATES, "target group", "health check"]
_RIGHT = {1, 2, *range(3, 3 + len(STATES))}


def _table(rows: list[list[str]], indent: str) -> list[str]:
    table = [_HEADER, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(_HEADER))]
    lines = []
    for row in table:
        cells = [
            cell.rjust(widths[i]) if i in _RIGHT else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _balancers_line(picture: LivePicture) -> str:
    return load_balancers_line([b.name for b in picture.load_balancers], picture.missing_load_balancers)


def status_text(picture: LivePicture) -> str:
    lines = [where_line("status", picture.environment, picture.identity), _balancers_line(picture)]
    for experiment in picture.experiments:
        lines += [
            "",
            f"experiment {experiment.name} on {experiment.load_balancer.name} {experiment.listener}: {_split_line(experiment)}",
        ]
        lines += _table([_row(v) for v in experiment.variants], "  ")
    found = warnings(picture)
    if found:
        lines += ["", "warnings:"] + [f"  ! {line}" for line in found]
    lines += ["", "routing:", report_text(picture.traffic).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _demoted(markdown: str) -> list[str]:
    """`report`'s markdown one heading level down, its title replaced (code fences left alone)."""
    lines = markdown.rstrip("\n").split("\n")
    out = ["## Routing"]
    fenced = False
    for line in lines[1:]:
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return out


def status_markdown(picture: LivePicture) -> str:
    lines = heading_markdown("Live status", picture.environment, picture.identity, _balancers_line(picture))
    for experiment in picture.experiments:
        lines += [
            "",
            f"## Experiment `{experiment.name}` ({experiment.load_balancer.name}, {experiment.listener})",
            "",
            markdown_cell(_split_line(experiment)).capitalize() + ".",
            "",
            "| " + " | ".join(h.capitalize() for h in _HEADER) + " |",
            "|" + "|".join("---:" if i in _RIGHT else "---" for i in range(len(_HEADER))) + "|",
        ]
        lines += ["| " + " | ".join(markdown_cell(c) for c in _row(v)) + " |" for v in experiment.variants]
    found = warnings(picture)
    if found:
        lines += ["", "## Warnings", ""] + [f"- ⚠️ {markdown_cell(line)}" for line in found]
    lines += ["", *_demoted(report_markdown(picture.traffic))]
    return "\n".join(lines) + "\n"


def target_group_json(group: LiveTargetGroup) -> dict[str, Any]:
    check = group.health_check
    return {
        "name": group.name,
        "arn": group.arn,
        "arn_suffix": group.arn_suffix,
        "protocol": group.protocol,
        "port": group.port,
        "target_type": group.target_type,
        "health_check": {
            "enabled": check.enabled,
            "protocol": check.protocol,
            "port": check.port,
            "path": check.path,
            "matcher": check.matcher,
            "interval_seconds": check.interval,
            "timeout_seconds": check.timeout,
            "healthy_threshold": check.healthy_threshold,
            "unhealthy_threshold": check.unhealthy_threshold,
        },
        "tags": dict(sorted(group.tags.items())),
        "targets": group.health.counts(),
        "target_details": [
            {"target": t.target, "state": t.state, "reason": t.reason, "description": t.description}
            for t in group.health.targets
        ],
    }


def _variant_json(variant: LiveVariant) -> dict[str, Any]:
    return {
        "name": variant.name,
        "weight": variant.weight,
        "share_percent": None if variant.share is None else round(variant.share * 100, 2),
        "paused": variant.paused,
        "healthy": variant.target_group.health.counts()[HEALTHY] if variant.target_group else None,
        "target_group": target_group_json(variant.target_group) if variant.target_group else None,
        "target_group_arn": variant.target_group_arn,
    }


def status_json(picture: LivePicture) -> dict[str, Any]:
    """Identity, load balancers, experiments with their variants' health, warnings and the routing (the
    `report --format json` document of the live rules)."""
    return identity_json(picture.environment, picture.identity) | {
        "load_balancers": [
            {
                "name": b.name,
                "arn": b.arn,
                "arn_suffix": b.arn_suffix,
                "scheme": b.scheme,
                "dns_name": b.dns_name,
            }
            for b in picture.load_balancers
        ],
        "missing_load_balancers": list(picture.missing_load_balancers),
        "experiments": [
            {
                "name": e.name,
                "load_balancer": e.load_balancer.name,
                "listener": e.listener,
                "split_priority": e.split.priority if e.split else None,
                "override_priorities": [r.priority for r in e.overrides],
                "stickiness": None
                if e.stickiness is None
                else {"enabled": e.stickiness.enabled, "duration": e.stickiness.duration},
                "variants": [_variant_json(v) for v in e.variants],
            }
            for e in picture.experiments
        ],
        "warnings": warnings(picture),
        "routing": report_json(picture.traffic),
    }
