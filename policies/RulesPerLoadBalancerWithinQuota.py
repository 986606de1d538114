"""CKV_ABT_6: the listener rules of a load balancer stay within the quota (whole-document check).

Quota: 100 rules per load balancer, not counting default rules (AWS default, adjustable per account);
`python -m constructs_ab gate --rules-quota N` raises it to what an account was granted.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import LISTENER_TYPES, LOAD_BALANCER_TYPES, RULE_TYPES, first, reference_key, rules_quota
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RulesPerLoadBalancerWithinQuota(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a load balancer has no more listener rules than its quota (AWS default 100)",
            id="CKV_ABT_6",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(LOAD_BALANCER_TYPES),
            guideline=(
                "Spread the experiments over more load balancers, or, if the account was granted a higher "
                "quota, declare it (spec: the load balancer's rule quota; gate: --rules-quota N)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN  # rules live in other resources, visible only through the graph
        document, load_balancer = located
        count = document.memo("rules per load balancer", _rules_per_load_balancer).get(
            load_balancer.address, 0
        )
        quota = rules_quota()
        self.evaluated_keys = ["load_balancer_arn"]
        self.details.append(f"{count} listener rules of a quota of {quota}")
        return CheckResult.PASSED if count <= quota else CheckResult.FAILED


def _rules_per_load_balancer(document: Any) -> dict[str, int]:
    load_balancer_of = {
        listener.address: reference_key(first(listener.conf.get("load_balancer_arn")))
        for listener in document.of_types(LISTENER_TYPES)
    }
    counts: dict[str, int] = {}
    for rule in document.of_types(RULE_TYPES):
        load_balancer = load_balancer_of.get(reference_key(first(rule.conf.get("listener_arn"))))
        if load_balancer is not None:
            counts[load_balancer] = counts.get(load_balancer, 0) + 1
    return counts


check = RulesPerLoadBalancerWithinQuota()
