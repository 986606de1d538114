"""CKV_ABT_14: a listener rule's conditions are within AWS limits.

Per rule: at most 5 condition values (the values of path, host, method, source IP and header conditions,
and each query string pair) and 5 wildcards (`*`, `?`), and at most one each of the path, host, method and
source IP conditions. Per value, what the load balancer accepts (the routing model's own check,
`constructs_ab/routing/conditions.py`, which the constructs apply too): a path pattern, host header, header
value and query key or value of at most 128 characters, a header name and a method of at most 40, a
source IP that is a CIDR. Limits from `constructs_ab/aws_limits.py`. UNKNOWN when a rule has no conditions
or a condition's values are an expression.
See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

from typing import Any

from abt_support import KINDS, RULE_TYPES, aws_limits, conditions_from_terraform, is_expression
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from constructs_ab.prop_checks import PropProblems

#: The kinds a rule holds at most one condition of (path, host, method, source IP).
_ONE_PER_RULE = tuple(field for field, kind in KINDS.items() if kind.one_per_rule)


class ListenerRuleConditionsWithinAwsLimits(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a listener rule's conditions are within AWS limits: at most 5 values and 5 wildcards, "
            "one path, host, method and source IP condition, and values AWS accepts",
            id="CKV_ABT_14",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Keep each rule to at most 5 condition values and 5 wildcards, one path_pattern, host_header, "
                "http_request_method and source_ip condition, paths, hosts and values of at most 128 characters "
                "and header names of at most 40; split a longer match into more rules."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        conditions = conditions_from_terraform(conf.get("condition"))
        if not conditions:
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["condition"]
        texts = [
            text
            for condition in conditions
            for text in (
                *condition.values,
                *(pair.value for pair in condition.query),
                condition.header_name or "",
            )
        ]
        if any(is_expression(text) for text in texts):
            return CheckResult.UNKNOWN
        problems = PropProblems("rule")
        for field in _ONE_PER_RULE:
            count = sum(condition.field is field for condition in conditions)
            if count > 1:
                problems.add(
                    "condition",
                    f"{count} {field.value} conditions; a rule has at most one (list the values in one)",
                )
        values = sum(condition.value_count for condition in conditions)
        if values > aws_limits.MAX_CONDITION_VALUES_PER_RULE:
            problems.add(
                "condition",
                f"{values} condition values; a rule has at most {aws_limits.MAX_CONDITION_VALUES_PER_RULE}",
            )
        wildcards = sum(condition.wildcard_count for condition in conditions)
        if wildcards > aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE:
            problems.add(
                "condition",
                f"{wildcards} wildcards (* and ?); a rule has at most {aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE}",
            )
        for index, condition in enumerate(conditions):
            condition.check(problems, f"condition[{index}]")
        if problems.lines:
            self.details.extend(problems.lines)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = ListenerRuleConditionsWithinAwsLimits()
