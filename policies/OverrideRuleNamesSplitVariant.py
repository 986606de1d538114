"""CKV_ABT_7: an override rule's X-Model-Variant header names a variant its experiment's split rule sends to.

An override rule is a rule tagged `ab-role = override`, or one with an `X-Model-Variant` header condition
and an `experiment` tag. Its header value must be one of the `variant` tag of the same experiment's split
rule (`ab-role = split`, same listener), its own `variant` tag must equal that value, and it must forward
to the target group the split uses for that variant. Whole-document check: UNKNOWN without the graph.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import (
    AB_ROLE_TAG,
    RULE_TYPES,
    VARIANT_HEADER,
    first,
    forward_blocks,
    reference_key,
    tags_of,
    target_groups,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class OverrideRuleNamesSplitVariant(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every override rule's X-Model-Variant header names a variant of its experiment's split rule",
            id="CKV_ABT_7",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Make the X-Model-Variant header value, the override rule's `variant` tag and its target group "
                "match one variant of the experiment's split rule, or remove the override rule."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        tags = tags_of(conf)
        headers = _variant_header_values(conf)
        if tags.get(AB_ROLE_TAG) != "override" and not (headers and "experiment" in tags):
            return CheckResult.UNKNOWN  # not an override rule
        self.evaluated_keys = ["condition", "tags/variant", "tags/experiment"]
        if not headers:
            self.details.append(f"an override rule without an {VARIANT_HEADER} header condition")
            return CheckResult.FAILED
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN
        document, this = located
        experiment = tags.get("experiment", "")
        listener = reference_key(first(conf.get("listener_arn")))
        splits = document.memo("split rules by (experiment, listener)", _split_rules).get(
            (experiment, listener), []
        )
        if not splits:
            self.details.append(f"no split rule of experiment {experiment!r} on {listener}")
            return CheckResult.FAILED
        split = splits[0]
        variants = split.tags.get("variant", "").split()
        split_targets = [
            reference_key((entry.get("arn") or [""])[0])
            for _, forward in forward_blocks(split.conf)
            for entry in target_groups(forward)
        ]
        own_targets = {
            reference_key((entry.get("arn") or [""])[0])
            for _, forward in forward_blocks(conf)
            for entry in target_groups(forward)
        }
        for value in headers:
            if value not in variants:
                self.details.append(
                    f"{VARIANT_HEADER}: {value!r} is not a variant of {split.address} ({', '.join(variants) or 'none'})"
                )
                return CheckResult.FAILED
            if tags.get("variant", value) != value:
                self.details.append(
                    f"the `variant` tag {tags['variant']!r} differs from the header value {value!r}"
                )
                return CheckResult.FAILED
            index = variants.index(value)
            if index < len(split_targets) and own_targets and own_targets != {split_targets[index]}:
                self.details.append(
                    f"forwards to {', '.join(sorted(own_targets))}, but the split sends {value} to {split_targets[index]}"
                )
                return CheckResult.FAILED
        return CheckResult.PASSED


def _split_rules(document: Any) -> dict[tuple[str, str], list[Any]]:
    found: dict[tuple[str, str], list[Any]] = {}
    for rule in document.of_types(RULE_TYPES):
        if rule.tags.get(AB_ROLE_TAG) == "split":
            listener = reference_key(first(rule.conf.get("listener_arn")))
            for experiment in rule.tags.get("experiment", "").split():
                found.setdefault((experiment, listener), []).append(rule)
    return found


def _variant_header_values(conf: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for condition in conf.get("condition") or []:
        if not isinstance(condition, dict):
            continue
        for header in condition.get("http_header") or []:
            if not isinstance(header, dict):
                continue
            if str(first(header.get("http_header_name"), "")).lower() == VARIANT_HEADER.lower():
                raw = first(header.get("values"), [])
                values.extend(str(value) for value in (raw if isinstance(raw, list) else [raw]))
    return values


check = OverrideRuleNamesSplitVariant()
