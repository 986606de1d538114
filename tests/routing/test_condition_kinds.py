"""Every condition kind is in every table that differs by kind, and goes through every layer that reads
conditions without a branch of its own: a kind added to `ConditionField` without its `KINDS` entry, its
spec field or a sample here fails one of these (docs/architecture.md, "Add a condition kind").

The tables: `routing.condition_kinds.KINDS` (Terraform block, AWS API config, label, shape, value
semantics, request part, limits) and `spec.match.CONDITION_KINDS` (the spec field of each kind; a field
whose values are a list of texts also has its rule in `spec.match.RULES`). The construct finds the
provider's class by block name (`tests/construct_tests/test_condition_structs.py`)."""

from __future__ import annotations

import dataclasses

import pytest
from aws_emulator import condition_to_api

from constructs_ab.live.api_conditions import condition_from_api, conditions_from_api
from constructs_ab.routing.condition_kinds import BY_BLOCK, KINDS, ORDER, ConditionField, Shape
from constructs_ab.routing.conditions import Condition, QueryPair, conditions_from_terraform
from constructs_ab.routing.from_spec import conditions_of
from constructs_ab.routing.overlap import covers, satisfiable, shared_request
from constructs_ab.routing.request import Request
from constructs_ab.routing.value_semantics import Networks
from constructs_ab.spec.match import CONDITION_KINDS, RULES, HeaderMatch, Match, QueryMatch
from constructs_ab.spec.rules import keys_of

#: One condition of each kind, as the spec writes it (`Match` field: value) and as the routing model has it.
SAMPLES: dict[ConditionField, tuple[str, object, Condition]] = {
    ConditionField.PATH_PATTERN: ("paths", ("/abtest/*",), Condition.path_patterns("/abtest/*")),
    ConditionField.HOST_HEADER: ("hosts", ("*.example.com",), Condition.host_headers("*.example.com")),
    ConditionField.HTTP_HEADER: (
        "headers",
        (HeaderMatch(name="X-Tenant", values=("acme-*",)),),
        Condition.http_header("X-Tenant", "acme-*"),
    ),
    ConditionField.QUERY_STRING: (
        "query",
        (QueryMatch(key="beta", value="1*"),),
        Condition.query_strings(QueryPair(key="beta", value="1*")),
    ),
    ConditionField.SOURCE_IP: ("source_ips", ("10.0.0.0/8",), Condition.source_ips("10.0.0.0/8")),
    ConditionField.HTTP_REQUEST_METHOD: ("methods", ("POST",), Condition.http_request_methods("POST")),
}
KIND_IDS = [field.value for field in ConditionField]


def test_every_kind_has_its_entry_in_every_table() -> None:
    assert list(KINDS) == list(ConditionField)
    assert list(ORDER) == list(ConditionField)
    assert list(SAMPLES) == list(ConditionField)
    assert list(CONDITION_KINDS.values()) == list(ConditionField)  # the spec accepts every kind, in order
    assert tuple(CONDITION_KINDS) == keys_of(Match)  # ... and every field of a match is a kind
    assert len(BY_BLOCK) == len({kind.api_config for kind in KINDS.values()}) == len(ConditionField)


@pytest.mark.parametrize("field", list(ConditionField), ids=KIND_IDS)
def test_each_kind_is_named_as_terraform_and_the_aws_api_name_it(field: ConditionField) -> None:
    kind = KINDS[field]
    assert kind.block == field.value.replace("-", "_")
    assert kind.api_config == "".join(part.capitalize() for part in field.value.split("-")) + "Config"
    assert kind.request_part in {f.name for f in dataclasses.fields(Request)}
    assert kind.max_length is not None or isinstance(kind.values, Networks)


@pytest.mark.parametrize("field", list(ConditionField), ids=KIND_IDS)
def test_each_spec_field_of_a_list_of_texts_has_its_rule(field: ConditionField) -> None:
    name = next(name for name, kind in CONDITION_KINDS.items() if kind is field)
    assert (name in RULES) == (KINDS[field].shape is Shape.VALUES)


@pytest.mark.parametrize("field", list(ConditionField), ids=KIND_IDS)
def test_each_kind_goes_from_the_spec_to_terraform_the_api_and_back(field: ConditionField) -> None:
    spec_field, given, condition = SAMPLES[field]
    # GIVEN a match with this kind only
    assert conditions_of(Match(**{spec_field: given})) == (condition,)  # type: ignore[arg-type]
    # THEN it is written and read back as Terraform JSON and as the API returns it
    assert conditions_from_terraform(condition.to_terraform()) == (condition,)
    assert condition_from_api(condition_to_api(condition)) == condition
    assert condition.describe().startswith(KINDS[field].label + " ")
    assert condition.value_count == 1
    assert condition.wildcard_count == (1 if KINDS[field].wildcards else 0)


@pytest.mark.parametrize("field", list(ConditionField), ids=KIND_IDS)
def test_each_kind_is_compared_by_the_overlap_analysis(field: ConditionField) -> None:
    condition = SAMPLES[field][2]
    # GIVEN the sample and a request the overlap analysis builds for it
    request = shared_request([condition], [condition])
    assert request is not None and condition.matches(request)
    # THEN a rule with it covers itself, not a rule without it, and a request without it does not match
    assert covers([condition], [condition]) and satisfiable([condition])
    assert not covers([condition], [])
    assert not condition.matches(Request(path="/other", method="DELETE"))


def test_a_match_of_every_kind_becomes_one_condition_per_kind_in_the_canonical_order() -> None:
    match = Match(**{spec_field: given for spec_field, given, _ in SAMPLES.values()})  # type: ignore[arg-type]
    assert conditions_of(match) == tuple(condition for _, _, condition in SAMPLES.values())
    api = [condition_to_api(condition) for _, _, condition in reversed(SAMPLES.values())]
    assert conditions_from_api(api) == conditions_of(match)
    assert match.condition_values == len(SAMPLES)
