"""The problems a spec can have, and the one error that carries all of them.

Format of one problem, as `str(SpecError)` prints it (one line per problem, sorted by line):

    <source>:<line>: <path>: <message>

- `<source>` is the file name given to the loader (`<spec>` for text without a file).
- `<line>` is 1-based; it is left out (`<source>: <path>: <message>`) when no line is known.
- `<path>` is the field path from the top of the file: map keys joined by dots, list items by index,
  with the item's name in parentheses when it has one, e.g.
  `environments.prod.experiments[0] (sentiment-abtest).variants[1] (sentiment-b).weight`.
  It is empty for problems of the whole file (a YAML syntax error), and then left out with its colon.
- `<message>` is `<value> is <what is wrong>; <what is allowed>`, e.g.
  `1000 is out of range; a weight is an integer from 0 to 999`.

A warning is a problem that does not stop the spec from loading; it renders as
`<source>:<line>: warning: <path>: <message>`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


def printable(text: str) -> str:
    """`text` with every character that is not printable (line breaks included) escaped as `\\uXXXX`,
    so a problem always renders on one line whatever the spec contains."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


class Severity(enum.StrEnum):
    """An error makes the spec unusable (`SpecError`); a warning is reported and the spec still loads."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with a spec.

    path: field path, e.g. `environments.prod.experiments[0] (chat).variants[1] (b).weight`; "" for the
        whole file.
    message: the value, what is wrong with it and what is allowed.
    line: 1-based line in the spec file. Default None: not known (a default, a derived value, or a spec
        built in Python).
    severity: Default error.
    """

    path: str
    message: str
    line: int | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def render(self, source: str) -> str:
        """The problem as one line: `<source>:<line>: <path>: <message>`, with `warning: ` before the path
        for a warning."""
        where = f"{source}:{self.line}" if self.line is not None else source
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return printable(f"{where}: {kind}{self}")

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SpecError(Exception):
    """A spec that cannot be used: every problem found, sorted by line (problems without a line last).

    source: the file name the problems refer to, as given to the loader.
    problems: all problems, never empty.
    `str(error)` is one line per problem (see the module docstring for the format).
    """

    def __init__(self, problems: Iterable[Problem], *, source: str = "<spec>") -> None:
        unique = list(dict.fromkeys(problems))
        ordered = sorted(unique, key=lambda p: (p.line is None, p.line or 0))
        if not ordered:
            raise ValueError("SpecError needs at least one problem")
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(ordered)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(problem.render(self.source) for problem in self.problems)

    def __str__(self) -> str:
        return self.render()
