"""The one rule for Terraform values, shared by the gate, the review and the policies."""

from __future__ import annotations

import pytest

from constructs_ab.tfjson.values import blocks, boolean, integer, is_expression, strings, tags, text, unwrap


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (80, 80),
        ("80", 80),
        (" 80 ", 80),
        ("-3", -3),
        ([80], 80),  # Checkov's wrapping
        ([["80"]], 80),
        (0, 0),
        (80.0, None),  # not an integer literal, though Terraform would round-trip it: write 80
        (80.5, None),
        ("80.0", None),
        ("8e1", None),
        (True, None),
        (None, None),
        ("${var.weight}", None),
        ([80, 20], None),
    ],
)
def test_integer_is_an_int_or_a_string_of_digits(value, expected):
    assert integer(value) == expected


def test_expressions_are_known_only_at_apply_time():
    assert all(map(is_expression, ["${var.x}", "var.x", "local.y", "module.m.out", "data.aws_lb.x.arn"]))
    assert not any(map(is_expression, ["arn:aws:elasticloadbalancing:eu-west-1:1:x", "80", 80, None]))


def test_booleans_text_and_strings():
    assert [boolean(v) for v in (True, "false", ["TRUE"], "yes", 1)] == [True, False, True, None, None]
    assert [text(v) for v in (True, 80, ["HTTPS"], None, {"a": 1})] == ["true", "80", "HTTPS", None, None]
    assert strings([["/a", "/b"], "/c"]) == ("/a", "/b", "/c")
    assert unwrap([[["x"]]]) == "x" and unwrap(["a", "b"]) == ["a", "b"]


def test_blocks_read_an_object_a_list_of_objects_and_checkovs_wrapping_alike():
    block = {"type": "forward"}
    assert blocks(block) == blocks([block]) == blocks([[block]]) == [block]
    assert blocks("x") == [] and blocks(None) == []


def test_tags_are_scalar_strings():
    body = {"tags": [{"variant": ["a"], "weight": 80, "on": True, "nested": {"x": 1}, "__start_line__": 3}]}
    assert tags(body) == {"variant": "a", "weight": "80", "on": "true"}
    assert tags({}) == {} and tags({"tags": "${local.tags}"}) == {}
