"""Suggest the name the user probably meant: one matching rule for every message that offers one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How similar a name must be to be suggested (difflib's ratio, 0 to 1).
CUTOFF = 0.6


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word`, or None when none is close enough (or `word` is one of them)."""
    candidates = list(dict.fromkeys(choices))
    if word in candidates:
        return None
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`"; did you mean 'x'?"` for the closest choice, to append to a message; "" when none is close."""
    match = closest(word, choices)
    return f"; did you mean {match!r}?" if match is not None else ""
