"""CKV_ABT_5: listener rule priorities are 1 to 50000 and unique per listener (a whole-document check)."""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import RULE_TYPES, Unknown, aws_limits, first, integer, reference_key
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RulePrioritiesUniquePerListener(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure listener rule priorities are from 1 to 50000 and unique per listener",
            id="CKV_ABT_5",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Give each rule of a listener its own priority from 1 to 50000 (lowest is evaluated first); "
                "in the spec, change or remove the experiment's `priority`."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["priority", "listener_arn"]
        raw = first(conf.get("priority"))
        if raw is None:
            return CheckResult.UNKNOWN  # AWS assigns the next free priority
        try:
            priority = integer(raw)
        except Unknown:
            return CheckResult.UNKNOWN
        if priority is None or not aws_limits.MIN_RULE_PRIORITY <= priority <= aws_limits.MAX_RULE_PRIORITY:
            self.details.append(
                f"priority {raw!r} is not allowed; it is an integer from "
                f"{aws_limits.MIN_RULE_PRIORITY} to {aws_limits.MAX_RULE_PRIORITY}"
            )
            return CheckResult.FAILED
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN  # the other rules are not visible without the graph
        document, this = located
        listener = reference_key(first(conf.get("listener_arn")))
        by_priority = document.memo("rules by (listener, priority)", _rules_by_listener_and_priority)
        clashes = [
            address for address in by_priority.get((listener, priority), []) if address != this.address
        ]
        if clashes:
            self.details.append(
                f"priority {priority} is also used on {listener} by {', '.join(sorted(clashes))}"
            )
            return CheckResult.FAILED
        return CheckResult.PASSED


def _rules_by_listener_and_priority(document: Any) -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = {}
    for rule in document.of_types(RULE_TYPES):
        try:
            priority = integer(first(rule.conf.get("priority")))
        except Unknown:
            continue
        if priority is not None:
            key = (reference_key(first(rule.conf.get("listener_arn"))), priority)
            found.setdefault(key, []).append(rule.address)
    return found


check = RulePrioritiesUniquePerListener()
