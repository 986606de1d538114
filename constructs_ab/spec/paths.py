"""Field paths inside a spec file, rendered as in problem messages.

Map keys are joined by dots (`environments.prod.region`), list items get their index in brackets and,
when the item has a name, the name in parentheses (`experiments[0] (chat).variants[1] (b).weight`).
A key that is not a plain word is quoted: `tags["cost center"]`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from constructs_ab.spec.errors import printable

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-:/]*$")


@dataclass(frozen=True)
class FieldPath:
    """An immutable field path; `str()` gives its rendering (empty string for the root)."""

    text: str = ""

    def key(self, name: object) -> FieldPath:
        key = str(name)
        if _PLAIN_KEY.match(key):
            return FieldPath(f"{self.text}.{key}" if self.text else key)
        return FieldPath(f"{self.text}[{printable(json.dumps(key, ensure_ascii=False))}]")

    def index(self, position: int, name: str | None = None) -> FieldPath:
        label = f" ({name})" if name else ""
        return FieldPath(f"{self.text}[{position}]{label}")

    def __str__(self) -> str:
        return self.text
