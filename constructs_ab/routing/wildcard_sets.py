"""Sets of texts described by ALB wildcard patterns: is one set inside another, and a text in several.

A condition's values are OR-ed, so the texts one condition admits are the union of its patterns'
(`*` any run of characters, `?` one character, every other character itself; see `wildcard`). Here a
union of patterns is a nondeterministic automaton, and questions about several unions are answered by
exploring the product of their automata, built on the fly from subsets of pattern positions:

- `find_text(required, excluded)`: a text that matches some pattern of every union in `required` and no
  pattern of `excluded`; None when there is none.
- `included(required, within)`: every text matching all of `required` matches `within`.

The alphabet is finite without loss: a character no pattern names behaves like any other such character,
so one stand-in (a character none of the patterns uses) covers them all, and the answers are exact. The
exploration is bounded (`MAX_STATES`); past it the answer is "not known", which callers treat as the
cautious one (not included, no text found), so nothing is ever claimed wrongly.

Case-insensitive kinds (host, header values, query keys and values) are compared in lower case, as
`wildcard_match` does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: A union of patterns: a text is in it when it matches any of them.
Union = Sequence[str]
#: States explored at most before answering "not known" (patterns of 128 characters with a few
#: wildcards need far fewer).
MAX_STATES = 20_000
#: Characters tried, in order, as the stand-in for every character no pattern names.
_STAND_INS = "xyzqjkvwabcdefghilmnoprstu0123456789-_~"


@dataclass(frozen=True)
class _Automaton:
    """The patterns of one union; a state is a frozenset of (pattern index, position)."""

    patterns: tuple[str, ...]

    def start(self) -> frozenset[tuple[int, int]]:
        return self._closure((index, 0) for index in range(len(self.patterns)))

    def _closure(self, states: Iterable[tuple[int, int]]) -> frozenset[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for index, position in states:
            pattern = self.patterns[index]
            found.add((index, position))
            while position < len(pattern) and pattern[position] == "*":
                position += 1
                found.add((index, position))
        return frozenset(found)

    def step(self, states: frozenset[tuple[int, int]], char: str | None) -> frozenset[tuple[int, int]]:
        """The states after reading `char` (None: a character no pattern names)."""
        moved = []
        for index, position in states:
            pattern = self.patterns[index]
            if position == len(pattern):
                continue
            wanted = pattern[position]
            if wanted == "*":
                moved.append((index, position))
            elif wanted == "?" or wanted == char:
                moved.append((index, position + 1))
        return self._closure(moved)

    def accepts(self, states: frozenset[tuple[int, int]]) -> bool:
        return any(position == len(self.patterns[index]) for index, position in states)


@dataclass(frozen=True, kw_only=True)
class Search:
    """The answer of `find_text`: `text` found, else None; `known` False when the search gave up."""

    text: str | None
    known: bool = True


def find_text(required: Sequence[Union], excluded: Union = (), *, case_sensitive: bool) -> Search:
    """A shortest text in every union of `required` and in no pattern of `excluded` (an empty union in
    `required` admits nothing; an empty `excluded` excludes nothing)."""
    fold = (lambda text: text) if case_sensitive else str.lower
    musts = [_Automaton(tuple(fold(p) for p in union)) for union in required]
    not_in = _Automaton(tuple(fold(p) for p in excluded))
    letters = {c for automaton in (*musts, not_in) for p in automaton.patterns for c in p if c not in "*?"}
    stand_in = next((c for c in _STAND_INS if c not in letters and c.upper() not in letters), "\u00b7")
    symbols: list[str | None] = [*sorted(letters), None]
    start = (tuple(a.start() for a in musts), not_in.start())
    parents: dict[object, tuple[object, str | None] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        states, excluded_states = state
        if all(a.accepts(s) for a, s in zip(musts, states, strict=True)) and not not_in.accepts(
            excluded_states
        ):
            return Search(text=_spell(state, parents, stand_in))
        for symbol in symbols:
            following = tuple(a.step(s, symbol) for a, s in zip(musts, states, strict=True))
            if any(not s for s in following):
                continue  # some required union can no longer match
            successor = (following, not_in.step(excluded_states, symbol))
            if successor in parents:
                continue
            if len(parents) >= MAX_STATES:
                return Search(text=None, known=False)
            parents[successor] = (state, symbol)
            queue.append(successor)
    return Search(text=None)


def _spell(state: object, parents: dict[object, tuple[object, str | None] | None], stand_in: str) -> str:
    chars: list[str] = []
    link = parents[state]
    while link is not None:
        state, symbol = link
        chars.append(stand_in if symbol is None else symbol)
        link = parents[state]
    return "".join(reversed(chars))


def included(required: Sequence[Union], within: Union, *, case_sensitive: bool) -> bool:
    """True when every text in all unions of `required` is in `within` (False when not known)."""
    if not any("*" in p or "?" in p for union in (*required, within) for p in union):
        fold = (lambda text: text) if case_sensitive else str.lower
        texts = set.intersection(*({fold(p) for p in union} for union in required)) if required else None
        if texts is not None:  # literal texts only: plain set containment
            return texts <= {fold(p) for p in within}
    found = find_text(required, within, case_sensitive=case_sensitive)
    return found.known and found.text is None


def example(required: Sequence[Union], *, case_sensitive: bool, avoid: Union = ()) -> str | None:
    """A shortest text in every union of `required`, outside `avoid` when there is one (to read well: a
    host that does not start with a dot); None when there is none (or the search gave up)."""
    if avoid:
        found = find_text(required, avoid, case_sensitive=case_sensitive).text
        if found is not None:
            return found
    return find_text(required, case_sensitive=case_sensitive).text
