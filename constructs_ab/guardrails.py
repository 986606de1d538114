"""Per-experiment guardrails: a dashboard with the variants side by side, per-variant alarms and a topic.

The dashboard draws one graph per metric with one line per variant: requests, target 5xx and
connection error rate, target response time p50/p90/p99, target 5xx and 4xx counts, healthy and
unhealthy hosts. Each variant gets four alarms: error rate (metric math
`100 * (target 5xx + target connection errors) / requests`) above `error_rate_percent`, p99 target
response time above `p99_latency_seconds`, any unhealthy host, and healthy hosts below
`min_healthy_hosts`. Alarms notify the SNS topic given (`alarm_topic_arn`: in a spec's stack, the
environment's `AlarmTopic`), or else a topic of the experiment's own (optionally with
an email subscription), encrypted with a customer managed KMS key: CloudWatch alarms cannot publish
to a topic encrypted with the AWS managed key `alias/aws/sns`, whose policy does not admit them.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
and  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.alarm_topic import encrypted_alarm_topic
from constructs_ab.provider import (
    CloudwatchDashboard,
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
    KmsKey,
    SnsTopic,
    SnsTopicSubscription,
)
from constructs_ab.routing.contract import EXPERIMENT_TAG, MODEL_TAG, VARIANT_TAG
from constructs_ab.spec.model import Guardrails
from constructs_ab.tagging import BaseTags

NAMESPACE = "AWS/ApplicationELB"
ERROR_RATE = aws_names.ERROR_RATE_ALARM
P99_LATENCY = aws_names.P99_LATENCY_ALARM
UNHEALTHY_HOSTS = aws_names.UNHEALTHY_HOSTS_ALARM
HEALTHY_HOSTS = aws_names.HEALTHY_HOSTS_ALARM
#: The alarm kinds of each variant, in order.
ALARM_KINDS = aws_names.ALARM_KINDS
#: The error rate the alarm watches, percent of requests: target 5xx responses plus connections the load
#: balancer could not open to a target (a crashed or hung model server; the client then gets a 502 or 504
#: from the load balancer, which `HTTPCode_Target_5XX_Count` does not count). A missing count is 0.
ERROR_RATE_EXPRESSION = "100 * (FILL({errors}, 0) + FILL({connection_errors}, 0)) / {requests}"
WIDGET_WIDTH = 12  # of the dashboard's 24 columns: two graphs per row
WIDGET_HEIGHT = 6


@dataclass(frozen=True, kw_only=True)
class GuardedVariant:
    """One variant watched by the guardrails.

    name: the variant name, used in labels, alarm names and the `variant` tag.
    model: the model, `<id>:<version>`, put in the `model` tag of its alarms.
    target_group_arn_suffix: the target group's ARN suffix (`targetgroup/<name>/<id>`), the
        `TargetGroup` dimension of its metrics.
    """

    name: str
    model: str
    target_group_arn_suffix: str


@dataclass(frozen=True, kw_only=True)
class ExperimentGuardrailsProps:
    """Properties of `ExperimentGuardrails`.

    name: prefix of the dashboard, topic and alarm names, e.g. `<environment>-<experiment>`.
    experiment: the experiment name (tag `experiment`).
    load_balancer_arn_suffix: the load balancer's ARN suffix (`app/<name>/<id>`), the
        `LoadBalancer` dimension of the metrics.
    variants: the experiment's variants, in order.
    region: AWS region of the metrics, shown by the dashboard.
    tags: environment, owner and extra tags.
    guardrails: thresholds, period and evaluation periods, optional email. Default `Guardrails()`:
        5xx rate above 5 %, p99 above 2 s, fewer than 1 healthy host, 5 periods of 60 s, no email.
    alarm_topic_arn: the SNS topic the alarms notify, e.g. an environment's `AlarmTopic.arn`; its
        subscriptions are its owner's (`guardrails.alarm_email` is then not subscribed here). Default None:
        a topic and KMS key of the experiment's own, with `guardrails.alarm_email` subscribed.
    """

    name: str
    experiment: str
    load_balancer_arn_suffix: str
    variants: tuple[GuardedVariant, ...]
    region: str
    tags: BaseTags
    guardrails: Guardrails = field(default_factory=Guardrails)
    alarm_topic_arn: str | None = None


class ExperimentGuardrails(Construct):
    """Dashboard, per-variant alarms and the notification topic of one experiment.

    Children: `dashboard`, `topic_key` (KMS key), `topic`, `subscription` (None without email; the three
    None with `alarm_topic_arn`) and `alarms` (by variant name, then by kind: "5xx-rate", "p99-latency",
    "unhealthy-hosts", "healthy-hosts"). `topic_arn`: the topic the alarms notify.
    """

    dashboard: CloudwatchDashboard
    topic_key: KmsKey | None
    topic: SnsTopic | None
    subscription: SnsTopicSubscription | None
    topic_arn: str
    alarms: dict[str, dict[str, CloudwatchMetricAlarm]]

    def __init__(self, scope: Construct, id: str, props: ExperimentGuardrailsProps) -> None:
        super().__init__(scope, id)
        self.props = props
        guardrails = props.guardrails
        tags = props.tags.with_({EXPERIMENT_TAG: props.experiment})

        self.topic_key, self.topic, self.subscription = None, None, None
        if props.alarm_topic_arn is not None:
            self.topic_arn = props.alarm_topic_arn
        else:
            self.topic_key, self.topic = encrypted_alarm_topic(
                self,
                key_id="topic-key",
                name=aws_names.alarm_topic_name(props.name),
                of=f"experiment {props.experiment}",
                tags=tags,
            )
            self.topic_arn = self.topic.arn  # read from jsii once, used by every alarm
            if guardrails.alarm_email:
                self.subscription = SnsTopicSubscription(
                    self, "email", topic_arn=self.topic_arn, protocol="email", endpoint=guardrails.alarm_email
                )
        self.alarms = {variant.name: self._alarms(variant) for variant in props.variants}
        self.dashboard = CloudwatchDashboard(
            self,
            "dashboard",
            dashboard_name=aws_names.dashboard_name(props.name),
            dashboard_body=json.dumps({"widgets": self._widgets()}),
        )

    # --- alarms ---------------------------------------------------------------------------------

    def _dimensions(self, variant: GuardedVariant) -> dict[str, str]:
        return {
            "TargetGroup": variant.target_group_arn_suffix,
            "LoadBalancer": self.props.load_balancer_arn_suffix,
        }

    def _alarms(self, variant: GuardedVariant) -> dict[str, CloudwatchMetricAlarm]:
        props = self.props
        guardrails = props.guardrails
        tags = props.tags.with_(
            {EXPERIMENT_TAG: props.experiment, VARIANT_TAG: variant.name, MODEL_TAG: variant.model}
        )
        common: dict[str, Any] = {
            "evaluation_periods": guardrails.evaluation_periods,
            "actions_enabled": True,
            "alarm_actions": [self.topic_arn],
            "ok_actions": [self.topic_arn],
            "tags": tags,
        }
        where = f"variant {variant.name} of experiment {props.experiment}"
        single: dict[str, Any] = {
            **common,
            "namespace": NAMESPACE,
            "period": guardrails.period,
            "dimensions": self._dimensions(variant),
        }

        def alarm(kind: str, description: str, **settings: Any) -> CloudwatchMetricAlarm:
            """The variant's alarm `kind`: its construct id and AWS name follow from the kind."""
            return CloudwatchMetricAlarm(
                self,
                f"{variant.name}-{kind}",
                alarm_name=aws_names.alarm_name(props.name, variant.name, kind),
                alarm_description=description,
                **settings,
            )

        def query_metric(metric: str) -> CloudwatchMetricAlarmMetricQueryMetric:
            return CloudwatchMetricAlarmMetricQueryMetric(
                namespace=NAMESPACE,
                metric_name=metric,
                stat="Sum",
                period=guardrails.period,
                dimensions=self._dimensions(variant),
            )

        return {
            ERROR_RATE: alarm(
                ERROR_RATE,
                (
                    f"Target 5xx responses and target connection errors above {guardrails.error_rate_percent:g} % "
                    f"of requests for {where}"
                ),
                comparison_operator="GreaterThanThreshold",
                threshold=guardrails.error_rate_percent,
                treat_missing_data="notBreaching",  # no requests: no errors
                metric_query=[
                    CloudwatchMetricAlarmMetricQuery(
                        id="errors", metric=query_metric("HTTPCode_Target_5XX_Count"), return_data=False
                    ),
                    CloudwatchMetricAlarmMetricQuery(
                        id="connection_errors",
                        metric=query_metric("TargetConnectionErrorCount"),
                        return_data=False,
                    ),
                    CloudwatchMetricAlarmMetricQuery(
                        id="requests", metric=query_metric("RequestCount"), return_data=False
                    ),
                    CloudwatchMetricAlarmMetricQuery(
                        id="error_rate",
                        # No datapoint of a count means none in the period: FILL makes it 0.
                        expression=ERROR_RATE_EXPRESSION.format(
                            errors="errors", connection_errors="connection_errors", requests="requests"
                        ),
                        label="Target 5xx and connection error rate (%)",
                        return_data=True,
                    ),
                ],
                **common,
            ),
            P99_LATENCY: alarm(
                P99_LATENCY,
                f"Target response time p99 above {guardrails.p99_latency_seconds:g} s for {where}",
                metric_name="TargetResponseTime",
                extended_statistic="p99",
                comparison_operator="GreaterThanThreshold",
                threshold=guardrails.p99_latency_seconds,
                treat_missing_data="notBreaching",
                evaluate_low_sample_count_percentiles="ignore",  # a 1 % canary has few samples
                **single,
            ),
            UNHEALTHY_HOSTS: alarm(
                UNHEALTHY_HOSTS,
                f"A target failed its health checks for {where}",
                metric_name="UnHealthyHostCount",
                statistic="Maximum",
                comparison_operator="GreaterThanThreshold",
                threshold=0,
                treat_missing_data="notBreaching",
                **single,
            ),
            HEALTHY_HOSTS: alarm(
                HEALTHY_HOSTS,
                f"Fewer than {guardrails.min_healthy_hosts} healthy targets for {where}",
                metric_name="HealthyHostCount",
                statistic="Minimum",
                comparison_operator="LessThanThreshold",
                threshold=guardrails.min_healthy_hosts,
                treat_missing_data="breaching",  # no data: no target reports healthy
                **single,
            ),
        }

    # --- dashboard ------------------------------------------------------------------------------

    def _metric(self, variant: GuardedVariant, metric: str, options: dict[str, Any]) -> list[Any]:
        return [
            NAMESPACE,
            metric,
            "TargetGroup",
            variant.target_group_arn_suffix,
            "LoadBalancer",
            self.props.load_balancer_arn_suffix,
            options,
        ]

    def _graph(
        self, title: str, metrics: list[list[Any]], *, threshold: float | None = None, label: str = ""
    ) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "title": title,
            "view": "timeSeries",
            "region": self.props.region,
            "period": self.props.guardrails.period,
            "metrics": metrics,
        }
        if threshold is not None:
            properties["annotations"] = {"horizontal": [{"label": label, "value": threshold}]}
        return {"type": "metric", "width": WIDGET_WIDTH, "height": WIDGET_HEIGHT, "properties": properties}

    def _per_variant(self, title: str, metric: str, stat: str) -> dict[str, Any]:
        """A graph of `metric` (`stat`) per variant, with the line of its guardrail alarm if it has one."""
        return self._graph(
            title,
            [self._metric(v, metric, {"stat": stat, "label": v.name}) for v in self.props.variants],
            **self._alarm_line(metric, stat),
        )

    def _alarm_line(self, metric: str, stat: str) -> dict[str, Any]:
        """`threshold` and `label` of the alarm on `metric` (`stat`), drawn on its graph: p99 latency (alarm
        above) and healthy hosts (alarm below); none for the other metrics."""
        guardrails = self.props.guardrails
        if (metric, stat) == ("TargetResponseTime", "p99"):
            return {"threshold": guardrails.p99_latency_seconds, "label": "alarm threshold"}
        if (metric, stat) == ("HealthyHostCount", "Minimum"):
            return {"threshold": guardrails.min_healthy_hosts, "label": "alarm below"}
        return {}

    def _widgets(self) -> list[dict[str, Any]]:
        guardrails = self.props.guardrails
        error_rate: list[list[Any]] = []
        for index, variant in enumerate(self.props.variants):
            error_rate += [
                self._metric(
                    variant,
                    "HTTPCode_Target_5XX_Count",
                    {"id": f"errors{index}", "stat": "Sum", "visible": False},
                ),
                self._metric(
                    variant,
                    "TargetConnectionErrorCount",
                    {"id": f"connection_errors{index}", "stat": "Sum", "visible": False},
                ),
                self._metric(
                    variant, "RequestCount", {"id": f"requests{index}", "stat": "Sum", "visible": False}
                ),
                [
                    {
                        "expression": ERROR_RATE_EXPRESSION.format(
                            errors=f"errors{index}",
                            connection_errors=f"connection_errors{index}",
                            requests=f"requests{index}",
                        ),
                        "label": variant.name,
                        "id": f"rate{index}",
                    }
                ],
            ]
        widgets = [
            self._per_variant("Requests", "RequestCount", "Sum"),
            self._graph(
                "Target 5xx and connection error rate (%)",
                error_rate,
                threshold=guardrails.error_rate_percent,
                label="alarm threshold",
            ),
            self._per_variant("Target response time p50 (s)", "TargetResponseTime", "p50"),
            self._per_variant("Target response time p90 (s)", "TargetResponseTime", "p90"),
            self._per_variant("Target response time p99 (s)", "TargetResponseTime", "p99"),
            self._per_variant("Target 5xx responses", "HTTPCode_Target_5XX_Count", "Sum"),
            self._per_variant("Target 4xx responses", "HTTPCode_Target_4XX_Count", "Sum"),
            self._per_variant("Healthy hosts", "HealthyHostCount", "Minimum"),
            self._per_variant("Unhealthy hosts", "UnHealthyHostCount", "Maximum"),
        ]
        for index, widget in enumerate(widgets):
            widget["x"] = (index % 2) * WIDGET_WIDTH
            widget["y"] = (index // 2) * WIDGET_HEIGHT
        return widgets
