"""CKV_ABT_16: an override rule keeps every condition of its experiment's split rule.

An override rule (tagged `ab-role = override`, or an `experiment` tag and a condition on the default
override header) forces one variant for the requests of its experiment that carry the override header. It
must match everything the split matches (the same path, host, method, source IP, header and query
conditions, values in any order, as the routing model reads them) plus its header: an override that lost
the experiment's match forces its variant on every path of the listener. The split is the rule tagged
`ab-role = split` of the same experiment on the same listener.
Whole-document check: UNKNOWN without the graph, or when the experiment has no split rule (CKV_ABT_7
reports that).
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import (
    EXPERIMENT_TAG,
    RULE_TYPES,
    Condition,
    conditions_from_terraform,
    first,
    is_override_rule,
    reference_key,
    split_rules,
    tags_of,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class OverrideRuleKeepsSplitConditions(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every override rule keeps every condition of its experiment's split rule",
            id="CKV_ABT_16",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Give the override rule every condition of the experiment's split rule (path, host, method, "
                "source IP, headers, query) plus its variant header, so it forces a variant only on the "
                "experiment's own requests."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        if not is_override_rule(conf):
            return CheckResult.UNKNOWN
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN
        document, _ = located
        experiment = tags_of(conf).get(EXPERIMENT_TAG, "")
        splits = split_rules(document).get((experiment, reference_key(first(conf.get("listener_arn")))), [])
        if not splits:
            return CheckResult.UNKNOWN
        split = splits[0]
        own = {_key(condition) for condition in conditions_from_terraform(conf.get("condition"))}
        lost = [
            condition
            for condition in conditions_from_terraform(split.conf.get("condition"))
            if _key(condition) not in own
        ]
        self.evaluated_keys = ["condition"]
        if lost:
            self.details.append(
                f"lost the condition(s) of {split.address}: {'; '.join(c.describe() for c in lost)}; it would force "
                "its variant on requests the experiment does not match"
            )
            return CheckResult.FAILED
        return CheckResult.PASSED


def _key(condition: Condition) -> tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Equal for two conditions that match the same requests: values in any order, header names and query
    pairs without case (AWS compares those case-insensitively)."""
    return (
        condition.field.value,
        (condition.header_name or "").lower(),
        tuple(sorted(condition.values)),
        tuple(sorted(((pair.key or "").lower(), pair.value.lower()) for pair in condition.query)),
    )


check = OverrideRuleKeepsSplitConditions()
