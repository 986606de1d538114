"""CKV_ABT_20: no listener rule is shadowed by an earlier rule of the same listener.

On a listener the rule with the lower priority number takes a request first. A rule whose every request
matches an earlier rule (`/v1/*` at priority 3700 before `/v1/embeddings` at 9572) never gets a request:
an experiment behind it gets no traffic at all. The analysis is the routing model's
(`constructs_ab.routing.overlap.shadowing`, which `validate` uses on a spec too): paths, hosts, headers,
query strings, methods and source IPs, wildcards included, as the load balancer matches them; shadowing
is never claimed wrongly (query strings are compared cautiously).

Any listener rule of any Terraform, tagged or not. Whole-document check: UNKNOWN without the graph, and
for a rule whose priority or conditions are only known at apply time (such rules are left out of the
comparison).
"""

from __future__ import annotations

from typing import Any

from abt_document import Document, Resource, document_for
from abt_support import (
    EXPERIMENT_TAG,
    RULE_TYPES,
    Condition,
    Unknown,
    conditions_from_terraform,
    first,
    integer,
    is_expression,
    reference_key,
    shadowing,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RuleNotShadowedOnListener(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no listener rule is shadowed by an earlier rule that takes all its requests",
            id="CKV_ABT_20",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Give the shadowed rule a lower priority number than the rule that takes its requests (the "
                "narrower match first), or make the two rules' conditions disjoint; in the spec, change the "
                "experiment's `priority` or `match`."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["priority", "condition", "listener_arn"]
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN  # the other rules are not visible without the graph
        document, this = located
        if _placed(this) is None:
            return CheckResult.UNKNOWN
        shadowed = document.memo("shadowed rules", _shadowed_rules)
        earlier = shadowed.get(this.address)
        if earlier is None:
            return CheckResult.PASSED
        own, first_rule = _placed(this), _placed(earlier)
        assert own is not None and first_rule is not None
        self.details.append(
            f"every request of {_name(this, own[0])} is taken first by {_name(earlier, first_rule[0])} on "
            f"{reference_key(first(conf.get('listener_arn')))}: it matches {_describe(first_rule[1])}, which "
            f"includes {_describe(own[1])}; this rule never gets a request"
        )
        return CheckResult.FAILED


def _placed(rule: Resource) -> tuple[int, tuple[Condition, ...]] | None:
    """The rule's priority and conditions; None when either is unknown before apply."""
    try:
        priority = integer(first(rule.conf.get("priority")))
    except Unknown:
        return None
    conditions = conditions_from_terraform(rule.conf.get("condition"))
    if priority is None or not conditions or any(_unresolved(condition) for condition in conditions):
        return None
    return priority, conditions


def _unresolved(condition: Condition) -> bool:
    texts = [*condition.values, condition.header_name or ""]
    texts += [text for pair in condition.query for text in (pair.key or "", pair.value)]
    return any(is_expression(text) for text in texts)


def _shadowed_rules(document: Document) -> dict[str, Resource]:
    """Each shadowed rule's address -> the earliest rule of its listener that takes all its requests."""
    by_listener: dict[str, list[tuple[int, Resource, tuple[Condition, ...]]]] = {}
    for rule in document.of_types(RULE_TYPES):
        placed = _placed(rule)
        if placed is not None:
            listener = reference_key(first(rule.conf.get("listener_arn")))
            by_listener.setdefault(listener, []).append((placed[0], rule, placed[1]))
    found: dict[str, Resource] = {}
    for rules in by_listener.values():
        rules.sort(key=lambda entry: (entry[0], entry[1].address))
        for later, earlier in shadowing([conditions for _, _, conditions in rules]).items():
            found[rules[later][1].address] = rules[earlier][1]
    return found


def _name(rule: Resource, priority: int) -> str:
    experiment = rule.tags.get(EXPERIMENT_TAG)
    return f"{rule.address} (priority {priority}" + (f", experiment {experiment})" if experiment else ")")


def _describe(conditions: tuple[Condition, ...]) -> str:
    return "; ".join(condition.describe() for condition in conditions)


check = RuleNotShadowedOnListener()
