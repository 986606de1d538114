"""CKV_ABT_19: a public application load balancer's web ACL has a rate-based rule that blocks.

A public load balancer (`internal` not true, type application) must be associated
(`aws_wafv2_web_acl_association`) with a web ACL of the same document that has a rate-based rule with a
`block`, `captcha` or `challenge` action and a limit AWS accepts (10 to 2,000,000,000 requests per window,
from `constructs_ab/aws_limits.py`), directly or in a rule group of the document that the ACL references.
That is what the spec promises for a public load balancer (`waf.rate_limit`). Whole-document check: UNKNOWN
without the graph, for an internal load balancer, and when the web ACL or its rule group is not in the
document or the limit is an expression.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import LOAD_BALANCER_TYPES, Unknown, aws_limits, dicts, first, integer, reference_key, values
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_LIMITING_ACTIONS = ("block", "captcha", "challenge")


class PublicLoadBalancerWebAclHasRateRule(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a public load balancer's web ACL has a rate-based rule that blocks",
            id="CKV_ABT_19",
            categories=[CheckCategories.NETWORKING],
            supported_resources=list(LOAD_BALANCER_TYPES),
            guideline=(
                "Associate a WAFv2 web ACL with the load balancer and give it a rate_based_statement rule with a "
                "block action and a limit of 10 to 2,000,000,000 (in the spec: the load balancer's waf.rate_limit)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        internal = values.boolean(conf.get("internal"))
        if internal is not False and first(conf.get("internal")) is not None:
            return CheckResult.UNKNOWN  # internal, or known only at apply time
        if first(conf.get("load_balancer_type"), "application") != "application":
            return CheckResult.UNKNOWN  # WAF protects application load balancers only
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN
        document, this = located
        self.evaluated_keys = ["internal"]
        acls = [
            reference_key(first(association.conf.get("web_acl_arn")))
            for association in document.of_types(("aws_wafv2_web_acl_association",))
            if reference_key(first(association.conf.get("resource_arn"))) == this.address
        ]
        if not acls:
            self.details.append("no web ACL is associated with this public load balancer")
            return CheckResult.FAILED
        unknown = False
        for acl_address in acls:
            acl = document.find(acl_address)
            if acl is None:
                unknown = True
                continue
            found = _rate_rule(acl.conf, document)
            if found is True:
                return CheckResult.PASSED
            if found is None:
                unknown = True
            elif isinstance(found, str):
                self.details.append(f"{acl_address}: {found}")
                return CheckResult.FAILED
        if unknown:
            return CheckResult.UNKNOWN
        self.details.append(f"{', '.join(acls)} has no rate-based rule that blocks")
        return CheckResult.FAILED


def _rate_rule(acl: dict[str, Any], document: Any) -> bool | str | None:
    """True: a limiting rate rule; a problem text; False: none; None: depends on what is not visible."""
    unknown = False
    for rule in dicts(acl.get("rule")):
        statement = first(rule.get("statement"))
        if not isinstance(statement, dict):
            continue
        rate = first(statement.get("rate_based_statement"))
        if isinstance(rate, dict):
            action = first(rule.get("action"))
            if not isinstance(action, dict) or not any(key in action for key in _LIMITING_ACTIONS):
                continue  # count only: limits nothing
            try:
                limit = integer(first(rate.get("limit")))
            except Unknown:
                unknown = True
                continue
            low, high = aws_limits.MIN_WAF_RATE_LIMIT, aws_limits.MAX_WAF_RATE_LIMIT
            if limit is None or not low <= limit <= high:
                return f"rate limit {first(rate.get('limit'))!r} is not allowed; it is an integer from {low} to {high}"
            return True
        group_reference = first(statement.get("rule_group_reference_statement"))
        if isinstance(group_reference, dict):
            group = document.find(reference_key(first(group_reference.get("arn"))))
            if group is None:
                unknown = True
                continue
            found = _rate_rule(group.conf, document)
            if found is True or isinstance(found, str):
                return found
            unknown |= found is None
    return None if unknown else False


check = PublicLoadBalancerWebAclHasRateRule()
