"""CKV_ABT_11: a target group's slow start and deregistration delay are values AWS accepts.

slow_start: 0 (off) or 30 to 900 seconds; deregistration_delay: 0 to 3600 seconds (the provider takes it as
a number or a string of digits). Limits from `constructs_ab/aws_limits.py`. UNKNOWN when neither is set
(AWS's defaults, 0 and 300 s, are valid) or a value is an expression.
"""

from __future__ import annotations

from typing import Any

from abt_support import TARGET_GROUP_TYPES, Unknown, aws_limits, first, integer
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class TargetGroupAttributesWithinAwsLimits(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a target group's slow start is 0 or 30 to 900 seconds and its deregistration delay 0 to "
            "3600 seconds",
            id="CKV_ABT_11",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(TARGET_GROUP_TYPES),
            guideline=(
                "Set slow_start to 0 (off) or 30 to 900 seconds and deregistration_delay to 0 to 3600 seconds "
                "(in the spec: the variant's slow_start and deregistration_delay)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        slow_start, delay = first(conf.get("slow_start")), first(conf.get("deregistration_delay"))
        if slow_start is None and delay is None:
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["slow_start", "deregistration_delay"]
        try:
            slow_start_seconds = integer(slow_start) if slow_start is not None else 0
            delay_seconds = (
                integer(delay) if delay is not None else aws_limits.MIN_DEREGISTRATION_DELAY_SECONDS
            )
        except Unknown:
            return CheckResult.UNKNOWN
        low, high = aws_limits.MIN_SLOW_START_SECONDS, aws_limits.MAX_SLOW_START_SECONDS
        if slow_start_seconds is None or not (slow_start_seconds == 0 or low <= slow_start_seconds <= high):
            self.details.append(
                f"slow_start: {slow_start!r} is not allowed; it is 0 (off) or an integer from {low} to {high} seconds"
            )
            return CheckResult.FAILED
        low, high = aws_limits.MIN_DEREGISTRATION_DELAY_SECONDS, aws_limits.MAX_DEREGISTRATION_DELAY_SECONDS
        if delay_seconds is None or not low <= delay_seconds <= high:
            self.details.append(
                f"deregistration_delay: {delay!r} is not allowed; it is an integer from {low} to {high} seconds"
            )
            return CheckResult.FAILED
        return CheckResult.PASSED


check = TargetGroupAttributesWithinAwsLimits()
