"""CKV_ABT_10: a target group's health check is one AWS accepts.

For HTTP and HTTPS target groups (instance or ip targets): interval 5 to 300 s, timeout 2 to 120 s and less
than the interval, healthy and unhealthy thresholds 2 to 10, a path that starts with / and has at most 1024
characters, and a matcher of HTTP codes from 200 to 499 ("200", "200,302" or "200-299"). Limits from
`constructs_ab/aws_limits.py`. UNKNOWN without a health check block (CKV2_ABT_1 and CKV_AWS_261 ask for
one), for other protocols and Lambda or gRPC target groups (other limits), and when a value is an expression.
"""

from __future__ import annotations

import re
from typing import Any

from abt_support import TARGET_GROUP_TYPES, Unknown, aws_limits, first, integer, is_expression
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_MATCHER = re.compile(r"^(?:\d{3}(?:,\d{3})*|\d{3}-\d{3})$")
_RANGES = (
    (
        "interval",
        aws_limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS,
        aws_limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS,
        "seconds",
    ),
    (
        "timeout",
        aws_limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS,
        aws_limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS,
        "seconds",
    ),
    (
        "healthy_threshold",
        aws_limits.MIN_HEALTH_CHECK_THRESHOLD,
        aws_limits.MAX_HEALTH_CHECK_THRESHOLD,
        "checks",
    ),
    (
        "unhealthy_threshold",
        aws_limits.MIN_HEALTH_CHECK_THRESHOLD,
        aws_limits.MAX_HEALTH_CHECK_THRESHOLD,
        "checks",
    ),
)


class TargetGroupHealthCheckWithinAwsLimits(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a target group's health check is within AWS limits: interval, timeout, thresholds, path "
            "and matcher",
            id="CKV_ABT_10",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(TARGET_GROUP_TYPES),
            guideline=(
                "Give the health check an interval of 5 to 300 s, a timeout of 2 to 120 s below the interval, "
                "thresholds of 2 to 10, a path starting with / of at most 1024 characters, and a matcher of "
                'HTTP codes 200 to 499 ("200", "200,302" or "200-299"); AWS rejects anything else.'
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        health = first(conf.get("health_check"))
        if not isinstance(health, dict):
            return CheckResult.UNKNOWN
        protocol, target_type = first(conf.get("protocol")), first(conf.get("target_type"), "instance")
        if (
            target_type == "lambda"
            or str(first(conf.get("protocol_version"), "")).upper() == "GRPC"
            or not isinstance(protocol, str)
            or protocol.upper() not in ("HTTP", "HTTPS")
        ):
            return (
                CheckResult.UNKNOWN
            )  # Lambda, gRPC and network load balancer target groups have other limits
        self.evaluated_keys = ["health_check"]
        problems: list[str] = []
        unknown = False
        known: dict[str, int] = {}
        for key, low, high, unit in _RANGES:
            raw = first(health.get(key))
            if raw is None:
                continue
            try:
                number = integer(raw)
            except Unknown:
                unknown = True
                continue
            if number is None or not low <= number <= high:
                problems.append(
                    f"health_check/{key}: {raw!r} is not allowed; it is an integer from {low} to {high} ({unit})"
                )
            else:
                known[key] = number
        if "interval" in known and "timeout" in known and known["timeout"] >= known["interval"]:
            problems.append(
                f"health_check/timeout: {known['timeout']} is not less than the interval {known['interval']} (seconds)"
            )
        if str(first(health.get("protocol"), protocol)).upper() in ("HTTP", "HTTPS"):
            unknown |= self._path(first(health.get("path")), problems)
            unknown |= self._matcher(first(health.get("matcher")), problems)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.UNKNOWN if unknown else CheckResult.PASSED

    @staticmethod
    def _path(path: Any, problems: list[str]) -> bool:
        if path is None:
            return False
        if is_expression(path):
            return True
        text = str(path)
        if not text.startswith("/") or len(text) > aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH:
            problems.append(
                f"health_check/path: {text[:60]!r} is not allowed; a path starts with / and has at most "
                f"{aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH} characters"
            )
        return False

    @staticmethod
    def _matcher(matcher: Any, problems: list[str]) -> bool:
        if matcher is None:
            return False
        if is_expression(matcher):
            return True
        text = str(matcher).replace(" ", "")
        codes = [int(code) for code in re.split(r"[,-]", text)] if _MATCHER.match(text) else []
        low, high = aws_limits.MIN_MATCHER_CODE, aws_limits.MAX_MATCHER_CODE
        if (
            not codes
            or any(not low <= code <= high for code in codes)
            or ("-" in text and codes[0] >= codes[1])
        ):
            problems.append(
                f"health_check/matcher: {str(matcher)!r} is not allowed; a matcher is HTTP codes from {low} to "
                f'{high}: "200", "200,302" or a range "200-299"'
            )
        return False


check = TargetGroupHealthCheckWithinAwsLimits()
