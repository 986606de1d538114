"""Listener rule conditions: every kind in one place, like aws-cdk's `conditions.ts`.

For each kind: its factory (`Condition.path_patterns("/abtest", "/abtest/*")`), its place in the
canonical order, its AWS limits, its Terraform JSON block (`Condition.to_terraform()`, and back with
`conditions_from_terraform`) and how the load balancer matches it (`Condition.matches(request)`).

Semantics (see the AWS page below): within a condition the values are OR-ed; a rule AND-s its conditions.
- path-pattern: case-sensitive, wildcards * and ?, matched against the path only (no query string);
- host-header: case-insensitive, wildcards;
- http-header: the name is case-insensitive; values case-insensitive with wildcards; any of the
  request's headers with that name may match;
- query-string: key and value case-insensitive with wildcards; a pair without key matches the value
  under any key;
- source-ip: the client address is inside one of the CIDRs (IPv4 or IPv6);
- http-request-method: case-sensitive, exact.

Adding a kind: a `ConditionField` member (its place in the enum is its place in the canonical order), a
`_KINDS` entry, a factory, and the branches of `matches`, `to_terraform` and `_read_block` if its block
has another shape; then the spec's `Match` field, its reader, and `routing.from_spec.conditions_of`.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.request import Request
from constructs_ab.routing.wildcard import wildcard_match
from constructs_ab.tfjson.values import blocks, strings, text

#: RFC 9110 token characters: what an HTTP header name may contain.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: What an HTTP method condition value may contain.
METHOD = re.compile(r"^[A-Z_-]+$")
_WILDCARD = re.compile(r"(?<!\\)[*?]")


class ConditionField(enum.StrEnum):
    """The kinds of rule conditions, named as in the AWS API (`Field` of a `RuleCondition`), in the
    canonical order: the order a rule lists its conditions in."""

    PATH_PATTERN = "path-pattern"
    HOST_HEADER = "host-header"
    HTTP_HEADER = "http-header"
    QUERY_STRING = "query-string"
    SOURCE_IP = "source-ip"
    HTTP_REQUEST_METHOD = "http-request-method"


@dataclass(frozen=True)
class _Kind:
    block: str  # the Terraform block name (aws_lb_listener_rule.condition.<block>)
    label: str  # how `describe` names it
    max_length: int | None  # characters per value; None: its own check (a CIDR)
    wildcards: bool  # whether its values may use * and ? (counted against the per-rule quota)


_KINDS = {
    ConditionField.PATH_PATTERN: _Kind("path_pattern", "path", aws_limits.MAX_PATH_PATTERN_LENGTH, True),
    ConditionField.HOST_HEADER: _Kind("host_header", "host", aws_limits.MAX_HOST_HEADER_LENGTH, True),
    ConditionField.HTTP_HEADER: _Kind("http_header", "header", aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH, True),
    ConditionField.QUERY_STRING: _Kind("query_string", "query", aws_limits.MAX_QUERY_STRING_LENGTH, True),
    ConditionField.SOURCE_IP: _Kind("source_ip", "source-ip", None, False),
    ConditionField.HTTP_REQUEST_METHOD: _Kind(
        "http_request_method", "method", aws_limits.MAX_HTTP_METHOD_LENGTH, False
    ),
}
_ORDER = {field: index for index, field in enumerate(ConditionField)}
_BY_BLOCK = {kind.block: field for field, kind in _KINDS.items()}


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
        return _ORDER[self.field]

    @property
    def value_count(self) -> int:
        """Condition values it uses against the per-rule quota (a query pair is one)."""
        return len(self.query) if self.field is ConditionField.QUERY_STRING else len(self.values)

    @property
    def wildcard_count(self) -> int:
        """Wildcards (* and ?, a backslash escapes one) it uses against the per-rule quota."""
        if not _KINDS[self.field].wildcards:
            return 0
        texts = [*self.values, *(p.value for p in self.query), *(p.key for p in self.query if p.key)]
        return sum(len(_WILDCARD.findall(t)) for t in texts)

    def describe(self) -> str:
        """One line, e.g. `path /abtest, /abtest/*` or `header X-Model-Variant: b`."""
        if self.field is ConditionField.QUERY_STRING:
            return "query " + ", ".join(pair.describe() for pair in self.query)
        if self.field is ConditionField.HTTP_HEADER:
            return f"header {self.header_name}: " + ", ".join(self.values)
        return f"{_KINDS[self.field].label} " + ", ".join(self.values)

    def matches(self, request: Request) -> bool:
        """True when any of the condition's values matches the request (as the load balancer does)."""
        field = self.field
        if field is ConditionField.PATH_PATTERN:
            return any(wildcard_match(v, request.path, case_sensitive=True) for v in self.values)
        if field is ConditionField.HOST_HEADER:
            host = request.host
            return host is not None and any(
                wildcard_match(v, host, case_sensitive=False) for v in self.values
            )
        if field is ConditionField.HTTP_HEADER:
            name = (self.header_name or "").lower()
            sent = [value for header, value in request.headers if header.lower() == name]
            return any(
                wildcard_match(pattern, value, case_sensitive=False)
                for pattern in self.values
                for value in sent
            )
        if field is ConditionField.QUERY_STRING:
            return any(
                (pair.key is None or wildcard_match(pair.key, key, case_sensitive=False))
                and wildcard_match(pair.value, value, case_sensitive=False)
                for pair in self.query
                for key, value in request.query
            )
        if field is ConditionField.SOURCE_IP:
            return request.source_ip is not None and any(_in_cidr(request.source_ip, v) for v in self.values)
        return request.method in self.values  # HTTP_REQUEST_METHOD

    def to_terraform(self) -> dict[str, Any]:
        """The `condition` block of an aws_lb_listener_rule, e.g. `{"path_pattern": {"values": [...]}}`.

        Its keys are the AWS provider's attribute names, which the constructs pass to the provider's
        typed classes as they are.
        """
        block = _KINDS[self.field].block
        if self.field is ConditionField.QUERY_STRING:
            return {
                block: [
                    {**({"key": p.key} if p.key is not None else {}), "value": p.value} for p in self.query
                ]
            }
        if self.field is ConditionField.HTTP_HEADER:
            return {block: {"http_header_name": self.header_name, "values": list(self.values)}}
        return {block: {"values": list(self.values)}}

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
        kind = _KINDS[self.field]
        if self.field is ConditionField.QUERY_STRING:
            if not self.query:
                problems.add(f"{field}.query", "a query-string condition needs at least one key=value pair")
            limit = aws_limits.MAX_QUERY_STRING_LENGTH
            for index, pair in enumerate(self.query):
                for part, value in (("key", pair.key), ("value", pair.value)):
                    if value is not None and len(value) > limit:
                        problems.add(
                            f"{field}.query[{index}].{part}",
                            f"{value!r} is {len(value)} characters long; a query {part} has at most {limit}",
                        )
            return
        if self.field is ConditionField.HTTP_HEADER:
            check_header_name(problems, f"{field}.header_name", self.header_name)
        if not self.values:
            problems.add(f"{field}.values", f"a {self.field.value} condition needs at least one value")
        for index, value in enumerate(self.values):
            where = f"{field}.values[{index}]"
            if self.field is ConditionField.SOURCE_IP:
                problems.cidr(where, value, "a source-ip value")
            elif self.field is ConditionField.HTTP_HEADER and value == "":
                continue  # a header value may be empty (a header sent without a value)
            elif not problems.text(where, value, kind.max_length or 0, f"a {self.field.value} value"):
                continue
            elif self.field is ConditionField.HTTP_REQUEST_METHOD and not METHOD.match(value):
                problems.add(where, f"{value!r} is not a method; a method is A-Z, - and _, e.g. POST")


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
    for name, field in _BY_BLOCK.items():
        if field is ConditionField.QUERY_STRING:
            pairs = tuple(
                QueryPair(key=text(inner.get("key")), value=text(inner.get("value")) or "")
                for inner in blocks(block.get(name))
            )
            if pairs:
                out.append(Condition(field=field, query=pairs))
            continue
        for inner in blocks(block.get(name)):
            is_header = field is ConditionField.HTTP_HEADER
            header = (text(inner.get("http_header_name")) or "?") if is_header else None
            out.append(Condition(field=field, values=strings(inner.get("values")), header_name=header))
    return out


def _in_cidr(address: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(cidr, strict=False)
    except (ValueError, TypeError):
        return False  # an unparsable CIDR or a v4/v6 mismatch never matches
