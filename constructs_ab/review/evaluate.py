"""What-if: where would a request go? ALB rule semantics over a `TrafficModel`.

For each listener, rules are tried by ascending priority; the first rule whose conditions all match
wins; when none matches, the listener's default action applies. A forward sends the request to each
target group with probability weight / sum of weights.

Condition semantics (see the AWS page below):
- path-pattern: case-sensitive, wildcards * and ?, matched against the path only (no query string);
- host-header: case-insensitive, wildcards;
- http-header: the name is case-insensitive; values case-insensitive with wildcards; any of the
  request's headers with that name may match;
- query-string: key and value case-insensitive with wildcards; a pair without key matches the value
  under any key;
- http-request-method: case-sensitive, exact;
- source-ip: the client address is inside one of the CIDRs (IPv4 or IPv6).
Within a condition the values are OR-ed; a rule AND-s its conditions. A rule without conditions
matches every request.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from constructs_ab.review.traffic import (
    Action,
    Condition,
    ConditionField,
    ForwardAction,
    Listener,
    LoadBalancer,
    Rule,
    Stack,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.review.wildcard import wildcard_match

#: Method of a request line that gives only a path.
DEFAULT_METHOD = "GET"


@dataclass(frozen=True, kw_only=True)
class Request:
    """A request to evaluate.

    method: e.g. "GET"; compared case-sensitively. Default "GET".
    path: e.g. "/abtest/x", without the query string. Default "/".
    query: (key, value) pairs, decoded. Default none.
    headers: (name, value) pairs; names are compared case-insensitively. Default none.
    host: the Host header; None when the request has none (host conditions then do not match).
    source_ip: the client address; None when unknown (source-ip conditions then do not match).
    """

    method: str = DEFAULT_METHOD
    path: str = "/"
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    host: str | None = None
    source_ip: str | None = None

    @classmethod
    def parse(
        cls,
        line: str,
        *,
        headers: Iterable[str] = (),
        host: str | None = None,
        query: Iterable[str] = (),
        source_ip: str | None = None,
    ) -> Request:
        """Build a request from command line text.

        line: `METHOD /path?query` or just `/path`.
        headers: `Name: value` strings; a `Host:` header sets the host unless `host` is given.
        query: extra `key=value` strings, added to those in the line's query string.
        Raises ValueError with a one-line message for malformed text.
        """
        parts = line.split()
        if len(parts) == 1:
            method, target = DEFAULT_METHOD, parts[0]
        elif len(parts) == 2:
            method, target = parts
        else:
            raise ValueError(f"request {line!r}: expected 'METHOD /path', e.g. 'GET /abtest/x'")
        if not target.startswith("/"):
            raise ValueError(f"request {line!r}: the path must start with '/', e.g. 'GET /abtest/x'")
        path, _, query_text = target.partition("?")
        pairs = list(parse_qsl(query_text, keep_blank_values=True))
        for item in query:
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"query {item!r}: expected key=value")
            pairs.append((key, value))
        header_pairs: list[tuple[str, str]] = []
        for item in headers:
            name, sep, value = item.partition(":")
            if not sep or not name.strip():
                raise ValueError(f"header {item!r}: expected 'Name: value', e.g. 'X-Model-Variant: b'")
            header_pairs.append((name.strip(), value.strip()))
        if host is None:
            host = next((value for name, value in header_pairs if name.lower() == "host"), None)
        if source_ip is not None:
            try:
                ipaddress.ip_address(source_ip)
            except ValueError:
                raise ValueError(f"source IP {source_ip!r}: expected an IPv4 or IPv6 address") from None
        return cls(
            method=method,
            path=path,
            query=tuple(pairs),
            headers=tuple(header_pairs),
            host=host,
            source_ip=source_ip,
        )

    def describe(self) -> str:
        """`GET /abtest/x?k=v (host api.example.com; X-Model-Variant: b; from 10.0.0.1)`."""
        text = f"{self.method} {self.path}"
        if self.query:
            text += "?" + "&".join(f"{k}={v}" for k, v in self.query)
        extras = [f"host {self.host}"] if self.host is not None else []
        extras += [f"{name}: {value}" for name, value in self.headers if name.lower() != "host"]
        if self.source_ip is not None:
            extras.append(f"from {self.source_ip}")
        return text + (f" ({'; '.join(extras)})" if extras else "")


@dataclass(frozen=True, kw_only=True)
class Destination:
    """A target group and the probability (0..1) that the request goes there; None when a weight is
    not known."""

    target_group: TargetGroup
    probability: float | None


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one listener does with the request.

    rule: the matching rule; None when the default action applies.
    action: the action taken; None when the listener's default action is unknown.
    destinations: for a forward, every target group with its probability (in configuration order);
        empty for other actions.
    """

    stack: Stack
    load_balancer: LoadBalancer
    listener: Listener
    rule: Rule | None
    action: Action | None
    destinations: tuple[Destination, ...]


def condition_matches(condition: Condition, request: Request) -> bool:
    """True when any of the condition's values matches the request."""
    field = condition.field
    if field is ConditionField.PATH_PATTERN:
        return any(wildcard_match(v, request.path, case_sensitive=True) for v in condition.values)
    if field is ConditionField.HOST_HEADER:
        host = request.host
        return host is not None and any(
            wildcard_match(v, host, case_sensitive=False) for v in condition.values
        )
    if field is ConditionField.HTTP_HEADER:
        name = (condition.header_name or "").lower()
        sent = [value for header, value in request.headers if header.lower() == name]
        return any(
            wildcard_match(pattern, value, case_sensitive=False)
            for pattern in condition.values
            for value in sent
        )
    if field is ConditionField.QUERY_STRING:
        return any(
            (pair.key is None or wildcard_match(pair.key, key, case_sensitive=False))
            and wildcard_match(pair.value, value, case_sensitive=False)
            for pair in condition.query
            for key, value in request.query
        )
    if field is ConditionField.HTTP_REQUEST_METHOD:
        return request.method in condition.values
    if field is ConditionField.SOURCE_IP:
        return request.source_ip is not None and any(_in_cidr(request.source_ip, v) for v in condition.values)
    return False


def _in_cidr(address: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False  # an unparsable CIDR or a v4/v6 mismatch never matches
    except TypeError:
        return False


def rule_matches(rule: Rule, request: Request) -> bool:
    """True when every condition of the rule matches (a rule without conditions matches all)."""
    return all(condition_matches(condition, request) for condition in rule.conditions)


def destinations(action: Action | None) -> tuple[Destination, ...]:
    """Probabilities of a forward (weight / sum of weights); empty for other actions."""
    if not isinstance(action, ForwardAction):
        return ()
    return tuple(Destination(target_group=t.target_group, probability=t.share) for t in action.targets)


def evaluate_listener(listener: Listener, request: Request) -> tuple[Rule | None, Action | None]:
    """The first matching rule in evaluation order and its action, else (None, default action)."""
    for rule in Listener.ordered(listener.rules):
        if rule_matches(rule, request):
            return rule, rule.action
    return None, listener.default_action


def evaluate(model: TrafficModel, request: Request) -> tuple[Outcome, ...]:
    """The outcome on every listener of the model, in model order."""
    outcomes: list[Outcome] = []
    for stack, balancer, listener in model.listeners():
        rule, action = evaluate_listener(listener, request)
        outcomes.append(
            Outcome(
                stack=stack,
                load_balancer=balancer,
                listener=listener,
                rule=rule,
                action=action,
                destinations=destinations(action),
            )
        )
    return tuple(outcomes)


def probabilities(outcome: Outcome) -> Sequence[tuple[str, float | None]]:
    """(target group label, probability) pairs of an outcome, for reports and tests."""
    return [(d.target_group.label, d.probability) for d in outcome.destinations]
