"""Compare an environment's live routing state with what its spec declares: one line per difference."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TypeVar

from constructs_ab.emulator.routing_state import (
    EnvironmentState,
    LoadBalancerState,
    RuleState,
    TargetGroupState,
)

K = TypeVar("K", str, int)
T = TypeVar("T")


def differences(environment: str, expected: EnvironmentState, live: EnvironmentState) -> list[str]:
    """Every way `live` differs from `expected`, one line each (empty when they agree)."""
    return _compared(
        expected.load_balancers,
        live.load_balancers,
        lambda name, _: f"{environment}: load balancer {name}",
        _load_balancer,
    ) + _compared(
        expected.target_groups,
        live.target_groups,
        lambda name, _: f"{environment}: target group {name}",
        _fields,
    )


def _compared(
    want: Mapping[K, T],
    got: Mapping[K, T],
    where: Callable[[K, T], str],
    compare: Callable[[str, T, T], list[str]],
) -> list[str]:
    """For each key of either side, in order: declared by the spec but not live, live but not declared,
    or the differences `compare` finds; `where(key, item)` names the item (the spec's when both have it)."""
    problems: list[str] = []
    for key in sorted(want.keys() | got.keys()):
        wanted, found = want.get(key), got.get(key)
        if found is None and wanted is not None:
            problems.append(f"{where(key, wanted)}: declared by the spec, not live")
        elif wanted is None and found is not None:
            problems.append(f"{where(key, found)}: live, not declared by the spec")
        elif wanted is not None and found is not None:
            problems += compare(where(key, wanted), wanted, found)
    return problems


def _load_balancer(where: str, want: LoadBalancerState, got: LoadBalancerState) -> list[str]:
    problems = [
        f"{where}: {name} is {getattr(got, name)!r} live, the spec declares {getattr(want, name)!r}"
        for name in ("internal", "idle_timeout", "deletion_protection", "default_action")
        if getattr(got, name) != getattr(want, name)
    ]
    return problems + _compared(
        want.rules,
        got.rules,
        lambda priority, rule: f"{where}: HTTPS rule at priority {priority} ({_label(rule)})",
        _fields,
    )


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
