"""Which requests an experiment takes: the match conditions' model, rules, reading, and the checks of
the listener rules they become (condition values, wildcards, the override header).

Each field of `Match` is one kind of listener rule condition (`CONDITION_KINDS`); what the kind means
(its limits, wildcards, Terraform and API forms, matching) is the routing model's
(`constructs_ab.routing.condition_kinds`). A kind whose values are a list of texts is read and checked by
its rule in `RULES`; headers and query have their own readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab import aws_limits
from constructs_ab.routing.condition_kinds import KINDS, ConditionField
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems, child_of_map, items_of
from constructs_ab.spec.rules import Items, Rule, Text, TextCheck, check_fields, defaults_of, keys_of
from constructs_ab.spec.values import describe, show


@dataclass(frozen=True, kw_only=True)
class HeaderMatch:
    """Match requests whose HTTP header `name` has one of `values` (* and ? wildcards allowed)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class QueryMatch:
    """Match requests with query parameter `key=value`; key None matches the value under any key."""

    key: str | None
    value: str


@dataclass(frozen=True, kw_only=True)
class Match:
    """Which requests an experiment takes: all given condition kinds must match (AND); within one kind,
    any value matches (OR). At least one condition is required.

    paths: path patterns, e.g. "/abtest" and "/abtest/*". Default none.
    hosts: host header patterns, e.g. "api.example.com". Default none.
    headers: HTTP header conditions. Default none.
    query: query string conditions. Default none.
    source_ips: client CIDRs, e.g. "10.0.0.0/8". Default none.
    methods: HTTP methods, e.g. "POST". Default none.

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
    """

    paths: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    headers: tuple[HeaderMatch, ...] = ()
    query: tuple[QueryMatch, ...] = ()
    source_ips: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()

    @property
    def condition_values(self) -> int:
        """Number of condition values the rule uses (the AWS quota is 5 per rule): one per text, per
        header value and per query pair."""
        return sum(
            len(item.values) if isinstance(item, HeaderMatch) else 1
            for name in CONDITION_KINDS
            for item in getattr(self, name)
        )

    @property
    def wildcard_texts(self) -> list[str]:
        """The texts of the kinds whose values may use wildcards (counted against the per-rule quota)."""
        return [
            text
            for name, kind in CONDITION_KINDS.items()
            if KINDS[kind].wildcards
            for item in getattr(self, name)
            for text in _texts_of(item)
        ]


#: The kind of listener rule condition each field of `Match` becomes, in the order of the fields.
CONDITION_KINDS: dict[str, ConditionField] = {
    "paths": ConditionField.PATH_PATTERN,
    "hosts": ConditionField.HOST_HEADER,
    "headers": ConditionField.HTTP_HEADER,
    "query": ConditionField.QUERY_STRING,
    "source_ips": ConditionField.SOURCE_IP,
    "methods": ConditionField.HTTP_REQUEST_METHOD,
}


def _texts_of(item: str | HeaderMatch | QueryMatch) -> tuple[str, ...]:
    if isinstance(item, HeaderMatch):
        return item.values
    if isinstance(item, QueryMatch):
        return (item.value, item.key) if item.key else (item.value,)
    return (item,)


def _texts(allowed: str, test: TextCheck) -> Items:
    return Items(item=Text(allowed=allowed, test=test), allowed=allowed)


#: The lists of texts, in the order they are read.
RULES: dict[str, Rule] = {
    "paths": _texts(
        "paths is a list of path patterns starting with / of at most "
        f"{aws_limits.MAX_PATH_PATTERN_LENGTH} characters (A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + &, wildcards * "
        'and ?), e.g. ["/abtest", "/abtest/*"]',
        formats.path_pattern,
    ),
    "hosts": _texts(
        f"hosts is a list of host names of at most {aws_limits.MAX_HOST_HEADER_LENGTH} characters "
        '(letters, digits, - . and wildcards * ?), e.g. ["api.example.com"]',
        formats.host_pattern,
    ),
    "methods": _texts(
        "methods is a list of HTTP methods: uppercase letters, - and _, at most "
        f"{aws_limits.MAX_HTTP_METHOD_LENGTH} characters, e.g. [POST]",
        formats.http_method,
    ),
    "source_ips": _texts(
        'source_ips is a list of CIDR blocks with no host bits set, e.g. ["10.0.0.0/8"]', formats.cidr
    ),
}
KEYS = keys_of(Match)
DEFAULTS = defaults_of(Match)
HEADER_NAME_ALLOWED = (
    f"a header name is at most {aws_limits.MAX_HTTP_HEADER_NAME_LENGTH} token characters (letters, digits, "
    "!#$%&'*+-.^_`|~)"
)
HEADER_VALUE = Text(
    allowed=f"a header value is text of at most {aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH} printable ASCII "
    "characters (wildcards * and ?), or a list of them",
    test=formats.printable(aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH, "header value"),
)
#: The values of one header: at least one (a file gives one text or a list).
HEADER_VALUES = Items(item=HEADER_VALUE, allowed=HEADER_VALUE.allowed, min_items=1)
_QUERY_CHECK = formats.printable(aws_limits.MAX_QUERY_STRING_LENGTH, "query string")
QUERY_TEXT = Text(
    allowed=f"a query key or value is text of at most {aws_limits.MAX_QUERY_STRING_LENGTH} printable ASCII "
    'characters (quote numbers: "1")',
    test=_QUERY_CHECK,
)


def header_name_problem(name: str) -> str | None:
    wrong = formats.header_name(name)
    return f"{show(name)} {wrong}; {HEADER_NAME_ALLOWED}" if wrong else None


def _text_or_list(node: Node, problems: Problems, rule: Text) -> tuple[str, ...]:
    """A value given as one text or a list of texts."""
    items = [node] if not isinstance(node.value, list) else list(items_of(node))
    return tuple(value for value in (rule.read(item, problems) for item in items) if value is not None)


def _query_key_problem(key: str) -> str | None:
    wrong = _QUERY_CHECK(key)
    return f"{show(key)} {wrong}; {QUERY_TEXT.allowed}" if wrong else None


def _keyed_values(
    node: Node, problems: Problems, key: tuple[str, str], key_problem: TextCheck, rule: Text
) -> list[tuple[str, tuple[str, ...]]]:
    """The keys of a map (headers, query) with the text or list of texts under each; `key`: what a key is
    called and what is allowed for it, `key_problem`: the message of a key that is wrong."""
    found = []
    for name in node.value:
        if not isinstance(name, str):
            problems.add(node, f"the {key[0]} {show(name)} is not text; {key[1]}")
            continue
        value_node = child_of_map(node, name)
        wrong = key_problem(name)
        if wrong:
            problems.add(value_node, wrong)
            continue
        found.append((name, _text_or_list(value_node, problems, rule)))
    return found


def _read_headers(node: Node | None, problems: Problems) -> tuple[HeaderMatch, ...]:
    if node is None:
        return ()
    if not isinstance(node.value, Mapping):
        problems.add(
            node,
            f"{describe(node.value)}; headers is a map from header name to a "
            "value or a list of values, e.g. {X-Client: [beta]}",
        )
        return ()
    found = _keyed_values(
        node, problems, ("header name", "a header name is text"), header_name_problem, HEADER_VALUE
    )
    return tuple(HeaderMatch(name=name, values=values) for name, values in found if values)


def _read_query(node: Node | None, problems: Problems) -> tuple[QueryMatch, ...]:
    if node is None:
        return ()
    result: list[QueryMatch] = []
    if isinstance(node.value, Mapping):
        key = ("query key", QUERY_TEXT.allowed)
        for name, values in _keyed_values(node, problems, key, _query_key_problem, QUERY_TEXT):
            result.extend(QueryMatch(key=name, value=value) for value in values)
    elif isinstance(node.value, list):
        for item in items_of(node):
            required = {"value": QUERY_TEXT.allowed}
            fields = Fields(
                item, problems, what="a query condition", keys=keys_of(QueryMatch), required=required
            )
            key, value = fields.read("key", QUERY_TEXT, None), fields.read("value", QUERY_TEXT, "")
            if value:
                result.append(QueryMatch(key=key, value=value))
    else:
        problems.add(
            node,
            f"{describe(node.value)}; query is a map from key to a value or list of values "
            "(e.g. {variant: beta}) or a list of {key, value} (key optional)",
        )
    return tuple(result)


def read_match(node: Node, problems: Problems) -> Match:
    fields = Fields(node, problems, what="a match", keys=KEYS)
    lists = fields.read_all(RULES, DEFAULTS)
    headers = _read_headers(fields.get("headers"), problems)
    return Match(**lists, headers=headers, query=_read_query(fields.get("query"), problems))


def check_match(checks: Checks, match: Match, path: FieldPath) -> None:
    """The conditions, and at least one of them."""
    check_fields(checks, match, path, RULES)
    for header in match.headers:
        name = header.name
        where = path.key("headers").key(name)
        wrong = (
            header_name_problem(name) if isinstance(name, str) else f"{describe(name)}; {HEADER_NAME_ALLOWED}"
        )
        if wrong and checks.valid(where):
            checks.error(where, wrong)
        HEADER_VALUES.check(checks, where, header.values)
    for index, query in enumerate(match.query):
        where = path.key("query").index(index)
        if query.key is not None:
            QUERY_TEXT.check(checks, where.key("key"), query.key)
        QUERY_TEXT.check(checks, where.key("value"), query.value)
    if checks.valid(path) and match.condition_values == 0:
        *names, last = CONDITION_KINDS
        checks.error(
            path,
            f"the match is empty; give at least one of {', '.join(names)} or {last} (an experiment without "
            "conditions would take every request)",
        )


def check_conditions(
    checks: Checks,
    match: Match,
    path: FieldPath,
    experiment: str,
    override: str | None,
    override_ips: int = 0,
) -> None:
    """Condition values and wildcards per listener rule, the override rules' header (`override`, None when
    the override is off) and their `override_ips` source IPs included."""
    if not checks.valid(path):
        return
    extra = (1 + override_ips) if override is not None else 0
    values = match.condition_values + extra
    if values > aws_limits.MAX_CONDITION_VALUES_PER_RULE:
        counted = f"{match.condition_values} in match + 1 for the override header" if extra else "in match"
        if extra and override_ips:
            counted += f" + {override_ips} in override.source_ips"
        checks.error(
            path,
            f"the rules of experiment {experiment} have {values} condition values ({counted}); "
            f"a rule has at most {aws_limits.MAX_CONDITION_VALUES_PER_RULE} condition values (AWS quota): "
            "remove values, use wildcards, or turn the override off",
        )
    wildcards = sum(formats.wildcards(t) for t in match.wildcard_texts)
    if wildcards > aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE:
        checks.error(
            path,
            f"the rules of experiment {experiment} have {wildcards} wildcards (* and ?); a rule has at "
            f"most {aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE} wildcards (AWS quota)",
        )
    for header in match.headers:
        if override is not None and header.name.lower() == override.lower():
            checks.error(
                path.key("headers").key(header.name),
                f"{show(header.name)} is also the override header; the override rules add their own "
                "condition on it: match on another header, or change override.header",
                at=path,
            )
