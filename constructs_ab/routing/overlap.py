"""Which requests two listener rules share, as the load balancer matches them: the one analysis of
shadowed and overlapping rules, which the spec validator (`spec.shadowing`), the gate's policy
(CKV_ABT_20) and the traffic diff (through `reordering`) all use.

On a listener the rule with the lower priority number takes a request first. A later rule is
**shadowed** by an earlier one when every request the later rule matches also matches the earlier one
(`covers(earlier, later)`): the later rule never gets a request. Two rules **overlap** when some request
matches both (`shared_request(a, b)` gives one, concrete: method, path, host, headers, query, source IP).

Semantics (the routing model's `Condition.matches`, which follows ALB): a rule AND-s its conditions, a
condition OR-s its values; paths and methods are case-sensitive, hosts, header values and query keys and
values are not; `*` and `?` are wildcards; a header condition is met by any of the request's headers of
that name (a request may send a header twice), a query condition by any of its key=value pairs.

`covers` is exact for paths, hosts, methods, source IPs and headers (wildcard patterns are compared as
sets, see `wildcard_sets`), and cautious for query strings (a query pair must sit inside one pair of the
earlier rule), so shadowing is never claimed wrongly; a rule whose conditions cannot be compared (too
many wildcards to explore) is not claimed shadowed either. Paths are taken to start with `/`, as every
request path does.

`shared_request` looks for a request that sends each header and each query key once (a request that
sends a header twice with two values can match two rules that differ in that header's value; such
requests are not reported). Its answer is always checked against both rules with `Condition.matches`.

Nothing here names a kind: a kind whose values are a list of texts is compared through its
`condition_kinds.KINDS` entry (`values`: wildcard patterns, exact texts or CIDR blocks, see
`value_semantics`; `request_part`: where a shared request holds its example); headers and query pairs
have their own shapes, compared below.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs_ab.routing.condition_kinds import KINDS, Shape
from constructs_ab.routing.conditions import Condition, ConditionField, QueryPair
from constructs_ab.routing.request import Request
from constructs_ab.routing.value_semantics import Union
from constructs_ab.routing.wildcard_sets import example, included

#: Alternatives of query conditions tried at most, per pair of rules, when looking for a shared request.
_MAX_QUERY_CHOICES = 512
#: The kinds whose values are a list of texts, compared through their kind's `values` semantics.
_LISTS = tuple(kind for kind in ConditionField if KINDS[kind].shape is Shape.VALUES)


@dataclass(kw_only=True)
class _Kinds:
    """A rule's conditions by kind: each list holds one entry per condition (AND); an entry holds the
    condition's values (OR)."""

    lists: dict[ConditionField, list[Union]] = field(default_factory=lambda: {kind: [] for kind in _LISTS})
    headers: dict[str, list[Union]] = field(default_factory=dict)  # by lower-case name
    header_names: dict[str, str] = field(default_factory=dict)  # lower-case name -> as written
    queries: list[tuple[QueryPair, ...]] = field(default_factory=list)
    unknown: bool = False  # a value that cannot be read (an unparsable CIDR)

    @classmethod
    def of(cls, conditions: Iterable[Condition]) -> _Kinds:
        kinds = cls()
        for condition in conditions:
            shape = KINDS[condition.field].shape
            if shape is Shape.HEADER:
                name = condition.header_name or ""
                kinds.headers.setdefault(name.lower(), []).append(tuple(condition.values))
                kinds.header_names.setdefault(name.lower(), name)
            elif shape is Shape.QUERY:
                kinds.queries.append(tuple(condition.query))
            else:
                semantics = KINDS[condition.field].values
                kinds.unknown |= not all(semantics.readable(value) for value in condition.values)
                kinds.lists[condition.field].append(tuple(condition.values))
        return kinds


def matches_all(conditions: Iterable[Condition], request: Request) -> bool:
    """True when the request meets every condition (a rule without conditions matches every request)."""
    return all(condition.matches(request) for condition in conditions)


# --- shadowing ----------------------------------------------------------------------------------


def covers(earlier: Sequence[Condition], later: Sequence[Condition]) -> bool:
    """True when every request that matches all of `later` also matches all of `earlier`, so a rule with
    the conditions `earlier`, evaluated first, takes every request of a rule with `later`. Never True
    wrongly; possibly False for query conditions that a union of pairs would cover."""
    return _covers(tuple(earlier), tuple(later))


def _covers(earlier: tuple[Condition, ...], later: tuple[Condition, ...]) -> bool:
    first, then = _Kinds.of(earlier), _Kinds.of(later)
    if first.unknown or then.unknown:
        return False
    if not first.headers.keys() <= then.headers.keys():
        return False  # the later rule takes requests without a header the earlier one requires
    if first.queries and not then.queries:
        return False  # ... or without a query the earlier one requires
    return (
        all(
            KINDS[kind].values.within(then.lists[kind], values)  # False when the later rule has none
            for kind in _LISTS
            for values in first.lists[kind]
        )
        and all(
            _header_within(then.headers.get(name, []), values)
            for name, conditions in first.headers.items()
            for values in conditions
        )
        and all(_query_within(then.queries, pairs) for pairs in first.queries)
    )


def _header_within(later: list[tuple[str, ...]], values: tuple[str, ...]) -> bool:
    """Some header condition of the later rule (same name) admits only values the earlier one admits:
    a request meets the later rule's conditions with one header each, possibly different ones."""
    return any(included([own], values, case_sensitive=False) for own in later)


def _query_within(later: list[tuple[QueryPair, ...]], pairs: tuple[QueryPair, ...]) -> bool:
    """Some query condition of the later rule has every pair inside one pair of `pairs` (cautious)."""
    return any(
        all(any(_pair_within(own, pair) for pair in pairs) for own in condition) for condition in later
    )


def _pair_within(own: QueryPair, pair: QueryPair) -> bool:
    keys = pair.key is None or (
        own.key is not None and included([[own.key]], [pair.key], case_sensitive=False)
    )
    return keys and included([[own.value]], [pair.value], case_sensitive=False)


def satisfiable(conditions: Sequence[Condition]) -> bool:
    """True when some request matches every condition (a rule whose conditions contradict each other,
    two disjoint path conditions say, matches nothing: it is dead, but not shadowed)."""
    kinds = _Kinds.of(conditions)
    return not kinds.unknown and (
        all(KINDS[kind].values.satisfiable(kinds.lists[kind]) for kind in _LISTS)
        and all(values for conditions in kinds.headers.values() for values in conditions)
        and all(pairs for pairs in kinds.queries)
    )


def shadowing(rules: Sequence[Sequence[Condition]]) -> dict[int, int]:
    """For `rules` in evaluation order (each a rule's conditions): each rule that an earlier rule shadows
    (by index), with the first earlier rule that takes all its requests."""
    found: dict[int, int] = {}
    for earlier, later in sorted(candidate_pairs(rules)):
        if later not in found and covers(rules[earlier], rules[later]) and satisfiable(rules[later]):
            found[later] = earlier
    return found


# --- which pairs to compare ---------------------------------------------------------------------


def candidate_pairs(rules: Sequence[Sequence[Condition]]) -> set[tuple[int, int]]:
    """The pairs (i, j), i < j, of `rules` (each a rule's conditions) whose paths may share a request:
    every pair that shares a request is among them, so callers compare only these. Found through the
    literal start of each path pattern (what comes before its first wildcard): a pattern can only meet
    another whose literal start begins with its own, or the reverse; a rule without a path condition may
    meet any. A listener with thousands of rules on distinct paths is compared in about n log n steps."""
    literals: dict[str, set[int]] = {}  # a pattern without wildcards -> the rules with it
    prefixes: dict[str, set[int]] = {}  # the literal start of a pattern with wildcards -> the rules
    pathless: list[int] = []
    patterns: list[tuple[str, ...]] = []
    for index, conditions in enumerate(rules):
        paths = next((c.values for c in conditions if c.field is ConditionField.PATH_PATTERN), None)
        patterns.append(tuple(paths or ()))
        if paths is None:
            pathless.append(index)
        for pattern in paths or ():
            start = _literal_start(pattern)
            (literals if start == pattern else prefixes).setdefault(start, set()).add(index)
    sorted_literals, sorted_prefixes = sorted(literals), sorted(prefixes)
    pairs: set[tuple[int, int]] = set()

    def add(index: int, others: Iterable[int]) -> None:
        for other in others:
            if other != index:
                pairs.add((min(index, other), max(index, other)))

    for index, own in enumerate(patterns):
        for pattern in own:
            start = _literal_start(pattern)
            for cut in range(len(start) + 1):  # patterns whose literal start begins this one's
                add(index, prefixes.get(start[:cut], ()))
            if start == pattern:
                add(index, literals.get(pattern, ()))
                continue
            for found in (_starting_with(sorted_prefixes, start), _starting_with(sorted_literals, start)):
                for other in found:
                    add(index, prefixes.get(other, set()) | literals.get(other, set()))
    for index in pathless:
        add(index, range(len(rules)))
    return pairs


def _literal_start(pattern: str) -> str:
    cut = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
    return pattern[:cut]


def _starting_with(ordered: list[str], start: str) -> list[str]:
    low = bisect.bisect_left(ordered, start)
    high = bisect.bisect_left(ordered, start + "\U0010ffff")
    return ordered[low:high]


# --- a shared request ---------------------------------------------------------------------------


def shared_request(a: Sequence[Condition], b: Sequence[Condition]) -> Request | None:
    """A concrete request that matches every condition of both `a` and `b` (sending each header and
    query key once); None when there is none of that kind (or none could be found)."""
    both = _Kinds.of([*a, *b])
    if both.unknown:
        return None
    parts: dict[str, Any] = {}  # a part of the request no condition reads keeps `Request`'s default
    for kind in _LISTS:
        if both.lists[kind]:
            parts[KINDS[kind].request_part] = KINDS[kind].values.example(both.lists[kind])
            if parts[KINDS[kind].request_part] is None:
                return None
    headers = []
    for name, conditions in both.headers.items():
        value = example(conditions, case_sensitive=False)
        if value is None:
            return None
        headers.append((both.header_names[name], value))
    query = _shared_query(both.queries)
    if query is None:
        return None
    request = Request(**parts, headers=tuple(headers), query=query)
    return request if matches_all(a, request) and matches_all(b, request) else None


def _shared_query(conditions: list[tuple[QueryPair, ...]]) -> tuple[tuple[str, str], ...] | None:
    """key=value pairs, each key once, that meet every query condition; None when none is found."""
    if not conditions:
        return ()
    for choice in itertools.islice(itertools.product(*conditions), _MAX_QUERY_CHOICES):
        found = _pairs_for(choice)
        if found is not None:
            return found
    return None


def _pairs_for(choice: Sequence[QueryPair]) -> tuple[tuple[str, str], ...] | None:
    """One request pair per group of chosen pairs that one pair can meet together; each key once."""
    groups: list[tuple[list[list[str]], list[list[str]]]] = []  # (key unions, value unions)
    for pair in choice:
        keys = [[pair.key]] if pair.key is not None else []
        for group in groups:
            merged = (group[0] + keys, group[1] + [[pair.value]])
            if (not merged[0] or example(merged[0], case_sensitive=False) is not None) and example(
                merged[1], case_sensitive=False
            ) is not None:
                group[0][:] = merged[0]
                group[1][:] = merged[1]
                break
        else:
            groups.append((keys, [[pair.value]]))
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for number, (keys, values) in enumerate(groups, start=1):
        key = example(keys, case_sensitive=False) if keys else f"q{number}"
        value = example(values, case_sensitive=False)
        if key is None or value is None or key.lower() in used:
            return None
        used.add(key.lower())
        pairs.append((key, value))
    return tuple(pairs)
