"""Read load balancers from the ELBv2 API: listeners, rules, target groups, tags and target health.

Read-only: only `Describe*` calls. Every listing is paginated (DescribeListeners, DescribeRules and
DescribeTargetGroups through boto3's paginators), and tags are read with DescribeTags in batches of
`aws_limits.MAX_ARNS_PER_DESCRIBE_TAGS` ARNs. A load balancer is looked up by name, one name per call:
DescribeLoadBalancers fails the whole call when any name in it does not exist, and the caller wants
to know which ones are missing.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Operations.html
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from constructs_ab import aws_limits
from constructs_ab.live.api_conditions import conditions_from_api
from constructs_ab.live.resources import (
    HealthCheckSettings,
    LiveListener,
    LiveLoadBalancer,
    LiveRule,
    LiveTargetGroup,
)
from constructs_ab.live.target_health import TargetHealthSummary

APPLICATION = "application"


@dataclass(frozen=True, kw_only=True)
class LoadBalancersRead:
    """The load balancers found (in the order asked) and the names that do not exist."""

    load_balancers: tuple[LiveLoadBalancer, ...]
    missing: tuple[str, ...] = ()


def batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """`items` in consecutive slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_tags(elbv2: Any, arns: Iterable[str]) -> dict[str, dict[str, str]]:
    """Tags of each ARN (load balancers, target groups, listeners, rules), DescribeTags 20 ARNs a call."""
    unique = list(dict.fromkeys(arns))
    tags: dict[str, dict[str, str]] = {arn: {} for arn in unique}
    for batch in batches(unique, aws_limits.MAX_ARNS_PER_DESCRIBE_TAGS):
        answer = elbv2.describe_tags(ResourceArns=list(batch))
        for description in answer.get("TagDescriptions", []):
            tags[description["ResourceArn"]] = {
                t["Key"]: t.get("Value", "") for t in description.get("Tags", [])
            }
    return tags


def _paginate(elbv2: Any, operation: str, result_key: str, **parameters: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in elbv2.get_paginator(operation).paginate(**parameters):
        items.extend(page.get(result_key, []))
    return items


def _load_balancer_target_groups(elbv2: Any, arn: str) -> list[dict[str, Any]]:
    """The target groups of the load balancer; none when it has none (an existing load balancer whose rules
    only answer fixed responses: some endpoints, moto's among them, answer TargetGroupNotFound then)."""
    try:
        return _paginate(elbv2, "describe_target_groups", "TargetGroups", LoadBalancerArn=arn)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "TargetGroupNotFound":
            return []
        raise


def find_load_balancer(elbv2: Any, name: str) -> dict[str, Any] | None:
    """The API's description of the Application Load Balancer called `name`, or None when absent."""
    try:
        found = _paginate(elbv2, "describe_load_balancers", "LoadBalancers", Names=[name])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "LoadBalancerNotFound":
            return None
        raise
    return next((lb for lb in found if lb.get("Type", APPLICATION) == APPLICATION), None)


def _priority(raw: Mapping[str, Any]) -> int | None:
    value = str(raw.get("Priority", "default"))
    return int(value) if value.isdigit() else None


def _target_group(
    elbv2: Any, group: Mapping[str, Any], tags: Mapping[str, Mapping[str, str]]
) -> LiveTargetGroup:
    arn = str(group["TargetGroupArn"])
    return LiveTargetGroup(
        arn=arn,
        name=str(group["TargetGroupName"]),
        protocol=group.get("Protocol"),
        port=group.get("Port"),
        target_type=group.get("TargetType"),
        health_check=HealthCheckSettings.from_api(group),
        tags=tags.get(arn, {}),
        health=TargetHealthSummary.from_api(
            elbv2.describe_target_health(TargetGroupArn=arn).get("TargetHealthDescriptions", [])
        ),
    )


def read_load_balancer(elbv2: Any, described: Mapping[str, Any]) -> LiveLoadBalancer:
    """Everything about one load balancer (as DescribeLoadBalancers described it)."""
    arn = str(described["LoadBalancerArn"])
    raw_listeners = _paginate(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=arn)
    raw_rules = {
        listener["ListenerArn"]: _paginate(
            elbv2, "describe_rules", "Rules", ListenerArn=listener["ListenerArn"]
        )
        for listener in raw_listeners
    }
    raw_groups = _load_balancer_target_groups(elbv2, arn)
    rule_arns = [
        rule["RuleArn"] for rules in raw_rules.values() for rule in rules if not rule.get("IsDefault")
    ]
    tags = read_tags(elbv2, [arn, *(group["TargetGroupArn"] for group in raw_groups), *rule_arns])

    groups = tuple(
        sorted((_target_group(elbv2, group, tags) for group in raw_groups), key=lambda group: group.name)
    )
    listeners = []
    for listener in raw_listeners:
        rules = [
            LiveRule(
                arn=rule["RuleArn"],
                priority=_priority(rule),
                is_default=bool(rule.get("IsDefault")) or _priority(rule) is None,
                conditions=conditions_from_api(rule.get("Conditions", [])),
                actions=tuple(rule.get("Actions", [])),
                tags=tags.get(rule["RuleArn"], {}),
            )
            for rule in raw_rules[listener["ListenerArn"]]
        ]
        listeners.append(
            LiveListener(
                arn=listener["ListenerArn"],
                port=listener.get("Port"),
                protocol=listener.get("Protocol"),
                ssl_policy=listener.get("SslPolicy"),
                default_actions=tuple(listener.get("DefaultActions", [])),
                rules=tuple(
                    sorted((r for r in rules if not r.is_default), key=lambda r: (r.priority or 0, r.arn))
                ),
            )
        )
    return LiveLoadBalancer(
        arn=arn,
        name=str(described["LoadBalancerName"]),
        scheme=described.get("Scheme"),
        dns_name=described.get("DNSName"),
        vpc_id=described.get("VpcId"),
        listeners=tuple(sorted(listeners, key=lambda listener: (listener.port or 0, listener.arn))),
        target_groups=groups,
        tags=tags.get(arn, {}),
    )


def read_load_balancers(elbv2: Any, names: Sequence[str]) -> LoadBalancersRead:
    """The Application Load Balancers called `names` (AWS names, e.g. `prod-public`), fully read.

    Botocore errors propagate (wrap the call in `aws_errors`)."""
    found: list[LiveLoadBalancer] = []
    missing: list[str] = []
    for name in dict.fromkeys(names):
        described = find_load_balancer(elbv2, name)
        if described is None:
            missing.append(name)
        else:
            found.append(read_load_balancer(elbv2, described))
    return LoadBalancersRead(load_balancers=tuple(found), missing=tuple(missing))


def read_account_limits(elbv2: Any) -> dict[str, int]:
    """The account's ELBv2 quotas by the API's name (e.g. `rules-per-application-load-balancer`: 100), from
    DescribeAccountLimits (paginated by `NextMarker`)."""
    limits: dict[str, int] = {}
    marker: str | None = None
    while True:
        answer = elbv2.describe_account_limits(**({"Marker": marker} if marker else {}))
        for limit in answer.get("Limits", []):
            value = str(limit.get("Max", ""))
            if value.isdigit():
                limits[str(limit.get("Name"))] = int(value)
        marker = answer.get("NextMarker")
        if not marker:
            return limits


def read_target_groups_by_name(elbv2: Any, names: Iterable[str]) -> dict[str, LiveTargetGroup]:
    """The target groups called `names` that exist (attached to a load balancer or not), with their tags and
    target health, by name; one DescribeTargetGroups call per name (a missing name fails the whole call)."""
    found: dict[str, LiveTargetGroup] = {}
    for name in dict.fromkeys(names):
        try:
            groups = elbv2.describe_target_groups(Names=[name]).get("TargetGroups", [])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "TargetGroupNotFound":
                continue
            raise
        tags = read_tags(elbv2, [group["TargetGroupArn"] for group in groups])
        for group in groups:
            found[group["TargetGroupName"]] = _target_group(elbv2, group, tags)
    return found
