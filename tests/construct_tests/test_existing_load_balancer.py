"""Experiments on existing listeners: the load balancer is read through data sources, and only the
experiments' target groups, rules and alarms are created (an environment with one existing listener by
name, one by ARN, and one load balancer the stack creates)."""

from __future__ import annotations

import re

import pytest
from cdktf import Testing as CdktfTesting

from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.existing_load_balancer import ExistingLoadBalancerProps
from constructs_ab.spec import parse_spec

from .synth_helpers import Doc, logical_id, resources, synth_stack

LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/ml-edge/0123456789abcdef/fedcba9876543210"
SPEC = f"""
version: 1
environments:
  prod:
    region: eu-west-1
    vpc_id: vpc-0f9e8d7c6b5a43210
    subnet_ids: [subnet-0f9e8d7c6b5a40001, subnet-0f9e8d7c6b5a40002]
    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000
    allowed_client_cidrs: [10.0.0.0/8]
    owner: ml-platform
    load_balancers:
      serving:
        existing_listener: {{load_balancer_name: ml-serving, port: 8443}}
        existing_rules: 4
        reserved_priorities: [1-99]
      edge:
        existing_listener: {{arn: "{LISTENER_ARN}"}}
      ours:
        internal: true
    experiments:
      - name: chat
        load_balancer: serving
        priority: 100
        match: {{paths: ["/chat"]}}
        variants:
          - {{name: a, model: {{id: m, version: "1"}}, weight: 50, port: 8080, health_check: {{path: /health}}}}
          - {{name: b, model: {{id: m, version: "2"}}, weight: 50, port: 8080, health_check: {{path: /health}}}}
        guardrails: {{alarm_email: oncall@example.com}}
      - name: edge-test
        load_balancer: edge
        override: {{enabled: false}}
        match: {{paths: ["/edge"]}}
        variants:
          - {{name: c, model: {{id: m, version: "3"}}, weight: 90, port: 8000}}
          - {{name: d, model: {{id: m, version: "4"}}, weight: 10, port: 8000}}
      - name: own
        load_balancer: ours
        override: {{enabled: false}}
        match: {{paths: ["/own"]}}
        variants:
          - {{name: e, model: {{id: m, version: "5"}}, weight: 50, port: 9000}}
          - {{name: f, model: {{id: m, version: "6"}}, weight: 50, port: 9000}}
"""


@pytest.fixture(scope="module")
def doc() -> Doc:
    (environment,) = parse_spec(SPEC).environments
    return synth_stack(EnvironmentStack(CdktfTesting.app(), environment))


def data(doc: Doc, type_: str) -> dict[str, Doc]:
    return doc.get("data", {}).get(type_, {})


def data_id(doc: Doc, type_: str, path: str) -> str:
    """The logical id of the data source at construct path `path` (cdktf's `<path joined by _>_<hash>`)."""
    pattern = re.compile(re.escape(path.replace("/", "_")) + r"_[0-9A-F]{8}$")
    (found,) = [key for key in data(doc, type_) if pattern.match(key)]
    return found


def test_an_existing_listener_by_name_reads_the_load_balancer_then_its_listener_on_the_port(doc: Doc) -> None:
    alb = data_id(doc, "aws_lb", "lb-serving/alb")
    listener = data_id(doc, "aws_lb_listener", "lb-serving/listener")
    assert data(doc, "aws_lb")[alb]["name"] == "ml-serving"
    body = data(doc, "aws_lb_listener")[listener]
    assert (body["load_balancer_arn"], body["port"]) == ("${data.aws_lb." + alb + ".arn}", 8443)


def test_an_existing_listener_by_arn_reads_it_then_its_load_balancer(doc: Doc) -> None:
    alb = data_id(doc, "aws_lb", "lb-edge/alb")
    listener = data_id(doc, "aws_lb_listener", "lb-edge/listener")
    assert data(doc, "aws_lb_listener")[listener]["arn"] == LISTENER_ARN
    assert data(doc, "aws_lb")[alb]["arn"] == "${data.aws_lb_listener." + listener + ".load_balancer_arn}"


def test_nothing_of_an_existing_load_balancer_is_created(doc: Doc) -> None:
    # only the load balancer the stack creates has an ALB, listeners, security groups, logs and alarms
    for type_ in ("aws_lb", "aws_lb_listener", "aws_security_group", "aws_s3_bucket"):
        paths = {key.split("_")[0] for key in resources(doc, type_)}
        assert paths == {"lb-ours"}, type_
    assert resources(doc, "aws_wafv2_web_acl") == {}
    load_balancer_alarms = [
        body
        for key, body in resources(doc, "aws_cloudwatch_metric_alarm").items()
        if key.startswith("load-balancer-alarms_")
    ]
    assert [alarm["dimensions"]["LoadBalancer"] for alarm in load_balancer_alarms] == [
        "${aws_lb." + logical_id(doc, "aws_lb", "lb-ours/alb") + ".arn_suffix}"
    ]


def test_the_experiments_rules_go_onto_the_existing_listeners(doc: Doc) -> None:
    rules = resources(doc, "aws_lb_listener_rule")
    serving = "${data.aws_lb_listener." + data_id(doc, "aws_lb_listener", "lb-serving/listener") + ".arn}"
    edge = "${data.aws_lb_listener." + data_id(doc, "aws_lb_listener", "lb-edge/listener") + ".arn}"
    by_listener: dict[str, list[int]] = {}
    for body in rules.values():
        by_listener.setdefault(body["listener_arn"], []).append(body["priority"])
    assert sorted(by_listener[serving]) == [100, 101, 105]  # two overrides and the split
    assert len(by_listener[edge]) == 1
    assert all(not 1 <= priority <= 99 for priority in by_listener[edge])  # the reserved range is serving's
    assert "lb-serving_rules" in resources(doc, "terraform_data")  # the rule anchor, as on a created one


def test_target_groups_are_created_in_the_environment_vpc(doc: Doc) -> None:
    groups = resources(doc, "aws_lb_target_group").values()
    assert sorted(g["tags"]["variant"] for g in groups) == ["a", "b", "c", "d", "e", "f"]
    assert {g["vpc_id"] for g in groups} == {"vpc-0f9e8d7c6b5a43210"}


def test_guardrail_alarms_use_the_existing_load_balancer_arn_suffix(doc: Doc) -> None:
    suffix = "${data.aws_lb." + data_id(doc, "aws_lb", "lb-serving/alb") + ".arn_suffix}"
    chat = [
        body
        for key, body in resources(doc, "aws_cloudwatch_metric_alarm").items()
        if key.startswith("guardrails-chat_")
    ]
    assert chat
    for alarm in chat:
        dimensions = [
            query["metric"]["dimensions"] for query in alarm.get("metric_query", []) if "metric" in query
        ] or [alarm["dimensions"]]
        assert all(d["LoadBalancer"] == suffix for d in dimensions), alarm["alarm_name"]


def test_outputs_name_the_existing_listener_only(doc: Doc) -> None:
    outputs = set(doc["output"])
    assert {"lb-serving-https-listener-arn", "lb-serving-dns-name"} <= outputs
    assert "lb-serving-http-listener-arn" not in outputs
    assert "lb-serving-model-servers-security-group-id" not in outputs
    assert "lb-ours-model-servers-security-group-id" in outputs


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (ExistingLoadBalancerProps(), "give either listener_arn, or load_balancer_name"),
        (
            ExistingLoadBalancerProps(listener_arn=LISTENER_ARN, load_balancer_name="x"),
            "give either listener_arn, or load_balancer_name",
        ),
        (ExistingLoadBalancerProps(load_balancer_name="x", port=0), "ExistingLoadBalancerProps.port: 0"),
    ],
)
def test_props_are_checked(props: ExistingLoadBalancerProps, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        props.check()
