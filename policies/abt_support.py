"""Shared helpers of the policies in this folder (registers no check).

- AWS limits come from `constructs_ab/aws_limits.py` and the tag contract (keys, role values, the override
  header) and the rule conditions from `constructs_ab/routing`, never re-typed, and Terraform values are
  read by the product's one Terraform JSON reader, `constructs_ab/tfjson` (the gate and the review read
  with it too): integers (`80` and `"80"`, not `80.0`), references, the `aws_alb*` aliases and tags. When
  Checkov loads this folder of a checkout with `--external-checks-dir policies` and `constructs_ab` is not
  installed, the repository root is not on `sys.path`, so it is added here (an installed copy of this
  folder, `constructs_ab/policies`, finds the package installed).
- Checkov hands a check the resource configuration with every value wrapped in a list (HCL and Terraform
  JSON alike); `first` unwraps one level.
- A value that is an unresolved expression (`${...}`, `var.x`) is only known at apply time: checks
  answer UNKNOWN for it (`integer` raises `Unknown`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

if importlib.util.find_spec("constructs_ab") is None:
    sys.path.append(str(Path(__file__).resolve().parent.parent))

# Everything below needs the path above (E402), and re-exports names for the checks (F401).
from constructs_ab import aws_limits  # noqa: E402
from constructs_ab.routing.condition_kinds import KINDS  # noqa: E402,F401  (what differs by kind)
from constructs_ab.routing.conditions import (  # noqa: E402,F401
    Condition,
    ConditionField,
    conditions_from_terraform,
)
from constructs_ab.routing.contract import (  # noqa: E402,F401  (the tag contract)
    AB_ROLE_TAG,
    DEFAULT_OVERRIDE_HEADER,
    EXPERIMENT_TAG,
    MODEL_TAG,
    OWNER_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
    RuleRole,
    override_header_of,
    split_names,
)
from constructs_ab.routing.overlap import shadowing  # noqa: E402,F401
from constructs_ab.tfjson import values  # noqa: E402
from constructs_ab.tfjson.references import parse_reference  # noqa: E402,F401
from constructs_ab.tfjson.resource_types import (  # noqa: E402,F401
    LISTENER_TYPES,
    LOAD_BALANCER_TYPES,
    RULE_TYPES,
    TARGET_GROUP_TYPES,
)
from constructs_ab.tfjson.values import is_expression  # noqa: E402,F401

WORLD_CIDRS = frozenset({"0.0.0.0/0", "::/0"})  # the internet, IPv4 and IPv6
RULES_QUOTA_ENVIRONMENT = "ABT_RULES_PER_LOAD_BALANCER"  # set by `gate --rules-quota N`


class Unknown(Exception):
    """A value is only known at apply time (an expression Checkov could not resolve)."""


def first(value: Any, default: Any = None) -> Any:
    """The value inside Checkov's one-element list wrapping (or `value` itself when not wrapped)."""
    if isinstance(value, list):
        return value[0] if value else default
    return default if value is None else value


def integer(value: Any) -> int | None:
    """An integer from a Terraform value (`80` or `"80"`, the reader's one rule); None when it is not an
    integer (`80.0`, `true`, text). Raises Unknown for an unresolved expression."""
    if is_expression(values.unwrap(value)):
        raise Unknown(value)
    return values.integer(value)


def reference_key(value: Any) -> str:
    """A key that is equal for two values naming the same resource by its `.arn` or `.id` (its address,
    `aws_lb_target_group.a`, or `data.aws_lb_target_group.a` for a data source), else the literal value."""
    reference = parse_reference(value)
    if reference is not None and reference.attribute in ("arn", "id"):
        return reference.address
    return str(value)


def tags_of(conf: dict[str, Any]) -> dict[str, str]:
    """The resource's own `tags` as a flat dict of strings (the reader's rule: scalar values only)."""
    return values.tags(conf)


def forward_blocks(conf: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every `forward` block of a rule's `action` or a listener's `default_action`, with its JSONPath."""
    found = []
    for key in ("action", "default_action"):
        for index, action in enumerate(conf.get(key) or []):
            if not isinstance(action, dict):
                continue
            for forward_index, forward in enumerate(action.get("forward") or []):
                if isinstance(forward, dict):
                    found.append((f"{key}/[{index}]/forward/[{forward_index}]", forward))
    return found


def target_groups(forward: dict[str, Any]) -> list[dict[str, Any]]:
    """The `target_group` entries of a forward block (each {"arn": [...], "weight": [...]})."""
    return [entry for entry in forward.get("target_group") or [] if isinstance(entry, dict)]


def weight_of(entry: dict[str, Any]) -> Any:
    """The raw weight of a forward's target group; the AWS provider's default is 1 when it is left out."""
    return first(entry.get("weight"), 1)


def rules_quota() -> int:
    """Rules per load balancer allowed: `ABT_RULES_PER_LOAD_BALANCER` when set, else the AWS default (100)."""
    raw = os.environ.get(RULES_QUOTA_ENVIRONMENT, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER


def percent(weight: int, total: int) -> str:
    return f"{100 * weight / total:.1f}%" if total else "0.0%"


def flat_strings(value: Any) -> list[str]:
    """Every scalar of a value, however Checkov nested it in lists, as strings (`[["a", "b"]]` -> a, b)."""
    return list(values.strings(value))


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a block or map attribute, however Checkov wrapped them in lists."""
    return values.blocks(value)


def header_values(conf: dict[str, Any], header: str) -> list[str]:
    """The values of a rule's conditions on `header` (names compared case-insensitively)."""
    return [
        value
        for condition in conditions_from_terraform(conf.get("condition"))
        if condition.field is ConditionField.HTTP_HEADER
        and (condition.header_name or "").lower() == header.lower()
        for value in condition.values
    ]


def is_override_rule(conf: dict[str, Any]) -> bool:
    """An override rule: tagged `ab-role = override`, or an `experiment` tag and a condition on the default
    override header (`X-Model-Variant`)."""
    tags = tags_of(conf)
    return tags.get(AB_ROLE_TAG) == RuleRole.OVERRIDE.value or bool(
        header_values(conf, DEFAULT_OVERRIDE_HEADER) and EXPERIMENT_TAG in tags
    )


def split_rules(document: Any) -> dict[tuple[str, str], list[Any]]:
    """The split rules (`ab-role = split`) of a document by (experiment, listener reference key); memoized."""

    def compute(document: Any) -> dict[tuple[str, str], list[Any]]:
        found: dict[tuple[str, str], list[Any]] = {}
        for rule in document.of_types(RULE_TYPES):
            if rule.tags.get(AB_ROLE_TAG) == RuleRole.SPLIT.value:
                listener = reference_key(first(rule.conf.get("listener_arn")))
                for experiment in split_names(rule.tags.get(EXPERIMENT_TAG)):
                    found.setdefault((experiment, listener), []).append(rule)
        return found

    result: dict[tuple[str, str], list[Any]] = document.memo("split rules by (experiment, listener)", compute)
    return result


def weighted_target_groups(document: Any) -> set[str]:
    """Addresses of the target groups a weighted forward of a rule sends to: a forward to 2 or more target
    groups, or the forward of a split rule (`ab-role = split`), which lists only its unpaused variants and
    may be down to one; memoized per document."""

    def compute(document: Any) -> set[str]:
        weighted: set[str] = set()
        for rule in document.of_types(RULE_TYPES):
            is_split = rule.tags.get(AB_ROLE_TAG) == RuleRole.SPLIT.value
            for _, forward in forward_blocks(rule.conf):
                entries = target_groups(forward)
                if len(entries) > 1 or (is_split and entries):
                    weighted.update(reference_key(first(entry.get("arn"))) for entry in entries)
        return weighted

    result: set[str] = document.memo("weighted target groups", compute)
    return result
