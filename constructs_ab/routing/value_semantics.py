"""What a condition's values mean, whatever its kind: how one value matches a part of a request, and how
the values of several conditions combine, which the overlap analysis needs (`overlap`).

A condition's values are OR-ed (a union); a rule AND-s its conditions, so several conditions of one kind
admit the texts in every union. Three ways values are read, each one class, each kind of condition
naming one in its table entry (`condition_kinds.KINDS`):

- `Wildcards`: patterns with `*` and `?` (paths case-sensitive; hosts, header values, query keys and
  values not), compared as sets through `wildcard_sets`;
- `Exact`: texts compared as they are (methods);
- `Networks`: CIDR blocks holding an address (source IPs).

Every answer is exact or cautious: `within` is never True wrongly, `example` never gives a text outside
the unions (None when there is none or the search gave up).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from constructs_ab.routing.wildcard import wildcard_match
from constructs_ab.routing.wildcard_sets import example, included

#: The values of one condition (OR-ed).
Union = tuple[str, ...]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, kw_only=True)
class Wildcards:
    """ALB wildcard patterns (`*` any run of characters, `?` one).

    case_sensitive: whether letters are compared as they are.
    implicit: a union every request meets (paths: "/*", every path starts with a slash). Default none.
    avoid: patterns an example should not match when it can help it (to read like a real request).
    """

    case_sensitive: bool
    implicit: Union = ()
    avoid: Union = ()

    def matches(self, value: str, text: str) -> bool:
        return wildcard_match(value, text, case_sensitive=self.case_sensitive)

    def readable(self, value: str) -> bool:
        return True

    def within(self, later: Sequence[Union], values: Union) -> bool:
        """Every text that all unions of `later` admit is one `values` admits (False when not known)."""
        required = [*later, self.implicit] if self.implicit else list(later)
        return bool(required) and included(required, values, case_sensitive=self.case_sensitive)

    def satisfiable(self, unions: Sequence[Union]) -> bool:
        """Some text is in every union."""
        if not unions and not self.implicit:
            return True
        required = [*unions, self.implicit] if self.implicit else list(unions)
        return example(required, case_sensitive=self.case_sensitive) is not None

    def example(self, unions: Sequence[Union]) -> str | None:
        """A text in every union (`unions` not empty); None when there is none."""
        required = [*unions, self.implicit] if self.implicit else list(unions)
        return example(required, case_sensitive=self.case_sensitive, avoid=self.avoid)


@dataclass(frozen=True, kw_only=True)
class Exact:
    """Texts compared exactly (case-sensitive, no wildcards).

    preferred: the text an example takes when it may (a request's default).
    """

    preferred: str

    def matches(self, value: str, text: str) -> bool:
        return value == text

    def readable(self, value: str) -> bool:
        return True

    def within(self, later: Sequence[Union], values: Union) -> bool:
        if not later:
            return False  # the later rule takes any text
        return frozenset.intersection(*(frozenset(union) for union in later)) <= frozenset(values)

    def satisfiable(self, unions: Sequence[Union]) -> bool:
        return not unions or bool(frozenset.intersection(*(frozenset(union) for union in unions)))

    def example(self, unions: Sequence[Union]) -> str | None:
        common = frozenset.intersection(*(frozenset(union) for union in unions))
        if not common:
            return None
        return self.preferred if self.preferred in common else min(common)


@dataclass(frozen=True, kw_only=True)
class Networks:
    """CIDR blocks (IPv4 or IPv6); a value matches an address inside it."""

    def matches(self, value: str, text: str) -> bool:
        try:
            return ipaddress.ip_address(text) in ipaddress.ip_network(value, strict=False)
        except (ValueError, TypeError):
            return False  # an unparsable CIDR or a v4/v6 mismatch never matches

    def readable(self, value: str) -> bool:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
        return True

    def within(self, later: Sequence[Union], values: Union) -> bool:
        if not later:
            return False  # the later rule takes any client, and a request without a known one
        own = _networks(values)
        return all(_inside(network, own) for network in _intersection([_networks(u) for u in later]))

    def satisfiable(self, unions: Sequence[Union]) -> bool:
        return not unions or bool(_intersection([_networks(union) for union in unions]))

    def example(self, unions: Sequence[Union]) -> str | None:
        common = _intersection([_networks(union) for union in unions])
        return str(common[0].network_address) if common else None


#: How a kind's values are read.
ValueSemantics = Wildcards | Exact | Networks


def _networks(union: Union) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in union)


def _intersection(conditions: list[tuple[Network, ...]]) -> list[Network]:
    """The networks in every condition (each condition: a union of networks), as a union of networks."""
    found = list(conditions[0])
    for condition in conditions[1:]:
        found = [
            smaller
            for a in found
            for b in condition
            if a.version == b.version and (smaller := _smaller_if_nested(a, b)) is not None
        ]
    return found


def _smaller_if_nested(a: Network, b: Network) -> Network | None:
    """Two CIDR blocks are nested or disjoint: the inner one, or None."""
    if a.subnet_of(b):  # type: ignore[arg-type]
        return a
    if b.subnet_of(a):  # type: ignore[arg-type]
        return b
    return None


def _inside(network: Network, union: tuple[Network, ...]) -> bool:
    """True when `network` lies inside the union of `union`."""
    pending = [network]
    while pending:
        part = pending.pop()
        if any(part.version == other.version and part.subnet_of(other) for other in union):  # type: ignore[arg-type]
            continue
        overlapping = [o for o in union if o.version == part.version and o.subnet_of(part)]  # type: ignore[arg-type]
        if not overlapping or part.prefixlen == part.max_prefixlen:
            return False
        pending.extend(part.subnets(prefixlen_diff=1))
    return True
