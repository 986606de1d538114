"""ModelExperiment: the weighted split rule, stickiness, override rules, conditions, priorities, tags, and
the checks of its props against the AWS limits."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from cdktf import TerraformStack

from constructs_ab.experiment import ModelExperiment, ModelExperimentProps, ModelExperimentTarget
from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.routing.conditions import Condition, QueryPair
from constructs_ab.spec.model import Variant
from constructs_ab.tagging import BaseTags

from .synth_helpers import Doc, empty_stack, ref, resource, resources, synth

TAGS = BaseTags(environment="prod", owner="ml-platform")
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod-public/50dc6c495c0c9188/f2f7dc8efc522ab2"
VARIANTS = {
    "model-a": "sentiment:1.4.2",
    "model-b": "sentiment:2.0.0",
    "model-c": "sentiment:3.0.0-rc1",
}


def target(variant: str, weight: int, arn: str = "arn:tg", *, paused: bool = False) -> ModelExperimentTarget:
    return ModelExperimentTarget(
        variant=variant, model=VARIANTS[variant], weight=weight, target_group_arn=arn, paused=paused
    )


def classic(arns: dict[str, str] | None = None) -> ModelExperimentProps:
    """The classic 80/20 experiment on /abtest, sticky for an hour, with the default override header."""
    arns = arns or {name: "arn:tg" for name in VARIANTS}
    return ModelExperimentProps(
        experiment="abtest",
        listener_arn=LISTENER,
        priority=100,
        conditions=(Condition.path_patterns("/abtest", "/abtest/*"),),
        targets=(target("model-a", 80, arns["model-a"]), target("model-b", 20, arns["model-b"])),
        stickiness=3600,
        tags=TAGS,
    )


def every_condition(arns: dict[str, str]) -> ModelExperimentProps:
    """Five condition kinds (a rule has at most 5 condition values), given out of the canonical order; a
    paused variant; no override rules."""
    return ModelExperimentProps(
        experiment="conditions",
        listener_arn=LISTENER,
        priority=300,
        conditions=(
            Condition.http_request_methods("POST"),
            Condition.source_ips("10.0.0.0/8"),
            Condition.query_strings(QueryPair(key=None, value="canary")),
            Condition.http_header("X-Tenant", "acme"),
            Condition.path_patterns("/v1/*"),
        ),
        targets=(
            target("model-a", 50, arns["model-a"]),
            target("model-b", 50, arns["model-b"]),
            target("model-c", 0, arns["model-c"], paused=True),
        ),
        override_header=None,
        max_step=40,
        tags=TAGS.with_owner("search-team"),
    )


def custom_header(arns: dict[str, str]) -> ModelExperimentProps:
    """Override rules on another header; the host-header and a keyed query-string condition."""
    return dataclasses.replace(
        classic(arns),
        experiment="custom",
        priority=500,
        conditions=(
            Condition.query_strings(QueryPair(key="beta", value="1")),
            Condition.host_headers("api.example.com"),
            Condition.path_patterns("/custom"),
        ),
        stickiness=None,
        override_header="X-Force-Model",
    )


@pytest.fixture(scope="module")
def doc() -> Doc:
    # GIVEN the classic experiment, one with every condition kind and a paused variant, and one whose
    # override rules use another header, in one stack
    def build(stack: TerraformStack) -> None:
        fleets = {
            name: ModelVariant(
                stack,
                f"variant-{name}",
                ModelVariantProps(
                    variant=Variant(name=name, model_id="sentiment", model_version=model.split(":")[1]),
                    vpc_id="vpc-1",
                    tags=TAGS,
                ),
            )
            for name, model in VARIANTS.items()
        }
        arns = {name: fleet.arn for name, fleet in fleets.items()}
        for props in (classic(arns), every_condition(arns), custom_header(arns)):
            ModelExperiment(stack, f"experiment-{props.experiment}", props)

    return synth(build)


def tg_arn(doc: Doc, variant: str) -> str:
    return ref(doc, "aws_lb_target_group", f"variant-{variant}/target-group", "arn")


def test_classic_split_sends_80_percent_to_a_and_20_to_b_on_abtest(doc: Doc) -> None:
    split = resource(doc, "aws_lb_listener_rule", "experiment-abtest/split")
    assert split["listener_arn"] == LISTENER
    assert split["condition"] == [{"path_pattern": {"values": ["/abtest", "/abtest/*"]}}]
    assert split["action"] == [
        {
            "type": "forward",
            "forward": {
                "target_group": [
                    {"arn": tg_arn(doc, "model-a"), "weight": 80},
                    {"arn": tg_arn(doc, "model-b"), "weight": 20},
                ],
                "stickiness": {"enabled": True, "duration": 3600},
            },
        }
    ]


def test_stickiness_off_is_declared_explicitly(doc: Doc) -> None:
    forward = resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["action"][0]["forward"]
    assert forward["stickiness"]["enabled"] is False
    assert [tg["weight"] for tg in forward["target_group"]] == [50, 50]  # paused model-c left out


def test_override_rules_force_one_variant_by_header_before_the_split(doc: Doc) -> None:
    # THEN one rule per variant, in variant order, at priorities 100 and 101, and the split at 105
    rules = {
        name: resource(doc, "aws_lb_listener_rule", f"experiment-abtest/{name}")
        for name in ("override-model-a", "override-model-b", "split")
    }
    assert [rule["priority"] for rule in rules.values()] == [100, 101, 105]
    for variant in ("model-a", "model-b"):
        rule = rules[f"override-{variant}"]
        assert rule["condition"] == [
            {"path_pattern": {"values": ["/abtest", "/abtest/*"]}},
            {"http_header": {"http_header_name": "X-Model-Variant", "values": [variant]}},
        ]
        assert rule["action"] == [
            {
                "type": "forward",
                "forward": {
                    "target_group": [{"arn": tg_arn(doc, variant), "weight": 1}],
                    "stickiness": {"enabled": False, "duration": 1},
                },
            }
        ]


def test_another_override_header_is_matched_and_named_in_a_split_tag(doc: Doc) -> None:
    override = resource(doc, "aws_lb_listener_rule", "experiment-custom/override-model-b")
    assert override["condition"][-1] == {
        "http_header": {"http_header_name": "X-Force-Model", "values": ["model-b"]}
    }
    assert "ab-override-header" not in override["tags"]
    split = resource(doc, "aws_lb_listener_rule", "experiment-custom/split")
    assert split["tags"]["ab-override-header"] == "X-Force-Model"
    # the default header is not written: an absent tag means X-Model-Variant
    assert (
        "ab-override-header" not in resource(doc, "aws_lb_listener_rule", "experiment-abtest/split")["tags"]
    )


def test_override_off_leaves_only_the_split_at_the_experiment_priority(doc: Doc) -> None:
    rules = [
        key for key in resources(doc, "aws_lb_listener_rule") if key.startswith("experiment-conditions_")
    ]
    assert len(rules) == 1
    assert resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["priority"] == 300


def test_every_condition_kind_becomes_one_condition_block_in_the_canonical_order(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["condition"] == [
        {"path_pattern": {"values": ["/v1/*"]}},
        {"http_header": {"http_header_name": "X-Tenant", "values": ["acme"]}},
        {"query_string": [{"value": "canary"}]},
        {"source_ip": {"values": ["10.0.0.0/8"]}},
        {"http_request_method": {"values": ["POST"]}},
    ]
    # an override rule lists the experiment's conditions in that order, then its header condition
    assert resource(doc, "aws_lb_listener_rule", "experiment-custom/override-model-a")["condition"] == [
        {"path_pattern": {"values": ["/custom"]}},
        {"host_header": {"values": ["api.example.com"]}},
        {"query_string": [{"key": "beta", "value": "1"}]},
        {"http_header": {"http_header_name": "X-Force-Model", "values": ["model-a"]}},
    ]


def test_split_rule_tags_list_variants_and_models_in_order(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener_rule", "experiment-abtest/split")["tags"] == {
        "environment": "prod",
        "owner": "ml-platform",
        "experiment": "abtest",
        "ab-role": "split",
        "variant": "model-a model-b",
        "model": "sentiment:1.4.2 sentiment:2.0.0",
    }


def test_paused_variants_tag_names_variants_paused_at_weight_0_and_owner_comes_from_the_tags(
    doc: Doc,
) -> None:
    split = resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")
    tags = split["tags"]
    assert tags["paused-variants"] == "model-c"
    assert tags["owner"] == "search-team"
    # the split lists (and forwards to) the unpaused variants only
    assert tags["variant"] == "model-a model-b"
    assert [tg["arn"] for tg in split["action"][0]["forward"]["target_group"]] == [
        tg_arn(doc, "model-a"),
        tg_arn(doc, "model-b"),
    ]


def test_split_rule_of_a_ramped_experiment_carries_its_ramp_step_for_the_traffic_diff(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["tags"]["ab-max-step"] == "40"


def test_override_rule_tags_name_the_forced_variant(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener_rule", "experiment-abtest/override-model-b")["tags"] == {
        "environment": "prod",
        "owner": "ml-platform",
        "experiment": "abtest",
        "ab-role": "override",
        "variant": "model-b",
        "model": "sentiment:2.0.0",
    }


def with_target(index: int, **changes: Any) -> dict[str, Any]:
    targets = list(classic().targets)
    targets[index] = dataclasses.replace(targets[index], **changes)
    return {"targets": tuple(targets)}


FAILS = [
    (
        "a weight over 999",
        with_target(1, weight=1500),
        "ModelExperimentProps.targets[1].weight: 1500 is out of range; a weight is an integer from 0 to 999",
    ),
    (
        "a weight that is not an integer",
        with_target(0, weight=True),
        "ModelExperimentProps.targets[0].weight: True is not an integer; a weight is an integer from 0 to 999",
    ),
    (
        "every weight 0",
        {"targets": (target("model-a", 0), target("model-b", 0))},
        "ModelExperimentProps.targets: every weight is 0; at least one weight of a forward must be positive",
    ),
    (
        "six targets",
        {"targets": tuple(dataclasses.replace(target("model-a", 1), variant=f"v{i}") for i in range(6))},
        "ModelExperimentProps.targets: 6 targets; a forward has 1 to 5 target groups",
    ),
    (
        "a variant listed twice",
        with_target(1, variant="model-a"),
        "ModelExperimentProps.targets[1].variant: 'model-a' is listed twice; a variant is listed once",
    ),
    (
        "a variant name with a space",
        with_target(1, variant="model b"),
        "ModelExperimentProps.targets[1].variant: 'model b' has a space; the variant tag lists names "
        "separated by spaces",
    ),
    (
        "no target group ARN",
        with_target(0, target_group_arn=""),
        "ModelExperimentProps.targets[0].target_group_arn: '' is not an ARN; an ARN is text of 1 to 2048 "
        "characters",
    ),
    (
        "priority 0",
        {"priority": 0},
        "ModelExperimentProps.priority: 0 is out of range; a priority is an integer from 1 to 50000",
    ),
    (
        "rules past priority 50000",
        {"priority": 49999},
        "ModelExperimentProps.priority: 49999 is out of range: the rules reserve priorities 49999 to 50004 "
        "(the split at 50004); a priority is an integer from 1 to 50000",
    ),
    (
        "stickiness over 7 days",
        {"stickiness": 604801},
        "ModelExperimentProps.stickiness: 604801 is out of range; stickiness is None (off) or 1 to 604800 "
        "seconds (7 days)",
    ),
    (
        "stickiness 0",
        {"stickiness": 0},
        "ModelExperimentProps.stickiness: 0 is out of range; stickiness is None (off) or 1 to 604800 seconds "
        "(7 days)",
    ),
    (
        "no condition",
        {"conditions": ()},
        "ModelExperimentProps.conditions: no condition; a rule needs at least one condition",
    ),
    (
        "five paths and the override header",
        {"conditions": (Condition.path_patterns("/a", "/b", "/c", "/d", "/e"),)},
        "ModelExperimentProps.conditions: the rules have 6 condition values (5 in conditions + 1 for the "
        "override header); a rule has at most 5 condition values (AWS quota)",
    ),
    (
        "six wildcards",
        {"conditions": (Condition.path_patterns("/a*b*c*", "/d?e?f?"),)},
        "ModelExperimentProps.conditions: the rules have 6 wildcards (* and ?); a rule has at most 5 "
        "wildcards (AWS quota)",
    ),
    (
        "a path pattern over 128 characters",
        {"conditions": (Condition.path_patterns("/" + "a" * 128),)},
        "ModelExperimentProps.conditions[0].values[0]: '/" + "a" * 128 + "' is 129 characters long; a "
        "path-pattern value has at most 128",
    ),
    (
        "a condition without values",
        {"conditions": (Condition.host_headers(),)},
        "ModelExperimentProps.conditions[0].values: a host-header condition needs at least one value",
    ),
    (
        "a header name with a space",
        {"conditions": (Condition.http_header("X Tenant", "a"),)},
        "ModelExperimentProps.conditions[0].header_name: 'X Tenant' is not an HTTP header name; a header "
        "name is letters, digits and ! # $ % & ' * + - . ^ _ ` | ~",
    ),
    (
        "a header name over 40 characters",
        {"conditions": (Condition.http_header("X" * 41, "a"),)},
        "ModelExperimentProps.conditions[0].header_name: '" + "X" * 41 + "' is 41 characters long; a header "
        "name has at most 40",
    ),
    (
        "a condition on the override header",
        {"conditions": (Condition.http_header("x-model-variant", "a"),)},
        "ModelExperimentProps.conditions[0].header_name: 'x-model-variant' is also the override header; match "
        "on another header, or change override_header",
    ),
    (
        "a source IP that is not a CIDR",
        {"conditions": (Condition.source_ips("10.0.0.300/8"),)},
        "ModelExperimentProps.conditions[0].values[0]: '10.0.0.300/8' is not a CIDR; a source-ip value is a "
        "CIDR, e.g. 10.0.0.0/8",
    ),
    (
        "a lowercase method",
        {"conditions": (Condition.http_request_methods("post"),)},
        "ModelExperimentProps.conditions[0].values[0]: 'post' is not a method; a method is A-Z, - and _, "
        "e.g. POST",
    ),
    (
        "a query value over 128 characters",
        {"conditions": (Condition.query_strings(QueryPair(key="k", value="v" * 129)),)},
        "ModelExperimentProps.conditions[0].query[0].value: '" + "v" * 129 + "' is 129 characters long; a "
        "query value has at most 128",
    ),
    (
        "an override header a tag cannot hold",
        {"override_header": "X-Force!Model"},
        "ModelExperimentProps.override_header: 'X-Force!Model' cannot be a tag value, and the override header "
        "is written in a tag; a tag value is at most 256 letters, digits, spaces and _ . : / = + - @",
    ),
    (
        "a ramp step over 100 points",
        {"max_step": 101},
        "ModelExperimentProps.max_step: 101 is out of range; max_step is None or 1 to 100 percentage points",
    ),
]


@pytest.mark.parametrize(("case", "changes", "message"), FAILS, ids=[f[0] for f in FAILS])
def test_fails_at_construction_naming_the_prop(case: str, changes: dict[str, Any], message: str) -> None:
    # GIVEN the classic experiment's props with one prop breaking an AWS limit
    props = dataclasses.replace(classic(), **changes)
    stack = empty_stack()
    # WHEN the construct is made THEN it raises one line naming the prop, and adds nothing to the stack
    with pytest.raises(ValueError) as raised:
        ModelExperiment(stack, "experiment-abtest", props)
    assert str(raised.value) == message
    assert stack.node.children == []


def test_fails_with_one_line_per_problem() -> None:
    props = dataclasses.replace(classic(), priority=0, stickiness=0)
    with pytest.raises(ValueError) as raised:
        ModelExperiment(empty_stack(), "experiment-abtest", props)
    assert [line.split(":")[0] for line in str(raised.value).splitlines()] == [
        "ModelExperimentProps.priority",
        "ModelExperimentProps.stickiness",
    ]


def test_fails_when_a_routed_variant_has_no_target_group_arn() -> None:
    routing = classic().routing
    with pytest.raises(
        ValueError,
        match="ModelExperimentProps.targets: experiment abtest: target_group_arns has no ARN for variant.s. model-b",
    ):
        ModelExperimentProps.from_routing(
            routing, listener_arn=LISTENER, target_group_arns={"model-a": "arn:a"}, tags=TAGS
        )
