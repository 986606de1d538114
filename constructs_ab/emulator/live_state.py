"""The live routing state of one environment, read with boto3 from the ELBv2 API (the emulator's or AWS's).

An environment's load balancers and target groups are the ones tagged `environment=<name>` (every
resource of its stack is). Read-only: Describe* calls only. Conditions and tags are read with the `status`
command's readers (`constructs_ab.live`); the load balancer and target group attributes the spec sets
(idle timeout, deletion protection, slow start, deregistration delay) are read here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from constructs_ab.emulator.expected_state import COMPARED_RULE_TAGS
from constructs_ab.emulator.routing_state import (
    EnvironmentState,
    HealthCheckState,
    LoadBalancerState,
    RuleState,
    TargetGroupState,
)
from constructs_ab.live.api_conditions import conditions_from_api
from constructs_ab.live.elbv2_reader import read_tags
from constructs_ab.routing.conditions import normalized
from constructs_ab.routing.contract import ENVIRONMENT_TAG


def read_live_environment(elbv2: Any, environment: str) -> EnvironmentState:
    """The environment's load balancers (with their HTTPS listener rules) and target groups, live."""
    balancers = _paged(elbv2, "describe_load_balancers", "LoadBalancers")
    groups = _paged(elbv2, "describe_target_groups", "TargetGroups")
    tags = read_tags(elbv2, [b["LoadBalancerArn"] for b in balancers] + [g["TargetGroupArn"] for g in groups])
    group_names = {g["TargetGroupArn"]: g["TargetGroupName"] for g in groups}

    load_balancers = {}
    for balancer in balancers:
        if tags[balancer["LoadBalancerArn"]].get(ENVIRONMENT_TAG) == environment:
            state = _load_balancer(elbv2, balancer, group_names)
            load_balancers[state.name] = state
    target_groups = {}
    for group in groups:
        if tags[group["TargetGroupArn"]].get(ENVIRONMENT_TAG) == environment:
            target_groups[group["TargetGroupName"]] = _target_group(elbv2, group)
    return EnvironmentState(load_balancers=load_balancers, target_groups=target_groups)


def _load_balancer(elbv2: Any, balancer: dict[str, Any], group_names: dict[str, str]) -> LoadBalancerState:
    arn = balancer["LoadBalancerArn"]
    attributes = {
        a["Key"]: a["Value"]
        for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    }
    listeners = _paged(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=arn)
    https = [listener for listener in listeners if listener.get("Protocol") == "HTTPS"]
    rules: dict[int, RuleState] = {}
    default_action = "none"
    if https:
        listener = https[0]
        default_action = _default_action(listener.get("DefaultActions", []), group_names)
        live_rules = [
            r
            for r in _paged(elbv2, "describe_rules", "Rules", ListenerArn=listener["ListenerArn"])
            if not r["IsDefault"]
        ]
        rule_tags = read_tags(elbv2, [r["RuleArn"] for r in live_rules])
        for rule in live_rules:
            state = _rule(rule, rule_tags[rule["RuleArn"]], group_names)
            rules[state.priority] = state
    return LoadBalancerState(
        name=balancer["LoadBalancerName"],
        internal=balancer.get("Scheme") == "internal",
        idle_timeout=int(attributes.get("idle_timeout.timeout_seconds", "60")),
        deletion_protection=attributes.get("deletion_protection.enabled") == "true",
        default_action=default_action,
        rules=rules,
    )


def _rule(rule: dict[str, Any], tags: dict[str, str], group_names: dict[str, str]) -> RuleState:
    forward: list[tuple[str, int]] = []
    stickiness: int | None = None
    for action in rule.get("Actions", []):
        if action.get("Type") != "forward":
            continue
        config = action.get("ForwardConfig")
        if config:
            forward += [
                (group_names.get(t["TargetGroupArn"], t["TargetGroupArn"]), int(t.get("Weight", 1)))
                for t in config.get("TargetGroups", [])
            ]
            sticky = config.get("TargetGroupStickinessConfig") or {}
            stickiness = int(sticky["DurationSeconds"]) if sticky.get("Enabled") else None
        elif action.get("TargetGroupArn"):
            forward.append((group_names.get(action["TargetGroupArn"], action["TargetGroupArn"]), 1))
    return RuleState(
        priority=int(rule["Priority"]),
        conditions=normalized(conditions_from_api(rule.get("Conditions", []))),
        forward=tuple(sorted(forward)),
        stickiness=stickiness,
        tags=tuple(sorted((k, v) for k, v in tags.items() if k in COMPARED_RULE_TAGS)),
    )


def _default_action(actions: Sequence[dict[str, Any]], group_names: dict[str, str]) -> str:
    for action in actions:
        if (
            action.get("Type") == "fixed-response"
            and action.get("FixedResponseConfig", {}).get("StatusCode") == "404"
        ):
            return "fixed-404"
        if action.get("Type") == "forward":
            arns = [t["TargetGroupArn"] for t in action.get("ForwardConfig", {}).get("TargetGroups", [])]
            arns = arns or [action["TargetGroupArn"]]
            return "forward:" + ",".join(group_names.get(arn, arn) for arn in arns)
    return "other"


def _target_group(elbv2: Any, group: dict[str, Any]) -> TargetGroupState:
    attributes = {
        a["Key"]: a["Value"]
        for a in elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]
    }
    return TargetGroupState(
        name=group["TargetGroupName"],
        port=int(group["Port"]),
        protocol=group["Protocol"],
        target_type=group["TargetType"],
        health_check=HealthCheckState(
            path=group.get("HealthCheckPath", ""),
            matcher=(group.get("Matcher") or {}).get("HttpCode", ""),
            interval=int(group["HealthCheckIntervalSeconds"]),
            timeout=int(group["HealthCheckTimeoutSeconds"]),
            healthy_threshold=int(group["HealthyThresholdCount"]),
            unhealthy_threshold=int(group["UnhealthyThresholdCount"]),
        ),
        slow_start=int(attributes.get("slow_start.duration_seconds", "0")),
        deregistration_delay=int(attributes.get("deregistration_delay.timeout_seconds", "300")),
    )


def _paged(client: Any, operation: str, key: str, **arguments: Any) -> list[dict[str, Any]]:
    return list(_pages(client, operation, key, **arguments))


def _pages(client: Any, operation: str, key: str, **arguments: Any) -> Iterator[dict[str, Any]]:
    marker: str | None = None
    while True:
        response = getattr(client, operation)(**arguments, **({"Marker": marker} if marker else {}))
        yield from response.get(key, [])
        marker = response.get("NextMarker")
        if not marker:
            return
