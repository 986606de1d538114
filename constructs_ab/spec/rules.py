"""Rules of single fields, written once: the YAML reader applies them to what it reads, the model checks
apply them to the fields of a spec built in Python, with the same messages.

A rule knows its allowed text (`allowed`), what is wrong with a value (`problem`), how the reader turns a
YAML value into the model's (`read`) and how a model value is checked (`check`). The key lists and
defaults of a map come from the model's dataclass fields (`keys_of`, `defaults_of`, `required_keys`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Node, Problems, items_of, name_in
from constructs_ab.spec.values import describe, is_int, is_number, noted_line, show

T = TypeVar("T")

#: A check on text that passed the type check: returns "<what is wrong>" or None when fine.
TextCheck = Callable[[str], "str | None"]


def integer_from(name: str, low: int, high: int, unit: str = "") -> str:
    """`<name> is an integer from <low> to <high> (<unit>)`: the allowed text of an integer field."""
    return f"{name} is an integer from {low} to {high}" + (f" ({unit})" if unit else "")


def true_or_false(name: str, note: str = "") -> str:
    return f"{name} is true or false" + (f" ({note})" if note else "")


class Rule:
    """The rule of one field. `fallback` is the value a required field takes when absent or wrong."""

    allowed: str
    fallback: Any = None

    def problem(self, value: Any) -> str | None:
        """The message for `value` (`<value> is <what is wrong>; <allowed>`), or None when it is fine."""
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        """The model's value for a YAML value without problem."""
        return value

    def read(self, node: Node, problems: Problems) -> Any:
        """The model's value for `node`, or None after recording its problem."""
        message = self.problem(node.value)
        if message is not None:
            problems.add(node, message)
            return None
        return self.convert(node.value)

    def check(self, checks: Checks, path: FieldPath, value: Any) -> None:
        """Report the problem of a model value at `path`; a field a file leaves out, or that already has
        an error (the reader's: its value is a fallback), is not checked again."""
        message = self.problem(value)
        if message is not None and checks.valid(path):
            checks.error(path, message)

    def sound(self, checks: Checks, path: FieldPath, value: Any) -> bool:
        """True when a check built on this field may use its value: no error in it and the rule passes."""
        return self.problem(value) is None and not checks.blocked(path)


@dataclass(frozen=True, kw_only=True)
class Integer(Rule):
    """An integer from `low` to `high` (no upper bound when None), or `also`; a multiple of `step`."""

    low: int
    high: int | None
    allowed: str
    also: int | None = None
    step: int | None = None
    fallback: Any = 0

    @classmethod
    def between(cls, name: str, low: int, high: int, unit: str = "") -> Integer:
        return cls(low=low, high=high, allowed=integer_from(name, low, high, unit))

    def problem(self, value: Any) -> str | None:
        if not is_int(value):
            return f"{describe(value)}; {self.allowed}"
        if value == self.also:
            return None
        if value < self.low or (self.high is not None and value > self.high):
            return f"{show(value)} is out of range; {self.allowed}"
        if self.step and value % self.step:
            return f"{value} is not a multiple of {self.step}; {self.allowed}"
        return None

    def convert(self, value: Any) -> Any:
        return int(value)


@dataclass(frozen=True, kw_only=True)
class Number(Rule):
    """A number (integer or decimal) from `low` (excluded unless `low_inclusive`) to `high`."""

    low: float
    high: float
    allowed: str
    low_inclusive: bool = True

    @classmethod
    def positive(cls, name: str, high: float, *, of: str = "", then: str = "") -> Number:
        """A number more than 0 and at most `high`, allowed as `<name> is a number[ of <of>] more than 0 and
        at most <high><then>` (`then`: an example or the unit, e.g. `, e.g. 0.05`)."""
        unit = f" of {of}" if of else ""
        allowed = f"{name} is a number{unit} more than 0 and at most {high:g}{then}"
        return cls(low=0, high=high, low_inclusive=False, allowed=allowed)

    def problem(self, value: Any) -> str | None:
        if not is_number(value):
            return f"{describe(value)}; {self.allowed}"
        number = float(value)
        too_low = number < self.low if self.low_inclusive else number <= self.low
        if math.isnan(number) or too_low or number > self.high:
            return f"{show(value)} is out of range; {self.allowed}"
        return None

    def convert(self, value: Any) -> Any:
        return float(value)


@dataclass(frozen=True, kw_only=True)
class Boolean(Rule):
    allowed: str
    fallback: Any = False

    @classmethod
    def named(cls, name: str, note: str = "") -> Boolean:
        return cls(allowed=true_or_false(name, note))

    def problem(self, value: Any) -> str | None:
        return None if isinstance(value, bool) else f"{describe(value)}; {self.allowed}"


@dataclass(frozen=True, kw_only=True)
class Text(Rule):
    """Non-empty text that passes `test` (which returns what is wrong, or None)."""

    allowed: str
    test: TextCheck | None = None
    fallback: Any = ""

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{describe(value)}; {self.allowed}"
        if not value:
            return f"the value is empty text; {self.allowed}"
        wrong = self.test(value) if self.test else None
        return f"{show(value)} {wrong}; {self.allowed}" if wrong else None

    def convert(self, value: Any) -> Any:
        return str(value)


@dataclass(frozen=True, kw_only=True)
class Items(Rule):
    """A list of `min_items` to `max_items` items, each read by `item` (None: items not checked here).

    repeated: what to do about an item listed twice, e.g. "list it once"; None allows repeats.
    """

    item: Rule | None
    allowed: str
    min_items: int = 0
    max_items: int | None = None
    repeated: str | None = None
    fallback: Any = ()

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, list | tuple):
            return f"{describe(value)}; {self.allowed}"
        count = len(value)
        if count < self.min_items or (self.max_items is not None and count > self.max_items):
            return f"{count} item{'s' if count != 1 else ''} given; {self.allowed}"
        return None

    def nodes(self, node: Node, problems: Problems) -> list[Node]:
        """The item nodes of a list (the count checked), or [] after recording that it is no list."""
        message = self.problem(node.value)
        if message is not None:
            problems.add(node, message)
        return list(items_of(node, name_in)) if isinstance(node.value, list) else []

    def read_each(
        self, node: Node | None, problems: Problems, read: Callable[[Node, Problems], T | None]
    ) -> list[T]:
        """`read(item, problems)` of each item of the list `node`, in order, leaving out those it could not
        read (None); [] when the field is absent (`node` None)."""
        if node is None:
            return []
        values = (read(item, problems) for item in self.nodes(node, problems))
        return [value for value in values if value is not None]

    def shown(self, value: Any) -> str:
        """An item as a message names it."""
        return show(value)

    def _twice(self, value: Any, first: int | None) -> str:
        return f"{self.shown(value)} is listed twice{noted_line(first, 'first at line')}; {self.repeated}"

    def read(self, node: Node, problems: Problems) -> Any:
        if not isinstance(node.value, list):
            self.nodes(node, problems)
            return None
        values: dict[Any, int | None] = {}
        found: list[Any] = []
        for item in self.nodes(node, problems):
            value = self.item.read(item, problems) if self.item is not None else item.value
            if value is None:
                continue
            wrong = self.after(value, found)
            if wrong is None and self.repeated is not None and value in values:
                wrong = self._twice(value, values[value])
            if wrong is not None:
                problems.add(item, wrong)
                continue
            values[value] = item.line
            found.append(value)
        return tuple(found)

    def after(self, value: Any, before: list[Any]) -> str | None:
        """What is wrong with an item that follows the items `before` it (for ordered lists)."""
        return None

    def check(self, checks: Checks, path: FieldPath, value: Any) -> None:
        super().check(checks, path, value)
        first: dict[Any, int | None] = {}
        before: list[Any] = []
        if self.item is None:
            return
        for index, item in enumerate(value if isinstance(value, list | tuple) else ()):
            item_path = path.index(index)
            self.item.check(checks, item_path, item)
            if not self.item.sound(checks, item_path, item):
                continue
            wrong = self.after(item, before)
            if wrong is None and self.repeated is not None and item in first:
                wrong = self._twice(item, first[item])
            if wrong is not None:
                checks.error(item_path, wrong)
                continue
            first[item] = checks.line(item_path)
            before.append(item)


def check_fields(checks: Checks, obj: Any, path: FieldPath, rules: Mapping[str, Rule]) -> None:
    """Every field of the model object `obj` that `rules` names, checked at `path.<field>`; an optional
    field left out (None) is not checked."""
    for key, rule in rules.items():
        value = getattr(obj, key)
        if value is None and key in _optional(type(obj)):
            continue
        rule.check(checks, path.key(key), value)


_OPTIONAL: dict[type, frozenset[str]] = {}


def _optional(cls: type) -> frozenset[str]:
    """The fields of a model class that default to None (left out when None)."""
    if cls not in _OPTIONAL:
        _OPTIONAL[cls] = frozenset(f.name for f in dataclasses.fields(cls) if f.default is None)
    return _OPTIONAL[cls]


def keys_of(
    cls: type, *, skip: tuple[str, ...] = (), rename: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The keys of a model class in a spec file: its field names in declaration order (its documentation
    order) but `skip`; `rename` maps a field to the key it is written under (several may share one)."""
    keys: list[str] = []
    for model_field in dataclasses.fields(cls):
        key = (rename or {}).get(model_field.name, model_field.name)
        if model_field.name not in skip and key not in keys:
            keys.append(key)
    return tuple(keys)


def defaults_of(cls: type) -> dict[str, Any]:
    """The default of every field of a model class that has one."""
    defaults: dict[str, Any] = {}
    for model_field in dataclasses.fields(cls):
        if model_field.default is not dataclasses.MISSING:
            defaults[model_field.name] = model_field.default
        elif model_field.default_factory is not dataclasses.MISSING:
            defaults[model_field.name] = model_field.default_factory()
    return defaults


def fallbacks_of(cls: type, rules: Mapping[str, Rule]) -> dict[str, Any]:
    """The value each field of `rules` takes when the file leaves it out or gets it wrong: the model's
    default, else (a required field) its rule's fallback."""
    return {**{key: rule.fallback for key, rule in rules.items()}, **defaults_of(cls)}


def required_keys(cls: type, missing: Mapping[str, str], *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """The fields of a model class without a default (but `skip`), in order, each with the allowed text
    that `missing` gives for it (a KeyError names a required field without one)."""
    defaults = defaults_of(cls)
    return {
        f.name: missing[f.name]
        for f in dataclasses.fields(cls)
        if f.name not in defaults and f.name not in skip
    }
