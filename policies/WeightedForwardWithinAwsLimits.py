"""CKV_ABT_1: a weighted forward lists 1 to 5 target groups, each weight an integer 0 to 999, sum positive."""

from __future__ import annotations

from typing import Any

from abt_support import (
    LISTENER_TYPES,
    RULE_TYPES,
    Unknown,
    aws_limits,
    forward_blocks,
    integer,
    target_groups,
    weight_of,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class WeightedForwardWithinAwsLimits(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a weighted forward lists 1 to 5 target groups with integer weights 0 to 999 and a positive sum",
            id="CKV_ABT_1",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=[*RULE_TYPES, *LISTENER_TYPES],
            guideline=(
                "List 1 to 5 target groups in the forward block, give each an integer weight from 0 to 999, "
                "and give at least one a positive weight (AWS rejects anything else at apply time)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        blocks = forward_blocks(conf)
        if not blocks:
            return CheckResult.UNKNOWN  # no forward block: not a weighted forward
        for path, forward in blocks:
            entries = target_groups(forward)
            self.evaluated_keys = [f"{path}/target_group"]
            count = len(entries)
            if (
                not aws_limits.MIN_TARGET_GROUPS_PER_FORWARD
                <= count
                <= aws_limits.MAX_TARGET_GROUPS_PER_FORWARD
            ):
                self.details.append(
                    f"{path}: {count} target groups; a forward lists "
                    f"{aws_limits.MIN_TARGET_GROUPS_PER_FORWARD} to {aws_limits.MAX_TARGET_GROUPS_PER_FORWARD}"
                )
                return CheckResult.FAILED
            total = 0
            for index, entry in enumerate(entries):
                raw = weight_of(entry)
                try:
                    weight = integer(raw)
                except Unknown:
                    return CheckResult.UNKNOWN  # known only at apply time
                if weight is None or not aws_limits.MIN_WEIGHT <= weight <= aws_limits.MAX_WEIGHT:
                    self.evaluated_keys = [f"{path}/target_group/[{index}]/weight"]
                    self.details.append(
                        f"{path}/target_group/[{index}]/weight: {raw!r} is not allowed; a weight is an integer "
                        f"from {aws_limits.MIN_WEIGHT} to {aws_limits.MAX_WEIGHT}"
                    )
                    return CheckResult.FAILED
                total += weight
            if total <= 0:
                self.details.append(f"{path}: every weight is 0, so the forward sends no traffic anywhere")
                return CheckResult.FAILED
        return CheckResult.PASSED


check = WeightedForwardWithinAwsLimits()
