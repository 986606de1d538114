"""Planning promote, rollback and set-weights on Spec objects: new weights, paused flags, stage, refusals."""

from __future__ import annotations

import dataclasses

import pytest

from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.locate import locate_experiment
from constructs_ab.rollout.plan import RolloutPlan, plan_promote, plan_rollback, plan_set_weights
from constructs_ab.spec.model import (
    Environment,
    Experiment,
    LoadBalancer,
    Match,
    Ramp,
    Spec,
    Variant,
    WeightedVariant,
)


def weighted(name: str, weight: int, *, paused: bool = False) -> WeightedVariant:
    return WeightedVariant(
        variant=Variant(name=name, model_id="sentiment", model_version="1"), weight=weight, paused=paused
    )


def experiment(
    *variants: WeightedVariant, stage: int | None = 1, stages: tuple[int, ...] = (5, 20, 50, 100)
) -> Experiment:
    ramp = Ramp(candidate="b", stages=stages, stage=stage) if stage is not None else None
    return Experiment(
        name="abtest",
        load_balancer="public",
        match=Match(paths=("/abtest",)),
        variants=variants or (weighted("a", 80), weighted("b", 20)),
        priority=100,
        ramp=ramp,
    )


def environment(name: str = "prod", *experiments: Experiment) -> Environment:
    return Environment(
        name=name,
        region="eu-west-1",
        vpc_id="vpc-1",
        subnet_ids=("subnet-1", "subnet-2"),
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/x",
        allowed_client_cidrs=("10.0.0.0/8",),
        owner="ml",
        load_balancers=(LoadBalancer(name="public"),),
        experiments=experiments or (experiment(),),
    )


def weights(plan: RolloutPlan) -> dict[str, tuple[int, bool]]:
    return {v.name: (v.weight_after, v.paused_after) for v in plan.variants}


def problems(error: pytest.ExceptionInfo[RolloutError]) -> list[str]:
    return list(error.value.problems)


# --- promote --------------------------------------------------------------------------------------


def test_promote_moves_the_candidate_to_the_next_stage() -> None:
    exp = experiment()
    plan = plan_promote(environment("prod", exp), exp)
    assert (plan.stage_before, plan.stage_after) == (1, 2)
    assert weights(plan) == {"a": (50, False), "b": (50, False)}
    assert plan.notes == ()
    assert plan.ramp is not None and plan.ramp.effective_max_step == 50  # largest of 0, 5, 20, 50, 100


def test_promote_to_100_pauses_the_others_and_says_so() -> None:
    exp = experiment(weighted("a", 50), weighted("b", 50), stage=2)
    plan = plan_promote(environment("prod", exp), exp)
    assert weights(plan) == {"a": (0, True), "b": (100, False)}
    assert plan.notes == ("paused a at weight 0: the candidate 'b' takes all traffic",)


def test_promote_from_not_started_unpauses_the_candidate() -> None:
    exp = experiment(weighted("a", 100), weighted("b", 0, paused=True), stage=-1)
    plan = plan_promote(environment("prod", exp), exp)
    assert weights(plan) == {"a": (95, False), "b": (5, False)}
    assert plan.stage_after == 0


def test_fails_to_promote_at_the_last_stage() -> None:
    exp = experiment(weighted("a", 0, paused=True), weighted("b", 100), stage=3)
    with pytest.raises(RolloutError) as error:
        plan_promote(environment("prod", exp), exp)
    assert problems(error) == [
        "experiment 'abtest' (prod) is at its last ramp stage, stage 3 (100%) of stages "
        "[5, 20, 50, 100]; nothing to promote"
    ]


def test_fails_to_promote_without_a_ramp() -> None:
    exp = experiment(stage=None)
    with pytest.raises(RolloutError) as error:
        plan_promote(environment("prod", exp), exp)
    assert problems(error) == [
        "experiment 'abtest' (prod) has no ramp; add "
        "`ramp: {candidate: <variant>, stages: [...], stage: -1}` to it, or use set-weights"
    ]


# --- rollback -------------------------------------------------------------------------------------


def test_rollback_from_the_first_stage_pauses_the_candidate() -> None:
    exp = experiment(weighted("a", 95), weighted("b", 5), stage=0)
    plan = plan_rollback(environment("prod", exp), exp)
    assert (plan.stage_before, plan.stage_after) == (0, -1)
    assert weights(plan) == {"a": (100, False), "b": (0, True)}
    assert plan.notes == ("paused the candidate 'b' at weight 0 (ramp not started)",)


def test_rollback_from_100_unpauses_the_others_with_an_equal_split() -> None:
    exp = experiment(
        weighted("a", 0, paused=True), weighted("c", 0, paused=True), weighted("b", 100), stage=3
    )
    plan = plan_rollback(environment("prod", exp), exp)
    assert weights(plan) == {"a": (25, False), "c": (25, False), "b": (50, False)}
    assert plan.notes == (
        "a, c had weight 0, so there was no proportion to keep: they share the other 50% equally "
        "(unpaused a, c)",
    )


def test_fails_to_roll_back_below_not_started() -> None:
    exp = experiment(weighted("a", 100), weighted("b", 0, paused=True), stage=-1)
    with pytest.raises(RolloutError) as error:
        plan_rollback(environment("prod", exp), exp)
    assert problems(error) == [
        "experiment 'abtest' (prod) is at stage -1 (0%, not started): the candidate 'b' takes "
        "no traffic; nothing to roll back"
    ]


# --- set-weights ----------------------------------------------------------------------------------


def test_set_weights_follows_the_stage_of_the_new_share() -> None:
    exp = experiment()
    plan = plan_set_weights(environment("prod", exp), exp, ["a=1", "b=1"])
    assert weights(plan) == {"a": (1, False), "b": (1, False)}
    assert plan.stage_after == 2  # 50%


def test_set_weights_zero_pauses_and_positive_unpauses() -> None:
    exp = experiment(weighted("a", 80), weighted("b", 20), stage=None)
    plan = plan_set_weights(environment("prod", exp), exp, ["b=0", "a=999"])
    assert weights(plan) == {"a": (999, False), "b": (0, True)}
    assert plan.notes == ("paused b at weight 0",)
    assert plan.stage_after is None


def test_set_weights_candidate_zero_is_stage_minus_one() -> None:
    exp = experiment()
    assert plan_set_weights(environment("prod", exp), exp, ["a=10", "b=0"]).stage_after == -1


def test_set_weights_to_the_same_weights_changes_nothing() -> None:
    exp = experiment()
    assert not plan_set_weights(environment("prod", exp), exp, ["a=80", "b=20"]).changed


def test_fails_to_set_a_share_that_is_not_a_stage() -> None:
    exp = experiment()
    with pytest.raises(RolloutError) as error:
        plan_set_weights(environment("prod", exp), exp, ["a=70", "b=30"])
    assert problems(error) == [
        "the ramp candidate 'b' of experiment 'abtest' (prod) would get 30% (weight 30 of 100); "
        "with a ramp the candidate's share must be one of its stages 5%, 20%, 50%, 100%, or 0% with weight 0 "
        "(stage -1); use promote or rollback to move between stages"
    ]


def test_fails_to_give_the_candidate_a_share_that_rounds_to_zero() -> None:
    exp = experiment()
    with pytest.raises(RolloutError) as error:
        plan_set_weights(environment("prod", exp), exp, ["a=999", "b=1"])
    assert problems(error) == [
        "the ramp candidate 'b' of experiment 'abtest' (prod) "
        "would get 0.1% (weight 1 of 1000), which rounds to 0%; "
        "to stop the candidate give it weight 0 (stage -1)"
    ]


def test_fails_with_one_line_per_bad_assignment() -> None:
    exp = experiment(weighted("a", 80), weighted("b", 20), weighted("c", 0, paused=True))
    with pytest.raises(RolloutError) as error:
        plan_set_weights(environment("prod", exp), exp, ["a=x7", "bb=20", "a=1000", "c"])
    assert problems(error) == [
        "variant 'a' weight 'x7' is not a whole number; a weight is an integer from 0 to 999",
        "experiment 'abtest' (prod) has no variant 'bb'; did you mean 'b'? (variants: a, b, c)",
        "variant 'a' is named twice; name each variant exactly once",
        "variant 'a' weight 1000 is out of range; a weight is an integer from 0 to 999",
        "'c' is not NAME=WEIGHT, e.g. a=70",
        "no weight for 'b', 'c' of experiment 'abtest' (prod); name every variant exactly once: "
        "a=<weight> b=<weight> c=<weight>",
    ]


def test_fails_when_every_weight_is_zero() -> None:
    exp = experiment(stage=None)
    with pytest.raises(RolloutError) as error:
        plan_set_weights(environment("prod", exp), exp, ["a=0", "b=0"])
    assert problems(error) == [
        "every weight of experiment 'abtest' (prod) is 0; at least one weight must be positive"
    ]


# --- finding the experiment -----------------------------------------------------------------------


SPEC = Spec(environments=(environment("staging"), environment("prod")))


def test_env_picks_one_of_several_environments() -> None:
    env, exp = locate_experiment(SPEC, "abtest", "prod")
    assert (env.name, exp.name) == ("prod", "abtest")


def test_fails_without_env_when_several_environments_have_the_experiment() -> None:
    with pytest.raises(RolloutError) as error:
        locate_experiment(SPEC, "abtest")
    assert problems(error) == [
        "experiment 'abtest' is in several environments (staging, prod); choose one with --env"
    ]


def test_fails_for_an_unknown_experiment_with_a_suggestion() -> None:
    with pytest.raises(RolloutError) as error:
        locate_experiment(SPEC, "abtset", "prod")
    assert problems(error) == [
        "unknown experiment 'abtset' in environment 'prod'; did you mean 'abtest'? "
        "(experiments there: abtest)"
    ]


def test_fails_for_an_unknown_environment_with_a_suggestion() -> None:
    with pytest.raises(RolloutError) as error:
        locate_experiment(SPEC, "abtest", "prd")
    assert problems(error) == [
        "--env: unknown environment 'prd'; did you mean 'prod'? (environments: staging, prod)"
    ]


def test_fails_when_the_experiment_is_only_in_another_environment() -> None:
    chat = dataclasses.replace(experiment(), name="chat")
    spec = Spec(environments=(environment("staging"), environment("prod", chat)))
    with pytest.raises(RolloutError) as error:
        locate_experiment(spec, "chat", "staging")
    assert problems(error) == ["experiment 'chat' is not in environment 'staging'; it is in: prod"]
