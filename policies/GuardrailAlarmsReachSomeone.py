"""CKV_ABT_17: every guardrail alarm has at least one alarm action that reaches someone.

A guardrail alarm is a CloudWatch metric alarm tagged with an `experiment` (the constructs' contract), or
one that watches a target group receiving weighted traffic (a `TargetGroup` dimension of its `arn_suffix`).

An alarm action reaches someone when it is:
- an SNS topic of the same document with at least one `aws_sns_topic_subscription` (an email, a chat
  webhook, a pager...); a topic of the document without a subscription notifies no one;
- a Lambda function of the same document (a responder);
- anything not in the document (a variable, a data source, a topic ARN, literal or built from data sources
  such as `arn:${data.aws_partition.p.partition}:sns:${data.aws_region.r.name}:${data.aws_caller_identity.c.account_id}:prod-guardrails`,
  the environment stack's topic as a load balancer stack of `stacks: per_load_balancer` names it): its
  subscribers are managed elsewhere, so it counts as reaching someone outside. EC2 (`arn:...:automate:...`)
  and Auto Scaling actions act on machines and tell no one, so they do not count, literal or built.
`actions_enabled = false` turns every action off. UNKNOWN when the action list is an expression, or
without the graph when an action references a resource (whether it reaches someone depends on the document).
"""

from __future__ import annotations

from typing import Any, Literal

from abt_document import document_for
from abt_support import (
    TARGET_GROUP_TYPES,
    dicts,
    first,
    flat_strings,
    is_expression,
    parse_reference,
    reference_key,
    tags_of,
    values,
    weighted_target_groups,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_SILENT_ARN_SERVICES = (":automate:", ":autoscaling:")  # EC2 actions and scaling policies tell no one
_RESPONDER_TYPES = ("aws_lambda_function",)


class GuardrailAlarmsReachSomeone(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every guardrail alarm has an alarm action that reaches someone (a subscribed SNS topic)",
            id="CKV_ABT_17",
            categories=[CheckCategories.LOGGING],
            supported_resources=["aws_cloudwatch_metric_alarm"],
            guideline=(
                "Send the alarm to an SNS topic with a subscription (in the spec: the experiment's "
                "guardrails.alarm_email), or to a topic managed elsewhere; an alarm that notifies no one does not "
                "stop a bad variant."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        located = document_for(self)
        if not _is_guardrail(conf, located[0] if located else None):
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["alarm_actions", "actions_enabled"]
        if values.boolean(conf.get("actions_enabled")) is False:
            self.details.append("actions_enabled is false: the alarm notifies no one")
            return CheckResult.FAILED
        raw = first(conf.get("alarm_actions"))
        if isinstance(raw, str) and is_expression(raw) and parse_reference(raw) is None:
            return CheckResult.UNKNOWN  # the whole list is an expression
        actions = flat_strings(conf.get("alarm_actions"))
        unknown, silent = False, []
        for action in actions:
            reaches = _reaches_someone(action, located[0] if located else None)
            if reaches is True:
                return CheckResult.PASSED
            if isinstance(reaches, str):
                silent.append(reaches)
            else:
                unknown = True
        if unknown:
            return CheckResult.UNKNOWN
        self.details.append(
            "no alarm action reaches anyone: " + ("; ".join(silent) if silent else "alarm_actions is empty")
        )
        return CheckResult.FAILED


def _is_guardrail(conf: dict[str, Any], document: Any) -> bool:
    if tags_of(conf).get("experiment", "").strip():
        return True
    if document is None:
        return False
    watched = set()
    maps = dicts(conf.get("dimensions"))
    for query in dicts(conf.get("metric_query")):
        for metric in dicts(query.get("metric")):
            maps.extend(dicts(metric.get("dimensions")))
    for dimensions in maps:
        reference = parse_reference(first(dimensions.get("TargetGroup")))
        if reference is not None and reference.type in TARGET_GROUP_TYPES:
            watched.add(reference.address)
    return bool(watched & weighted_target_groups(document))


def _reaches_someone(action: str, document: Any) -> Literal[True] | str | None:
    """True; why it reaches no one; or None when that depends on a document that is not visible."""
    reference = parse_reference(action)
    if reference is None:  # a variable, or an ARN (literal, or built from data sources and variables)
        if any(service in action for service in _SILENT_ARN_SERVICES):
            return f"{action} acts on instances or capacity and tells no one"
        return True  # outside the document: its subscribers are managed elsewhere
    if reference.data:
        return True  # a data source: managed outside this configuration
    if document is None:
        return None
    if document.find(reference.address) is None:
        return True  # not in this document
    if reference.type == "aws_sns_topic":
        if reference.address in document.memo("subscribed topics", _subscribed_topics):
            return True
        return f"{reference.address} has no subscription"
    if reference.type in _RESPONDER_TYPES:
        return True
    return f"{reference.address} notifies no one"


def _subscribed_topics(document: Any) -> set[str]:
    return {
        reference_key(first(subscription.conf.get("topic_arn")))
        for subscription in document.of_types(("aws_sns_topic_subscription",))
        if str(first(subscription.conf.get("endpoint"), "")).strip()
    }


check = GuardrailAlarmsReachSomeone()
