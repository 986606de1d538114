"""CKV_ABT_3: a weighted forward declares its group stickiness; when enabled its duration is 1 to 604800 s."""

from __future__ import annotations

from typing import Any

from abt_support import (
    LISTENER_TYPES,
    RULE_TYPES,
    Unknown,
    aws_limits,
    first,
    forward_blocks,
    integer,
    is_expression,
    target_groups,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class WeightedForwardStickinessExplicitAndInRange(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure a weighted forward declares its group stickiness explicitly and, when enabled, "
                "for 1 to 604800 seconds"
            ),
            id="CKV_ABT_3",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=[*RULE_TYPES, *LISTENER_TYPES],
            guideline=(
                "Add `stickiness { enabled = false }` to the forward block, or `enabled = true` with a "
                "`duration` from 1 to 604800 seconds (7 days), so a client's variant is a decision, not a default."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        result = CheckResult.UNKNOWN
        for path, forward in forward_blocks(conf):
            stickiness = first(forward.get("stickiness"))
            weighted = len(target_groups(forward)) >= 2
            if not isinstance(stickiness, dict):
                if weighted:
                    self.evaluated_keys = [f"{path}/stickiness"]
                    self.details.append(f"{path}: a weighted forward without a stickiness block")
                    return CheckResult.FAILED
                continue
            self.evaluated_keys = [f"{path}/stickiness/[0]/enabled", f"{path}/stickiness/[0]/duration"]
            enabled = first(stickiness.get("enabled"))
            if is_expression(enabled):
                return CheckResult.UNKNOWN
            if enabled is True:
                raw = first(stickiness.get("duration"))
                try:
                    duration = integer(raw)
                except Unknown:
                    return CheckResult.UNKNOWN
                low, high = aws_limits.MIN_STICKINESS_SECONDS, aws_limits.MAX_STICKINESS_SECONDS
                if duration is None or not low <= duration <= high:
                    self.details.append(
                        f"{path}/stickiness/duration: {raw!r} is not allowed; it is an integer from {low} to {high} seconds"
                    )
                    return CheckResult.FAILED
            elif enabled is not False:
                self.details.append(f"{path}/stickiness/enabled: {enabled!r}; set it to true or false")
                return CheckResult.FAILED
            result = CheckResult.PASSED
        return result


check = WeightedForwardStickinessExplicitAndInRange()
