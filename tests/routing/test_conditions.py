"""Every condition kind: factory, canonical order, Terraform JSON both ways (every shape Terraform and
Checkov write), AWS limits, and matching as the load balancer does.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.conditions import (
    Condition,
    ConditionField,
    QueryPair,
    canonical,
    conditions_from_terraform,
)
from constructs_ab.routing.request import Request

# One condition of each kind, with the Terraform JSON block the AWS provider takes for it.
EVERY_KIND: list[tuple[Condition, dict[str, Any]]] = [
    (Condition.path_patterns("/abtest", "/abtest/*"), {"path_pattern": {"values": ["/abtest", "/abtest/*"]}}),
    (Condition.host_headers("api.example.com"), {"host_header": {"values": ["api.example.com"]}}),
    (
        Condition.http_header("X-Tenant", "acme", "beta-*"),
        {"http_header": {"http_header_name": "X-Tenant", "values": ["acme", "beta-*"]}},
    ),
    (
        Condition.query_strings(QueryPair(key="beta", value="1"), QueryPair(key=None, value="canary")),
        {"query_string": [{"key": "beta", "value": "1"}, {"value": "canary"}]},
    ),
    (
        Condition.source_ips("10.0.0.0/8", "2001:db8::/32"),
        {"source_ip": {"values": ["10.0.0.0/8", "2001:db8::/32"]}},
    ),
    (Condition.http_request_methods("POST", "PUT"), {"http_request_method": {"values": ["POST", "PUT"]}}),
]


def checkov_wrapped(value: Any) -> Any:
    """Checkov's normalized form: every value, scalars and lists alike, wrapped in a one-element list."""
    if isinstance(value, dict):
        return {key: [checkov_wrapped(item)] for key, item in value.items()}
    if isinstance(value, list):
        return [checkov_wrapped(item) for item in value]
    return value


def test_every_kind_has_a_factory_and_a_place_in_the_canonical_order() -> None:
    assert [condition.field for condition, _ in EVERY_KIND] == list(ConditionField)
    assert [condition.order for condition, _ in EVERY_KIND] == list(range(len(ConditionField)))


@pytest.mark.parametrize(("condition", "block"), EVERY_KIND, ids=[c.field.value for c, _ in EVERY_KIND])
def test_every_kind_writes_its_terraform_block(condition: Condition, block: dict[str, Any]) -> None:
    assert condition.to_terraform() == block


@pytest.mark.parametrize(("condition", "block"), EVERY_KIND, ids=[c.field.value for c, _ in EVERY_KIND])
@pytest.mark.parametrize("shape", ["object", "list", "checkov"])
def test_every_kind_reads_back_from_each_json_shape(
    condition: Condition, block: dict[str, Any], shape: str
) -> None:
    # GIVEN the block as Terraform JSON writes it (an object, or a one-element list) or as Checkov hands it
    raw = {"object": block, "list": [block], "checkov": checkov_wrapped(block)}[shape]
    # THEN it reads back as the same condition
    assert Condition.from_terraform(raw) == condition
    assert conditions_from_terraform([raw, raw]) == (condition, condition)


def test_the_old_field_and_values_form_and_a_block_with_two_kinds_are_read() -> None:
    assert conditions_from_terraform({"field": "path-pattern", "values": ["/a"]}) == (
        Condition.path_patterns("/a"),
    )
    both = {"path_pattern": {"values": ["/a"]}, "source_ip": {"values": ["10.0.0.0/8"]}}
    assert conditions_from_terraform(both) == (
        Condition.path_patterns("/a"),
        Condition.source_ips("10.0.0.0/8"),
    )
    with pytest.raises(ValueError, match="holds exactly one condition; this one holds 2"):
        Condition.from_terraform(both)


def test_canonical_order_sorts_by_kind_and_keeps_the_given_order_within_one_kind() -> None:
    shuffled = [condition for condition, _ in EVERY_KIND] + [Condition.http_header("X-Second", "b")]
    random.Random(7).shuffle(shuffled)
    ordered = canonical(shuffled)
    assert [c.field for c in ordered] == sorted((c.field for c in shuffled), key=list(ConditionField).index)
    headers = [c.header_name for c in ordered if c.field is ConditionField.HTTP_HEADER]
    assert headers == [c.header_name for c in shuffled if c.field is ConditionField.HTTP_HEADER]


texts = st.text(st.sampled_from("abAB/.-*?"), min_size=1, max_size=8)
conditions = st.one_of(
    st.builds(lambda v: Condition.path_patterns(*v), st.lists(texts, min_size=1, max_size=3)),
    st.builds(lambda v: Condition.host_headers(*v), st.lists(texts, min_size=1, max_size=3)),
    st.builds(
        lambda n, v: Condition.http_header(n, *v),
        st.sampled_from(["X-A", "x-b"]),
        st.lists(texts, min_size=1),
    ),
    st.builds(
        lambda pairs: Condition.query_strings(*pairs),
        st.lists(st.builds(QueryPair, key=st.none() | texts, value=texts), min_size=1, max_size=3),
    ),
    st.builds(
        lambda v: Condition.source_ips(*v), st.lists(st.sampled_from(["10.0.0.0/8", "::/0"]), min_size=1)
    ),
    st.builds(
        lambda v: Condition.http_request_methods(*v), st.lists(st.sampled_from(["GET", "POST"]), min_size=1)
    ),
)


@given(st.lists(conditions, max_size=6))
def test_any_conditions_round_trip_through_terraform_json(generated: list[Condition]) -> None:
    written = [condition.to_terraform() for condition in generated]
    assert conditions_from_terraform(written) == tuple(generated)
    assert conditions_from_terraform(checkov_wrapped({"condition": written})["condition"]) == tuple(generated)


MATCHES = [
    # (condition, request, matches): the documented semantics of each kind
    (Condition.path_patterns("/abtest/*"), Request(path="/abtest/x"), True),
    (Condition.path_patterns("/abtest/*"), Request(path="/ABTEST/x"), False),  # case-sensitive
    (Condition.path_patterns("/abtest"), Request(path="/abtest", query=(("a", "1"),)), True),  # no query
    (Condition.path_patterns("/a?c"), Request(path="/abc"), True),
    (Condition.host_headers("*.example.com"), Request(host="API.Example.com"), True),  # case-insensitive
    (Condition.host_headers("api.example.com"), Request(host=None), False),
    (
        Condition.http_header("X-Model-Variant", "model-b"),
        Request(headers=(("x-model-variant", "MODEL-B"),)),
        True,
    ),
    (Condition.http_header("X-Model-Variant", "model-b"), Request(headers=(("X-Other", "model-b"),)), False),
    (Condition.http_header("X-T", "a"), Request(headers=(("X-T", "b"), ("X-T", "a"))), True),  # any header
    (Condition.query_strings(QueryPair(key="beta", value="tru?")), Request(query=(("BETA", "TRUE"),)), True),
    (Condition.query_strings(QueryPair(key=None, value="canary")), Request(query=(("any", "canary"),)), True),
    (Condition.query_strings(QueryPair(key="beta", value="1")), Request(query=(("alpha", "1"),)), False),
    (Condition.source_ips("10.0.0.0/8"), Request(source_ip="10.1.2.3"), True),
    (Condition.source_ips("10.0.0.0/8"), Request(source_ip="11.1.2.3"), False),
    (Condition.source_ips("10.0.0.0/8"), Request(source_ip="2001:db8::1"), False),  # v4 / v6 mismatch
    (Condition.source_ips("10.0.0.0/8"), Request(source_ip=None), False),
    (Condition.http_request_methods("POST"), Request(method="POST"), True),
    (Condition.http_request_methods("POST"), Request(method="post"), False),  # case-sensitive, exact
]


@pytest.mark.parametrize(("condition", "request_", "expected"), MATCHES)
def test_matches_like_the_load_balancer(condition: Condition, request_: Request, expected: bool) -> None:
    assert condition.matches(request_) is expected


def test_values_and_wildcards_count_against_the_per_rule_quotas() -> None:
    query = Condition.query_strings(QueryPair(key="b*", value="1?"), QueryPair(key=None, value="x"))
    assert (query.value_count, query.wildcard_count) == (2, 2)
    assert (
        Condition.path_patterns("/a/*", r"/b\*").wildcard_count,
        Condition.source_ips("::/0").wildcard_count,
    ) == (1, 0)
    assert Condition.http_header("X-A", "a", "b*").value_count == 2


def test_describe_names_the_kind_and_its_values() -> None:
    assert [condition.describe() for condition, _ in EVERY_KIND] == [
        "path /abtest, /abtest/*",
        "host api.example.com",
        "header X-Tenant: acme, beta-*",
        "query beta=1, *=canary",
        "source-ip 10.0.0.0/8, 2001:db8::/32",
        "method POST, PUT",
    ]


def test_check_accepts_every_kind_within_the_limits() -> None:
    problems = PropProblems("Props")
    for index, (condition, _) in enumerate(EVERY_KIND):
        condition.check(problems, f"conditions[{index}]")
    assert problems.lines == []
