"""The ELBv2 reader on real API response shapes (botocore's Stubber): every listing paginated, tags in
batches of 20 ARNs, every target state counted, authentication steps before a forward skipped; and the
batching on the emulator with more than 20 rules."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from aws_emulator import client, condition_to_api, deploy
from botocore.stub import Stubber

from constructs_ab.live.api_actions import action_from_api
from constructs_ab.live.api_conditions import conditions_from_api
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.elbv2_reader import read_load_balancers, read_tags
from constructs_ab.live.picture import build_picture
from constructs_ab.live.target_health import TargetHealthSummary
from constructs_ab.review.traffic import (
    FixedResponseAction,
    ForwardAction,
    OtherAction,
    RedirectAction,
    TargetGroup,
)
from constructs_ab.routing.conditions import Condition, QueryPair
from constructs_ab.spec import load_spec

LB = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/prod-public/50dc6c495c0c9188"
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/prod-public/50dc6c495c0c9188/f2f7dc8efc522ab2"
TG_A = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/prod-sentiment-a/73e2d6bc24d8a067"
TG_B = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/prod-sentiment-b/8a4b2d6bc24d8a06"
RULE = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/prod-public/50dc6c495c0c9188/f2f7dc8efc522ab2/"


def _group(arn: str, name: str) -> dict[str, Any]:
    return {
        "TargetGroupArn": arn,
        "TargetGroupName": name,
        "Protocol": "HTTP",
        "Port": 8080,
        "VpcId": "vpc-0f9e8d7c6b5a43210",
        "HealthCheckProtocol": "HTTP",
        "HealthCheckPort": "traffic-port",
        "HealthCheckEnabled": True,
        "HealthCheckIntervalSeconds": 15,
        "HealthCheckTimeoutSeconds": 5,
        "HealthyThresholdCount": 2,
        "UnhealthyThresholdCount": 3,
        "HealthCheckPath": "/health",
        "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [LB],
        "TargetType": "ip",
    }


def _rule(number: int, priority: str, actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "RuleArn": f"{RULE}{number:016x}",
        "Priority": priority,
        "Conditions": [
            {"Field": "path-pattern", "Values": ["/abtest"], "PathPatternConfig": {"Values": ["/abtest"]}}
        ],
        "Actions": actions,
        "IsDefault": priority == "default",
        **extra,
    }


SPLIT = [
    {
        "Type": "authenticate-oidc",
        "Order": 1,
        "AuthenticateOidcConfig": {
            "Issuer": "https://idp.example.com",
            "AuthorizationEndpoint": "https://idp.example.com/auth",
            "TokenEndpoint": "https://idp.example.com/token",
            "UserInfoEndpoint": "https://idp.example.com/userinfo",
            "ClientId": "abc",
        },
    },
    {
        "Type": "forward",
        "Order": 2,
        "ForwardConfig": {
            "TargetGroups": [{"TargetGroupArn": TG_A, "Weight": 80}, {"TargetGroupArn": TG_B, "Weight": 20}],
            "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 3600},
        },
    },
]


def test_reads_every_page_batches_tags_and_counts_every_target_state() -> None:
    elbv2 = boto3.client("elbv2", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(elbv2)
    stub.add_response(
        "describe_load_balancers",
        {
            "LoadBalancers": [
                {
                    "LoadBalancerArn": LB,
                    "LoadBalancerName": "prod-public",
                    "DNSName": "prod-public-1.eu-west-1.elb.amazonaws.com",
                    "Scheme": "internet-facing",
                    "Type": "application",
                }
            ]
        },
        {"Names": ["prod-public"]},
    )
    stub.add_response(
        "describe_listeners",
        {
            "Listeners": [
                {
                    "ListenerArn": LISTENER,
                    "LoadBalancerArn": LB,
                    "Port": 443,
                    "Protocol": "HTTPS",
                    "DefaultActions": [
                        {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}
                    ],
                }
            ]
        },
        {"LoadBalancerArn": LB},
    )
    # 25 rules over two pages: 23 plain ones, the split (authenticate, then forward), the default rule
    first = [_rule(i, str(200 + i), [{"Type": "forward", "TargetGroupArn": TG_A}]) for i in range(20)]
    stub.add_response("describe_rules", {"Rules": first, "NextMarker": "page-2"}, {"ListenerArn": LISTENER})
    second = [_rule(i, str(200 + i), [{"Type": "forward", "TargetGroupArn": TG_A}]) for i in range(20, 23)]
    second += [
        _rule(23, "102", SPLIT),
        _rule(24, "default", [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]),
    ]
    stub.add_response("describe_rules", {"Rules": second}, {"ListenerArn": LISTENER, "Marker": "page-2"})
    stub.add_response(
        "describe_target_groups",
        {"TargetGroups": [_group(TG_A, "prod-sentiment-a"), _group(TG_B, "prod-sentiment-b")]},
        {"LoadBalancerArn": LB},
    )
    arns = [LB, TG_A, TG_B] + [f"{RULE}{i:016x}" for i in range(24)]
    tags = {
        f"{RULE}{23:016x}": [
            {"Key": "experiment", "Value": "sentiment-abtest"},
            {"Key": "ab-role", "Value": "split"},
        ],
        TG_A: [
            {"Key": "variant", "Value": "sentiment-a"},
            {"Key": "experiment", "Value": "sentiment-abtest"},
        ],
        TG_B: [
            {"Key": "variant", "Value": "sentiment-b"},
            {"Key": "experiment", "Value": "sentiment-abtest chat"},
        ],
    }
    for batch in (arns[:20], arns[20:]):
        stub.add_response(
            "describe_tags",
            {
                "TagDescriptions": [
                    {"ResourceArn": arn, **({"Tags": tags[arn]} if arn in tags else {})} for arn in batch
                ]
            },
            {"ResourceArns": batch},
        )

    def target(
        ip: str, state: str, reason: str | None = None, description: str | None = None
    ) -> dict[str, Any]:
        health: dict[str, Any] = {"State": state}
        if reason:
            health.update(Reason=reason, Description=description)
        return {"Target": {"Id": ip, "Port": 8080}, "HealthCheckPort": "8080", "TargetHealth": health}

    stub.add_response(
        "describe_target_health",
        {
            "TargetHealthDescriptions": [
                target("10.0.1.10", "healthy"),
                target(
                    "10.0.1.11",
                    "draining",
                    "Target.DeregistrationInProgress",
                    "Target deregistration is in progress",
                ),
                target(
                    "10.0.1.12", "initial", "Elb.RegistrationInProgress", "Target registration is in progress"
                ),
            ]
        },
        {"TargetGroupArn": TG_A},
    )
    stub.add_response(
        "describe_target_health",
        {
            "TargetHealthDescriptions": [
                target(
                    "10.0.1.20",
                    "unhealthy",
                    "Target.ResponseCodeMismatch",
                    "Health checks failed with these codes: [502]",
                ),
                target(
                    "10.0.1.21",
                    "unhealthy.draining",
                    "Target.DeregistrationInProgress",
                    "Target deregistration is in progress",
                ),
                target(
                    "10.0.1.22",
                    "unused",
                    "Target.NotInUse",
                    "Target group is not configured to receive traffic from the load balancer",
                ),
            ]
        },
        {"TargetGroupArn": TG_B},
    )
    with stub:
        read = read_load_balancers(elbv2, ["prod-public"])
    stub.assert_no_pending_responses()

    (balancer,) = read.load_balancers
    (listener,) = balancer.listeners
    assert len(listener.rules) == 24  # both pages, the default rule left out
    assert [r.priority for r in listener.rules][:2] == [102, 200]
    a, b = balancer.target_groups
    assert a.health.counts() == {
        "healthy": 1,
        "unhealthy": 0,
        "draining": 1,
        "initial": 1,
        "unused": 0,
        "unavailable": 0,
    }
    assert b.health.counts() == {
        "healthy": 0,
        "unhealthy": 1,
        "draining": 1,
        "initial": 0,
        "unused": 1,
        "unavailable": 0,
    }
    assert b.health.describe() == "1 unhealthy, 1 draining, 1 unused"
    assert (
        b.health.reasons()[0]
        == "1 unhealthy: Target.ResponseCodeMismatch (Health checks failed with these codes: [502])"
    )
    assert (a.arn_suffix, balancer.arn_suffix) == (
        "targetgroup/prod-sentiment-a/73e2d6bc24d8a067",
        "app/prod-public/50dc6c495c0c9188",
    )
    assert b.experiments == ("sentiment-abtest", "chat")

    picture = build_picture(
        identity=CallerIdentity(
            account="111122223333", arn="arn:aws:iam::111122223333:user/me", region="eu-west-1"
        ),
        environment="prod",
        load_balancers=read.load_balancers,
    )
    experiment = picture.experiment("sentiment-abtest")
    assert experiment is not None and experiment.split is not None
    assert [(v.name, v.weight, v.share, v.shared_with) for v in experiment.variants] == [
        ("sentiment-a", 80, 0.8, ("sentiment-abtest",)),
        ("sentiment-b", 20, 0.2, ("sentiment-abtest", "chat")),
    ]
    assert experiment.sticky and experiment.stickiness is not None and experiment.stickiness.duration == 3600


def test_tags_are_read_20_arns_a_call_on_the_emulator(emulator: str) -> None:
    spec = load_spec("examples/ab-experiments.yaml")
    deployed = deploy(next(env for env in spec.environments if env.name == "prod"))
    elbv2 = client("elbv2")
    listener = deployed.listeners["prod-public"]
    group = deployed.target_groups["prod-sentiment-a"]
    for priority in range(300, 325):  # 25 more rules: 32 rules, 5 target groups and the load balancer
        elbv2.create_rule(
            ListenerArn=listener,
            Priority=priority,
            Conditions=[condition_to_api(Condition.path_patterns(f"/extra/{priority}"))],
            Actions=[{"Type": "forward", "TargetGroupArn": group}],
            Tags=[{"Key": "n", "Value": str(priority)}],
        )
    sizes: list[int] = []
    reader = client("elbv2")
    reader.meta.events.register(
        "provide-client-params.elastic-load-balancing-v2.DescribeTags",
        lambda params, **_: sizes.append(len(params["ResourceArns"])),
    )
    read = read_load_balancers(reader, ["prod-public"])
    rules = read.load_balancers[0].listeners[0].rules
    assert len(rules) == 32
    assert sorted(r.tags["n"] for r in rules if "n" in r.tags) == [str(p) for p in range(300, 325)]
    assert sizes == [20, 18]  # 1 load balancer + 5 target groups + 32 rules


def test_read_tags_keeps_resources_without_tags() -> None:
    elbv2 = boto3.client("elbv2", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(elbv2) as stub:
        stub.add_response(
            "describe_tags", {"TagDescriptions": [{"ResourceArn": TG_A}]}, {"ResourceArns": [TG_A]}
        )
        assert read_tags(elbv2, [TG_A, TG_A]) == {TG_A: {}}


# --- conditions and actions ----------------------------------------------------------------------


def test_every_condition_kind_is_read_in_the_canonical_order() -> None:
    raw = [
        {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}},
        {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}},
        {
            "Field": "query-string",
            "QueryStringConfig": {"Values": [{"Key": "v", "Value": "b"}, {"Value": "x"}]},
        },
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Model-Variant", "Values": ["b"]}},
        {"Field": "host-header", "Values": ["api.example.com"]},  # the old form
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/abtest", "/abtest/*"]}},
        {"Field": "something-new", "Values": ["?"]},
    ]
    assert conditions_from_api(raw) == (
        Condition.path_patterns("/abtest", "/abtest/*"),
        Condition.host_headers("api.example.com"),
        Condition.http_header("X-Model-Variant", "b"),
        Condition.query_strings(QueryPair(key="v", value="b"), QueryPair(key=None, value="x")),
        Condition.source_ips("10.0.0.0/8"),
        Condition.http_request_methods("POST"),
    )
    for condition in conditions_from_api(raw):  # and the emulator helper writes them back the same way
        assert conditions_from_api([condition_to_api(condition)]) == (condition,)


def _resolve(arn: str) -> TargetGroup:
    return TargetGroup(address=arn, name=arn.split("/")[1])


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([{"Type": "forward", "TargetGroupArn": TG_A}], "forward to prod-sentiment-a 100.0%"),
        (SPLIT, "forward to prod-sentiment-a 80.0%, prod-sentiment-b 20.0% (stickiness on, 3600 s)"),
        (
            [
                {
                    "Type": "forward",
                    "ForwardConfig": {
                        "TargetGroups": [
                            {"TargetGroupArn": TG_A, "Weight": 0},
                            {"TargetGroupArn": TG_B, "Weight": 5},
                        ],
                        "TargetGroupStickinessConfig": {"Enabled": False},
                    },
                }
            ],
            "forward to prod-sentiment-a 0.0%, prod-sentiment-b 100.0% (stickiness off)",
        ),
        (
            [
                {
                    "Type": "redirect",
                    "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
                }
            ],
            "redirect to HTTPS:443 (HTTP_301)",
        ),
        ([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}], "fixed response 404"),
        ([{"Type": "authenticate-cognito", "Order": 1}], "authenticate-cognito"),
    ],
)
def test_the_final_action_is_read(actions: list[dict[str, Any]], expected: str) -> None:
    action = action_from_api(actions, _resolve)
    assert isinstance(action, (ForwardAction, RedirectAction, FixedResponseAction, OtherAction))
    assert action.describe() == expected


def test_target_health_of_an_empty_group() -> None:
    summary = TargetHealthSummary.from_api([])
    assert (summary.describe(), summary.healthy, summary.reasons()) == ("no targets", 0, [])
