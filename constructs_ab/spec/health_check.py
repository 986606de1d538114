"""The health check of a model server fleet: its model, its rules, reading it and its checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Integer, Rule, Text, check_fields, defaults_of, integer_from, keys_of
from constructs_ab.spec.values import is_int


@dataclass(frozen=True, kw_only=True)
class HealthCheck:
    """Health check of a model server fleet.

    path: HTTP path probed on the traffic port. Default "/health".
    matcher: HTTP codes counted as healthy, "200", "200,204" or "200-299" (codes 200..499). Default "200".
    interval: seconds between probes, 5..300. Default 15.
    timeout: seconds to wait for an answer, 2..120 and less than `interval`. Default 5.
    healthy_threshold: consecutive successes before a target takes traffic, 2..10. Default 2.
    unhealthy_threshold: consecutive failures before a target stops taking traffic, 2..10. Default 3.

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
    """

    path: str = "/health"
    matcher: str = "200"
    interval: int = 15
    timeout: int = 5
    healthy_threshold: int = 2
    unhealthy_threshold: int = 3


def _path(value: str) -> str | None:
    if not value.startswith("/"):
        return "does not start with /"
    if len(value) > aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH:
        return f"is {len(value)} characters long"
    return None


@dataclass(frozen=True, kw_only=True)
class _Codes(Text):
    """HTTP codes as text; a single code written as a number (`matcher: 200`) is read as text."""

    def read(self, node: Node, problems: Problems) -> Any:
        if is_int(node.value):
            node = Node(str(node.value), node.path, node.line, node.lines)
        return super().read(node, problems)


TIMEOUT = Integer(
    low=aws_limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS,
    high=aws_limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS,
    allowed=integer_from(
        "timeout",
        aws_limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS,
        aws_limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS,
        "seconds",
    )
    + ", less than the interval",
)
INTERVAL = Integer.between(
    "interval",
    aws_limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS,
    aws_limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS,
    "seconds",
)
RULES: dict[str, Rule] = {
    "path": Text(
        allowed="a health check path starts with / and has at most "
        f"{aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH} characters, e.g. /health",
        test=_path,
    ),
    "matcher": _Codes(
        allowed=f"a matcher is HTTP codes from {aws_limits.MIN_MATCHER_CODE} to {aws_limits.MAX_MATCHER_CODE} "
        'as "200", "200,204" or "200-299"',
        test=formats.matcher,
    ),
    "interval": INTERVAL,
    "timeout": TIMEOUT,
    **{
        key: Integer.between(
            key,
            aws_limits.MIN_HEALTH_CHECK_THRESHOLD,
            aws_limits.MAX_HEALTH_CHECK_THRESHOLD,
            "consecutive checks",
        )
        for key in ("healthy_threshold", "unhealthy_threshold")
    },
}
KEYS = keys_of(HealthCheck)
DEFAULTS = defaults_of(HealthCheck)


def read_health_check(node: Node | None, problems: Problems) -> HealthCheck:
    if node is None:
        return HealthCheck()
    fields = Fields(node, problems, what="a health check", keys=KEYS)
    return HealthCheck(**fields.read_all(RULES, DEFAULTS))


def check_health_check(checks: Checks, health_check: HealthCheck, path: FieldPath) -> None:
    """The fields, and a timeout less than the interval (reported at the timeout when it is given)."""
    check_fields(checks, health_check, path, RULES)
    interval, timeout = path.key("interval"), path.key("timeout")
    if not (
        INTERVAL.sound(checks, interval, health_check.interval)
        and TIMEOUT.sound(checks, timeout, health_check.timeout)
    ):
        return
    if health_check.timeout >= health_check.interval:
        where = timeout if checks.given(timeout) else interval if checks.given(interval) else path
        checks.error(
            where,
            f"a timeout of {health_check.timeout} s is not less than the interval of {health_check.interval} s; "
            f"{TIMEOUT.allowed}",
        )
