"""Typed reading of the YAML tree: every wrong type, missing key or unknown key becomes a `Problem`.

Readers never raise on bad input: they record the problem and return a fallback (the field's default,
or a zero value for a required field), so one pass finds every problem. A spec with any problem is never
returned to the caller, so fallbacks never reach the constructs.

Messages follow one pattern: `<value> is <what is wrong>; <what is allowed>`.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs_ab.spec.errors import Problem, printable
from constructs_ab.spec.paths import FieldPath

#: A check on a value that passed the type check: returns "<what is wrong>" or None when fine.
Check = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Node:
    """A value of the YAML tree with where it is: its field path and 1-based line (None if unknown)."""

    value: Any
    path: FieldPath
    line: int | None


@dataclass
class Problems:
    """The problems found so far, in the order found."""

    items: list[Problem] = field(default_factory=list)

    def add(self, where: Node | FieldPath, message: str, line: int | None = None) -> None:
        if isinstance(where, Node):
            path, line = where.path, where.line if line is None else line
        else:
            path = where
        self.items.append(Problem(path=str(path), message=message, line=line))

    def under(self, path: FieldPath) -> bool:
        """True when a problem was found at `path` or inside it (so checks built on it are skipped)."""
        prefix = str(path)
        return any(
            p.path == prefix or p.path.startswith(prefix + ".") or p.path.startswith(prefix + "[")
            for p in self.items
        )


def show(value: Any) -> str:
    """A value as a user wrote it: text in double quotes, true/false, null, numbers as written."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return printable(json.dumps(value, ensure_ascii=False))
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a map"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def describe(value: Any) -> str:
    """What a value of the wrong type is: `"80" is text`, `true is a boolean`, ..."""
    if value is None:
        return "the value is empty"
    if isinstance(value, bool):
        return f"{show(value)} is a boolean"
    if isinstance(value, str):
        return f"{show(value)} is text"
    if isinstance(value, int):
        return f"{show(value)} is an integer"
    if isinstance(value, float):
        return f"{show(value)} is a decimal number"
    if isinstance(value, datetime.date):
        return f"{show(value)} is a date (quote it to make it text)"
    if isinstance(value, Mapping):
        return "a map is given"
    if isinstance(value, list | tuple):
        return "a list is given"
    return f"{show(value)} is a {type(value).__name__}"


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _line_of_key(mapping: Any, key: Any) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def _line_of_value(mapping: Any, key: Any) -> int | None:
    try:
        return int(mapping.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return _line_of_key(mapping, key)


def _line_of_item(sequence: Any, index: int) -> int | None:
    try:
        return int(sequence.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def child_of_map(node: Node, key: str) -> Node:
    mapping = node.value
    line = _line_of_value(mapping, key)
    return Node(mapping[key], node.path.key(key), line if line is not None else node.line)


def items_of(node: Node, name_of: Callable[[Any], str | None] = lambda _: None) -> Iterator[Node]:
    """The items of a list node, each with its index (and name, when `name_of` finds one) in the path."""
    for index, value in enumerate(node.value):
        line = _line_of_item(node.value, index)
        yield Node(value, node.path.index(index, name_of(value)), line if line is not None else node.line)


def name_in(value: Any) -> str | None:
    """The `name` of a list item, for paths like `experiments[0] (chat)`; None when it has no text name."""
    if isinstance(value, Mapping):
        name = value.get("name")
        if isinstance(name, str) and name and len(name) <= 80 and name.isprintable():
            return name
    return None


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice closest to `word`, or None when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: str, choices: Sequence[str]) -> str:
    """`did you mean "x"? ` for the closest choice, or "" when none is close."""
    match = closest(word, choices)
    return f"did you mean {show(match)}? " if match is not None else ""


def read_int(node: Node, problems: Problems, *, low: int, high: int | None, allowed: str) -> int | None:
    """An integer from `low` to `high` (no upper bound when None), else a problem and None."""
    value = node.value
    if not is_int(value):
        problems.add(node, f"{describe(value)}; {allowed}")
        return None
    value = int(value)
    if value < low or (high is not None and value > high):
        problems.add(node, f"{show(value)} is out of range; {allowed}")
        return None
    return value


def read_number(
    node: Node, problems: Problems, *, low: float, high: float, allowed: str, low_inclusive: bool = True
) -> float | None:
    """A number (integer or decimal) in the range, else a problem and None."""
    value = node.value
    if not is_number(value):
        problems.add(node, f"{describe(value)}; {allowed}")
        return None
    number = float(value)
    too_low = number < low if low_inclusive else number <= low
    if number != number or too_low or number > high:
        problems.add(node, f"{show(value)} is out of range; {allowed}")
        return None
    return number


def read_bool(node: Node, problems: Problems, *, allowed: str) -> bool | None:
    if not isinstance(node.value, bool):
        problems.add(node, f"{describe(node.value)}; {allowed}")
        return None
    return node.value


def read_text(node: Node, problems: Problems, *, allowed: str, check: Check | None = None) -> str | None:
    """Non-empty text that passes `check` (which returns what is wrong, or None), else a problem and None."""
    value = node.value
    if not isinstance(value, str):
        problems.add(node, f"{describe(value)}; {allowed}")
        return None
    if not value:
        problems.add(node, f"the value is empty text; {allowed}")
        return None
    wrong = check(value) if check else None
    if wrong:
        problems.add(node, f"{show(value)} {wrong}; {allowed}")
        return None
    return str(value)


def read_list(
    node: Node, problems: Problems, *, allowed: str, min_items: int = 0, max_items: int | None = None
) -> list[Node]:
    """The items of a list with `min_items` to `max_items` items, else a problem and []."""
    value = node.value
    if not isinstance(value, list):
        problems.add(node, f"{describe(value)}; {allowed}")
        return []
    if len(value) < min_items or (max_items is not None and len(value) > max_items):
        count = len(value)
        problems.add(node, f"{count} item{'s' if count != 1 else ''} given; {allowed}")
    return list(items_of(node, name_in))


class Fields:
    """The keys of one map of the spec: checks its type, unknown and missing keys, then reads fields.

    what: the thing the map describes, used in messages ("a load balancer").
    keys: the keys it may have, in documentation order.
    required: the keys it must have, with what is allowed for each (used when one is missing).
    """

    def __init__(
        self,
        node: Node,
        problems: Problems,
        *,
        what: str,
        keys: Sequence[str],
        required: Mapping[str, str] | None = None,
    ) -> None:
        self.node = node
        self.problems = problems
        self.what = what
        self.valid = isinstance(node.value, Mapping)
        if not self.valid:
            problems.add(node, f"{describe(node.value)}; {what} is a map with the keys {', '.join(keys)}")
            return
        misspelled: set[str | None] = set()
        for key in node.value:
            if not isinstance(key, str):
                problems.add(
                    node.path.key(show(key)),
                    f"the key {show(key)} is not text; {what} has the keys {', '.join(keys)}",
                    _line_of_key(node.value, key) or node.line,
                )
            elif key not in keys:
                hint = suggestion(key, keys)
                misspelled.add(closest(key, keys))
                owner = f"{what[0].upper()}{what[1:]}" if hint else what
                problems.add(
                    node.path.key(key),
                    f"{show(key)} is not a known key; {hint}{owner} has the keys {', '.join(keys)}",
                    _line_of_key(node.value, key) or node.line,
                )
        for key, allowed in (required or {}).items():
            # a required key that an unknown key looks like a typo of is reported once, as that typo
            if key not in node.value and key not in misspelled:
                problems.add(node.path.key(key), f"missing; {allowed}", node.line)

    def has(self, key: str) -> bool:
        return self.valid and key in self.node.value

    def get(self, key: str) -> Node | None:
        """The node of `key`, or None when absent (or the map itself is invalid)."""
        return child_of_map(self.node, key) if self.has(key) else None

    def path(self, key: str) -> FieldPath:
        return self.node.path.key(key)

    def integer(self, key: str, default: int, *, low: int, high: int | None, allowed: str) -> int:
        node = self.get(key)
        if node is None:
            return default
        value = read_int(node, self.problems, low=low, high=high, allowed=allowed)
        return default if value is None else value

    def number(
        self, key: str, default: float, *, low: float, high: float, allowed: str, low_inclusive: bool = True
    ) -> float:
        node = self.get(key)
        if node is None:
            return default
        value = read_number(
            node, self.problems, low=low, high=high, allowed=allowed, low_inclusive=low_inclusive
        )
        return default if value is None else value

    def boolean(self, key: str, default: bool, *, allowed: str) -> bool:
        node = self.get(key)
        if node is None:
            return default
        value = read_bool(node, self.problems, allowed=allowed)
        return default if value is None else value

    def text(self, key: str, default: str, *, allowed: str, check: Check | None = None) -> str:
        node = self.get(key)
        if node is None:
            return default
        value = read_text(node, self.problems, allowed=allowed, check=check)
        return default if value is None else value

    def optional_text(self, key: str, *, allowed: str, check: Check | None = None) -> str | None:
        node = self.get(key)
        if node is None:
            return None
        return read_text(node, self.problems, allowed=allowed, check=check)
