"""CKV_ABT_2: weight 0 only for variants the rule's `paused-variants` tag lists; every variant's share shown.

Our split rules leave a paused variant out of the forward altogether (`paused-variants` names it, the
`variant` tag lists the forwarded ones in forward order); a hand-written rule may keep it at weight 0.
Both pass. A split rule (`ab-role = split`) is checked even when it forwards to one target group (the
others paused); any other single-target forward (an override rule) splits nothing.
"""

from __future__ import annotations

from typing import Any

from abt_support import (
    AB_ROLE_TAG,
    PAUSED_VARIANTS_TAG,
    RULE_TYPES,
    VARIANT_TAG,
    RuleRole,
    Unknown,
    forward_blocks,
    integer,
    percent,
    reference_key,
    split_names,
    tags_of,
    target_groups,
    weight_of,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class NoVariantSilentlyStarved(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no variant of a weighted rule is starved: weight 0 only for a variant tagged as paused",
            id="CKV_ABT_2",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(RULE_TYPES),
            guideline=(
                "Give the variant a positive weight, or pause it on purpose: list it in the rule's "
                "`paused-variants` tag (the spec does this for a variant with `paused: true`)."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        tags = tags_of(conf)
        variants = split_names(tags.get(VARIANT_TAG))
        paused_order = split_names(tags.get(PAUSED_VARIANTS_TAG))
        paused = set(paused_order)
        is_split = tags.get(AB_ROLE_TAG) == RuleRole.SPLIT.value
        result = CheckResult.UNKNOWN
        for path, forward in forward_blocks(conf):
            entries = target_groups(forward)
            if len(entries) < 2 and not (is_split and entries):
                continue  # a single-target forward (an override rule) splits nothing
            names = [
                variants[index] if index < len(variants) else reference_key(entry.get("arn", [""])[0])
                for index, entry in enumerate(entries)
            ]
            try:
                weights = [integer(weight_of(entry)) for entry in entries]
            except Unknown:
                return CheckResult.UNKNOWN
            if any(weight is None for weight in weights):
                return CheckResult.UNKNOWN  # not an integer: CKV_ABT_1 reports it
            total = sum(w for w in weights if w is not None)
            left_out = [name for name in paused_order if name not in names]
            shares = ", ".join(
                [
                    f"{name}={percent(weight or 0, total)}"
                    for name, weight in zip(names, weights, strict=False)
                ]
                + [f"{name}=0.0% (paused, not in the forward)" for name in left_out]
            )
            self.details.append(f"shares: {shares}")
            self.evaluated_keys = [f"{path}/target_group", "tags/variant", "tags/paused-variants"]
            result = CheckResult.PASSED
            for index, (name, weight) in enumerate(zip(names, weights, strict=False)):
                if weight == 0 and name not in paused:
                    self.evaluated_keys = [f"{path}/target_group/[{index}]/weight", "tags/paused-variants"]
                    self.details.append(
                        f"variant {name} has weight 0 but is not listed in the `paused-variants` tag"
                    )
                    return CheckResult.FAILED
        return result


check = NoVariantSilentlyStarved()
