"""Reading values of Terraform JSON the same way everywhere: integers, booleans, text, nested blocks, tags.

Values arrive in three shapes, all read alike: as Terraform JSON writes them (`"port": 80`), with blocks
as an object or a list of objects (both are valid Terraform JSON), and as Checkov normalizes them (every
value wrapped in a one-element list, `"port": [80]`). `unwrap` removes the wrapping.

**Integers.** `80` (a JSON integer) and `"80"` (a string of digits, optionally signed, which Terraform
converts to a number) are the integer 80. Everything else is not an integer (`integer` returns None):
`80.0` and other JSON numbers with a fraction or an exponent, `"80.0"`, booleans, and expressions
(`"${var.weight}"`, known only at apply time; see `is_expression`). Python's JSON parser keeps `80.0` a
float, so the gate, the review and the policies see the same thing: a weight, port, priority or duration
written as `80.0` is reported (the gate: not an integer; the review: unknown) rather than silently read as
80. Write integers as integers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_INTEGER = re.compile(r"^\s*[-+]?\d+\s*$")
_EXPRESSION_PREFIXES = ("var.", "local.", "module.", "data.")


def unwrap(value: Any) -> Any:
    """The value inside Checkov's one-element list wrapping, at any depth: `[80]` and `[[80]]` -> 80. A list
    of several items is a list value and is returned as is."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def is_expression(value: Any) -> bool:
    """Whether a scalar is an unresolved Terraform expression (`${...}`, `var.x`, `local.x`, `module.x`,
    `data.x`): its value is only known at apply time."""
    return isinstance(value, str) and ("${" in value or value.startswith(_EXPRESSION_PREFIXES))


def integer(value: Any) -> int | None:
    """The integer a value is (see the module docstring: `80` and `"80"`), else None."""
    value = unwrap(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    return None


def boolean(value: Any) -> bool | None:
    """`true`/`false`, as JSON booleans or the strings Terraform converts ("true", "false"); else None."""
    value = unwrap(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def text(value: Any) -> str | None:
    """A scalar as text (`true` for a boolean, `80` for a number); None for null, an object or a list."""
    value = unwrap(value)
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def strings(value: Any) -> tuple[str, ...]:
    """A list of values (or one value, or lists nested in lists) as strings, in order."""
    if value is None:
        return ()
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(strings(item))
        return tuple(out)
    return (str(value),)


def blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block as a list of objects, whether written as an object, a list of objects, or wrapped."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        out: list[dict[str, Any]] = []
        for item in value:
            out.extend(blocks(item))
        return out
    return []


def tags(body: Mapping[str, Any]) -> dict[str, str]:
    """A resource's own `tags` (or any map attribute's entries) as strings; entries whose value is not a
    scalar, and Checkov's `__start_line__`-style keys, are left out."""
    raw = unwrap(body.get("tags"))
    if not isinstance(raw, Mapping):
        return {}
    found: dict[str, str] = {}
    for key, value in raw.items():
        as_text = text(value)
        if as_text is not None and not str(key).startswith("__"):
            found[str(key)] = as_text
    return found
