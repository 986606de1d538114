"""CKV_ABT_4: experiment target groups and rules carry the tags experiment, variant, model and owner.

Which resources belong to an experiment: a target group or rule with any of the tags `experiment`,
`variant`, `model` or `ab-role`, a rule with a weighted forward (2 or more target groups), and (when the
whole document is available) a target group that a weighted forward sends to.

Provider `default_tags`: AWS applies them to every resource (`tags_all`), and our stacks put `owner` and
`environment` there. Checkov does not merge them, so this check does, from the provider block the resource
uses (read from Checkov's graph). Without a graph (Checkov's separate Terraform JSON runner) the provider
is not visible: a resource that lacks only `owner` is then UNKNOWN rather than failed.
"""

from __future__ import annotations

from typing import Any

from abt_document import document_for
from abt_support import (
    AB_ROLE_TAG,
    EXPERIMENT_TAG,
    MODEL_TAG,
    OWNER_TAG,
    RULE_TYPES,
    TARGET_GROUP_TYPES,
    VARIANT_TAG,
    RuleRole,
    forward_blocks,
    tags_of,
    target_groups,
    weighted_target_groups,
)
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_EXPERIMENT_TAGS = (EXPERIMENT_TAG, VARIANT_TAG, MODEL_TAG, AB_ROLE_TAG)
TARGET_GROUP_TAGS = (EXPERIMENT_TAG, VARIANT_TAG, MODEL_TAG, OWNER_TAG)
SPLIT_RULE_TAGS = (EXPERIMENT_TAG, MODEL_TAG, OWNER_TAG)
OVERRIDE_RULE_TAGS = (EXPERIMENT_TAG, VARIANT_TAG, MODEL_TAG, OWNER_TAG)


class ExperimentResourcesTagged(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every target group and rule of an experiment is tagged with experiment, variant, model and owner",
            id="CKV_ABT_4",
            categories=[CheckCategories.CONVENTION],
            supported_resources=[*TARGET_GROUP_TYPES, *RULE_TYPES],
            guideline=(
                "Tag target groups with experiment, variant, model and owner, and rules with experiment, model, "
                "owner (and variant on override rules); owner may come from the provider's default_tags."
            ),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        own = tags_of(conf)
        located = document_for(self)
        is_rule = self.entity_type in RULE_TYPES
        weighted = (
            any(len(target_groups(forward)) >= 2 for _, forward in forward_blocks(conf)) if is_rule else False
        )
        member = weighted or any(key in own for key in _EXPERIMENT_TAGS)
        if not member and located is not None and not is_rule:
            document, resource = located
            member = resource.address in weighted_target_groups(document)
        if not member:
            return CheckResult.UNKNOWN  # not part of an experiment
        if is_rule:
            required = (
                OVERRIDE_RULE_TAGS if own.get(AB_ROLE_TAG) == RuleRole.OVERRIDE.value else SPLIT_RULE_TAGS
            )
        else:
            required = TARGET_GROUP_TAGS
        tags = located[0].effective_tags(located[1]) if located is not None else own
        missing = [key for key in required if not tags.get(key, "").strip()]
        self.evaluated_keys = [f"tags/{key}" for key in required]
        if not missing:
            return CheckResult.PASSED
        if missing == [OWNER_TAG] and located is None:
            # owner may be in the provider's default_tags, which is not visible here
            return CheckResult.UNKNOWN
        self.details.append(f"missing or empty tags: {', '.join(missing)}")
        return CheckResult.FAILED


check = ExperimentResourcesTagged()
