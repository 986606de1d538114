"""Field paths inside a spec file, rendered as in problem messages.

Map keys are joined by dots (`environments.prod.region`), list items get their index in brackets and,
when the item has a name, the name in parentheses (`experiments[0] (chat).variants[1] (b).weight`).
A key that is not a plain word is quoted: `tags["cost center"]`.

The same paths name the fields of a spec built in Python, so a problem reads the same either way.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
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


def enclosing(path: str) -> list[str]:
    """`path` and every prefix `p` of it with `within(path, p)`: the paths a problem at `path` is inside."""
    return [path, *(path[:index] for index, char in enumerate(path) if char in ".[")]


class PathIndex:
    """Field paths added so far, answering "is any of them at or inside this path?" in constant time
    (`within` against each one would make checking a spec with many problems quadratic)."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._inside: set[str] = set()
        for path in paths:
            self.add(path)

    def add(self, path: str) -> None:
        self._inside.update(enclosing(path))

    def has_within(self, prefix: str) -> bool:
        """True when an added path is `prefix` or inside it."""
        return prefix in self._inside


@functools.lru_cache(maxsize=4096)
def _shown_key(key: str) -> tuple[bool, str]:
    """Whether a map key is a plain word, and how a path shows it (quoted when it is not plain)."""
    if _PLAIN_KEY.match(key):
        return True, key
    return False, printable(json.dumps(key, ensure_ascii=False))


@dataclass(frozen=True)
class FieldPath:
    """An immutable field path; `str()` gives its rendering (empty string for the root).

    parent: the path it extends (None for the root); not part of equality.
    """

    text: str = ""
    parent: FieldPath | None = field(default=None, compare=False, repr=False)

    def key(self, name: object) -> FieldPath:
        plain, shown = _shown_key(str(name))
        if plain:
            return FieldPath(f"{self.text}.{shown}" if self.text else shown, self)
        return FieldPath(f"{self.text}[{shown}]", self)

    def index(self, position: int, name: str | None = None) -> FieldPath:
        label = f" ({name})" if name else ""
        return FieldPath(f"{self.text}[{position}]{label}", self)

    def __str__(self) -> str:
        return self.text
