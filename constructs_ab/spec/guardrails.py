"""Guardrails of an experiment (per-variant CloudWatch alarms): their model, rules, reading and checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Integer, Number, Rule, Text, check_fields, defaults_of, keys_of


@dataclass(frozen=True, kw_only=True)
class Guardrails:
    """Per-variant CloudWatch alarms and the experiment dashboard.

    error_rate_percent: alarm when (target 5xx + target connection errors) / requests exceeds this,
        percent. Default 5.
    p99_latency_seconds: alarm when target response time p99 exceeds this, seconds. Default 2.
    min_healthy_hosts: alarm when healthy hosts fall below this. Default 1.
    period: seconds per evaluation period. Default 60.
    evaluation_periods: periods that must breach before the alarm fires. Default 5.
    alarm_email: address subscribed to the experiment's SNS topic. Default: no subscription.
    """

    error_rate_percent: float = 5.0
    p99_latency_seconds: float = 2.0
    min_healthy_hosts: int = 1
    period: int = 60
    evaluation_periods: int = 5
    alarm_email: str | None = None


STEP = aws_limits.ALB_METRIC_PERIOD_SECONDS
PERIOD = Integer(
    low=STEP,
    high=aws_limits.MAX_ALARM_EVALUATION_SECONDS,
    step=STEP,
    allowed=f"period is a multiple of {STEP} seconds from {STEP} to {aws_limits.MAX_ALARM_EVALUATION_SECONDS} "
    "(load balancer metrics arrive every minute)",
)
#: The rules of every field but `evaluation_periods`, whose range depends on the period.
RULES: dict[str, Rule] = {
    "error_rate_percent": Number.positive("error_rate_percent", 100, then=" (percent)"),
    "p99_latency_seconds": Number.positive(
        "p99_latency_seconds", aws_limits.MAX_IDLE_TIMEOUT_SECONDS, of="seconds"
    ),
    "min_healthy_hosts": Integer.between("min_healthy_hosts", 1, 1000),
    "period": PERIOD,
    "alarm_email": Text(
        allowed="alarm_email is an email address, e.g. ml-oncall@example.com", test=formats.email
    ),
}
KEYS = keys_of(Guardrails)
DEFAULTS = defaults_of(Guardrails)


def evaluation_periods_rule(period: int) -> Integer:
    """Periods x `period` seconds may span at most one day."""
    return Integer.between(
        "evaluation_periods",
        1,
        aws_limits.MAX_ALARM_EVALUATION_SECONDS // period,
        "period x evaluation_periods is at most one day",
    )


def read_guardrails(node: Node | None, problems: Problems) -> Guardrails:
    if node is None:
        return Guardrails()
    fields = Fields(node, problems, what="guardrails", keys=KEYS)
    values: dict[str, Any] = {}
    for key in KEYS:  # in order: the period is read before the evaluation periods that depend on it
        rule = evaluation_periods_rule(values["period"]) if key == "evaluation_periods" else RULES[key]
        values[key] = fields.read(key, rule, DEFAULTS[key])
    return Guardrails(**values)


def check_guardrails(checks: Checks, guardrails: Guardrails, path: FieldPath) -> None:
    """The fields, and evaluation periods that fit in a day at this period (when the file leaves
    evaluation_periods out, the period that makes the default too many is reported)."""
    check_fields(checks, guardrails, path, RULES)
    period, periods = path.key("period"), path.key("evaluation_periods")
    if not PERIOD.sound(checks, period, guardrails.period):
        return
    rule = evaluation_periods_rule(guardrails.period)
    if checks.given(periods):
        rule.check(checks, periods, guardrails.evaluation_periods)
    elif checks.given(period) and rule.problem(guardrails.evaluation_periods) is not None:
        checks.error(
            period,
            f"{guardrails.period} seconds x the default {guardrails.evaluation_periods} evaluation periods is "
            f"more than one day; give evaluation_periods from 1 to {rule.high} too, or a shorter period",
        )
