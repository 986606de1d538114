"""CKV_ABT_9: every target group that receives weighted traffic has the per-variant guardrail alarms.

A target group is weighted when a forward block with more than one target group lists it (an A/B split).
It passes when CloudWatch alarms of the same document watch it (a `TargetGroup` dimension that references
its `arn_suffix`, at the top of the alarm or in a metric query) and together cover:

- the target 5xx rate: metric math over `HTTPCode_Target_5XX_Count` (an `expression` in a metric query);
- the p99 latency: `TargetResponseTime` with the `p99` statistic;
- unhealthy hosts: `UnHealthyHostCount` or `HealthyHostCount`.

Whole-document check: UNKNOWN without the graph, and for a target group that no weighted split uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from abt_document import document_for
from abt_support import TARGET_GROUP_TYPES, first, parse_reference, weighted_target_groups
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ALARM_TYPES = ("aws_cloudwatch_metric_alarm",)
ERROR_RATE = "a 5xx rate alarm (metric math over HTTPCode_Target_5XX_Count)"
P99_LATENCY = "a p99 latency alarm (TargetResponseTime, p99)"
HOSTS = "an unhealthy hosts alarm (UnHealthyHostCount or HealthyHostCount)"


class WeightedTargetGroupHasGuardrailAlarms(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every target group that receives weighted traffic has 5xx rate, p99 latency and "
            "unhealthy host alarms",
            id="CKV_ABT_9",
            categories=[CheckCategories.LOGGING],
            supported_resources=list(TARGET_GROUP_TYPES),
            guideline=(
                "Give the variant CloudWatch alarms with a TargetGroup dimension of this target group's "
                "arn_suffix: a 5xx rate (metric math over HTTPCode_Target_5XX_Count and RequestCount), "
                "TargetResponseTime p99 and UnHealthyHostCount (the constructs' guardrails do this)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN
        document, this = located
        if this.address not in weighted_target_groups(document):
            return CheckResult.UNKNOWN  # no split sends it traffic
        self.evaluated_keys = ["arn_suffix"]
        alarms = document.memo("alarm kinds by target group", _alarm_kinds_by_target_group)
        missing = [
            kind for kind in (ERROR_RATE, P99_LATENCY, HOSTS) if kind not in alarms.get(this.address, set())
        ]
        if missing:
            self.details.append(f"{this.address} receives weighted traffic but lacks {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


def _alarm_kinds_by_target_group(document: Any) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for alarm in document.of_types(ALARM_TYPES):
        kind = _kind(alarm.conf)
        if kind is None:
            continue
        for target_group in _watched_target_groups(alarm.conf):
            kinds.setdefault(target_group, set()).add(kind)
    return kinds


def _kind(conf: dict[str, Any]) -> str | None:
    metric = first(conf.get("metric_name"))
    if metric == "TargetResponseTime" and str(first(conf.get("extended_statistic"), "")).lower() == "p99":
        return P99_LATENCY
    if metric in ("UnHealthyHostCount", "HealthyHostCount"):
        return HOSTS
    queries = [query for query in conf.get("metric_query") or [] if isinstance(query, dict)]
    names = {first(metric.get("metric_name")) for query in queries for metric in _blocks(query.get("metric"))}
    if "HTTPCode_Target_5XX_Count" in names and any(first(query.get("expression")) for query in queries):
        return ERROR_RATE
    if "TargetResponseTime" in names and any(
        str(first(metric.get("stat"), "")).lower() == "p99"
        for query in queries
        for metric in _blocks(query.get("metric"))
    ):
        return P99_LATENCY
    return None


def _watched_target_groups(conf: dict[str, Any]) -> Iterator[str]:
    dimension_maps = list(_blocks(conf.get("dimensions")))
    for query in conf.get("metric_query") or []:
        if isinstance(query, dict):
            for metric in _blocks(query.get("metric")):
                dimension_maps.extend(_blocks(metric.get("dimensions")))
    for dimensions in dimension_maps:
        reference = parse_reference(first(dimensions.get("TargetGroup")))
        if (
            reference is not None
            and reference.type in TARGET_GROUP_TYPES
            and reference.attribute == "arn_suffix"
        ):
            yield reference.address


def _blocks(value: Any) -> Iterator[dict[str, Any]]:
    """The dicts of a block or map attribute, however Checkov wrapped them in lists."""
    if isinstance(value, dict):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _blocks(item)


check = WeightedTargetGroupHasGuardrailAlarms()
