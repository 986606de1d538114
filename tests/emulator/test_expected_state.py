"""What the spec declares, in the form compared with the live API, and the comparison's lines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from constructs_ab.emulator.expected_state import expected_environment, target_group_name
from constructs_ab.emulator.live_check import differences
from constructs_ab.routing.conditions import Condition, QueryPair, normalized
from constructs_ab.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"


def prod():  # type: ignore[no-untyped-def]
    return expected_environment(prod_spec())


def prod_spec():  # type: ignore[no-untyped-def]
    spec = load_spec(EXAMPLE)
    return next(e for e in spec.environments if e.name == "prod")


A, B = (target_group_name(prod_spec(), f"sentiment-{v}") for v in "ab")
QWEN = target_group_name(prod_spec(), "qwen-7b")


def test_target_group_names_carry_the_replacement_hash() -> None:
    assert (A, B) == ("prod-sentiment-a-782398", "prod-sentiment-b-826e74")


def test_the_example_prod_declares_its_rules_and_target_groups() -> None:
    state = prod()
    rules = state.load_balancers["prod-public"].rules
    assert len(rules) == 7
    assert rules[100].forward == ((A, 1),)
    assert rules[100].conditions == (
        Condition.path_patterns("/abtest", "/abtest/*"),
        Condition.http_header("X-Model-Variant", "sentiment-a"),
        Condition.source_ips("203.0.113.0/24"),
    )
    assert rules[105].forward == ((A, 80), (B, 20))
    assert rules[105].stickiness == 3600
    assert dict(rules[105].tags) == {
        "ab-role": "split",
        "experiment": "sentiment-abtest",
        "variant": "sentiment-a sentiment-b",
    }
    group = state.target_groups[target_group_name(prod_spec(), "llama-8b")]
    assert (group.port, group.deregistration_delay, group.health_check.unhealthy_threshold) == (8000, 120, 2)
    assert state.load_balancers["prod-public"].default_action == f"forward:{A}"


def test_differences_name_the_environment_rule_field_and_both_values() -> None:
    expected = prod()
    lb = expected.load_balancers["prod-public"]
    changed_rule = replace(lb.rules[105], forward=((A, 50), (B, 50)))
    extra = replace(lb.rules[100], priority=5)
    live = replace(
        expected,
        load_balancers={
            "prod-public": replace(
                lb, rules={**{p: r for p, r in lb.rules.items() if p != 101}, 105: changed_rule, 5: extra}
            )
        },
        target_groups={k: v for k, v in expected.target_groups.items() if k != QWEN},
    )
    assert differences("prod", expected, live) == [
        "prod: load balancer prod-public: HTTPS rule at priority 5 (sentiment-abtest override sentiment-a): live, not declared by the spec",
        "prod: load balancer prod-public: HTTPS rule at priority 101 (sentiment-abtest override sentiment-b): declared by the spec, not live",
        "prod: load balancer prod-public: HTTPS rule at priority 105 (sentiment-abtest split): forward is "
        f"(('{A}', 50), ('{B}', 50)) live, the spec declares (('{A}', 80), ('{B}', 20))",
        f"prod: target group {QWEN}: declared by the spec, not live",
    ]
    assert differences("prod", expected, expected) == []


def test_normalized_conditions_ignore_the_order_the_api_returns_values_in() -> None:
    api_order = (
        Condition.http_header("X-Model-Variant", "b"),
        Condition.query_strings(QueryPair(key=None, value="beta"), QueryPair(key="mode", value="fast")),
        Condition.path_patterns("/abtest/*", "/abtest"),
    )
    spec_order = (
        Condition.path_patterns("/abtest", "/abtest/*"),
        Condition.http_header("X-Model-Variant", "b"),
        Condition.query_strings(QueryPair(key="mode", value="fast"), QueryPair(key=None, value="beta")),
    )
    assert normalized(api_order) == normalized(spec_order)
    assert normalized(spec_order) != normalized((Condition.path_patterns("/abtest"),))
