"""The routing state of one environment as plain values, so the spec's declaration and the live API can be
compared field by field (`expected_state` builds one from the spec, `live_state` from the AWS API).

Conditions are the routing model's (`constructs_ab.routing.conditions.Condition`), normalized by
`constructs_ab.routing.conditions.normalized`: the API returns a condition's values, and a rule's
conditions of one kind, in an order of its own, which carries no meaning. A disabled stickiness has no duration (AWS ignores it then).
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_ab.routing.conditions import Condition


@dataclass(frozen=True, kw_only=True)
class RuleState:
    """A listener rule (not the default one).

    priority: 1..50000.
    conditions: see `normalized`.
    forward: (target group name, weight) pairs, sorted by name.
    stickiness: duration in seconds, None when off.
    tags: the contract tags `experiment`, `ab-role` and `variant` (the ones present).
    """

    priority: int
    conditions: tuple[Condition, ...]
    forward: tuple[tuple[str, int], ...]
    stickiness: int | None
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class HealthCheckState:
    path: str
    matcher: str
    interval: int
    timeout: int
    healthy_threshold: int
    unhealthy_threshold: int


@dataclass(frozen=True, kw_only=True)
class TargetGroupState:
    """A target group: its AWS name, traffic settings and health check."""

    name: str
    port: int
    protocol: str
    target_type: str
    health_check: HealthCheckState
    slow_start: int
    deregistration_delay: int


@dataclass(frozen=True, kw_only=True)
class LoadBalancerState:
    """A load balancer and its HTTPS listener.

    name: AWS name, `<environment>-<load balancer>`.
    default_action: "fixed-404", or "forward:<target group name>".
    rules: the HTTPS listener's rules by priority.
    """

    name: str
    internal: bool
    idle_timeout: int
    deletion_protection: bool
    default_action: str
    rules: dict[int, RuleState]


@dataclass(frozen=True, kw_only=True)
class EnvironmentState:
    """Load balancers and target groups of one environment, by AWS name."""

    load_balancers: dict[str, LoadBalancerState]
    target_groups: dict[str, TargetGroupState]

    @property
    def rule_count(self) -> int:
        return sum(len(lb.rules) for lb in self.load_balancers.values())
