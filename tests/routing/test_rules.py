"""An experiment as listener rules: layout, conditions, targets, stickiness and contract tags; the spec
mapping; the read-back from Terraform JSON; the checks against the AWS limits."""

from __future__ import annotations

import dataclasses

from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.contract import RuleRole
from constructs_ab.routing.from_spec import experiment_routing, rules_of
from constructs_ab.routing.layout import priority_span, rule_layout, rule_resource_name, rules_anchor_name
from constructs_ab.routing.readback import routed_rules
from constructs_ab.routing.rules import ExperimentRouting, ExperimentTarget, RoutedRule, RuleTarget
from constructs_ab.spec.model import (
    Experiment,
    HeaderMatch,
    Match,
    Override,
    Ramp,
    Stickiness,
    Variant,
    WeightedVariant,
)

A = Variant(name="model-a", model_id="sentiment", model_version="1.4.2")
B = Variant(name="model-b", model_id="sentiment", model_version="2.0.0")
C = Variant(name="model-c", model_id="sentiment", model_version="3.0.0")
PATHS = Condition.path_patterns("/abtest", "/abtest/*")
CLASSIC = ExperimentRouting(
    experiment="abtest",
    priority=100,
    conditions=(PATHS,),
    targets=(
        ExperimentTarget(variant="model-a", model="sentiment:1.4.2", weight=80),
        ExperimentTarget(variant="model-b", model="sentiment:2.0.0", weight=20),
    ),
    stickiness=3600,
)


def test_layout_puts_one_override_rule_per_variant_before_the_split_at_a_fixed_offset() -> None:
    assert [(s.key, s.priority, s.variant) for s in rule_layout(100, ["a", "b"], override=True)] == [
        ("override-a", 100, "a"),
        ("override-b", 101, "b"),
        ("split", 105, None),
    ]
    # a variant more or less never moves the split, and the override rules keep their positions
    assert [s.priority for s in rule_layout(100, ["a", "b", "c"], override=True)] == [100, 101, 102, 105]
    assert [s.priority for s in rule_layout(100, list("abcde"), override=True)] == [
        100,
        101,
        102,
        103,
        104,
        105,
    ]
    assert [(s.key, s.priority) for s in rule_layout(7, ["a", "b"], override=False)] == [("split", 7)]
    assert (priority_span(True), priority_span(False)) == (6, 1)


def test_rules_are_named_in_terraform_by_listener_and_priority() -> None:
    assert rule_resource_name("lb-public", 105) == "lb-public_rule-105"
    assert rules_anchor_name("lb-public") == "lb-public_rules"


def test_the_classic_experiment_becomes_two_override_rules_and_the_sticky_split() -> None:
    override_a, override_b, split = CLASSIC.rules()
    assert override_b == RoutedRule(
        key="override-model-b",
        priority=101,
        conditions=(PATHS, Condition.http_header("X-Model-Variant", "model-b")),
        targets=(RuleTarget(variant="model-b", weight=1),),
        stickiness=None,
        tags={
            "experiment": "abtest",
            "ab-role": "override",
            "variant": "model-b",
            "model": "sentiment:2.0.0",
        },
    )
    assert (override_a.key, override_a.priority, override_a.role) == (
        "override-model-a",
        100,
        RuleRole.OVERRIDE,
    )
    assert split == RoutedRule(
        key="split",
        priority=105,
        conditions=(PATHS,),
        targets=(RuleTarget(variant="model-a", weight=80), RuleTarget(variant="model-b", weight=20)),
        stickiness=3600,
        tags={
            "experiment": "abtest",
            "ab-role": "split",
            "variant": "model-a model-b",
            "model": "sentiment:1.4.2 sentiment:2.0.0",
        },
    )
    assert (split.role, split.experiment, split.variants) == (
        RuleRole.SPLIT,
        "abtest",
        ("model-a", "model-b"),
    )


def test_stickiness_is_written_explicitly_also_when_off() -> None:
    override, _, split = CLASSIC.rules()
    assert override.stickiness_to_terraform()._asdict() == {"enabled": False, "duration": 1}
    assert split.stickiness_to_terraform()._asdict() == {"enabled": True, "duration": 3600}


def test_split_tags_name_paused_variants_the_ramp_step_and_another_override_header() -> None:
    routing = dataclasses.replace(
        CLASSIC,
        targets=(
            *CLASSIC.targets,
            ExperimentTarget(variant="model-c", model="sentiment:3", weight=0, paused=True),
        ),
        override_header="X-Force-Model",
        max_step=25,
    )
    *overrides, split = routing.rules()
    assert split.tags["paused-variants"] == "model-c"
    # the paused variant is left out of the forward (its override rule still reaches it)
    assert split.targets == (
        RuleTarget(variant="model-a", weight=80),
        RuleTarget(variant="model-b", weight=20),
    )
    assert (split.tags["variant"], split.tags["model"]) == (
        "model-a model-b",
        "sentiment:1.4.2 sentiment:2.0.0",
    )
    assert overrides[-1].targets == (RuleTarget(variant="model-c", weight=1),)
    assert split.tags["ab-max-step"] == "25"
    assert split.tags["ab-override-header"] == "X-Force-Model"
    assert [rule.conditions[-1] for rule in overrides] == [
        Condition.http_header("X-Force-Model", v) for v in ("model-a", "model-b", "model-c")
    ]
    assert all("ab-override-header" not in rule.tags for rule in overrides)


def test_a_target_at_weight_0_must_be_paused() -> None:
    routing = dataclasses.replace(
        CLASSIC, targets=(CLASSIC.targets[0], dataclasses.replace(CLASSIC.targets[1], weight=0))
    )
    problems = PropProblems("Routing")
    routing.check(problems)
    assert problems.lines == [
        "Routing.targets[1].paused: variant 'model-b' has weight 0 but is not paused; a target at weight 0 is "
        "left out of the split's forward: set paused=True to say so, or give it a positive weight"
    ]


def test_a_paused_variant_with_a_weight_is_not_listed_as_paused() -> None:
    routing = dataclasses.replace(
        CLASSIC, targets=(dataclasses.replace(CLASSIC.targets[0], paused=True), CLASSIC.targets[1])
    )
    assert "paused-variants" not in routing.rules()[-1].tags


def test_rule_conditions_are_in_the_canonical_order_and_the_override_header_comes_last() -> None:
    methods, hosts = Condition.http_request_methods("POST"), Condition.host_headers("api.example.com")
    routing = dataclasses.replace(CLASSIC, conditions=(methods, PATHS, hosts))
    override, *_, split = routing.rules()
    assert split.conditions == (PATHS, hosts, methods)
    assert override.conditions == (PATHS, hosts, methods, Condition.http_header("X-Model-Variant", "model-a"))


def test_a_spec_experiment_maps_every_field_once() -> None:
    experiment = Experiment(
        name="chat",
        load_balancer="public",
        match=Match(
            paths=("/v1/*",), headers=(HeaderMatch(name="X-Tenant", values=("acme",)),), methods=("POST",)
        ),
        variants=(
            WeightedVariant(variant=A, weight=60),
            WeightedVariant(variant=B, weight=40),
            WeightedVariant(variant=C, weight=0, paused=True),
        ),
        priority=300,
        stickiness=Stickiness(duration=600),
        override=Override(header="X-Force-Model"),
        ramp=Ramp(candidate="model-b", stages=(10, 40), stage=1),
    )
    assert experiment_routing(experiment) == ExperimentRouting(
        experiment="chat",
        priority=300,
        conditions=(
            Condition.path_patterns("/v1/*"),
            Condition.http_header("X-Tenant", "acme"),
            Condition.http_request_methods("POST"),
        ),
        targets=(
            ExperimentTarget(variant="model-a", model="sentiment:1.4.2", weight=60),
            ExperimentTarget(variant="model-b", model="sentiment:2.0.0", weight=40),
            ExperimentTarget(variant="model-c", model="sentiment:3.0.0", weight=0, paused=True),
        ),
        stickiness=600,
        override_header="X-Force-Model",
        max_step=30,
    )
    # the spec's priorities and the rules come from the same layout
    assert experiment.rule_priorities == tuple(rule.priority for rule in rules_of(experiment))
    off = dataclasses.replace(experiment, override=Override(enabled=False))
    assert experiment_routing(off).override_header is None
    assert [rule.key for rule in rules_of(off)] == ["split"] and off.rule_priorities == (300,)


def terraform_of(routing: ExperimentRouting) -> dict[str, object]:
    """The rules as the constructs write them, by hand: references to tagged target groups."""
    groups = {t.variant: {"name": t.variant, "tags": {"variant": t.variant}} for t in routing.targets}
    rules = {
        f"{routing.experiment}_{rule.key}": {
            "//": {"metadata": {"path": f"prod/experiment-{routing.experiment}/{rule.key}"}},
            "listener_arn": "${aws_lb_listener.https.arn}",
            "priority": rule.priority,
            "condition": [c.to_terraform() for c in rule.conditions],
            "action": [
                {
                    "type": "forward",
                    "forward": {
                        "target_group": [
                            {"arn": f"${{aws_lb_target_group.{t.variant}.arn}}", "weight": t.weight}
                            for t in rule.targets
                        ],
                        "stickiness": rule.stickiness_to_terraform()._asdict(),
                    },
                }
            ],
            "tags": {"environment": "prod", "owner": "ml", **rule.tags},
        }
        for rule in routing.rules()
    }
    return {"resource": {"aws_lb_target_group": groups, "aws_lb_listener_rule": rules}}


def test_read_back_from_terraform_json_gives_the_rules_again() -> None:
    routing = dataclasses.replace(CLASSIC, override_header="X-Force-Model", max_step=25)
    assert routed_rules([terraform_of(routing)]) == {"abtest": routing.rules()}


def test_read_back_ignores_rules_without_an_experiment_and_keeps_unknown_targets_as_written() -> None:
    document = {
        "resource": {
            "aws_lb_listener_rule": {
                "hand_written": {"priority": 5, "condition": [], "action": {"type": "fixed-response"}},
                "legacy": {
                    "priority": 9,
                    "condition": {"path_pattern": {"values": ["/x"]}},
                    "action": {"type": "forward", "forward": {"target_group": {"arn": "arn:aws:tg/x"}}},
                    "tags": {"experiment": "old", "ab-role": "split", "owner": "ml"},
                },
            }
        }
    }
    assert routed_rules([document]) == {
        "old": (
            RoutedRule(
                key="legacy",
                priority=9,
                conditions=(Condition.path_patterns("/x"),),
                targets=(RuleTarget(variant="arn:aws:tg/x", weight=1),),
                stickiness=None,
                tags={"experiment": "old", "ab-role": "split"},
            ),
        )
    }


def problems_of(routing: ExperimentRouting) -> list[str]:
    problems = PropProblems("Routing")
    routing.check(problems)
    return problems.lines


def test_check_accepts_the_classic_experiment_and_names_each_field_that_breaks_a_limit() -> None:
    assert problems_of(CLASSIC) == []
    broken = dataclasses.replace(
        CLASSIC,
        priority=50_001,
        targets=(dataclasses.replace(CLASSIC.targets[0], weight=-1), CLASSIC.targets[1]),
        override_header="",
    )
    assert [line.split(":")[0] for line in problems_of(broken)] == [
        "Routing.targets[0].weight",
        "Routing.priority",
        "Routing.override_header",
    ]
