"""The one reference parser and the one alias table."""

from __future__ import annotations

import pytest

from constructs_ab.tfjson.references import Reference, parse_reference
from constructs_ab.tfjson.resource_types import LISTENER_TYPES, canonical


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("${aws_lb_target_group.a.arn}", Reference(type="aws_lb_target_group", name="a", attribute="arn")),
        ("aws_lb_target_group.a.arn", Reference(type="aws_lb_target_group", name="a", attribute="arn")),
        ("${ aws_lb.x-1.id }", Reference(type="aws_lb", name="x-1", attribute="id")),
        (
            "${aws_lb_target_group.a[0].arn_suffix}",
            Reference(type="aws_lb_target_group", name="a", attribute="arn_suffix"),
        ),
        ('${aws_alb.b["k"].arn}', Reference(type="aws_alb", name="b", attribute="arn")),
        ("${data.aws_lb.shared.arn}", Reference(type="aws_lb", name="shared", attribute="arn", data=True)),
    ],
)
def test_references_in_every_form(value, expected):
    assert parse_reference(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/a/1",
        "${var.target_group_arn}",
        "var.x.y",
        "module.m.arn",
        "${aws_lb.x.arn",
        "aws_lb.x.arn}",
        '${join(",", aws_lb.x.arn)}',
        "data.aws_lb.x",
        80,
        None,
    ],
)
def test_anything_else_is_not_a_reference(value):
    assert parse_reference(value) is None


def test_addresses_keep_data_sources_apart():
    resource, data = parse_reference("${aws_lb.x.arn}"), parse_reference("${data.aws_lb.x.arn}")
    assert resource is not None and data is not None
    assert (resource.address, data.address) == ("aws_lb.x", "data.aws_lb.x")


def test_alb_aliases_are_one_table():
    assert (
        canonical("aws_alb_listener_rule") == "aws_lb_listener_rule"
        and canonical("aws_s3_bucket") == "aws_s3_bucket"
    )
    assert LISTENER_TYPES == ("aws_lb_listener", "aws_alb_listener")
