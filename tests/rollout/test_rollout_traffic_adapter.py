"""The Spec -> TrafficModel adapter that the rollout commands diff, and the diff it gives."""

from __future__ import annotations

import dataclasses

from constructs_ab.review.diff import ChangeKind, RiskKind, diff_traffic
from constructs_ab.review.traffic import (
    Condition,
    FixedResponseAction,
    ForwardAction,
    QueryPair,
    RedirectAction,
    RuleRole,
)
from constructs_ab.rollout.traffic_adapter import traffic_model_of
from constructs_ab.routing.from_spec import conditions_of
from constructs_ab.spec.model import (
    DefaultAction,
    DefaultActionKind,
    Environment,
    Experiment,
    HeaderMatch,
    LoadBalancer,
    Match,
    Override,
    QueryMatch,
    Ramp,
    StackLayout,
    Stickiness,
    Variant,
    WeightedVariant,
)


def weighted(name: str, weight: int, *, paused: bool = False) -> WeightedVariant:
    return WeightedVariant(
        variant=Variant(name=name, model_id="sentiment", model_version=name[-1]), weight=weight, paused=paused
    )


EXPERIMENT = Experiment(
    name="abtest",
    load_balancer="public",
    match=Match(paths=("/abtest", "/abtest/*")),
    variants=(weighted("v-a", 80), weighted("v-b", 20), weighted("v-c", 0, paused=True)),
    priority=100,
    stickiness=Stickiness(duration=3600),
    ramp=Ramp(candidate="v-b", stages=(5, 20, 50), stage=1),
)
ENVIRONMENT = Environment(
    name="prod",
    region="eu-west-1",
    vpc_id="vpc-1",
    subnet_ids=("subnet-1", "subnet-2"),
    certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/x",
    allowed_client_cidrs=("0.0.0.0/0",),
    owner="ml",
    load_balancers=(
        LoadBalancer(
            name="public", default_action=DefaultAction(kind=DefaultActionKind.FORWARD, variant="v-a")
        ),
    ),
    experiments=(EXPERIMENT,),
)


def test_environment_becomes_one_stack_with_https_rules_in_priority_order() -> None:
    model = traffic_model_of(ENVIRONMENT)
    (stack,) = model.stacks
    (balancer,) = stack.load_balancers
    http, https = balancer.listeners
    assert (stack.name, balancer.name) == ("prod", "prod-public")
    assert http.label == "HTTP:80" and isinstance(http.default_action, RedirectAction)
    assert https.label == "HTTPS:443" and https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [(r.priority, r.label) for r in https.rules] == [
        (100, "abtest override v-a"),
        (101, "abtest override v-b"),
        (102, "abtest override v-c"),
        (105, "abtest"),
    ]
    assert https.rules[0].conditions[-1] == Condition.http_header("X-Model-Variant", "v-a")
    assert isinstance(https.default_action, ForwardAction)
    assert https.default_action.targets[0].target_group.variant == "v-a"


def test_split_rule_carries_weights_shares_models_stickiness_and_paused_variants() -> None:
    split = traffic_model_of(ENVIRONMENT).stacks[0].load_balancers[0].listeners[1].rules[-1]
    assert split.role is RuleRole.SPLIT
    assert split.paused_variants == ("v-c",)
    assert isinstance(split.action, ForwardAction)
    assert [
        (t.target_group.label, t.target_group.model, t.weight, t.percent) for t in split.action.targets
    ] == [
        ("v-a", "sentiment:a", 80, "80.0%"),
        ("v-b", "sentiment:b", 20, "20.0%"),
        ("v-c", "sentiment:c", 0, "0.0%"),
    ]
    assert split.action.describe() == "forward to v-a 80.0%, v-b 20.0%, v-c 0.0% (stickiness on, 3600 s)"


def test_every_match_kind_becomes_a_condition_in_the_order_the_constructs_write() -> None:
    match = Match(
        paths=("/p",),
        hosts=("h.example.com",),
        headers=(HeaderMatch(name="X-T", values=("1",)),),
        query=(QueryMatch(key=None, value="v"),),
        source_ips=("10.0.0.0/8",),
        methods=("POST",),
    )
    assert conditions_of(match) == (
        Condition.path_patterns("/p"),
        Condition.host_headers("h.example.com"),
        Condition.http_header("X-T", "1"),
        Condition.query_strings(QueryPair(key=None, value="v")),
        Condition.source_ips("10.0.0.0/8"),
        Condition.http_request_methods("POST"),
    )


def test_without_override_and_default_forward_only_the_split_and_a_404() -> None:
    environment = dataclasses.replace(
        ENVIRONMENT,
        load_balancers=(LoadBalancer(name="public"),),
        experiments=(dataclasses.replace(EXPERIMENT, override=Override(enabled=False)),),
    )
    https = traffic_model_of(environment).stacks[0].load_balancers[0].listeners[1]
    assert [(r.priority, r.role) for r in https.rules] == [(100, RuleRole.SPLIT)]
    assert https.default_action == FixedResponseAction(status_code="404", content_type="application/json")


def test_diff_of_a_promote_shows_the_share_change_and_flags_a_jump_over_the_ramp_step() -> None:
    # GIVEN the candidate jumps from 20% to 50% with a ramp step of 25 points
    after = dataclasses.replace(
        ENVIRONMENT,
        experiments=(
            dataclasses.replace(
                EXPERIMENT,
                variants=(weighted("v-a", 50), weighted("v-b", 50), weighted("v-c", 0, paused=True)),
            ),
        ),
    )
    diff = diff_traffic(traffic_model_of(ENVIRONMENT), traffic_model_of(after), max_step=25)
    # THEN only the split rule's shares change, and both 30-point moves are risky
    assert [(c.kind, c.subject, c.before, c.after) for c in diff.changes] == [
        (ChangeKind.SHARE_CHANGED, "v-a", "80.0%", "50.0%"),
        (ChangeKind.SHARE_CHANGED, "v-b", "20.0%", "50.0%"),
    ]
    assert {r.kind for c in diff.changes for r in c.risks} == {RiskKind.SHARE_JUMP}


def test_an_environment_split_per_load_balancer_is_a_stack_per_load_balancer() -> None:
    split = dataclasses.replace(ENVIRONMENT, stacks=StackLayout.PER_LOAD_BALANCER)
    model = traffic_model_of(split)
    assert [(stack.name, [lb.name for lb in stack.load_balancers]) for stack in model.stacks] == [
        ("prod--public", ["prod-public"])
    ]
    assert model.stacks[0].load_balancers == traffic_model_of(ENVIRONMENT).stacks[0].load_balancers
