"""ExperimentGuardrails: the side-by-side dashboard, per-variant alarms and the encrypted alarm topic."""

from __future__ import annotations

import json

import pytest
from cdktf import TerraformStack

from constructs_ab.guardrails import ExperimentGuardrails, ExperimentGuardrailsProps, GuardedVariant
from constructs_ab.spec.model import Guardrails
from constructs_ab.tagging import BaseTags

from .synth_helpers import Doc, ref, resource, resources, synth

TAGS = BaseTags(environment="prod", owner="ml-platform")
LB = "app/prod-public/50dc6c495c0c9188"
A = GuardedVariant(
    name="model-a", model="sentiment:1.4.2", target_group_arn_suffix="targetgroup/prod-model-a/1111"
)
B = GuardedVariant(
    name="model-b", model="sentiment:2.0.0", target_group_arn_suffix="targetgroup/prod-model-b/2222"
)
TUNED = Guardrails(
    error_rate_percent=2,
    p99_latency_seconds=1.5,
    min_healthy_hosts=3,
    period=300,
    evaluation_periods=2,
    alarm_email="oncall@example.com",
)
GIVEN_TOPIC = "arn:aws:sns:eu-west-1:123456789012:prod-guardrails"


@pytest.fixture(scope="module")
def doc() -> Doc:
    # GIVEN guardrails with tuned thresholds and an email, guardrails with the defaults, and guardrails
    # notifying a topic given (an environment's) with an email
    def build(stack: TerraformStack) -> None:
        for id_, guardrails, topic in (
            ("guardrails-abtest", TUNED, None),
            ("guardrails-plain", Guardrails(), None),
            ("guardrails-given", TUNED, GIVEN_TOPIC),
        ):
            ExperimentGuardrails(
                stack,
                id_,
                ExperimentGuardrailsProps(
                    name=f"prod-{id_.removeprefix('guardrails-')}",
                    experiment=id_.removeprefix("guardrails-"),
                    load_balancer_arn_suffix=LB,
                    variants=(A, B),
                    region="eu-west-1",
                    tags=TAGS,
                    guardrails=guardrails,
                    alarm_topic_arn=topic,
                ),
            )

    return synth(build)


def alarm(doc: Doc, experiment: str, variant: str, kind: str) -> Doc:
    return resource(doc, "aws_cloudwatch_metric_alarm", f"guardrails-{experiment}/{variant}-{kind}")


def dashboard(doc: Doc, experiment: str) -> Doc:
    body = resource(doc, "aws_cloudwatch_dashboard", f"guardrails-{experiment}/dashboard")
    assert body["dashboard_name"] == f"prod-{experiment}"
    return json.loads(body["dashboard_body"])


def test_each_variant_gets_four_alarms(doc: Doc) -> None:
    names = sorted(a["alarm_name"] for a in resources(doc, "aws_cloudwatch_metric_alarm").values())
    assert [n for n in names if n.startswith("prod-abtest-")] == [
        f"prod-abtest-{variant}-{kind}"
        for variant in ("model-a", "model-b")
        for kind in sorted(("5xx-rate", "healthy-hosts", "p99-latency", "unhealthy-hosts"))
    ]


def test_error_rate_alarm_uses_metric_math_on_the_variant_target_group(doc: Doc) -> None:
    rate = alarm(doc, "abtest", "model-b", "5xx-rate")
    assert (rate["comparison_operator"], rate["threshold"], rate["evaluation_periods"]) == (
        "GreaterThanThreshold",
        2,
        2,
    )
    errors, connection_errors, requests, expression = rate["metric_query"]
    dimensions = {"TargetGroup": B.target_group_arn_suffix, "LoadBalancer": LB}
    assert errors["metric"] == {
        "namespace": "AWS/ApplicationELB",
        "metric_name": "HTTPCode_Target_5XX_Count",
        "stat": "Sum",
        "period": 300,
        "dimensions": dimensions,
    }
    # a crashed or hung server: the load balancer could not connect (the client got a 502/504 of its own)
    assert connection_errors["metric"] == {**errors["metric"], "metric_name": "TargetConnectionErrorCount"}
    assert requests["metric"]["metric_name"] == "RequestCount"
    assert requests["metric"]["dimensions"] == dimensions
    assert (errors["id"], connection_errors["id"], requests["id"]) == (
        "errors",
        "connection_errors",
        "requests",
    )
    assert not any(q["return_data"] for q in (errors, connection_errors, requests))
    assert expression["expression"] == "100 * (FILL(errors, 0) + FILL(connection_errors, 0)) / requests"
    assert expression["return_data"] is True
    assert rate["treat_missing_data"] == "notBreaching"


def test_latency_and_host_alarms_use_the_thresholds(doc: Doc) -> None:
    p99 = alarm(doc, "abtest", "model-a", "p99-latency")
    assert (p99["metric_name"], p99["extended_statistic"], p99["threshold"]) == (
        "TargetResponseTime",
        "p99",
        1.5,
    )
    assert p99["dimensions"] == {"TargetGroup": A.target_group_arn_suffix, "LoadBalancer": LB}
    assert p99["period"] == 300
    unhealthy = alarm(doc, "abtest", "model-a", "unhealthy-hosts")
    assert (unhealthy["metric_name"], unhealthy["comparison_operator"], unhealthy["threshold"]) == (
        "UnHealthyHostCount",
        "GreaterThanThreshold",
        0,
    )
    healthy = alarm(doc, "abtest", "model-a", "healthy-hosts")
    assert (
        healthy["metric_name"],
        healthy["statistic"],
        healthy["comparison_operator"],
        healthy["threshold"],
    ) == (
        "HealthyHostCount",
        "Minimum",
        "LessThanThreshold",
        3,
    )
    assert healthy["treat_missing_data"] == "breaching"


def test_default_thresholds_come_from_guardrails_defaults(doc: Doc) -> None:
    assert alarm(doc, "plain", "model-a", "5xx-rate")["threshold"] == 5
    assert alarm(doc, "plain", "model-a", "p99-latency")["threshold"] == 2
    assert alarm(doc, "plain", "model-a", "healthy-hosts")["threshold"] == 1
    assert alarm(doc, "plain", "model-a", "healthy-hosts")["evaluation_periods"] == 5


def test_alarms_notify_the_topic_and_carry_experiment_variant_and_model_tags(doc: Doc) -> None:
    topic = ref(doc, "aws_sns_topic", "guardrails-abtest/topic", "arn")
    for kind in ("5xx-rate", "p99-latency", "unhealthy-hosts", "healthy-hosts"):
        a = alarm(doc, "abtest", "model-b", kind)
        assert a["actions_enabled"] is True
        assert a["alarm_actions"] == [topic] and a["ok_actions"] == [topic]
        assert a["tags"] == {
            "environment": "prod",
            "owner": "ml-platform",
            "experiment": "abtest",
            "variant": "model-b",
            "model": "sentiment:2.0.0",
        }


def test_topic_is_encrypted_with_a_key_cloudwatch_alarms_may_use(doc: Doc) -> None:
    topic = resource(doc, "aws_sns_topic", "guardrails-abtest/topic")
    assert topic["name"] == "prod-abtest-guardrails"
    assert topic["kms_master_key_id"] == ref(doc, "aws_kms_key", "guardrails-abtest/topic-key", "arn")
    key = resource(doc, "aws_kms_key", "guardrails-abtest/topic-key")
    assert key["enable_key_rotation"] is True
    statements = {s["Sid"]: s for s in json.loads(key["policy"])["Statement"]}
    assert statements["CloudWatchAlarmsPublishToTheTopic"]["Principal"] == {
        "Service": "cloudwatch.amazonaws.com"
    }
    assert statements["CloudWatchAlarmsPublishToTheTopic"]["Action"] == [
        "kms:Decrypt",
        "kms:GenerateDataKey*",
    ]


def test_email_subscription_only_when_an_address_is_given(doc: Doc) -> None:
    subscriptions = resources(doc, "aws_sns_topic_subscription")
    assert list(subscriptions.values()) == [
        {
            "protocol": "email",
            "endpoint": "oncall@example.com",
            "topic_arn": ref(doc, "aws_sns_topic", "guardrails-abtest/topic", "arn"),
        }
    ]


def test_dashboard_puts_the_variants_side_by_side_in_each_graph(doc: Doc) -> None:
    widgets = dashboard(doc, "abtest")["widgets"]
    assert [w["properties"]["title"] for w in widgets] == [
        "Requests",
        "Target 5xx and connection error rate (%)",
        "Target response time p50 (s)",
        "Target response time p90 (s)",
        "Target response time p99 (s)",
        "Target 5xx responses",
        "Target 4xx responses",
        "Healthy hosts",
        "Unhealthy hosts",
    ]
    by_title = {w["properties"]["title"]: w["properties"] for w in widgets}
    assert by_title["Requests"]["metrics"] == [
        [
            "AWS/ApplicationELB",
            "RequestCount",
            "TargetGroup",
            v.target_group_arn_suffix,
            "LoadBalancer",
            LB,
            {"stat": "Sum", "label": v.name},
        ]
        for v in (A, B)
    ]
    for percentile in ("p50", "p90", "p99"):
        metrics = by_title[f"Target response time {percentile} (s)"]["metrics"]
        assert [(m[1], m[-1]["stat"], m[-1]["label"]) for m in metrics] == [
            ("TargetResponseTime", percentile, "model-a"),
            ("TargetResponseTime", percentile, "model-b"),
        ]
    assert [m[1] for m in by_title["Target 4xx responses"]["metrics"]] == ["HTTPCode_Target_4XX_Count"] * 2
    assert [m[1] for m in by_title["Healthy hosts"]["metrics"]] == ["HealthyHostCount"] * 2
    assert [m[1] for m in by_title["Unhealthy hosts"]["metrics"]] == ["UnHealthyHostCount"] * 2
    assert all(p["region"] == "eu-west-1" and p["period"] == 300 for p in by_title.values())


def test_dashboard_error_rate_graph_uses_metric_math_and_shows_the_thresholds(doc: Doc) -> None:
    widgets = {w["properties"]["title"]: w["properties"] for w in dashboard(doc, "abtest")["widgets"]}
    rate = widgets["Target 5xx and connection error rate (%)"]
    expressions = [m[0] for m in rate["metrics"] if isinstance(m[0], dict)]
    assert expressions == [
        {
            "expression": f"100 * (FILL(errors{i}, 0) + FILL(connection_errors{i}, 0)) / requests{i}",
            "label": f"model-{v}",
            "id": f"rate{i}",
        }
        for i, v in enumerate("ab")
    ]
    hidden = [m[1] for m in rate["metrics"] if not isinstance(m[0], dict)]
    assert hidden == ["HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount", "RequestCount"] * 2
    assert rate["annotations"]["horizontal"][0]["value"] == 2
    assert widgets["Target response time p99 (s)"]["annotations"]["horizontal"][0]["value"] == 1.5
    assert widgets["Healthy hosts"]["annotations"]["horizontal"][0]["value"] == 3


def test_dashboard_widgets_are_laid_out_two_per_row(doc: Doc) -> None:
    widgets = dashboard(doc, "plain")["widgets"]
    assert [(w["x"], w["y"]) for w in widgets[:4]] == [(0, 0), (12, 0), (0, 6), (12, 6)]


def test_alarms_notify_a_topic_given_and_make_no_topic_key_or_subscription_of_their_own(doc: Doc) -> None:
    for kind in ("5xx-rate", "p99-latency", "unhealthy-hosts", "healthy-hosts"):
        a = alarm(doc, "given", "model-a", kind)
        assert a["alarm_actions"] == [GIVEN_TOPIC] and a["ok_actions"] == [GIVEN_TOPIC]
    # THEN the two other guardrails' topics and keys only (and the one subscription, of abtest: above)
    assert sorted(resources(doc, "aws_sns_topic")) == sorted(
        ref(doc, "aws_sns_topic", f"guardrails-{name}/topic", "arn").split(".")[1]
        for name in ("abtest", "plain")
    )
    assert len(resources(doc, "aws_kms_key")) == 2
