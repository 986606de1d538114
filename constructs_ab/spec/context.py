"""What the checks on model objects report into, and what they know of the file the model came from.

`validate(spec)` checks a spec built in Python: every field counts as given, no line is known. When the
model was read from YAML, the reader hands over a `SourceMap`: the line of every field path read, the
problems it already found (a check skips a field the reader found wrong, or a value it replaced by a
fallback), the field path of the YAML item behind each experiment and variant entry, and which entries
define their variant, so problems name the same paths and lines either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from constructs_ab.spec.errors import Problem, Severity
from constructs_ab.spec.paths import FieldPath, PathIndex, item_label

#: The path of a list item the reader could not read, `<list>[<index>]`: group 1 is the list's path.
_ITEM = re.compile(r"^(.*)\[\d+\]*$")


@dataclass
class SourceMap:
    """Where the YAML reader found things (keys of the path maps: environment name and model indexes).

    lines: field path (as text) -> line, for every node read.
    problems: what the reader found wrong.
    experiments: (environment, experiment index) -> path of the YAML item.
    entries: (environment, experiment index, variant index) -> path of the YAML item.
    defining: (environment, experiment index, variant index) of each entry that defines its variant (it
        has `model`; the model holds that definition there).
    """

    lines: dict[str, int | None] = field(default_factory=dict)
    problems: Sequence[Problem] = ()
    experiments: dict[tuple[str, int], FieldPath] = field(default_factory=dict)
    entries: dict[tuple[str, int, int], FieldPath] = field(default_factory=dict)
    defining: set[tuple[str, int, int]] = field(default_factory=set)


ROOT = FieldPath()


class Checks:
    """The problems found by the checks on model objects, in the order found."""

    def __init__(self, source: SourceMap | None = None) -> None:
        self.source = source
        self.problems: list[Problem] = []
        read = source.problems if source is not None else ()
        # Indexes, so that a spec with many problems is still checked in linear time.
        self._errors = PathIndex(p.path for p in read if p.is_error)
        self._dropped = {found[1] for p in read if (found := _ITEM.match(p.path))}

    def error(self, path: FieldPath, message: str, *, at: FieldPath | None = None) -> None:
        """An error at `path`, on the line of `at` (default: of `path`)."""
        self._add(path, message, at, Severity.ERROR)

    def warning(self, path: FieldPath, message: str, *, at: FieldPath | None = None) -> None:
        self._add(path, message, at, Severity.WARNING)

    def _add(self, path: FieldPath, message: str, at: FieldPath | None, severity: Severity) -> None:
        line = self.line(at if at is not None else path)
        self.problems.append(Problem(path=str(path), message=message, line=line, severity=severity))
        if severity is Severity.ERROR:
            self._errors.add(str(path))

    def line(self, path: FieldPath) -> int | None:
        """The line of `path`, or of the nearest enclosing path that was read; None without a file."""
        if self.source is None:
            return None
        where: FieldPath | None = path
        while where is not None:
            if str(where) in self.source.lines:
                return self.source.lines[str(where)]
            where = where.parent
        return None

    def given(self, path: FieldPath) -> bool:
        """False when the spec file leaves this field out (its value is a default)."""
        return self.source is None or str(path) in self.source.lines

    def blocked(self, path: FieldPath) -> bool:
        """True when an error was found at `path` or inside it, by the reader (the value is a fallback) or
        by a check that ran before: checks built on a wrong value are skipped."""
        return self._errors.has_within(str(path))

    def valid(self, path: FieldPath) -> bool:
        """True when the field was given and no error was found in it: a check of it means something."""
        return self.given(path) and not self.blocked(path)

    def dropped(self, path: FieldPath) -> bool:
        """True when an item of the list at `path` was not read at all (so the model lacks it)."""
        return str(path) in self._dropped

    # Field paths of the model's objects: as read from the file, else rendered from the model.

    def environment(self, name: str) -> FieldPath:
        return ROOT.key("environments").key(name)

    def load_balancer(self, environment: str, name: str) -> FieldPath:
        return self.environment(environment).key("load_balancers").key(name)

    def experiment(self, environment: str, index: int, name: str) -> FieldPath:
        read = self.source.experiments.get((environment, index)) if self.source else None
        return read or self.environment(environment).key("experiments").index(index, item_label(name))

    def entry(self, environment: str, experiment: FieldPath, key: tuple[int, int], name: str) -> FieldPath:
        """The variant entry at `key` (experiment index, variant index) of the experiment at `experiment`."""
        read = self.source.entries.get((environment, *key)) if self.source else None
        return read or experiment.key("variants").index(key[1], item_label(name))

    def defines(self, environment: str, key: tuple[int, int], first_use: bool) -> bool:
        """True when the variant entry at `key` (experiment index, variant index) defines its variant: it
        has `model` in a file; without a file, it is the first entry of that variant (`first_use`)."""
        return first_use if self.source is None else (environment, *key) in self.source.defining
