"""Each load balancer's alarm on its own 5xx responses, notifying the environment's alarm topic.

A model server that crashes, hangs or is not registered shows up as 502, 503 and 504 responses made by the
load balancer itself (`HTTPCode_ELB_5XX_Count`), which no variant's guardrail counts (those watch target
groups; an experiment's split may not even be reached). Each load balancer gets one alarm: any load
balancer 5xx in `ELB_5XX_DATAPOINTS` of `ELB_5XX_PERIODS` one-minute periods. The alarms notify the topic
given: in a spec's stack, the environment's `AlarmTopic` (subscribed by every distinct
`guardrails.alarm_email` of the environment's experiments).

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.provider import CloudwatchMetricAlarm
from constructs_ab.tagging import BaseTags

NAMESPACE = "AWS/ApplicationELB"
ELB_5XX_METRIC = "HTTPCode_ELB_5XX_Count"
#: Seconds per period of the load balancer 5xx alarm (load balancer metrics arrive every minute).
ELB_5XX_PERIOD_SECONDS = 60
#: Periods the alarm looks at, and how many of them must have a load balancer 5xx for it to fire.
ELB_5XX_PERIODS = 5
ELB_5XX_DATAPOINTS = 3


@dataclass(frozen=True, kw_only=True)
class LoadBalancerAlarmsProps:
    """Properties of `LoadBalancerAlarms`.

    load_balancers: AWS name -> ARN suffix (`app/<name>/<id>`, the `LoadBalancer` dimension) of each
        load balancer, in spec order.
    topic_arn: the SNS topic the alarms notify (alarm and OK).
    tags: environment, owner and extra tags.
    """

    load_balancers: Mapping[str, str]
    topic_arn: str
    tags: BaseTags


class LoadBalancerAlarms(Construct):
    """One alarm per load balancer. Child: `alarms` (by load balancer AWS name, construct id
    `<name>-elb-5xx`)."""

    alarms: dict[str, CloudwatchMetricAlarm]

    def __init__(self, scope: Construct, id: str, props: LoadBalancerAlarmsProps) -> None:
        super().__init__(scope, id)
        tags = props.tags.as_dict()
        self.alarms = {
            name: CloudwatchMetricAlarm(
                self,
                f"{name}-elb-5xx",
                alarm_name=aws_names.load_balancer_alarm_name(name),
                alarm_description=(
                    f"Load balancer {name} answered with 5xx responses of its own (502, 503, 504: a model "
                    f"server crashed, hung or is missing) in {ELB_5XX_DATAPOINTS} of {ELB_5XX_PERIODS} minutes"
                ),
                namespace=NAMESPACE,
                metric_name=ELB_5XX_METRIC,
                statistic="Sum",
                period=ELB_5XX_PERIOD_SECONDS,
                evaluation_periods=ELB_5XX_PERIODS,
                datapoints_to_alarm=ELB_5XX_DATAPOINTS,
                comparison_operator="GreaterThanThreshold",
                threshold=0,
                treat_missing_data="notBreaching",  # no datapoint: no 5xx in that minute
                dimensions={"LoadBalancer": arn_suffix},
                actions_enabled=True,
                alarm_actions=[props.topic_arn],
                ok_actions=[props.topic_arn],
                tags=tags,
            )
            for name, arn_suffix in props.load_balancers.items()
        }
