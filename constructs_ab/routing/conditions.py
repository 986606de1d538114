"""Listener rule conditions: every kind in one place, like aws-cdk's `conditions.ts`.

For each kind: its factory (`Condition.path_patterns("/abtest", "/abtest/*")`), its place in the
canonical order, its AWS limits, its Terraform JSON block (`Condition.to_terraform()`, and back with
`conditions_from_terraform`) and how the load balancer matches it (`Condition.matches(request)`). What
differs from one kind to another is a table entry of `condition_kinds.KINDS`; the code here branches on
the shape of a kind's values (a list of texts, a header, query pairs), never on a kind.

Semantics (see the AWS page below): within a condition the values are OR-ed; a rule AND-s its conditions.
- path-pattern: case-sensitive, wildcards * and ?, matched against the path only (no query string);
- host-header: case-insensitive, wildcards;
- http-header: the name is case-insensitive; values case-insensitive with wildcards; any of the
  request's headers with that name may match;
- query-string: key and value case-insensitive with wildcards; a pair without key matches the value
  under any key;
- source-ip: the client address is inside one of the CIDRs (IPv4 or IPv6);
- http-request-method: case-sensitive, exact.

Adding a kind: see `condition_kinds` (a factory here is a convenience, not required:
`Condition(field=..., values=...)` builds any kind whose values are a list of texts).

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.condition_kinds import BY_BLOCK, KINDS, METHOD, ORDER, ConditionField, Shape
from constructs_ab.routing.request import Request
from constructs_ab.routing.value_semantics import Networks
from constructs_ab.tfjson.values import blocks, strings, text

__all__ = [
    "HEADER_NAME",
    "METHOD",
    "Condition",
    "ConditionField",
    "QueryPair",
    "canonical",
    "check_header_name",
    "conditions_from_terraform",
    "normalized",
]

#: RFC 9110 token characters: what an HTTP header name may contain.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_WILDCARD = re.compile(r"(?<!\\)[*?]")


@dataclass(frozen=True, kw_only=True)
class QueryPair:
    """One value of a query-string condition: `key=value`; key None matches the value under any key.

    Both may use the wildcards * and ?; matching is case-insensitive.
    """

    key: str | None
    value: str

    def describe(self) -> str:
        return f"{self.key}={self.value}" if self.key is not None else f"*={self.value}"


@dataclass(frozen=True, kw_only=True)
class Condition:
    """One rule condition. Within a condition the values are OR-ed; a rule AND-s its conditions.

    Build one with a factory: `Condition.path_patterns(...)`, `host_headers`, `http_header(name, ...)`,
    `query_strings(QueryPair(...), ...)`, `source_ips`, `http_request_methods`.

    field: the condition kind.
    values: the patterns (path, host, header value, method, CIDR). Empty for query-string.
    header_name: the header, for http-header only. Default None (other kinds).
    query: the key/value pairs, for query-string only. Default empty (other kinds).
    """

    field: ConditionField
    values: tuple[str, ...] = ()
    header_name: str | None = None
    query: tuple[QueryPair, ...] = ()

    @classmethod
    def path_patterns(cls, *values: str) -> Condition:
        """Paths like "/abtest" or "/abtest/*" (case-sensitive; at most 128 characters each)."""
        return cls(field=ConditionField.PATH_PATTERN, values=values)

    @classmethod
    def host_headers(cls, *values: str) -> Condition:
        """Host names like "api.example.com" or "*.example.com" (case-insensitive)."""
        return cls(field=ConditionField.HOST_HEADER, values=values)

    @classmethod
    def http_header(cls, name: str, *values: str) -> Condition:
        """Header `name` with one of `values` (name and values case-insensitive)."""
        return cls(field=ConditionField.HTTP_HEADER, header_name=name, values=values)

    @classmethod
    def query_strings(cls, *pairs: QueryPair) -> Condition:
        """Query parameters `key=value`; a pair with key None matches the value under any key."""
        return cls(field=ConditionField.QUERY_STRING, query=pairs)

    @classmethod
    def source_ips(cls, *values: str) -> Condition:
        """Client CIDRs like "10.0.0.0/8" (IPv4 or IPv6)."""
        return cls(field=ConditionField.SOURCE_IP, values=values)

    @classmethod
    def http_request_methods(cls, *values: str) -> Condition:
        """Methods like "POST" (case-sensitive, exact)."""
        return cls(field=ConditionField.HTTP_REQUEST_METHOD, values=values)

    @property
    def order(self) -> int:
        """The condition's place in the canonical order (its kind's place in `ConditionField`)."""
        return ORDER[self.field]

    @property
    def value_count(self) -> int:
        """Condition values it uses against the per-rule quota (a query pair is one)."""
        return len(self.query) if KINDS[self.field].shape is Shape.QUERY else len(self.values)

    @property
    def wildcard_count(self) -> int:
        """Wildcards (* and ?, a backslash escapes one) it uses against the per-rule quota."""
        if not KINDS[self.field].wildcards:
            return 0
        texts = [*self.values, *(p.value for p in self.query), *(p.key for p in self.query if p.key)]
        return sum(len(_WILDCARD.findall(t)) for t in texts)

    def describe(self) -> str:
        """One line, e.g. `path /abtest, /abtest/*` or `header X-Model-Variant: b`."""
        kind = KINDS[self.field]
        if kind.shape is Shape.QUERY:
            return f"{kind.label} " + ", ".join(pair.describe() for pair in self.query)
        if kind.shape is Shape.HEADER:
            return f"{kind.label} {self.header_name}: " + ", ".join(self.values)
        return f"{kind.label} " + ", ".join(self.values)

    def matches(self, request: Request) -> bool:
        """True when any of the condition's values matches the request (as the load balancer does)."""
        kind = KINDS[self.field]
        match = kind.values.matches
        if kind.shape is Shape.HEADER:
            name = (self.header_name or "").lower()
            sent = [value for header, value in request.headers if header.lower() == name]
            return any(match(pattern, value) for pattern in self.values for value in sent)
        if kind.shape is Shape.QUERY:
            return any(
                (pair.key is None or match(pair.key, key)) and match(pair.value, value)
                for pair in self.query
                for key, value in request.query
            )
        part = getattr(request, kind.request_part)
        return part is not None and any(match(value, part) for value in self.values)

    def to_terraform(self) -> dict[str, Any]:
        """The `condition` block of an aws_lb_listener_rule, e.g. `{"path_pattern": {"values": [...]}}`.

        Its keys are the AWS provider's attribute names, which the constructs pass to the provider's
        typed classes as they are.
        """
        kind = KINDS[self.field]
        if kind.shape is Shape.QUERY:
            return {
                kind.block: [
                    {**({"key": p.key} if p.key is not None else {}), "value": p.value} for p in self.query
                ]
            }
        if kind.shape is Shape.HEADER:
            return {kind.block: {"http_header_name": self.header_name, "values": list(self.values)}}
        return {kind.block: {"values": list(self.values)}}

    @classmethod
    def from_terraform(cls, block: Any) -> Condition:
        """The one condition of a `condition` block (an object, or Checkov's list-wrapped form).

        Raises ValueError when the block holds no condition or more than one.
        """
        found = conditions_from_terraform(block)
        if len(found) != 1:
            raise ValueError(f"a condition block holds exactly one condition; this one holds {len(found)}")
        return found[0]

    def check(self, problems: PropProblems, field: str) -> None:
        """Add a problem to `problems` (under `field`) for each value the load balancer would refuse."""
        kind = KINDS[self.field]
        if kind.shape is Shape.QUERY:
            if not self.query:
                problems.add(
                    f"{field}.query", f"a {self.field.value} condition needs at least one key=value pair"
                )
            limit = kind.max_length or 0
            for index, pair in enumerate(self.query):
                for part, value in (("key", pair.key), ("value", pair.value)):
                    if value is not None and len(value) > limit:
                        problems.add(
                            f"{field}.query[{index}].{part}",
                            f"{value!r} is {len(value)} characters long; a {kind.label} {part} has at most {limit}",
                        )
            return
        if kind.shape is Shape.HEADER:
            check_header_name(problems, f"{field}.header_name", self.header_name)
        if not self.values:
            problems.add(f"{field}.values", f"a {self.field.value} condition needs at least one value")
        what = f"a {self.field.value} value"
        for index, value in enumerate(self.values):
            where = f"{field}.values[{index}]"
            if isinstance(kind.values, Networks):
                problems.cidr(where, value, what)
            elif kind.shape is Shape.HEADER and value == "":
                continue  # a header value may be empty (a header sent without a value)
            elif not problems.text(where, value, kind.max_length or 0, what):
                continue
            elif kind.value_format is not None and not kind.value_format.pattern.match(value):
                problems.add(where, f"{value!r} is not {kind.value_format.name}; {kind.value_format.allowed}")


def canonical(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    """The conditions in the canonical order: by kind (`ConditionField` order), in given order within one."""
    return tuple(sorted(conditions, key=lambda condition: condition.order))


def normalized(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    """The conditions with their values sorted, in the canonical order of kinds, then by description: two
    rules route alike when their normalized conditions are equal (AWS returns a condition's values, and a
    rule's conditions of one kind, in an order of its own, which carries no meaning)."""
    return tuple(
        sorted(
            (
                replace(
                    condition,
                    values=tuple(sorted(condition.values)),
                    query=tuple(sorted(condition.query, key=lambda pair: (pair.key or "", pair.value))),
                )
                for condition in conditions
            ),
            key=lambda condition: (condition.order, condition.describe()),
        )
    )


def check_header_name(problems: PropProblems, field: str, name: str | None) -> None:
    """A problem when `name` is not an HTTP header name AWS accepts in a condition."""
    limit = aws_limits.MAX_HTTP_HEADER_NAME_LENGTH
    if problems.text(field, name, limit, "a header name") and not HEADER_NAME.match(name or ""):
        problems.add(
            field,
            f"{name!r} is not an HTTP header name; a header name is letters, digits and ! # $ % & ' * + - . ^ _ ` | ~",
        )


def conditions_from_terraform(raw: Any) -> tuple[Condition, ...]:
    """Every condition of a rule's `condition` attribute, in the order written; a block holding several
    kinds gives one condition per kind. Accepts an object or a list of objects, Checkov's list-wrapped
    form, and the provider's old `field`/`values` form."""
    out: list[Condition] = []
    for block in blocks(raw):
        out.extend(_read_block(block))
    return tuple(out)


def _read_block(block: dict[str, Any]) -> list[Condition]:
    legacy = text(block.get("field"))
    if legacy in {field.value for field in ConditionField}:  # the old `field`/`values` form
        return [Condition(field=ConditionField(legacy), values=strings(block.get("values")))]
    out: list[Condition] = []
    for name, field in BY_BLOCK.items():
        shape = KINDS[field].shape
        if shape is Shape.QUERY:
            pairs = tuple(
                QueryPair(key=text(inner.get("key")), value=text(inner.get("value")) or "")
                for inner in blocks(block.get(name))
            )
            if pairs:
                out.append(Condition(field=field, query=pairs))
            continue
        for inner in blocks(block.get(name)):
            header = (text(inner.get("http_header_name")) or "?") if shape is Shape.HEADER else None
            out.append(Condition(field=field, values=strings(inner.get("values")), header_name=header))
    return out
