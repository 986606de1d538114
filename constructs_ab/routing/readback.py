"""The routed rules read back from Terraform JSON: what the synthesized configuration routes, in the
routing model's terms, to compare with what the spec asks for (`from_spec.rules_of`).

    rules = routed_rules([json.loads(Path("cdktf.out/stacks/prod/cdk.tf.json").read_text())])
    rules["sentiment-abtest"]  # (override-sentiment-a, override-sentiment-b, split), by priority

Reads, with the product's Terraform JSON reader (`constructs_ab.tfjson`), the listener rules that carry an
`experiment` tag and the `variant` tag of the target groups they forward to. A target that is not a
tagged target group of the configuration keeps its reference (or ARN) as written as its variant; a weight
or priority that is not an integer reads as -1, a missing priority as 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from constructs_ab.routing.conditions import conditions_from_terraform
from constructs_ab.routing.contract import EXPERIMENT_TAG, RULE_TAG_KEYS, VARIANT_TAG, RuleRole, role_of
from constructs_ab.routing.layout import OVERRIDE_KEY_PREFIX, SPLIT_KEY
from constructs_ab.routing.rules import RoutedRule, RuleTarget
from constructs_ab.tfjson.cdktf import construct_path
from constructs_ab.tfjson.references import parse_reference
from constructs_ab.tfjson.resource_types import RULE_TYPES, TARGET_GROUP_TYPES
from constructs_ab.tfjson.resources import Resource, resources
from constructs_ab.tfjson.values import blocks, boolean, integer, text

#: Weight of a forward target that does not set one (the AWS provider's default).
DEFAULT_WEIGHT = 1
#: A cdktf logical id: the construct path joined by `_`, then `_` and 8 hex digits of its hash.
_LOGICAL_ID = re.compile(r"^(?:.*_)?(?P<id>[^_]+)_[0-9A-F]{8}$")
#: Our rules' Terraform names: `<listener key>_rule-<priority>` (`routing.layout.rule_resource_name`).
_RULE_NAME = re.compile(r"^.+_rule-[0-9]+$")


def routed_rules(documents: Iterable[Mapping[str, Any]]) -> dict[str, tuple[RoutedRule, ...]]:
    """The rules of each experiment (by `experiment` tag), by ascending priority."""
    found_resources = list(resources(documents))
    variants = {
        resource.address: resource.tags.get(VARIANT_TAG, "")
        for resource in found_resources
        if resource.type in TARGET_GROUP_TYPES
    }
    found: dict[str, list[RoutedRule]] = {}
    for resource in found_resources:
        tags = {key: value for key, value in resource.tags.items() if key in RULE_TAG_KEYS}
        if resource.type in RULE_TYPES and tags.get(EXPERIMENT_TAG):
            found.setdefault(tags[EXPERIMENT_TAG], []).append(_rule(resource, tags, variants))
    return {experiment: tuple(sorted(rules, key=lambda r: r.priority)) for experiment, rules in found.items()}


def _rule(resource: Resource, tags: dict[str, str], variants: Mapping[str, str]) -> RoutedRule:
    body = resource.body
    targets: tuple[RuleTarget, ...] = ()
    stickiness: int | None = None
    for action in blocks(body.get("action")):
        for forward in blocks(action.get("forward"))[:1]:
            targets = tuple(_target(entry, variants) for entry in blocks(forward.get("target_group")))
            for sticky in blocks(forward.get("stickiness"))[:1]:
                stickiness = integer(sticky.get("duration")) if boolean(sticky.get("enabled")) else None
    priority = body.get("priority")
    return RoutedRule(
        key=_key(resource, tags),
        priority=0 if priority is None else _integer(priority),
        conditions=conditions_from_terraform(body.get("condition")),
        targets=targets,
        stickiness=stickiness,
        tags=tags,
    )


def _target(entry: Mapping[str, Any], variants: Mapping[str, str]) -> RuleTarget:
    arn = text(entry.get("arn")) or ""
    reference = parse_reference(arn)
    variant = variants.get(reference.address, "") if reference is not None else ""
    weight = entry.get("weight")
    return RuleTarget(variant=variant or arn, weight=DEFAULT_WEIGHT if weight is None else _integer(weight))


def _integer(value: Any) -> int:
    found = integer(value)
    return -1 if found is None else found


def _key(resource: Resource, tags: Mapping[str, str]) -> str:
    """The rule's key in its experiment (`routing.layout`): the last part of the cdktf construct path
    (`prod/experiment-x/split` -> `split`), from the `//` metadata, else from the logical id
    (`experiment-x_split_1A2B3C4D`); for a rule named as ours are, by listener and priority
    (`lb-public_rule-105`, which says nothing of the key), from its role and variant tags (`split`,
    `override-<variant>`); else (Terraform JSON not written by cdktf) the resource name."""
    path = construct_path(resource.body)
    if path is not None:
        return path.rsplit("/", 1)[-1]
    found = _LOGICAL_ID.match(resource.name)
    if found:
        return found["id"]
    role = role_of(tags)
    if _RULE_NAME.match(resource.name) and role is RuleRole.SPLIT:
        return SPLIT_KEY
    if _RULE_NAME.match(resource.name) and role is RuleRole.OVERRIDE and tags.get(VARIANT_TAG):
        return f"{OVERRIDE_KEY_PREFIX}{tags[VARIANT_TAG]}"
    return resource.name
