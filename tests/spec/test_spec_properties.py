"""Property: any spec, valid, mutated or junk, either loads into a Spec or raises SpecError; nothing else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from constructs_ab.spec import Spec, SpecError, parse_spec

from .spec_builders import base_spec, dump

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"

KNOWN_WORDS = [
    "name",
    "weight",
    "paused",
    "model",
    "id",
    "version",
    "variants",
    "match",
    "paths",
    "priority",
    "stickiness",
    "override",
    "ramp",
    "stages",
    "stage",
    "candidate",
    "forward",
    "fixed-404",
    "public",
    "a",
    "b",
    "off",
    "1h",
    "7d",
    "8d",
    "0s",
    "/abtest",
    "10.0.0.0/8",
    "m:1",
    "internal",
    "max_rules",
    "headers",
    "query",
    "HTTP",
    "ip",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(KNOWN_WORDS),
    st.integers(min_value=-2, max_value=1001),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KNOWN_WORDS), st.text(max_size=8), st.integers(0, 3)), inner, max_size=4
        ),
    ),
    max_leaves=8,
)


def _example_data() -> Any:
    return YAML(typ="safe", pure=True).load(EXAMPLE.read_text())


BASES = [base_spec(), _example_data()]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    """A valid spec with 1 to 4 random changes: a value replaced by junk, a key deleted or a key added."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(junk)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KNOWN_WORDS))] = draw(junk)
        else:
            parent.append(draw(junk))
    return data


def _loads_or_spec_error(text: str) -> None:
    try:
        result = parse_spec(text, source="random.yaml")
    except SpecError as error:
        assert error.problems
        assert all(line.startswith("random.yaml") for line in str(error).splitlines())
    else:
        assert isinstance(result, Spec)


@settings(max_examples=120)
@given(mutated_specs())
def test_mutated_specs_load_or_raise_spec_error(data: Any) -> None:
    _loads_or_spec_error(dump(data))


@settings(max_examples=50)
@given(junk)
def test_junk_documents_load_or_raise_spec_error(data: Any) -> None:
    _loads_or_spec_error(dump(data))


@settings(max_examples=50)
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}'\"&*!|>%@`#,? \n\t1")), max_size=60))
def test_random_text_loads_or_raises_spec_error(text: str) -> None:
    _loads_or_spec_error(text)
