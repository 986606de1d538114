"""Single insecure or invalid changes to the example's synthesized JSON, each with the check that must catch it.

A mutation finds its resources by type, tags and attributes (never by cdktf's generated ids), so the same
mutations apply to the hand-made fixture and to the real synthesized example.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Document = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Mutation:
    """name: what changes; check_id: the check that must fail; resource_type: the type of the failing resource;
    mutate: edits the document in place and returns the failing resource's name; alone: True when that
    resource is the only one the check fails (False where the change rightly fails others too: every rule
    of the listener moved to HTTP, both rules of a shared priority, every alarm of the topic)."""

    name: str
    check_id: str
    resource_type: str
    mutate: Callable[[Document], str]
    alone: bool = True


def resources(document: Document, resource_type: str) -> dict[str, dict[str, Any]]:
    return document["resource"].setdefault(resource_type, {})


def find(
    document: Document, resource_type: str, predicate: Callable[[dict[str, Any]], bool]
) -> tuple[str, dict[str, Any]]:
    for name, conf in resources(document, resource_type).items():
        if predicate(conf):
            return name, conf
    raise LookupError(f"no {resource_type} matches in the example")


def split_rule(document: Document) -> tuple[str, dict[str, Any]]:
    return find(
        document,
        "aws_lb_listener_rule",
        lambda c: c.get("tags", {}).get("ab-role") == "split"
        and len(c["action"][0]["forward"]["target_group"]) == 2,
    )


def override_rule(document: Document) -> tuple[str, dict[str, Any]]:
    return find(document, "aws_lb_listener_rule", lambda c: c.get("tags", {}).get("ab-role") == "override")


def https_listener(document: Document) -> tuple[str, dict[str, Any]]:
    return find(document, "aws_lb_listener", lambda c: c.get("protocol") == "HTTPS")


def http_listener(document: Document) -> tuple[str, dict[str, Any]]:
    return find(document, "aws_lb_listener", lambda c: c.get("protocol") == "HTTP")


def load_balancer(document: Document) -> tuple[str, dict[str, Any]]:
    return next(iter(resources(document, "aws_lb").items()))


def target_group_of_split(document: Document, index: int) -> tuple[str, dict[str, Any]]:
    _, rule = split_rule(document)
    arn = rule["action"][0]["forward"]["target_group"][index]["arn"]
    name = arn.split(".")[1]
    return name, resources(document, "aws_lb_target_group")[name]


def _forward(rule: dict[str, Any]) -> dict[str, Any]:
    forward: dict[str, Any] = rule["action"][0]["forward"]
    return forward


def listener_to_http(d: Document) -> str:
    _, listener = https_listener(d)
    listener.update(protocol="HTTP", port=8081)
    listener.pop("ssl_policy", None)
    listener.pop("certificate_arn", None)
    return split_rule(d)[0]


def weight_1000(d: Document) -> str:
    name, rule = split_rule(d)
    _forward(rule)["target_group"][0]["weight"] = 1000
    return name


def six_target_groups(d: Document) -> str:
    name, rule = split_rule(d)
    groups = _forward(rule)["target_group"]
    while len(groups) < 6:
        groups.append(dict(groups[0], weight=1))
    return name


def all_weights_zero(d: Document) -> str:
    name, rule = split_rule(d)
    for group in _forward(rule)["target_group"]:
        group["weight"] = 0
    return name


def one_weight_zero_not_paused(d: Document) -> str:
    name, rule = split_rule(d)
    _forward(rule)["target_group"][1]["weight"] = 0
    rule["tags"].pop("paused-variants", None)
    return name


def duplicate_priority(d: Document) -> str:
    name, rule = override_rule(d)
    split_name, split = find(
        d,
        "aws_lb_listener_rule",
        lambda c: c.get("tags", {}).get("ab-role") == "split"
        and c["tags"]["experiment"] == rule["tags"]["experiment"],
    )
    rule["priority"] = split["priority"]
    return split_name


def priority_zero(d: Document) -> str:
    name, rule = override_rule(d)
    rule["priority"] = 0
    return name


def health_check_removed(d: Document) -> str:
    name, group = target_group_of_split(d, 1)
    group.pop("health_check")
    return name


def health_check_matcher_removed(d: Document) -> str:
    name, group = target_group_of_split(d, 1)
    group["health_check"].pop("matcher")
    return name


def tls_policy_weakened(d: Document) -> str:
    name, listener = https_listener(d)
    listener["ssl_policy"] = "ELBSecurityPolicy-2016-08"
    return name


def access_logs_off(d: Document) -> str:
    name, lb = load_balancer(d)
    lb["access_logs"]["enabled"] = False
    return name


def waf_removed(d: Document) -> str:
    d["resource"].pop("aws_wafv2_web_acl_association")
    return load_balancer(d)[0]


def model_port_open_to_world(d: Document) -> str:
    name, rule = find(d, "aws_vpc_security_group_ingress_rule", lambda c: "referenced_security_group_id" in c)
    rule.pop("referenced_security_group_id")
    rule["cidr_ipv4"] = "0.0.0.0/0"
    return name


def model_tag_removed(d: Document) -> str:
    name, group = target_group_of_split(d, 0)
    group["tags"].pop("model")
    return name


def owner_removed_everywhere(d: Document) -> str:
    for provider in d["provider"]["aws"]:
        for block in provider.get("default_tags", []):
            block.get("tags", {}).pop("owner", None)
    name, group = target_group_of_split(d, 0)
    group.get("tags", {}).pop("owner", None)
    return name


def stickiness_duration_zero(d: Document) -> str:
    name, rule = split_rule(d)
    _forward(rule)["stickiness"] = {"enabled": True, "duration": 0}
    return name


def stickiness_block_removed(d: Document) -> str:
    name, rule = split_rule(d)
    _forward(rule).pop("stickiness")
    return name


def deletion_protection_off(d: Document) -> str:
    name, lb = load_balancer(d)
    lb["enable_deletion_protection"] = False
    return name


def invalid_headers_kept(d: Document) -> str:
    name, lb = load_balancer(d)
    lb["drop_invalid_header_fields"] = False
    return name


def override_names_unknown_variant(d: Document) -> str:
    name, rule = override_rule(d)
    for condition in rule["condition"]:
        if "http_header" in condition:
            condition["http_header"]["values"] = ["no-such-variant"]
    rule["tags"]["variant"] = "no-such-variant"
    return name


def too_many_rules(d: Document) -> str:
    name, rule = split_rule(d)
    rules = resources(d, "aws_lb_listener_rule")
    for index in range(101):
        extra = copy.deepcopy(rule)
        extra["priority"] = 40000 + index
        extra["condition"] = [{"path_pattern": {"values": [f"/extra-{index}"]}}]
        rules[f"extra_rule_{index}"] = extra
    return load_balancer(d)[0]


def http_listener_forwards(d: Document) -> str:
    _, listener = http_listener(d)
    arn = split_rule(d)[1]["action"][0]["forward"]["target_group"][0]["arn"]
    listener["default_action"] = [{"type": "forward", "target_group_arn": arn}]
    return load_balancer(d)[0]


def p99_alarm_removed(d: Document) -> str:
    _, rule = split_rule(d)
    target_group = rule["action"][0]["forward"]["target_group"][0]["arn"].split(".")[1]
    alarms = resources(d, "aws_cloudwatch_metric_alarm")
    name, _ = find(
        d,
        "aws_cloudwatch_metric_alarm",
        lambda c: c.get("metric_name") == "TargetResponseTime"
        and f".{target_group}.arn_suffix" in str(c.get("dimensions", {}).get("TargetGroup")),
    )
    del alarms[name]
    return target_group


def health_check_interval_4(d: Document) -> str:
    name, group = target_group_of_split(d, 0)
    group["health_check"].update(interval=4, timeout=2)
    return name


def health_check_matcher_500(d: Document) -> str:
    name, group = target_group_of_split(d, 1)
    group["health_check"]["matcher"] = "500"
    return name


def slow_start_10(d: Document) -> str:
    name, group = target_group_of_split(d, 0)
    group["slow_start"] = 10
    return name


def target_group_name_with_underscore(d: Document) -> str:
    name, group = target_group_of_split(d, 0)
    group["name"] = group["name"].replace("-", "_")
    return name


def idle_timeout_4001(d: Document) -> str:
    name, lb = load_balancer(d)
    lb["idle_timeout"] = 4001
    return name


def six_condition_values(d: Document) -> str:
    name, rule = split_rule(d)
    paths = next(c for c in rule["condition"] if "path_pattern" in c)["path_pattern"]["values"]
    paths.extend(f"/more-{index}" for index in range(6 - len(paths)))
    return name


def certificate_removed(d: Document) -> str:
    name, listener = https_listener(d)
    listener.pop("certificate_arn")
    return name


def override_lost_the_match(d: Document) -> str:
    name, rule = override_rule(d)
    rule["condition"] = [c for c in rule["condition"] if "http_header" in c]
    return name


def alarm_subscriptions_removed(d: Document) -> str:
    d["resource"].pop("aws_sns_topic_subscription")
    _, rule = split_rule(d)
    target_group = rule["action"][0]["forward"]["target_group"][0]["arn"].split(".")[1]
    name, _ = find(
        d,
        "aws_cloudwatch_metric_alarm",
        lambda c: f".{target_group}.arn_suffix" in str(c.get("dimensions", {}).get("TargetGroup")),
    )
    return name


def egress_all_protocols_to_world(d: Document) -> str:
    name, rule = next(iter(resources(d, "aws_vpc_security_group_egress_rule").items()))
    for key in ("referenced_security_group_id", "from_port", "to_port"):
        rule.pop(key, None)
    rule.update(ip_protocol="-1", cidr_ipv4="0.0.0.0/0")
    return name


def rate_rule_removed(d: Document) -> str:
    for acl in resources(d, "aws_wafv2_web_acl").values():
        acl["rule"] = [r for r in acl["rule"] if "rate_based_statement" not in r["statement"]]
    return load_balancer(d)[0]


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="listener-to-http",
        check_id="CKV2_ABT_2",
        resource_type="aws_lb_listener_rule",
        mutate=listener_to_http,
        alone=False,
    ),
    Mutation(
        name="weight-1000", check_id="CKV_ABT_1", resource_type="aws_lb_listener_rule", mutate=weight_1000
    ),
    Mutation(
        name="six-target-groups",
        check_id="CKV_ABT_1",
        resource_type="aws_lb_listener_rule",
        mutate=six_target_groups,
    ),
    Mutation(
        name="all-weights-zero",
        check_id="CKV_ABT_1",
        resource_type="aws_lb_listener_rule",
        mutate=all_weights_zero,
    ),
    Mutation(
        name="weight-zero-not-paused",
        check_id="CKV_ABT_2",
        resource_type="aws_lb_listener_rule",
        mutate=one_weight_zero_not_paused,
    ),
    Mutation(
        name="duplicate-priority",
        check_id="CKV_ABT_5",
        resource_type="aws_lb_listener_rule",
        mutate=duplicate_priority,
        alone=False,
    ),
    Mutation(
        name="priority-zero", check_id="CKV_ABT_5", resource_type="aws_lb_listener_rule", mutate=priority_zero
    ),
    Mutation(
        name="health-check-removed",
        check_id="CKV2_ABT_1",
        resource_type="aws_lb_target_group",
        mutate=health_check_removed,
    ),
    Mutation(
        name="health-check-matcher-removed",
        check_id="CKV2_ABT_1",
        resource_type="aws_lb_target_group",
        mutate=health_check_matcher_removed,
    ),
    Mutation(
        name="tls-policy-weakened",
        check_id="CKV_AWS_103",
        resource_type="aws_lb_listener",
        mutate=tls_policy_weakened,
    ),
    Mutation(name="access-logs-off", check_id="CKV_AWS_91", resource_type="aws_lb", mutate=access_logs_off),
    Mutation(name="waf-removed", check_id="CKV2_AWS_28", resource_type="aws_lb", mutate=waf_removed),
    Mutation(
        name="model-port-open-to-world",
        check_id="CKV_ABT_8",
        resource_type="aws_vpc_security_group_ingress_rule",
        mutate=model_port_open_to_world,
    ),
    Mutation(
        name="model-tag-removed",
        check_id="CKV_ABT_4",
        resource_type="aws_lb_target_group",
        mutate=model_tag_removed,
    ),
    Mutation(
        name="owner-removed",
        check_id="CKV_ABT_4",
        resource_type="aws_lb_target_group",
        mutate=owner_removed_everywhere,
    ),
    Mutation(
        name="stickiness-duration-zero",
        check_id="CKV_ABT_3",
        resource_type="aws_lb_listener_rule",
        mutate=stickiness_duration_zero,
    ),
    Mutation(
        name="stickiness-block-removed",
        check_id="CKV_ABT_3",
        resource_type="aws_lb_listener_rule",
        mutate=stickiness_block_removed,
    ),
    Mutation(
        name="deletion-protection-off",
        check_id="CKV_AWS_150",
        resource_type="aws_lb",
        mutate=deletion_protection_off,
    ),
    Mutation(
        name="invalid-headers-kept",
        check_id="CKV_AWS_131",
        resource_type="aws_lb",
        mutate=invalid_headers_kept,
    ),
    Mutation(
        name="override-names-unknown-variant",
        check_id="CKV_ABT_7",
        resource_type="aws_lb_listener_rule",
        mutate=override_names_unknown_variant,
    ),
    Mutation(name="too-many-rules", check_id="CKV_ABT_6", resource_type="aws_lb", mutate=too_many_rules),
    Mutation(
        name="p99-alarm-removed",
        check_id="CKV_ABT_9",
        resource_type="aws_lb_target_group",
        mutate=p99_alarm_removed,
    ),
    Mutation(
        name="http-listener-forwards",
        check_id="CKV2_AWS_20",
        resource_type="aws_lb",
        mutate=http_listener_forwards,
    ),
    Mutation(
        name="health-check-interval-4",
        check_id="CKV_ABT_10",
        resource_type="aws_lb_target_group",
        mutate=health_check_interval_4,
    ),
    Mutation(
        name="health-check-matcher-500",
        check_id="CKV_ABT_10",
        resource_type="aws_lb_target_group",
        mutate=health_check_matcher_500,
    ),
    Mutation(
        name="slow-start-10", check_id="CKV_ABT_11", resource_type="aws_lb_target_group", mutate=slow_start_10
    ),
    Mutation(
        name="target-group-name-with-underscore",
        check_id="CKV_ABT_12",
        resource_type="aws_lb_target_group",
        mutate=target_group_name_with_underscore,
    ),
    Mutation(
        name="idle-timeout-4001", check_id="CKV_ABT_13", resource_type="aws_lb", mutate=idle_timeout_4001
    ),
    Mutation(
        name="six-condition-values",
        check_id="CKV_ABT_14",
        resource_type="aws_lb_listener_rule",
        mutate=six_condition_values,
    ),
    Mutation(
        name="certificate-removed",
        check_id="CKV_ABT_15",
        resource_type="aws_lb_listener",
        mutate=certificate_removed,
    ),
    Mutation(
        name="override-lost-the-match",
        check_id="CKV_ABT_16",
        resource_type="aws_lb_listener_rule",
        mutate=override_lost_the_match,
    ),
    Mutation(
        name="alarm-subscriptions-removed",
        check_id="CKV_ABT_17",
        resource_type="aws_cloudwatch_metric_alarm",
        mutate=alarm_subscriptions_removed,
        alone=False,
    ),
    Mutation(
        name="egress-all-protocols-to-world",
        check_id="CKV_ABT_18",
        resource_type="aws_vpc_security_group_egress_rule",
        mutate=egress_all_protocols_to_world,
    ),
    Mutation(
        name="rate-rule-removed", check_id="CKV_ABT_19", resource_type="aws_lb", mutate=rate_rule_removed
    ),
)
