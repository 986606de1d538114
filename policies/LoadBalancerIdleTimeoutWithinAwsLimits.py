"""CKV_ABT_13: an application load balancer's idle timeout is 1 to 4000 seconds.

Limits from `constructs_ab/aws_limits.py`. UNKNOWN when it is not set (the AWS default, 60 s, is valid), for
network and gateway load balancers (no such attribute) and when the value is an expression.
"""

from __future__ import annotations

from typing import Any

from abt_support import LOAD_BALANCER_TYPES, Unknown, aws_limits, first, integer
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class LoadBalancerIdleTimeoutWithinAwsLimits(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an application load balancer's idle timeout is 1 to 4000 seconds",
            id="CKV_ABT_13",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(LOAD_BALANCER_TYPES),
            guideline=(
                "Set idle_timeout to 1 to 4000 seconds (in the spec: the load balancer's idle_timeout); model "
                "inference that streams tokens usually needs more than the AWS default of 60."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        raw = first(conf.get("idle_timeout"))
        if raw is None or first(conf.get("load_balancer_type"), "application") != "application":
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["idle_timeout"]
        try:
            seconds = integer(raw)
        except Unknown:
            return CheckResult.UNKNOWN
        low, high = aws_limits.MIN_IDLE_TIMEOUT_SECONDS, aws_limits.MAX_IDLE_TIMEOUT_SECONDS
        if seconds is None or not low <= seconds <= high:
            self.details.append(
                f"idle_timeout: {raw!r} is not allowed; it is an integer from {low} to {high} seconds"
            )
            return CheckResult.FAILED
        return CheckResult.PASSED


check = LoadBalancerIdleTimeoutWithinAwsLimits()
