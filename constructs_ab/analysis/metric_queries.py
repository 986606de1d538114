"""The CloudWatch GetMetricData queries of an analysis: per variant, one-minute data points of

- `RequestCount` (Sum), `HTTPCode_Target_5XX_Count` (Sum) and `TargetConnectionErrorCount` (Sum), with
  the dimensions `TargetGroup` and `LoadBalancer` (what the guardrail alarms watch, per load balancer);
- `TargetResponseTime` p50, p90 and p99 (seconds), same dimensions;
- each custom metric of the spec, with the variant's name in its variant dimension and its fixed
  dimensions, at its statistic.

Query ids are `<kind><variant index>[_<n>]`: CloudWatch wants them to start with a lowercase letter.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from constructs_ab.spec.model import CustomMetric

ALB_NAMESPACE = "AWS/ApplicationELB"
REQUESTS = "RequestCount"
TARGET_5XX = "HTTPCode_Target_5XX_Count"
CONNECTION_ERRORS = "TargetConnectionErrorCount"
RESPONSE_TIME = "TargetResponseTime"
#: The latency percentiles compared, in report order.
PERCENTILES = ("p50", "p90", "p99")
PERIOD_SECONDS = 60


class Kind(enum.StrEnum):
    """What a query reads (`COUNTS`, `latency_queries`, `custom_queries`); its value starts the query id
    (`r0`, `l1_p99`, `m0_2`)."""

    REQUESTS = "r"
    TARGET_5XX = "e"
    CONNECTION_ERRORS = "c"
    LATENCY = "l"
    CUSTOM = "m"


#: The counts read of each variant (Sum), by kind: its requests and its two kinds of errors.
COUNTS = {Kind.REQUESTS: REQUESTS, Kind.TARGET_5XX: TARGET_5XX, Kind.CONNECTION_ERRORS: CONNECTION_ERRORS}


@dataclass(frozen=True, kw_only=True)
class VariantTarget:
    """Where a variant's load balancer metrics are: its name and the `TargetGroup` / `LoadBalancer`
    dimension values (ARN suffixes)."""

    name: str
    target_group: str
    load_balancer: str


@dataclass(frozen=True, kw_only=True)
class MetricQuery:
    """One query: which variant (index into the variants), which kind, and for latency the percentile and
    for custom metrics its index in the spec's list (`detail`); its `id` follows from these."""

    variant: int
    kind: Kind
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    statistic: str
    detail: str | int | None = None

    @property
    def id(self) -> str:
        """`<kind><variant index>[_<detail>]`, e.g. `r0`, `l1_p99`, `m0_2`."""
        suffix = "" if self.detail is None else f"_{self.detail}"
        return f"{self.kind.value}{self.variant}{suffix}"

    def to_api(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "MetricStat": {
                "Metric": {
                    "Namespace": self.namespace,
                    "MetricName": self.metric,
                    "Dimensions": [{"Name": name, "Value": value} for name, value in self.dimensions],
                },
                "Period": PERIOD_SECONDS,
                "Stat": self.statistic,
            },
            "ReturnData": True,
        }


def _alb_query(
    index: int, variant: VariantTarget, kind: Kind, metric: str, statistic: str, detail: str | None = None
) -> MetricQuery:
    """A load balancer metric of variant `index`, by its `TargetGroup` and `LoadBalancer` dimensions."""
    return MetricQuery(
        variant=index,
        kind=kind,
        namespace=ALB_NAMESPACE,
        metric=metric,
        dimensions=(("TargetGroup", variant.target_group), ("LoadBalancer", variant.load_balancer)),
        statistic=statistic,
        detail=detail,
    )


def traffic_queries(variants: Sequence[VariantTarget]) -> list[MetricQuery]:
    """The `COUNTS` of each variant: requests, target 5xx and connection errors (Sum)."""
    return [
        _alb_query(index, variant, kind, metric, "Sum")
        for index, variant in enumerate(variants)
        for kind, metric in COUNTS.items()
    ]


def latency_queries(variants: Sequence[VariantTarget]) -> list[MetricQuery]:
    """Target response time p50, p90 and p99 of each variant."""
    return [
        _alb_query(index, variant, Kind.LATENCY, RESPONSE_TIME, percentile, detail=percentile)
        for index, variant in enumerate(variants)
        for percentile in PERCENTILES
    ]


def custom_queries(variants: Sequence[VariantTarget], metrics: Sequence[CustomMetric]) -> list[MetricQuery]:
    """Each custom metric of each variant: its fixed dimensions plus the variant dimension."""
    return [
        MetricQuery(
            variant=index,
            kind=Kind.CUSTOM,
            namespace=metric.namespace,
            metric=metric.metric,
            dimensions=(*metric.dimensions, (metric.variant_dimension, variant.name)),
            statistic=metric.statistic,
            detail=number,
        )
        for index, variant in enumerate(variants)
        for number, metric in enumerate(metrics)
    ]
