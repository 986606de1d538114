"""What the ELBv2 API says about a load balancer, as frozen values: its listeners and their rules, its
target groups with their health checks, tags and target health.

Built by `constructs_ab.live.elbv2_reader`; turned into the routing picture by
`constructs_ab.live.picture`. Conditions are already the routing model's; actions stay as the API gave
them until the picture resolves their target group ARNs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_ab.live.target_health import TargetHealthSummary
from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.contract import EXPERIMENT_TAG, MODEL_TAG, VARIANT_TAG, split_names


def arn_resource(arn: str) -> str:
    """The resource part of an ELBv2 ARN: `app/prod-public/50dc6c495c0c9188` for a load balancer,
    `targetgroup/prod-sentiment-a/73e2d6bc24d8a067` for a target group: the CloudWatch dimension values
    `LoadBalancer` and `TargetGroup`."""
    resource = arn.split(":", 5)[-1]
    return resource.removeprefix("loadbalancer/")


@dataclass(frozen=True, kw_only=True)
class HealthCheckSettings:
    """A target group's health check, as configured (None where the API leaves a value out).

    port: `traffic-port` or a port number as text.
    matcher: the HTTP codes, e.g. `200` or `200-299`.
    interval, timeout: seconds.
    """

    enabled: bool = True
    protocol: str | None = None
    port: str | None = None
    path: str | None = None
    matcher: str | None = None
    interval: int | None = None
    timeout: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None

    @classmethod
    def from_api(cls, group: Mapping[str, Any]) -> HealthCheckSettings:
        return cls(
            enabled=bool(group.get("HealthCheckEnabled", True)),
            protocol=group.get("HealthCheckProtocol"),
            port=group.get("HealthCheckPort"),
            path=group.get("HealthCheckPath"),
            matcher=(group.get("Matcher") or {}).get("HttpCode"),
            interval=group.get("HealthCheckIntervalSeconds"),
            timeout=group.get("HealthCheckTimeoutSeconds"),
            healthy_threshold=group.get("HealthyThresholdCount"),
            unhealthy_threshold=group.get("UnhealthyThresholdCount"),
        )

    def describe(self) -> str:
        """`HTTP /health 200 every 15 s (timeout 5 s, 2 up, 3 down)`, or `off`."""
        if not self.enabled:
            return "off"
        text = " ".join(str(p) for p in (self.protocol, self.path, self.matcher) if p)
        if self.port and self.port != "traffic-port":
            text += f" on port {self.port}"
        if self.interval is not None:
            text += f" every {self.interval} s"
        details = []
        if self.timeout is not None:
            details.append(f"timeout {self.timeout} s")
        if self.healthy_threshold is not None and self.unhealthy_threshold is not None:
            details.append(f"{self.healthy_threshold} up, {self.unhealthy_threshold} down")
        return text + (f" ({', '.join(details)})" if details else "")


@dataclass(frozen=True, kw_only=True)
class LiveTargetGroup:
    """A target group of a load balancer.

    protocol, port: where the targets listen, e.g. HTTP and 8080 (None for a Lambda target group).
    target_type: `ip`, `instance`, `lambda` or `alb`.
    tags: its tags (the contract: `variant`, `model`, `experiment`, `environment`, ...).
    health: its registered targets and their states.
    """

    arn: str
    name: str
    protocol: str | None = None
    port: int | None = None
    target_type: str | None = None
    health_check: HealthCheckSettings = field(default_factory=HealthCheckSettings)
    tags: Mapping[str, str] = field(default_factory=dict)
    health: TargetHealthSummary = field(default_factory=TargetHealthSummary)

    @property
    def arn_suffix(self) -> str:
        """The CloudWatch `TargetGroup` dimension value, `targetgroup/<name>/<id>`."""
        return arn_resource(self.arn)

    @property
    def variant(self) -> str | None:
        return self.tags.get(VARIANT_TAG)

    @property
    def model(self) -> str | None:
        return self.tags.get(MODEL_TAG)

    @property
    def experiments(self) -> tuple[str, ...]:
        """The experiments routing to it (the `experiment` tag, space-separated for a shared variant)."""
        return split_names(self.tags.get(EXPERIMENT_TAG))

    @property
    def endpoint(self) -> str:
        """`HTTP:8080`, or the target type when there is no port (Lambda)."""
        if self.port is None:
            return self.target_type or "?"
        return f"{self.protocol or '?'}:{self.port}"


@dataclass(frozen=True, kw_only=True)
class LiveRule:
    """A listener rule. priority: None for the listener's default rule (`is_default`).

    actions: the API's `Actions`, as returned.
    """

    arn: str
    priority: int | None
    is_default: bool
    conditions: tuple[Condition, ...]
    actions: tuple[Mapping[str, Any], ...]
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class LiveListener:
    """A listener with its rules in evaluation order (the default rule left out: see `default_actions`)."""

    arn: str
    port: int | None
    protocol: str | None
    ssl_policy: str | None
    default_actions: tuple[Mapping[str, Any], ...]
    rules: tuple[LiveRule, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LiveLoadBalancer:
    """An Application Load Balancer, its listeners (by port) and its target groups (by name).

    scheme: `internet-facing` or `internal`.
    vpc_id: its VPC, where the target groups it forwards to must be.
    """

    arn: str
    name: str
    scheme: str | None = None
    dns_name: str | None = None
    vpc_id: str | None = None
    listeners: tuple[LiveListener, ...] = ()
    target_groups: tuple[LiveTargetGroup, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def arn_suffix(self) -> str:
        """The CloudWatch `LoadBalancer` dimension value, `app/<name>/<id>`."""
        return arn_resource(self.arn)

    @property
    def internal(self) -> bool | None:
        return None if self.scheme is None else self.scheme == "internal"

    def target_group(self, arn: str) -> LiveTargetGroup | None:
        return next((group for group in self.target_groups if group.arn == arn), None)
