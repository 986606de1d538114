"""Pass and fail scenarios of every custom policy, written as Terraform JSON and as HCL.

`python -m tests.gate.policy_scenarios` (from the repository root) rewrites
tests/gate/fixtures/policies/{json,hcl}/<check id>/; the files are checked in and read by
test_policies.py. Resources are named after their scenario: `pass_...` passes the check, `fail_...` fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
MAP_ATTRIBUTES = {"tags", "dimensions"}  # written as `tags = { ... }`, not as blocks


def ref(address: str) -> str:
    return "${" + address + "}"


def provider(owner: bool = True) -> dict[str, Any]:
    tags = {"environment": "test", **({"owner": "ml-platform"} if owner else {})}
    return {"aws": {"region": "eu-west-1", "default_tags": {"tags": tags}}}


def listener(protocol: str = "HTTPS") -> dict[str, Any]:
    conf: dict[str, Any] = {
        "load_balancer_arn": ref("aws_lb.lb.arn"),
        "port": 443 if protocol == "HTTPS" else 80,
        "protocol": protocol,
        "default_action": {
            "type": "fixed-response",
            "fixed_response": {"content_type": "text/plain", "status_code": "404"},
        },
    }
    if protocol == "HTTPS":
        conf["ssl_policy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06"
        conf["certificate_arn"] = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    return conf


def target_group(
    variant: str, health: dict[str, Any] | None = None, tags: dict[str, str] | None = None, port: int = 8080
) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "name": variant,
        "port": port,
        "protocol": "HTTP",
        "vpc_id": "vpc-1",
        "tags": tags
        if tags is not None
        else {"experiment": "exp", "variant": variant, "model": f"m:{variant}"},
    }
    if health is not None:
        conf["health_check"] = health
    return conf


HEALTH = {"path": "/health", "matcher": "200"}


def rule(
    targets: list[tuple[str, Any]],
    *,
    priority: int = 10,
    listener_name: str = "https",
    stickiness: Any = "off",
    tags: dict[str, str] | None = None,
    header: str | None = None,
    header_name: str = "X-Model-Variant",
) -> dict[str, Any]:
    forward: dict[str, Any] = {
        "target_group": [{"arn": ref(f"aws_lb_target_group.{tg}.arn"), "weight": w} for tg, w in targets]
    }
    if stickiness == "off":
        forward["stickiness"] = {"enabled": False}
    elif stickiness is not None:
        forward["stickiness"] = {"enabled": True, "duration": stickiness}
    conditions: list[dict[str, Any]] = [{"path_pattern": {"values": ["/x"]}}]
    if header is not None:
        conditions.append({"http_header": {"http_header_name": header_name, "values": [header]}})
    return {
        "listener_arn": ref(f"aws_lb_listener.{listener_name}.arn"),
        "priority": priority,
        "condition": conditions,
        "action": {"type": "forward", "forward": forward},
        "tags": tags
        if tags is not None
        else {"experiment": "exp", "ab-role": "split", "variant": "a b", "model": "m:a m:b"},
    }


def base(
    *, owner: bool = True, health: dict[str, Any] | None = HEALTH, variants: str = "abcdef"
) -> dict[str, Any]:
    return {
        "provider": provider(owner),
        "resource": {
            "aws_lb": {"lb": {"name": "lb", "load_balancer_type": "application", "subnets": ["s-1", "s-2"]}},
            "aws_lb_listener": {"https": listener("HTTPS"), "http": listener("HTTP")},
            "aws_lb_target_group": {v: target_group(v, health) for v in variants},
        },
    }


def alarms(target_group_name: str, kinds: str = "error-rate p99 hosts") -> dict[str, Any]:
    """The guardrail alarms of one target group, as the constructs write them: `kinds` picks which."""
    dimensions = {"TargetGroup": ref(f"aws_lb_target_group.{target_group_name}.arn_suffix")}
    common = {"comparison_operator": "GreaterThanThreshold", "evaluation_periods": 5}

    def metric(name: str) -> dict[str, Any]:
        return {
            "namespace": "AWS/ApplicationELB",
            "metric_name": name,
            "stat": "Sum",
            "period": 60,
            "dimensions": dimensions,
        }

    every = {
        "error-rate": {
            **common,
            "threshold": 5,
            "metric_query": [
                {"id": "errors", "return_data": False, "metric": metric("HTTPCode_Target_5XX_Count")},
                {"id": "requests", "return_data": False, "metric": metric("RequestCount")},
                {"id": "error_rate", "expression": "100 * FILL(errors, 0) / requests", "return_data": True},
            ],
        },
        "p99": {
            **common,
            "threshold": 2,
            "namespace": "AWS/ApplicationELB",
            "metric_name": "TargetResponseTime",
            "extended_statistic": "p99",
            "period": 60,
            "dimensions": dimensions,
        },
        "hosts": {
            **common,
            "threshold": 0,
            "namespace": "AWS/ApplicationELB",
            "metric_name": "UnHealthyHostCount",
            "statistic": "Maximum",
            "period": 60,
            "dimensions": dimensions,
        },
    }
    return {f"alarm_{target_group_name}_{kind.replace('-', '_')}": every[kind] for kind in kinds.split()}


def with_resources(document: dict[str, Any], resource_type: str, resources: dict[str, Any]) -> dict[str, Any]:
    document["resource"].setdefault(resource_type, {}).update(resources)
    return document


def scenarios() -> dict[str, dict[str, Any]]:
    split = {"experiment": "exp", "ab-role": "split", "variant": "a b", "model": "m:a m:b"}
    docs: dict[str, dict[str, Any]] = {}
    docs["CKV_ABT_1"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_weighted_80_20": rule([("a", 80), ("b", 20)], priority=1),
            "fail_weight_1000": rule([("a", 1000), ("b", 20)], priority=2),
            "fail_six_target_groups": rule(
                [(v, 10) for v in "abcdef"],
                priority=3,
                tags={**split, "variant": "a b c d e f", "model": "m m m m m m"},
            ),
            "fail_all_weights_zero": rule(
                [("a", 0), ("b", 0)], priority=4, tags={**split, "paused-variants": "a b"}
            ),
        },
    )
    docs["CKV_ABT_2"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_zero_weight_paused": rule(
                [("a", 100), ("b", 0)], priority=1, tags={**split, "paused-variants": "b"}
            ),
            "pass_all_positive": rule([("a", 50), ("b", 50)], priority=2),
            "fail_zero_weight_not_paused": rule([("a", 100), ("b", 0)], priority=3),
            # as the constructs write a paused variant: left out of the forward, named in the tag
            "pass_paused_left_out_of_the_forward": rule(
                [("a", 100)],
                priority=4,
                tags={**split, "variant": "a", "model": "m:a", "paused-variants": "b"},
            ),
            "fail_one_left_at_zero_not_paused": rule(
                [("a", 0)], priority=5, tags={**split, "variant": "a", "model": "m:a"}
            ),
        },
    )
    docs["CKV_ABT_3"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_sticky_one_hour": rule([("a", 80), ("b", 20)], priority=1, stickiness=3600),
            "pass_stickiness_off_explicitly": rule([("a", 80), ("b", 20)], priority=2, stickiness="off"),
            "fail_no_stickiness_block": rule([("a", 80), ("b", 20)], priority=3, stickiness=None),
            "fail_duration_zero": rule([("a", 80), ("b", 20)], priority=4, stickiness=0),
            "fail_duration_over_seven_days": rule([("a", 80), ("b", 20)], priority=5, stickiness=604801),
        },
    )
    docs["CKV_ABT_4"] = base(variants="ab")
    docs["CKV_ABT_4"]["resource"]["aws_lb_target_group"] = {
        "pass_tagged_owner_from_default_tags": target_group("a", HEALTH),
        "fail_target_group_without_model": target_group(
            "b", HEALTH, tags={"experiment": "exp", "variant": "b"}
        ),
    }
    with_resources(
        docs["CKV_ABT_4"],
        "aws_lb_listener_rule",
        {
            "pass_split_tagged": {
                **rule(
                    [("pass_tagged_owner_from_default_tags", 80), ("fail_target_group_without_model", 20)],
                    priority=1,
                )
            },
            "fail_split_without_experiment": rule(
                [("pass_tagged_owner_from_default_tags", 80), ("fail_target_group_without_model", 20)],
                priority=2,
                tags={"ab-role": "split", "variant": "a b", "model": "m:a m:b"},
            ),
        },
    )
    docs["CKV_ABT_5"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_unique_priority": rule([("a", 80), ("b", 20)], priority=10),
            "fail_duplicate_priority_first": rule([("a", 80), ("b", 20)], priority=20),
            "fail_duplicate_priority_second": rule([("a", 80), ("b", 20)], priority=20),
            "pass_same_priority_other_listener": rule(
                [("a", 80), ("b", 20)], priority=20, listener_name="http"
            ),
            "fail_priority_above_50000": rule([("a", 80), ("b", 20)], priority=50001),
        },
    )
    docs["CKV_ABT_6"] = base()
    docs["CKV_ABT_6"]["resource"]["aws_lb"] = {"pass_lb": {"name": "pass-lb"}, "fail_lb": {"name": "fail-lb"}}
    docs["CKV_ABT_6"]["resource"]["aws_lb_listener"] = {
        "listener_of_pass_lb": {**listener("HTTPS"), "load_balancer_arn": ref("aws_lb.pass_lb.arn")},
        "listener_of_fail_lb": {**listener("HTTPS"), "load_balancer_arn": ref("aws_lb.fail_lb.arn")},
    }
    with_resources(
        docs["CKV_ABT_6"],
        "aws_lb_listener_rule",
        {
            **{
                f"rule_{i}_on_pass_lb": rule(
                    [("a", 1), ("b", 1)], priority=i, listener_name="listener_of_pass_lb"
                )
                for i in range(1, 4)
            },
            **{
                f"rule_{i}_on_fail_lb": rule(
                    [("a", 1), ("b", 1)], priority=i, listener_name="listener_of_fail_lb"
                )
                for i in range(1, 5)
            },
        },
    )
    override = {"experiment": "exp", "ab-role": "override", "model": "m:a"}
    docs["CKV_ABT_7"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "split": rule([("a", 80), ("b", 20)], priority=10),
            "pass_override_a": rule([("a", 1)], priority=1, header="a", tags={**override, "variant": "a"}),
            "fail_override_unknown_variant": rule(
                [("c", 1)], priority=2, header="c", tags={**override, "variant": "c"}
            ),
            "fail_override_wrong_target_group": rule(
                [("a", 1)], priority=3, header="b", tags={**override, "variant": "b"}
            ),
            "fail_override_tag_differs_from_header": rule(
                [("b", 1)], priority=4, header="b", tags={**override, "variant": "a"}
            ),
            # experiment exp2's override rules use the header its split names in `ab-override-header`
            "split_exp2": rule(
                [("a", 50), ("b", 50)],
                priority=20,
                tags={**split, "experiment": "exp2", "ab-override-header": "X-Force-Model"},
            ),
            "pass_override_custom_header": rule(
                [("a", 1)],
                priority=11,
                header="a",
                header_name="x-force-model",
                tags={**override, "experiment": "exp2", "variant": "a"},
            ),
            "fail_override_default_header_where_split_names_another": rule(
                [("b", 1)], priority=12, header="b", tags={**override, "experiment": "exp2", "variant": "b"}
            ),
            # experiment exp3 leaves paused variant c out of its split: c's override rule still names it
            "split_exp3": rule(
                [("a", 50), ("b", 50)],
                priority=30,
                tags={**split, "experiment": "exp3", "paused-variants": "c"},
            ),
            "pass_override_paused_variant": rule(
                [("c", 1)], priority=21, header="c", tags={**override, "experiment": "exp3", "variant": "c"}
            ),
            "fail_override_variant_neither_forwarded_nor_paused": rule(
                [("d", 1)], priority=22, header="d", tags={**override, "experiment": "exp3", "variant": "d"}
            ),
        },
    )
    docs["CKV_ABT_8"] = with_resources(
        base(),
        "aws_security_group",
        {"pass_sg_without_rules": {"name": "sg", "description": "sg", "vpc_id": "vpc-1"}},
    )
    with_resources(
        docs["CKV_ABT_8"],
        "aws_vpc_security_group_ingress_rule",
        {
            "pass_model_port_from_load_balancer": {
                "security_group_id": ref("aws_security_group.pass_sg_without_rules.id"),
                "ip_protocol": "tcp",
                "from_port": 8080,
                "to_port": 8080,
                "referenced_security_group_id": "sg-0123456789abcdef0",
            },
            "pass_https_from_internet": {
                "security_group_id": ref("aws_security_group.pass_sg_without_rules.id"),
                "ip_protocol": "tcp",
                "from_port": 443,
                "to_port": 443,
                "cidr_ipv4": "0.0.0.0/0",
            },
            "fail_model_port_from_internet": {
                "security_group_id": ref("aws_security_group.pass_sg_without_rules.id"),
                "ip_protocol": "tcp",
                "from_port": 8080,
                "to_port": 8080,
                "cidr_ipv4": "0.0.0.0/0",
            },
            "fail_all_traffic_from_internet_ipv6": {
                "security_group_id": ref("aws_security_group.pass_sg_without_rules.id"),
                "ip_protocol": "-1",
                "cidr_ipv6": "::/0",
            },
        },
    )
    docs["CKV2_ABT_1"] = base(health=None, variants="")
    docs["CKV2_ABT_1"]["resource"]["aws_lb_target_group"] = {
        "pass_with_health_check": target_group("a", HEALTH),
        "fail_without_health_check": target_group("b", None),
        "fail_health_check_without_matcher": target_group("c", {"path": "/health"}),
        "fail_health_check_disabled": target_group("d", {**HEALTH, "enabled": False}),
        "pass_not_receiving_traffic": target_group("e", None),
    }
    with_resources(
        docs["CKV2_ABT_1"],
        "aws_lb_listener_rule",
        {
            "split": rule(
                [
                    ("pass_with_health_check", 40),
                    ("fail_without_health_check", 20),
                    ("fail_health_check_without_matcher", 20),
                    ("fail_health_check_disabled", 20),
                ],
                priority=1,
                tags={**split, "variant": "a b c d", "model": "m m m m"},
            ),
        },
    )
    docs["CKV_ABT_9"] = base(variants="")
    docs["CKV_ABT_9"]["resource"]["aws_lb_target_group"] = {
        "pass_every_alarm": target_group("a", HEALTH),
        "fail_no_alarm": target_group("b", HEALTH),
        "fail_no_p99_alarm": target_group("c", HEALTH),
        "fail_5xx_count_not_a_rate": target_group("d", HEALTH),
        "unchecked_not_in_a_split": target_group("e", HEALTH),
        "fail_only_forwarded_variant_no_alarm": target_group("f", HEALTH),
    }
    docs["CKV_ABT_9"]["resource"]["aws_cloudwatch_metric_alarm"] = {
        **alarms("pass_every_alarm"),
        **alarms("fail_no_p99_alarm", "error-rate hosts"),
        **alarms("fail_5xx_count_not_a_rate", "p99 hosts"),
        "alarm_fail_5xx_count_not_a_rate_count": {
            "comparison_operator": "GreaterThanThreshold",
            "evaluation_periods": 5,
            "threshold": 10,
            "namespace": "AWS/ApplicationELB",
            "metric_name": "HTTPCode_Target_5XX_Count",
            "statistic": "Sum",
            "period": 60,
            "dimensions": {"TargetGroup": ref("aws_lb_target_group.fail_5xx_count_not_a_rate.arn_suffix")},
        },
    }
    with_resources(
        docs["CKV_ABT_9"],
        "aws_lb_listener_rule",
        {
            "split": rule(
                [
                    ("pass_every_alarm", 40),
                    ("fail_no_alarm", 20),
                    ("fail_no_p99_alarm", 20),
                    ("fail_5xx_count_not_a_rate", 20),
                ],
                priority=1,
                tags={**split, "variant": "a b c d", "model": "m m m m"},
            ),
            "single": rule(
                [("unchecked_not_in_a_split", 1)],
                priority=2,
                header="e",
                tags={"experiment": "exp", "ab-role": "override", "variant": "e", "model": "m"},
            ),
            # a split whose other variants are paused (left out): its one target group still takes the split
            "split_one_left": rule(
                [("fail_only_forwarded_variant_no_alarm", 1)],
                priority=3,
                tags={**split, "experiment": "exp2", "variant": "f", "model": "m", "paused-variants": "g"},
            ),
        },
    )
    docs["CKV2_ABT_2"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_weighted_on_https": rule([("a", 80), ("b", 20)], priority=1),
            "fail_weighted_on_http": rule([("a", 80), ("b", 20)], priority=2, listener_name="http"),
            # an existing listener (spec `existing_listener`), read by a data source: its protocol is known
            # only at apply time, and preflight checks it live
            "pass_weighted_on_existing_listener": {
                **rule([("a", 80), ("b", 20)], priority=4),
                "listener_arn": ref("data.aws_lb_listener.existing.arn"),
            },
            "pass_redirect_on_http": {
                "listener_arn": ref("aws_lb_listener.http.arn"),
                "priority": 3,
                "condition": {"path_pattern": {"values": ["/old"]}},
                "action": {
                    "type": "redirect",
                    "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"},
                },
            },
        },
    )
    docs["CKV2_ABT_2"]["data"] = {
        "aws_lb": {"existing": {"name": "ml-serving"}},
        "aws_lb_listener": {"existing": {"load_balancer_arn": ref("data.aws_lb.existing.arn"), "port": 443}},
    }
    docs.update(new_policy_scenarios())
    return docs


def minimal() -> dict[str, Any]:
    """A document with the provider only, for scenarios that name every resource of the checked types."""
    return {"provider": provider(), "resource": {}}


def condition_rule(priority: int, conditions: list[dict[str, Any]]) -> dict[str, Any]:
    return {**rule([("a", 80), ("b", 20)], priority=priority), "condition": conditions}


def alarm(**conf: Any) -> dict[str, Any]:
    return {
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": 5,
        "namespace": "AWS/ApplicationELB",
        "metric_name": "UnHealthyHostCount",
        "statistic": "Maximum",
        "period": 60,
        "threshold": 0,
        **conf,
    }


def web_acl(rules: list[dict[str, Any]]) -> dict[str, Any]:
    visibility = {"cloudwatch_metrics_enabled": True, "metric_name": "acl", "sampled_requests_enabled": True}
    return {
        "name": "acl",
        "scope": "REGIONAL",
        "default_action": {"allow": {}},
        "rule": rules,
        "visibility_config": visibility,
    }


def rate_rule(limit: Any = 2000, action: str = "block") -> dict[str, Any]:
    return {
        "name": "rate",
        "priority": 0,
        "action": {action: {}},
        "statement": {"rate_based_statement": {"limit": limit, "aggregate_key_type": "IP"}},
        "visibility_config": {
            "cloudwatch_metrics_enabled": True,
            "metric_name": "rate",
            "sampled_requests_enabled": True,
        },
    }


def new_policy_scenarios() -> dict[str, dict[str, Any]]:
    """Scenarios of the limit, override, alarm, security group and WAF policies (CKV_ABT_10 to 19)."""
    docs: dict[str, dict[str, Any]] = {}
    health = {**HEALTH, "interval": 15, "timeout": 5}
    docs["CKV_ABT_10"] = base(variants="")
    docs["CKV_ABT_10"]["resource"]["aws_lb_target_group"] = {
        "pass_health_check_in_range": target_group(
            "a", {**health, "healthy_threshold": 3, "matcher": "200-299"}
        ),
        "pass_matcher_list": target_group("b", {**health, "path": "/ready", "matcher": "200,302"}),
        "fail_interval_4": target_group("c", {**health, "interval": 4, "timeout": 2}),
        "fail_timeout_not_below_interval": target_group("d", {**health, "interval": 10, "timeout": 10}),
        "fail_threshold_11": target_group("e", {**health, "unhealthy_threshold": 11}),
        "fail_path_without_slash": target_group("f", {**health, "path": "health"}),
        "fail_matcher_500": target_group("g", {**health, "matcher": "500"}),
        "fail_matcher_empty_range": target_group("h", {**health, "matcher": "299-200"}),
        "unchecked_lambda": {**target_group("i", {"interval": 1}), "target_type": "lambda"},
    }
    docs["CKV_ABT_11"] = base(variants="")
    docs["CKV_ABT_11"]["resource"]["aws_lb_target_group"] = {
        "pass_slow_start_and_delay_as_text": {
            **target_group("a"),
            "slow_start": 120,
            "deregistration_delay": "120",
        },
        "pass_slow_start_off": {**target_group("b"), "slow_start": 0},
        "fail_slow_start_10": {**target_group("c"), "slow_start": 10},
        "fail_slow_start_901": {**target_group("d"), "slow_start": 901},
        "fail_delay_3601": {**target_group("e"), "deregistration_delay": 3601},
        "fail_delay_not_an_integer": {**target_group("f"), "deregistration_delay": 60.0},
        "unchecked_defaults": target_group("g"),
    }
    docs["CKV_ABT_12"] = minimal()
    docs["CKV_ABT_12"]["resource"] = {
        "aws_lb": {
            "pass_lb_name": {"name": "prod-public"},
            "pass_lb_name_prefix": {"name_prefix": "web-"},
            "fail_lb_name_internal": {"name": "internal-api"},
            "fail_lb_name_33_characters": {"name": "a" * 33},
            "fail_lb_name_trailing_hyphen": {"name": "api-"},
            "fail_lb_name_prefix_7_characters": {"name_prefix": "webapps"},
            "unchecked_generated_name": {"load_balancer_type": "application"},
        },
        "aws_lb_target_group": {
            "pass_target_group_name": {**target_group("a"), "name": "prod-sentiment-a"},
            "fail_target_group_underscore": {**target_group("b"), "name": "prod_sentiment_b"},
        },
    }
    docs["CKV_ABT_13"] = base(variants="")
    docs["CKV_ABT_13"]["resource"]["aws_lb"].update(
        {
            "pass_idle_timeout_300": {"name": "a", "idle_timeout": 300},
            "fail_idle_timeout_0": {"name": "b", "idle_timeout": 0},
            "fail_idle_timeout_4001": {"name": "c", "idle_timeout": 4001},
            "unchecked_network_load_balancer": {
                "name": "d",
                "load_balancer_type": "network",
                "idle_timeout": 0,
            },
        }
    )
    docs["CKV_ABT_14"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "pass_five_values": condition_rule(
                1,
                [
                    {"path_pattern": {"values": ["/a", "/b"]}},
                    {"host_header": {"values": ["api.example.com"]}},
                    {"http_request_method": {"values": ["POST"]}},
                    {"http_header": {"http_header_name": "X-Beta", "values": ["1"]}},
                ],
            ),
            "pass_query_pairs": condition_rule(
                2,
                [
                    {"path_pattern": {"values": ["/q"]}},
                    {"query_string": [{"key": "beta", "value": "1"}, {"value": "canary"}]},
                ],
            ),
            "fail_six_values": condition_rule(3, [{"path_pattern": {"values": [f"/{n}" for n in range(6)]}}]),
            "fail_six_wildcards": condition_rule(4, [{"path_pattern": {"values": ["/a*?*", "/b*?*"]}}]),
            "fail_two_path_conditions": condition_rule(
                5, [{"path_pattern": {"values": ["/a"]}}, {"path_pattern": {"values": ["/b"]}}]
            ),
            "fail_path_129_characters": condition_rule(6, [{"path_pattern": {"values": ["/" + "p" * 128]}}]),
            "fail_header_name_41_characters": condition_rule(
                7, [{"http_header": {"http_header_name": "X" * 41, "values": ["1"]}}]
            ),
        },
    )
    docs["CKV_ABT_15"] = base(variants="")
    without_certificate = listener("HTTPS")
    without_certificate.pop("certificate_arn")
    docs["CKV_ABT_15"]["resource"]["aws_lb_listener"] = {
        "pass_https_with_certificate": listener("HTTPS"),
        "fail_https_without_certificate": without_certificate,
        "unchecked_http": listener("HTTP"),
    }
    override = {"experiment": "exp", "ab-role": "override", "model": "m:a", "variant": "a"}
    header = {"http_header": {"http_header_name": "X-Model-Variant", "values": ["a"]}}
    docs["CKV_ABT_16"] = with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            "split": {
                **rule([("a", 80), ("b", 20)], priority=10),
                "condition": [
                    {"path_pattern": {"values": ["/x", "/x/*"]}},
                    {"host_header": {"values": ["api.example.com"]}},
                ],
            },
            "pass_override_keeps_conditions": {
                **rule([("a", 1)], priority=1, tags=override),
                "condition": [
                    {"host_header": {"values": ["api.example.com"]}},
                    {"path_pattern": {"values": ["/x/*", "/x"]}},
                    header,
                ],
            },
            "fail_override_lost_the_match": {
                **rule([("a", 1)], priority=2, tags=override),
                "condition": [header],
            },
            "fail_override_lost_the_host": {
                **rule([("a", 1)], priority=3, tags=override),
                "condition": [{"path_pattern": {"values": ["/x", "/x/*"]}}, header],
            },
        },
    )
    topic_arn = ref("aws_sns_topic.subscribed.arn")
    docs["CKV_ABT_17"] = with_resources(
        base(), "aws_lb_listener_rule", {"split": rule([("a", 80), ("b", 20)])}
    )
    docs["CKV_ABT_17"]["resource"]["aws_sns_topic"] = {
        "subscribed": {"name": "oncall"},
        "silent": {"name": "silent"},
    }
    docs["CKV_ABT_17"]["resource"]["aws_sns_topic_subscription"] = {
        "email": {"topic_arn": topic_arn, "protocol": "email", "endpoint": "ml-oncall@example.com"}
    }
    guardrail = {"experiment": "exp"}
    watches_a = {"TargetGroup": ref("aws_lb_target_group.a.arn_suffix")}
    docs["CKV_ABT_17"]["resource"]["aws_cloudwatch_metric_alarm"] = {
        "pass_to_subscribed_topic": alarm(tags=guardrail, alarm_actions=[topic_arn]),
        "pass_to_topic_managed_elsewhere": alarm(
            tags=guardrail, alarm_actions=["arn:aws:sns:eu-west-1:123456789012:oncall"]
        ),
        "pass_to_topic_of_another_stack_by_its_arn": alarm(
            tags=guardrail,
            alarm_actions=[
                "arn:${data.aws_partition.p.partition}:sns:${data.aws_region.r.name}:"
                "${data.aws_caller_identity.c.account_id}:prod-guardrails"
            ],
        ),
        "pass_untagged_on_weighted_target_group": alarm(dimensions=watches_a, alarm_actions=[topic_arn]),
        "fail_to_topic_without_subscription": alarm(
            tags=guardrail, alarm_actions=[ref("aws_sns_topic.silent.arn")]
        ),
        "fail_without_actions": alarm(tags=guardrail),
        "fail_actions_disabled": alarm(tags=guardrail, alarm_actions=[topic_arn], actions_enabled=False),
        "fail_only_an_ec2_action": alarm(
            tags=guardrail, alarm_actions=["arn:aws:automate:eu-west-1:ec2:reboot"]
        ),
        "fail_only_a_built_ec2_action": alarm(
            tags=guardrail,
            alarm_actions=[
                "arn:${data.aws_partition.p.partition}:automate:${data.aws_region.r.name}:ec2:stop"
            ],
        ),
        "unchecked_not_a_guardrail": alarm(alarm_actions=[]),
    }
    sg = ref("aws_security_group.pass_https_only.id")
    docs["CKV_ABT_18"] = minimal()
    docs["CKV_ABT_18"]["resource"] = {
        "aws_security_group": {
            "pass_https_only": {
                "name": "a",
                "description": "a",
                "vpc_id": "vpc-1",
                "ingress": [
                    {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}
                ],
                "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["10.0.0.0/8"]}],
            },
            "fail_egress_all_protocols_to_world": {
                "name": "b",
                "description": "b",
                "vpc_id": "vpc-1",
                "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            },
        },
        "aws_security_group_rule": {
            "fail_rule_all_protocols_to_world": {
                "type": "egress",
                "security_group_id": sg,
                "protocol": "all",
                "from_port": 0,
                "to_port": 0,
                "cidr_blocks": ["0.0.0.0/0"],
            },
        },
        "aws_vpc_security_group_egress_rule": {
            "fail_egress_rule_all_protocols_ipv4": {
                "security_group_id": sg,
                "ip_protocol": "-1",
                "cidr_ipv4": "0.0.0.0/0",
            },
            "pass_egress_rule_all_protocols_to_vpc": {
                "security_group_id": sg,
                "ip_protocol": "-1",
                "cidr_ipv4": "10.0.0.0/8",
            },
        },
        "aws_vpc_security_group_ingress_rule": {
            "fail_ingress_rule_all_protocols_ipv6": {
                "security_group_id": sg,
                "ip_protocol": "-1",
                "cidr_ipv6": "::/0",
            },
            "pass_ingress_rule_https_from_world": {
                "security_group_id": sg,
                "ip_protocol": "tcp",
                "from_port": 443,
                "to_port": 443,
                "cidr_ipv4": "0.0.0.0/0",
            },
        },
    }
    public = {"load_balancer_type": "application", "internal": False, "subnets": ["s-1", "s-2"]}
    docs["CKV_ABT_19"] = minimal()
    docs["CKV_ABT_19"]["resource"] = {
        "aws_lb": {
            "pass_rate_limited": {**public, "name": "a"},
            "pass_rate_rule_in_rule_group": {**public, "name": "b"},
            "fail_without_web_acl": {**public, "name": "c"},
            "fail_rate_rule_only_counts": {**public, "name": "d"},
            "fail_rate_limit_5": {**public, "name": "e"},
            "unchecked_internal": {**public, "name": "f", "internal": True},
        },
        "aws_wafv2_rule_group": {
            "rate_group": {
                "name": "rate-group",
                "scope": "REGIONAL",
                "capacity": 10,
                "rule": [rate_rule()],
                "visibility_config": {
                    "cloudwatch_metrics_enabled": True,
                    "metric_name": "g",
                    "sampled_requests_enabled": True,
                },
            }
        },
        "aws_wafv2_web_acl": {
            "limited": web_acl([rate_rule()]),
            "grouped": web_acl(
                [
                    {
                        "name": "group",
                        "priority": 0,
                        "override_action": {"none": {}},
                        "statement": {
                            "rule_group_reference_statement": {
                                "arn": ref("aws_wafv2_rule_group.rate_group.arn")
                            }
                        },
                        "visibility_config": {
                            "cloudwatch_metrics_enabled": True,
                            "metric_name": "group",
                            "sampled_requests_enabled": True,
                        },
                    }
                ]
            ),
            "counting": web_acl([rate_rule(action="count")]),
            "too_low": web_acl([rate_rule(limit=5)]),
        },
        "aws_wafv2_web_acl_association": {
            f"association_of_{lb}": {
                "resource_arn": ref(f"aws_lb.{lb}.arn"),
                "web_acl_arn": ref(f"aws_wafv2_web_acl.{acl}.arn"),
            }
            for lb, acl in (
                ("pass_rate_limited", "limited"),
                ("pass_rate_rule_in_rule_group", "grouped"),
                ("fail_rate_rule_only_counts", "counting"),
                ("fail_rate_limit_5", "too_low"),
                ("unchecked_internal", "limited"),
            )
        },
    }
    docs["CKV_ABT_20"] = shadowing_scenarios()
    return docs


def shadowing_scenarios() -> dict[str, Any]:
    """CKV_ABT_20: rules a rule of the same listener with a lower priority number takes every request of."""

    def path(*values: str) -> dict[str, Any]:
        return {"path_pattern": {"values": list(values)}}

    def host(*values: str) -> dict[str, Any]:
        return {"host_header": {"values": list(values)}}

    def header(*values: str) -> dict[str, Any]:
        return {"http_header": {"http_header_name": "X-Client", "values": list(values)}}

    return with_resources(
        base(),
        "aws_lb_listener_rule",
        {
            # the issue's example: /v1/* at 3700 takes every request of /v1/embeddings at 9572
            "pass_v1_wildcard": condition_rule(3700, [path("/v1/*")]),
            "fail_v1_embeddings": condition_rule(9572, [path("/v1/embeddings")]),
            # the narrow rule first: both get requests
            "pass_v2_embeddings_first": condition_rule(100, [path("/v2/embeddings")]),
            "pass_v2_wildcard_after": condition_rule(200, [path("/v2/*")]),
            # hosts: wildcard and case-insensitive; a path outside the earlier rule's keeps the later reachable
            "pass_wildcard_host": condition_rule(300, [path("/h/*"), host("*.example.com")]),
            "fail_exact_host": condition_rule(301, [path("/h/x"), host("API.EXAMPLE.COM")]),
            "pass_exact_host_other_path": condition_rule(
                302, [path("/h/x", "/g/x"), host("api.example.com")]
            ),
            # headers: a value inside the earlier rule's wildcard, and one outside it
            "pass_header_beta_wildcard": condition_rule(400, [path("/x/*"), header("beta*")]),
            "fail_header_beta_2": condition_rule(401, [path("/x/y"), header("BETA-2")]),
            "pass_header_gamma": condition_rule(402, [path("/x/y"), header("gamma")]),
            # the same match on another listener is not shadowed
            "pass_same_match_other_listener": {
                **condition_rule(9572, [path("/v1/embeddings")]),
                "listener_arn": ref("aws_lb_listener.http.arn"),
            },
        },
    )


def to_hcl(document: dict[str, Any]) -> str:
    lines: list[str] = []
    for name, conf in document.get("provider", {}).items():
        lines += [f'provider "{name}" {{', *_body(conf, 1), "}", ""]
    for resource_type, resources in document.get("resource", {}).items():
        for name, conf in resources.items():
            lines += [f'resource "{resource_type}" "{name}" {{', *_body(conf, 1), "}", ""]
    for data_type, sources in document.get("data", {}).items():
        for name, conf in sources.items():
            lines += [f'data "{data_type}" "{name}" {{', *_body(conf, 1), "}", ""]
    return "\n".join(lines)


def _body(conf: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    lines = []
    for key, value in conf.items():
        if isinstance(value, dict) and key not in MAP_ATTRIBUTES:
            lines += [f"{pad}{key} {{", *_body(value, depth + 1), f"{pad}}}"]
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for item in value:
                lines += [f"{pad}{key} {{", *_body(item, depth + 1), f"{pad}}}"]
        else:
            lines.append(f"{pad}{key} = {_value(value)}")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\$\{(.+)\}", value)
        return match.group(1) if match else json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(value)


def write_fixtures() -> None:
    for check_id, document in scenarios().items():
        (FIXTURES / "json" / check_id).mkdir(parents=True, exist_ok=True)
        (FIXTURES / "hcl" / check_id).mkdir(parents=True, exist_ok=True)
        (FIXTURES / "json" / check_id / "main.tf.json").write_text(json.dumps(document, indent=2) + "\n")
        (FIXTURES / "hcl" / check_id / "main.tf").write_text(to_hcl(document))


if __name__ == "__main__":
    write_fixtures()
