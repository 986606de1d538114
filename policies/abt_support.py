"""Shared helpers of the policies in this folder (registers no check).

- AWS limits come from `constructs_ab/aws_limits.py`, never re-typed: when Checkov loads this folder with
  `--external-checks-dir policies`, the repository root is not on `sys.path`, so it is added here.
- Checkov hands a check the resource configuration with every value wrapped in a list (HCL and Terraform
  JSON alike); `first` unwraps.
- A value that is an unresolved expression (`${...}`, `var.x`) is only known at apply time: checks
  answer UNKNOWN for it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

_REPOSITORY_ROOT = str(Path(__file__).resolve().parent.parent)
if _REPOSITORY_ROOT not in sys.path:
    sys.path.append(_REPOSITORY_ROOT)

from constructs_ab import aws_limits  # noqa: E402  (needs the path above)
from constructs_ab.tagging import AB_ROLE_TAG, PAUSED_VARIANTS_TAG  # noqa: E402,F401  (the tag contract)

RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
TARGET_GROUP_TYPES = ("aws_lb_target_group", "aws_alb_target_group")
LOAD_BALANCER_TYPES = ("aws_lb", "aws_alb")

VARIANT_HEADER = "X-Model-Variant"  # the force-variant header of override rules
RULES_QUOTA_ENVIRONMENT = "ABT_RULES_PER_LOAD_BALANCER"  # set by `gate --rules-quota N`

_REFERENCE = re.compile(
    r"^\$?\{?\s*(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.(?:arn|id)\s*\}?$"
)


class Unknown(Exception):
    """A value is only known at apply time (an expression Checkov could not resolve)."""


def first(value: Any, default: Any = None) -> Any:
    """The value inside Checkov's one-element list wrapping (or `value` itself when not wrapped)."""
    if isinstance(value, list):
        return value[0] if value else default
    return default if value is None else value


def is_expression(value: Any) -> bool:
    """Whether a scalar is an unresolved Terraform expression (apply-time value)."""
    return isinstance(value, str) and (
        "${" in value or value.startswith(("var.", "local.", "module.", "data."))
    )


def integer(value: Any) -> int | None:
    """An integer from a Terraform value (`80` or `"80"`); None when it is not an integer.
    Raises Unknown for an unresolved expression."""
    if is_expression(value):
        raise Unknown(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return None  # 80.0 is not a valid weight literal
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def reference(value: Any) -> tuple[str, str] | None:
    """(`aws_lb_target_group`, `a`) for `${aws_lb_target_group.a.arn}` or `aws_lb_target_group.a.arn`
    (the graph renders references without `${}`); None for a literal ARN."""
    if not isinstance(value, str):
        return None
    match = _REFERENCE.match(value.strip())
    return (match.group(1), match.group(2)) if match else None


_ATTRIBUTE_REFERENCE = re.compile(
    r"^\$?\{?\s*(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)\s*\}?$"
)


def attribute_reference(value: Any) -> tuple[str, str, str] | None:
    """(`aws_lb_target_group`, `a`, `arn_suffix`) for `${aws_lb_target_group.a.arn_suffix}` (or without
    `${}`); None for a literal."""
    if not isinstance(value, str):
        return None
    match = _ATTRIBUTE_REFERENCE.match(value.strip())
    return (match.group(1), match.group(2), match.group(3)) if match else None


def reference_key(value: Any) -> str:
    """A key that is equal for two values naming the same resource (`type.name`), else the literal value."""
    ref = reference(value)
    return f"{ref[0]}.{ref[1]}" if ref else str(value)


def tags_of(conf: dict[str, Any]) -> dict[str, str]:
    """The resource's own `tags` as a flat dict of strings."""
    tags = first(conf.get("tags"), {})
    if isinstance(tags, list):  # Terraform JSON: tags may arrive wrapped twice
        tags = tags[0] if tags else {}
    if not isinstance(tags, dict):
        return {}
    return {str(key): str(first(value, "")) for key, value in tags.items() if not str(key).startswith("__")}


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
