"""The one reference parser: `${aws_lb_target_group.a.arn}` -> (aws_lb_target_group, a, arn).

Accepted forms, with or without the `${ }` of Terraform JSON (HCL and Checkov's graph write references
bare): `type.name.attribute`, `data.type.name.attribute`, and an index after the name
(`type.name[0].attribute`, `type.name["key"].attribute`). Anything else (a literal ARN, a variable, a
function call, a longer expression) is not a reference: None.

A bare `type.name.attribute` string in Terraform JSON would be a literal to Terraform; no ARN, ID or name
looks like that, so all readers accept both forms alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_REFERENCE = re.compile(
    r"^(?:\$\{\s*)?(?P<data>data\.)?(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)"
    r"(?:\[[^\]]*\])?\.(?P<attribute>[a-z0-9_]+)\s*\}?$"
)


#: First words of Terraform expressions that are not resources (`var.x`, `module.m.out`, `each.value`).
NOT_RESOURCE_TYPES = frozenset(
    {"var", "local", "module", "each", "count", "path", "self", "terraform", "data"}
)


@dataclass(frozen=True, kw_only=True)
class Reference:
    """A reference to one attribute of a resource or data source.

    type: the type as written (`aws_alb_target_group` stays as is).
    data: whether it names a data source (`data.aws_lb.x.arn`).
    """

    type: str
    name: str
    attribute: str
    data: bool = False

    @property
    def address(self) -> str:
        """The resource's address: `aws_lb.x`, or `data.aws_lb.x` for a data source."""
        return f"{'data.' if self.data else ''}{self.type}.{self.name}"


def parse_reference(value: Any) -> Reference | None:
    """The reference `value` is, or None (not a string, or not a plain reference)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("${") != text.endswith("}"):
        return None
    match = _REFERENCE.match(text)
    if match is None or match["type"] in NOT_RESOURCE_TYPES:
        return None
    return Reference(
        type=match["type"], name=match["name"], attribute=match["attribute"], data=match["data"] is not None
    )
