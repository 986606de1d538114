"""CKV_ABT_7: an override rule's header names a variant its experiment's split rule sends to.

An override rule is a rule tagged `ab-role = override`, or one with an `experiment` tag and a condition on
the default override header (`X-Model-Variant`). The header it must match is its experiment's override
header: the `ab-override-header` tag of the experiment's split rule (`ab-role = split`, same listener),
`X-Model-Variant` when the split has no such tag (see `constructs_ab/routing/contract.py`). The header's
value must be one of the split's variants (its `variant` tag, or its `paused-variants` tag: a paused
variant is left out of the split's forward, and its override rule is the way to reach it), the override
rule's own `variant` tag must equal that value, and, for a variant the split forwards to, it must forward
to the target group the split uses for it. Whole-document check: UNKNOWN without the graph.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import (
    EXPERIMENT_TAG,
    PAUSED_VARIANTS_TAG,
    RULE_TYPES,
    VARIANT_TAG,
    first,
    forward_blocks,
    header_values,
    is_override_rule,
    override_header_of,
    reference_key,
    split_names,
    split_rules,
    tags_of,
    target_groups,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class OverrideRuleNamesSplitVariant(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every override rule's override header names a variant of its experiment's split rule",
            id="CKV_ABT_7",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Make the override header value (X-Model-Variant, or the split rule's ab-override-header tag), "
                "the override rule's `variant` tag and its target group match one variant of the experiment's "
                "split rule, or remove the override rule."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        tags = tags_of(conf)
        if not is_override_rule(conf):
            return CheckResult.UNKNOWN  # not an override rule
        self.evaluated_keys = ["condition", f"tags/{VARIANT_TAG}", f"tags/{EXPERIMENT_TAG}"]
        located = document_for(self)
        if located is None:
            return CheckResult.UNKNOWN  # the override header is on the split rule, in another resource
        document, _ = located
        experiment = tags.get(EXPERIMENT_TAG, "")
        listener = reference_key(first(conf.get("listener_arn")))
        splits = split_rules(document).get((experiment, listener), [])
        if not splits:
            self.details.append(f"no split rule of experiment {experiment!r} on {listener}")
            return CheckResult.FAILED
        split = splits[0]
        header = override_header_of(split.tags)
        headers = header_values(conf, header)
        if not headers:
            self.details.append(f"an override rule without a {header} header condition")
            return CheckResult.FAILED
        variants = split_names(split.tags.get(VARIANT_TAG))
        paused = [v for v in split_names(split.tags.get(PAUSED_VARIANTS_TAG)) if v not in variants]
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
            if value not in variants and value not in paused:
                known = ", ".join([*variants, *(f"{v} (paused)" for v in paused)]) or "none"
                self.details.append(f"{header}: {value!r} is not a variant of {split.address} ({known})")
                return CheckResult.FAILED
            if tags.get(VARIANT_TAG, value) != value:
                self.details.append(
                    f"the `variant` tag {tags[VARIANT_TAG]!r} differs from the header value {value!r}"
                )
                return CheckResult.FAILED
            if value in paused:
                continue  # not in the split's forward: its override rule is its only route
            index = variants.index(value)
            if index < len(split_targets) and own_targets and own_targets != {split_targets[index]}:
                self.details.append(
                    f"forwards to {', '.join(sorted(own_targets))}, but the split sends {value} to {split_targets[index]}"
                )
                return CheckResult.FAILED
        return CheckResult.PASSED


check = OverrideRuleNamesSplitVariant()
