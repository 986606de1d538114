"""How values appear in problem messages, written once for the YAML reader and the model checks.

Messages follow one pattern: `<value> is <what is wrong>; <what is allowed>`. `show` writes a value as a
user would have written it in YAML, `describe` says what a value of the wrong type is.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from constructs_ab.cli.kit.did_you_mean import closest
from constructs_ab.spec.errors import printable


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


def suggestion(word: str, choices: Sequence[str]) -> str:
    """`did you mean "x"? ` for the closest choice (the command-line kit's `closest`, the one matching rule
    of every suggestion), or "" when none is close."""
    match = closest(word, choices)
    return f"did you mean {show(match)}? " if match is not None else ""


def listing(names: Iterable[str], empty: str = "(none)") -> str:
    """Names joined by commas, or `empty` when there are none."""
    return ", ".join(names) or empty


def noted_line(line: int | None, words: str = "line") -> str:
    """` (line 7)` (or ` (<words> 7)`) pointing at an earlier place; "" when its line is not known."""
    return f" ({words} {line})" if line is not None else ""
