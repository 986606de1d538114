"""Field paths inside a spec file, rendered as in problem messages.

Map keys are joined by dots (`environments.prod.region`), list items get their index in brackets and,
when the item has a name, the name in parentheses (`experiments[0] (chat).variants[1] (b).weight`).
A key that is not a plain word is quoted: `tags["cost center"]`.

The same paths name the fields of a spec built in Python, so a problem reads the same either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from constructs_ab.spec.errors import printable

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-:/]*$")
#: Longest name shown in parentheses after a list index.
MAX_LABEL_LENGTH = 80


def item_label(name: object) -> str | None:
    """The name to show after a list item's index: usable text, else None (the index alone)."""
    if isinstance(name, str) and name and len(name) <= MAX_LABEL_LENGTH and name.isprintable():
        return name
    return None


def within(path: str, prefix: str) -> bool:
    """True when the field path `path` (as text) is `prefix` or inside it."""
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


@dataclass(frozen=True)
class FieldPath:
    """An immutable field path; `str()` gives its rendering (empty string for the root).

    parent: the path it extends (None for the root); not part of equality.
    """

    text: str = ""
    parent: FieldPath | None = field(default=None, compare=False, repr=False)

    def key(self, name: object) -> FieldPath:
        key = str(name)
        if _PLAIN_KEY.match(key):
            return FieldPath(f"{self.text}.{key}" if self.text else key, self)
        return FieldPath(f"{self.text}[{printable(json.dumps(key, ensure_ascii=False))}]", self)

    def index(self, position: int, name: str | None = None) -> FieldPath:
        label = f" ({name})" if name else ""
        return FieldPath(f"{self.text}[{position}]{label}", self)

    def __str__(self) -> str:
        return self.text
