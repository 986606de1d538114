"""ModelVariant: the target group, its health check, tags and static target attachments."""

from __future__ import annotations

import pytest
from synth_helpers import Doc, ref, resource, resources, synth

from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.spec.model import HealthCheck, Protocol, Target, TargetType, Variant
from constructs_ab.tagging import BaseTags

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

    return synth(build)


def test_defaults_make_a_target_group_named_environment_variant(doc: Doc) -> None:
    tg = resource(doc, "aws_lb_target_group", "variant-plain/target-group")
    assert tg["name"] == "prod-plain"
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
    assert sorted((a["target_id"], a["port"], a["target_group_arn"]) for a in attachments.values()) == [
        ("i-0123456789abcdef0", 8443, tg_arn),
        ("i-0fedcba9876543210", 9443, tg_arn),
    ]
