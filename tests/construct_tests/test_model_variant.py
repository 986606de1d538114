"""ModelVariant: the target group, its health check, tags and static target attachments."""

from __future__ import annotations

import dataclasses
import re

import pytest

from constructs_ab.aws_names import target_group_name
from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.spec.model import HealthCheck, Protocol, Target, TargetType, Variant
from constructs_ab.tagging import BaseTags

from .synth_helpers import Doc, empty_stack, ref, resource, resources, synth

TAGS = BaseTags(environment="prod", owner="ml-platform", extra=(("cost-center", "ml-serving"),))


@pytest.fixture(scope="module")
def doc() -> Doc:
    # GIVEN a variant with every default and one with every option set
    def build(stack: object) -> None:
        ModelVariant(
            stack,  # type: ignore[arg-type]
            "variant-plain",
            ModelVariantProps(
                variant=Variant(name="plain", model_id="sentiment", model_version="1.4.2"),
                vpc_id="vpc-1",
                tags=TAGS,
            ),
        )
        ModelVariant(
            stack,  # type: ignore[arg-type]
            "variant-tuned",
            ModelVariantProps(
                variant=Variant(
                    name="tuned",
                    model_id="llama",
                    model_version="3.1",
                    port=8443,
                    protocol=Protocol.HTTPS,
                    target_type=TargetType.INSTANCE,
                    health_check=HealthCheck(
                        path="/ready",
                        matcher="200-299",
                        interval=30,
                        timeout=10,
                        healthy_threshold=3,
                        unhealthy_threshold=4,
                    ),
                    slow_start=300,
                    deregistration_delay=120,
                    targets=(Target(id="i-0123456789abcdef0"), Target(id="i-0fedcba9876543210", port=9443)),
                ),
                vpc_id="vpc-2",
                tags=TAGS,
                experiments=("chat", "chat-canary"),
                name="custom-tg-name",
            ),
        )
        ModelVariant(
            stack,  # type: ignore[arg-type]
            "variant-ips",
            ModelVariantProps(
                variant=Variant(
                    name="ips",
                    model_id="m",
                    model_version="1",
                    targets=(
                        Target(id="10.0.1.15"),
                        Target(id="10.0.1.15", port=9000),
                        Target(id="10.0.1.16"),
                    ),
                ),
                vpc_id="vpc-1",
                tags=TAGS,
            ),
        )

    return synth(build)


def test_defaults_make_a_target_group_named_environment_variant_and_a_replacement_hash(doc: Doc) -> None:
    tg = resource(doc, "aws_lb_target_group", "variant-plain/target-group")
    assert tg["name"] == target_group_name(
        "prod", "plain", port=8080, protocol="HTTP", target_type="ip", vpc_id="vpc-1"
    )
    assert re.fullmatch(r"prod-plain-[0-9a-f]{6}", tg["name"])
    assert tg["lifecycle"] == {"create_before_destroy": True}
    assert (tg["port"], tg["protocol"], tg["target_type"], tg["vpc_id"]) == (8080, "HTTP", "ip", "vpc-1")
    assert tg["slow_start"] == 60
    assert tg["deregistration_delay"] == "30"


def test_default_health_check_probes_health_on_the_traffic_port(doc: Doc) -> None:
    health = resource(doc, "aws_lb_target_group", "variant-plain/target-group")["health_check"]
    assert health == {
        "enabled": True,
        "path": "/health",
        "matcher": "200",
        "interval": 15,
        "timeout": 5,
        "healthy_threshold": 2,
        "unhealthy_threshold": 3,
        "protocol": "HTTP",
        "port": "traffic-port",
    }


def test_every_option_reaches_the_target_group(doc: Doc) -> None:
    tg = resource(doc, "aws_lb_target_group", "variant-tuned/target-group")
    assert tg["name"] == "custom-tg-name"
    assert (tg["port"], tg["protocol"], tg["target_type"], tg["vpc_id"]) == (
        8443,
        "HTTPS",
        "instance",
        "vpc-2",
    )
    assert (tg["slow_start"], tg["deregistration_delay"]) == (300, "120")
    assert tg["health_check"] == {
        "enabled": True,
        "path": "/ready",
        "matcher": "200-299",
        "interval": 30,
        "timeout": 10,
        "healthy_threshold": 3,
        "unhealthy_threshold": 4,
        "protocol": "HTTPS",
        "port": "traffic-port",
    }


def test_tags_name_environment_owner_experiments_variant_and_model(doc: Doc) -> None:
    assert resource(doc, "aws_lb_target_group", "variant-tuned/target-group")["tags"] == {
        "cost-center": "ml-serving",
        "environment": "prod",
        "owner": "ml-platform",
        "experiment": "chat chat-canary",
        "variant": "tuned",
        "model": "llama:3.1",
    }
    plain = resource(doc, "aws_lb_target_group", "variant-plain/target-group")["tags"]
    assert "experiment" not in plain  # a variant no experiment uses has no experiment tag
    assert plain["model"] == "sentiment:1.4.2"


def test_static_targets_are_attached_on_the_variant_port_unless_given(doc: Doc) -> None:
    attachments = resources(doc, "aws_lb_target_group_attachment")
    tg_arn = ref(doc, "aws_lb_target_group", "variant-tuned/target-group", "arn")
    tuned = [a for a in attachments.values() if a["target_group_arn"] == tg_arn]
    assert sorted((a["target_id"], a["port"]) for a in tuned) == [
        ("i-0123456789abcdef0", 8443),
        ("i-0fedcba9876543210", 9443),
    ]


def test_one_ip_target_on_two_ports_is_two_attachments(doc: Doc) -> None:
    # GIVEN 10.0.1.15 on the variant's port 8080 and on 9000: the first keeps the id a single listing has
    tg_arn = ref(doc, "aws_lb_target_group", "variant-ips/target-group", "arn")
    found = {
        # cdktf drops the dots of a construct id from the logical id: target-10.0.1.15 -> target-100115
        logical.rsplit("_", 1)[0]: (a["target_id"], a["port"])
        for logical, a in resources(doc, "aws_lb_target_group_attachment").items()
        if a["target_group_arn"] == tg_arn
    }
    assert found == {
        "variant-ips_target-100115": ("10.0.1.15", 8080),
        "variant-ips_target-100115-9000": ("10.0.1.15", 9000),
        "variant-ips_target-100116": ("10.0.1.16", 8080),
    }


def variant_props(**changes: object) -> ModelVariantProps:
    variant = dataclasses.replace(
        Variant(name="plain", model_id="sentiment", model_version="1.4.2"), **changes
    )  # type: ignore[arg-type]
    return ModelVariantProps(variant=variant, vpc_id="vpc-1", tags=TAGS)


VARIANT_FAILS = [
    (
        "port 0",
        variant_props(port=0),
        "ModelVariantProps.variant.port: 0 is out of range; a port is an integer from 1 to 65535",
    ),
    (
        "a health check timeout not below the interval",
        variant_props(health_check=HealthCheck(interval=10, timeout=10)),
        "ModelVariantProps.variant.health_check.timeout: 10 is not less than the interval 10; a timeout is 2 "
        "to 120 s and less than the interval",
    ),
    (
        "a health check interval over 300 s",
        variant_props(health_check=HealthCheck(interval=301)),
        "ModelVariantProps.variant.health_check.interval: 301 is out of range; an interval is 5 to 300 s",
    ),
    (
        "an unhealthy threshold of 1",
        variant_props(health_check=HealthCheck(unhealthy_threshold=1)),
        "ModelVariantProps.variant.health_check.unhealthy_threshold: 1 is out of range; a threshold is 2 to 10",
    ),
    (
        "a matcher outside 200-499",
        variant_props(health_check=HealthCheck(matcher="200-599")),
        "ModelVariantProps.variant.health_check.matcher: '200-599' is not a matcher; a matcher is HTTP codes "
        "from 200 to 499: a code, codes separated by commas, or a range (200, 200,204, 200-299)",
    ),
    (
        "a health check path without a leading slash",
        variant_props(health_check=HealthCheck(path="health")),
        "ModelVariantProps.variant.health_check.path: 'health' does not start with /; a health check path does",
    ),
    (
        "a slow start of 10 s",
        variant_props(slow_start=10),
        "ModelVariantProps.variant.slow_start: 10 is out of range; slow start is 0 (off) or 30 to 900 s",
    ),
    (
        "a deregistration delay over an hour",
        variant_props(deregistration_delay=3601),
        "ModelVariantProps.variant.deregistration_delay: 3601 is out of range; a deregistration delay is 0 to "
        "3600 s",
    ),
    (
        "a target group name over 32 characters",
        dataclasses.replace(variant_props(), name="x" * 33),
        "ModelVariantProps.name: '"
        + "x" * 33
        + "' is not a valid target group name; a target group name is 1 "
        "to 32 letters, digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        "a static target port over 65535",
        variant_props(targets=(Target(id="i-0123456789abcdef0", port=70000),)),
        "ModelVariantProps.variant.targets[0].port: 70000 is out of range; a port is an integer from 1 to 65535",
    ),
]


@pytest.mark.parametrize(("case", "props", "message"), VARIANT_FAILS, ids=[f[0] for f in VARIANT_FAILS])
def test_fails_at_construction_naming_the_prop(case: str, props: ModelVariantProps, message: str) -> None:
    stack = empty_stack()
    with pytest.raises(ValueError) as raised:
        ModelVariant(stack, "variant-plain", props)
    assert str(raised.value) == message
    assert stack.node.children == []
