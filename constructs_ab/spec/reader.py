"""Typed reading of the YAML tree: every wrong type, missing key or unknown key becomes a `Problem`.

Readers never raise on bad input: they record the problem and return a fallback (the field's default,
or a zero value for a required field), so one pass finds every problem. A spec with any problem is never
returned to the caller, so fallbacks never reach the constructs.

Every node read is recorded with its line (`Node.lines`), so the checks that run later on the model
objects can name the line of any field path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from constructs_ab.cli.kit.did_you_mean import closest
from constructs_ab.spec.errors import Problem
from constructs_ab.spec.paths import FieldPath, PathIndex, item_label
from constructs_ab.spec.values import describe, show, suggestion

#: Field path (as text) -> its 1-based line, for every node read (None where ruamel knows no line).
Lines = dict[str, int | None]


@dataclass(frozen=True)
class Node:
    """A value of the YAML tree with where it is: its field path and 1-based line (None if unknown).

    lines: the registry of the whole document, shared by every node, where each child node read is
        recorded.
    """

    value: Any
    path: FieldPath
    line: int | None
    lines: Lines = field(default_factory=dict, compare=False, repr=False)

    def child(self, value: Any, path: FieldPath, line: int | None) -> Node:
        """A node under this one, recorded in `lines`; without a line of its own it gets this one's."""
        node = Node(value, path, line if line is not None else self.line, self.lines)
        self.lines.setdefault(str(path), node.line)
        return node


@dataclass
class Problems:
    """The problems found so far, in the order found (add them with `add`)."""

    items: list[Problem] = field(default_factory=list)
    _index: PathIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index = PathIndex(p.path for p in self.items)

    def add(self, where: Node | FieldPath, message: str, line: int | None = None) -> None:
        if isinstance(where, Node):
            path, line = where.path, where.line if line is None else line
        else:
            path = where
        self.items.append(Problem(path=str(path), message=message, line=line))
        self._index.add(str(path))

    def under(self, path: FieldPath) -> bool:
        """True when a problem was found at `path` or inside it (so checks built on it are skipped)."""
        return self._index.has_within(str(path))


class Rule(Protocol):
    """How one field is read (see `constructs_ab.spec.rules`)."""

    def read(self, node: Node, problems: Problems) -> Any: ...


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
    return node.child(mapping[key], node.path.key(key), _line_of_value(mapping, key))


def items_of(node: Node, name_of: Callable[[Any], str | None] = lambda _: None) -> Iterator[Node]:
    """The items of a list node, each with its index (and name, when `name_of` finds one) in the path."""
    for index, value in enumerate(node.value):
        yield node.child(value, node.path.index(index, name_of(value)), _line_of_item(node.value, index))


def name_in(value: Any) -> str | None:
    """The `name` of a list item, for paths like `experiments[0] (chat)`; None when it has no text name."""
    return item_label(value.get("name")) if isinstance(value, Mapping) else None


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

    def read(self, key: str, rule: Rule, default: Any) -> Any:
        """The value of `key` read by `rule`; `default` when it is absent or wrong."""
        node = self.get(key)
        if node is None:
            return default
        value = rule.read(node, self.problems)
        return default if value is None else value

    def read_all(self, rules: Mapping[str, Rule], defaults: Mapping[str, Any]) -> dict[str, Any]:
        """Every field of `rules`, read in order; a field absent or wrong takes its value in `defaults`."""
        return {key: self.read(key, rule, defaults[key]) for key, rule in rules.items()}
