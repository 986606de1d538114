"""The shipped example loads into the objects the constructs expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_ab.spec import (
    DefaultActionKind,
    Environment,
    Protocol,
    TargetType,
    load_spec,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"


@pytest.fixture(scope="module")
def environments() -> dict[str, Environment]:
    return {env.name: env for env in load_spec(EXAMPLE).environments}


def test_example_has_staging_and_prod(environments: dict[str, Environment]) -> None:
    assert list(environments) == ["staging", "prod"]


def test_prod_classic_experiment_splits_80_20_on_abtest_sticky_for_an_hour(
    environments: dict[str, Environment],
) -> None:
    experiment = environments["prod"].experiments[0]
    assert experiment.name == "sentiment-abtest"
    assert experiment.match.paths == ("/abtest", "/abtest/*")
    assert [(w.variant.name, w.weight, w.paused) for w in experiment.variants] == [
        ("sentiment-a", 80, False),
        ("sentiment-b", 20, False),
    ]
    assert experiment.stickiness.duration == 3600
    assert experiment.priority == 100 and experiment.priority_explicit
    assert experiment.rule_priorities == (100, 101, 105)  # the split 5 above the first rule
    assert experiment.override.enabled and experiment.override.header == "X-Model-Variant"
    assert experiment.owner == "ml-platform"
    assert experiment.guardrails.error_rate_percent == 2.0
    assert experiment.guardrails.p99_latency_seconds == 1.5
    # every experiment of the example notifies someone (the gate's CKV_ABT_17)
    assert {e.guardrails.alarm_email for env in environments.values() for e in env.experiments} == {
        "ml-oncall@example.com"
    }
    assert experiment.ramp is not None
    assert (experiment.ramp.candidate, experiment.ramp.stages, experiment.ramp.stage) == (
        "sentiment-b",
        (5, 20, 50, 100),
        1,
    )


def test_prod_variant_a_is_fully_read(environments: dict[str, Environment]) -> None:
    variant = environments["prod"].experiments[0].variants[0].variant
    assert variant.model == "sentiment:1.4.2"
    assert (variant.port, variant.protocol, variant.target_type) == (8080, Protocol.HTTP, TargetType.IP)
    assert (variant.health_check.path, variant.health_check.matcher) == ("/health", "200")
    assert (variant.health_check.interval, variant.health_check.timeout) == (15, 5)
    assert (variant.slow_start, variant.deregistration_delay) == (120, 30)


def test_prod_chat_experiment_has_three_variants_a_day_of_stickiness_and_an_assigned_priority(
    environments: dict[str, Environment],
) -> None:
    chat = environments["prod"].experiments[1]
    assert [w.weight for w in chat.variants] == [60, 30, 10]
    assert chat.stickiness.duration == 86400
    assert chat.match.hosts == ("api.example.com",) and chat.match.methods == ("POST",)
    assert not chat.priority_explicit
    assert chat.priority >= 1000 and chat.priority % 10 == 0
    assert chat.variants[0].variant.deregistration_delay == 120


def test_prod_load_balancer_is_public_with_waf_and_forwards_by_default_to_sentiment_a(
    environments: dict[str, Environment],
) -> None:
    prod = environments["prod"]
    lb = prod.load_balancer("public")
    assert (lb.internal, lb.idle_timeout, lb.waf.enabled, lb.waf.rate_limit) == (False, 300, True, 2000)
    assert lb.default_action.kind is DefaultActionKind.FORWARD and lb.default_action.variant == "sentiment-a"
    assert prod.state is not None and prod.state.use_lockfile and prod.state.region == "eu-west-1"
    assert prod.tags == (("cost-center", "ml-serving"),)
    assert len(prod.variants) == 5


def test_staging_internal_load_balancer_has_no_waf_by_default(environments: dict[str, Environment]) -> None:
    lb = environments["staging"].load_balancer("models")
    assert lb.internal and not lb.waf.enabled
    assert lb.default_action.kind is DefaultActionKind.FIXED_404
    assert environments["staging"].state is None
