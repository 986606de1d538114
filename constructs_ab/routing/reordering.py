"""Requests that a new rule order sends elsewhere: what a priority change does to one listener.

    moved = rerouted(before=[ListedRule(key="chat", conditions=(Condition.path_patterns("/v1/*"),)), ...],
                     after=[...])
    moved[0].request.describe(), moved[0].before, moved[0].after  # "GET /v1/embeddings", "embeddings", "chat"

Each side lists a listener's rules in evaluation order (ascending priority). Two rules present on both
sides whose order flipped are compared with the overlap analysis (`routing.overlap`): when some request
matches both, it is evaluated on both sides (first matching rule wins), and reported when the rule that
takes it changed. One request per pair of rules (before, after) is reported. The review's traffic diff
flags these; a rule's key is whatever identifies it on both sides (the diff uses its experiment and role).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.overlap import candidate_pairs, matches_all, shared_request
from constructs_ab.routing.request import Request

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, kw_only=True)
class ListedRule(Generic[K]):
    """A rule of a listener: its key (equal on both sides for the same rule) and its conditions (AND)."""

    key: K
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, kw_only=True)
class Rerouted(Generic[K]):
    """A request that another rule takes after the change.

    before, after: the key of the rule that takes it before and after; None: the listener's default
        action (no rule matches).
    """

    request: Request
    before: K | None
    after: K | None


def first_match(rules: Sequence[ListedRule[K]], request: Request) -> K | None:
    """The key of the first rule (in evaluation order) whose conditions all match; None when none does."""
    return next((rule.key for rule in rules if matches_all(rule.conditions, request)), None)


def rerouted(before: Sequence[ListedRule[K]], after: Sequence[ListedRule[K]]) -> tuple[Rerouted[K], ...]:
    """Requests the new order (`after`) sends to another rule than the old one (`before`); each side in
    evaluation order."""
    old_place = {rule.key: index for index, rule in enumerate(before)}
    new_place = {rule.key: index for index, rule in enumerate(after)}
    found: dict[tuple[K | None, K | None], Rerouted[K]] = {}
    for side in (after, before):
        for i, j in sorted(candidate_pairs([rule.conditions for rule in side])):
            a, b = side[i], side[j]
            if (
                a.key not in old_place
                or a.key not in new_place
                or b.key not in old_place
                or b.key not in new_place
            ):
                continue
            if (old_place[a.key] < old_place[b.key]) == (new_place[a.key] < new_place[b.key]):
                continue  # same order on both sides
            request = shared_request(a.conditions, b.conditions)
            if request is None:
                continue
            was, now = first_match(before, request), first_match(after, request)
            if was != now and (was, now) not in found:
                found[(was, now)] = Rerouted(request=request, before=was, after=now)
    return tuple(found.values())
