"""Compare an environment's live routing state with what its spec declares: one line per difference."""

from __future__ import annotations

from dataclasses import fields

from constructs_ab.emulator.routing_state import (
    EnvironmentState,
    LoadBalancerState,
    RuleState,
    TargetGroupState,
)


def differences(environment: str, expected: EnvironmentState, live: EnvironmentState) -> list[str]:
    """Every way `live` differs from `expected`, one line each (empty when they agree)."""
    problems: list[str] = []
    for name in sorted(expected.load_balancers.keys() | live.load_balancers.keys()):
        want, got = expected.load_balancers.get(name), live.load_balancers.get(name)
        where = f"{environment}: load balancer {name}"
        if got is None:
            problems.append(f"{where}: declared by the spec, not live")
        elif want is None:
            problems.append(f"{where}: live, not declared by the spec")
        else:
            problems += _load_balancer(where, want, got)
    for name in sorted(expected.target_groups.keys() | live.target_groups.keys()):
        want_group, got_group = expected.target_groups.get(name), live.target_groups.get(name)
        where = f"{environment}: target group {name}"
        if got_group is None:
            problems.append(f"{where}: declared by the spec, not live")
        elif want_group is None:
            problems.append(f"{where}: live, not declared by the spec")
        else:
            problems += _fields(where, want_group, got_group)
    return problems


def _load_balancer(where: str, want: LoadBalancerState, got: LoadBalancerState) -> list[str]:
    problems = [
        f"{where}: {name} is {getattr(got, name)!r} live, the spec declares {getattr(want, name)!r}"
        for name in ("internal", "idle_timeout", "deletion_protection", "default_action")
        if getattr(got, name) != getattr(want, name)
    ]
    for priority in sorted(want.rules.keys() | got.rules.keys()):
        rule_want, rule_got = want.rules.get(priority), got.rules.get(priority)
        at = f"{where}: HTTPS rule at priority {priority}"
        if rule_got is None:
            problems.append(f"{at} ({_label(rule_want)}): declared by the spec, not live")
        elif rule_want is None:
            problems.append(f"{at} ({_label(rule_got)}): live, not declared by the spec")
        else:
            problems += _fields(f"{at} ({_label(rule_want)})", rule_want, rule_got)
    return problems


def _fields(where: str, want: RuleState | TargetGroupState, got: RuleState | TargetGroupState) -> list[str]:
    return [
        f"{where}: {f.name} is {getattr(got, f.name)!r} live, the spec declares {getattr(want, f.name)!r}"
        for f in fields(want)
        if getattr(got, f.name) != getattr(want, f.name)
    ]


def _label(rule: RuleState | None) -> str:
    tags = dict(rule.tags) if rule else {}
    parts = [tags.get("experiment", "?"), tags.get("ab-role", "?")]
    if tags.get("ab-role") == "override":
        parts.append(tags.get("variant", "?"))
    return " ".join(parts)
