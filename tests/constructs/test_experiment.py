"""ModelExperiment: the weighted split rule, stickiness, override rules, conditions, priorities and tags."""

from __future__ import annotations

import pytest
from cdktf import TerraformStack
from synth_helpers import Doc, empty_stack, ref, resource, resources, synth

from constructs_ab.experiment import ModelExperiment, ModelExperimentProps
from constructs_ab.model_variant import ModelVariant, ModelVariantProps
from constructs_ab.spec.model import (
    Experiment,
    HeaderMatch,
    Match,
    Override,
    QueryMatch,
    Ramp,
    Stickiness,
    Variant,
    WeightedVariant,
)
from constructs_ab.tagging import BaseTags

TAGS = BaseTags(environment="prod", owner="ml-platform")
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod-public/50dc6c495c0c9188/f2f7dc8efc522ab2"
A = Variant(name="model-a", model_id="sentiment", model_version="1.4.2")
B = Variant(name="model-b", model_id="sentiment", model_version="2.0.0")
C = Variant(name="model-c", model_id="sentiment", model_version="3.0.0-rc1")

CLASSIC = Experiment(
    name="abtest",
    load_balancer="public",
    match=Match(paths=("/abtest", "/abtest/*")),
    variants=(WeightedVariant(variant=A, weight=80), WeightedVariant(variant=B, weight=20)),
    priority=100,
    stickiness=Stickiness(duration=3600),
)
EVERY_CONDITION = Experiment(
    name="conditions",
    load_balancer="public",
    match=Match(
        paths=("/v1/*",),
        hosts=("api.example.com",),
        headers=(HeaderMatch(name="X-Tenant", values=("acme",)),),
        query=(QueryMatch(key="beta", value="1"), QueryMatch(key=None, value="canary")),
        source_ips=("10.0.0.0/8",),
        methods=("POST",),
    ),
    variants=(
        WeightedVariant(variant=A, weight=50),
        WeightedVariant(variant=B, weight=50),
        WeightedVariant(variant=C, weight=0, paused=True),
    ),
    priority=300,
    override=Override(enabled=False),
    ramp=Ramp(candidate="model-b", stages=(10, 50), stage=1),
    owner="search-team",
)


@pytest.fixture(scope="module")
def doc() -> Doc:
    # GIVEN the classic 80/20 experiment on /abtest (sticky 1 h, override on) and one with every
    # condition kind, a paused variant, stickiness and override off and its own owner
    def build(stack: TerraformStack) -> None:
        variants = {
            v.name: ModelVariant(
                stack, f"variant-{v.name}", ModelVariantProps(variant=v, vpc_id="vpc-1", tags=TAGS)
            )
            for v in (A, B, C)
        }
        arns = {name: variant.arn for name, variant in variants.items()}
        for experiment in (CLASSIC, EVERY_CONDITION):
            ModelExperiment(
                stack,
                f"experiment-{experiment.name}",
                ModelExperimentProps(
                    experiment=experiment, listener_arn=LISTENER, target_group_arns=arns, tags=TAGS
                ),
            )

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
    assert [tg["weight"] for tg in forward["target_group"]] == [50, 50, 0]


def test_override_rules_force_one_variant_by_header_before_the_split(doc: Doc) -> None:
    # THEN one rule per variant, in variant order, at priorities 100 and 101, and the split at 102
    rules = {
        name: resource(doc, "aws_lb_listener_rule", f"experiment-abtest/{name}")
        for name in ("override-model-a", "override-model-b", "split")
    }
    assert [rule["priority"] for rule in rules.values()] == [100, 101, 102]
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


def test_override_off_leaves_only_the_split_at_the_experiment_priority(doc: Doc) -> None:
    rules = [
        key for key in resources(doc, "aws_lb_listener_rule") if key.startswith("experiment-conditions_")
    ]
    assert len(rules) == 1
    assert resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["priority"] == 300


def test_every_condition_kind_becomes_one_condition_block(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["condition"] == [
        {"path_pattern": {"values": ["/v1/*"]}},
        {"host_header": {"values": ["api.example.com"]}},
        {"http_header": {"http_header_name": "X-Tenant", "values": ["acme"]}},
        {"query_string": [{"key": "beta", "value": "1"}, {"value": "canary"}]},
        {"source_ip": {"values": ["10.0.0.0/8"]}},
        {"http_request_method": {"values": ["POST"]}},
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


def test_paused_variants_tag_names_variants_paused_at_weight_0_and_owner_comes_from_the_experiment(
    doc: Doc,
) -> None:
    tags = resource(doc, "aws_lb_listener_rule", "experiment-conditions/split")["tags"]
    assert tags["paused-variants"] == "model-c"
    assert tags["owner"] == "search-team"
    assert tags["variant"] == "model-a model-b model-c"


def test_split_rule_of_a_ramped_experiment_carries_its_ramp_step_for_the_traffic_diff(doc: Doc) -> None:
    # stages 10 and 50: steps of 10 (from 0) and 40 points; the largest is the accepted jump
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


def test_fails_when_a_variant_has_no_target_group_arn() -> None:
    # GIVEN target group ARNs for model-a only
    stack = empty_stack()
    props = ModelExperimentProps(
        experiment=CLASSIC, listener_arn=LISTENER, target_group_arns={"model-a": "arn:a"}, tags=TAGS
    )
    # WHEN / THEN the construct names the experiment and the missing variant
    with pytest.raises(
        ValueError, match="experiment abtest: target_group_arns has no ARN for variant.s. model-b"
    ):
        ModelExperiment(stack, "experiment-abtest", props)
