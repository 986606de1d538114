"""A variant is defined once per environment and may be listed by other experiments by name."""

from __future__ import annotations

from typing import Any

from .spec_builders import EXP, base_spec, changed, load, problems_of

SECOND = "environments.prod.experiments[1] (second)"


def _with_second(variants: list[dict[str, Any]], load_balancer: str = "public") -> dict[str, Any]:
    spec = base_spec()
    spec["environments"]["prod"]["experiments"].append(
        {
            "name": "second",
            "load_balancer": load_balancer,
            "match": {"paths": ["/second"]},
            "variants": variants,
        }
    )
    return spec


def test_shared_variant_is_one_variant_with_its_own_weight_per_experiment() -> None:
    # GIVEN a second experiment that lists variant a by name only, and defines c
    spec = _with_second([{"name": "a", "weight": 10}, {"name": "c", "model": "m:3", "weight": 90}])
    # WHEN loaded
    env = load(spec).environments[0]
    first, second = env.experiments
    # THEN both experiments route to the same variant (one target group), with their own weights
    assert second.variants[0].variant is first.variants[0].variant
    assert second.variants[0].weight == 10 and first.variants[0].weight == 80
    assert [v.name for v in env.variants] == ["a", "b", "c"]


def test_shared_variant_may_be_listed_before_its_definition() -> None:
    spec = _with_second([{"name": "x", "model": "m:9", "weight": 1}, {"name": "a", "weight": 1}])
    spec["environments"]["prod"]["experiments"][0]["variants"][0] = {"name": "x", "weight": 5}
    spec["environments"]["prod"]["experiments"][0]["variants"].append(
        {"name": "a", "model": "m:1", "weight": 1}
    )
    first = load(spec).environments[0].experiments[0]
    assert first.variants[0].variant.model == "m:9"


def test_fails_on_a_variant_defined_twice() -> None:
    spec = _with_second(
        [{"name": "a", "model": "m:1", "weight": 10}, {"name": "c", "model": "m:3", "weight": 90}]
    )
    assert problems_of(spec) == [
        (
            f"{SECOND}.variants[0] (a).model",
            'variant "a" is already defined in experiment exp (line 15); define a variant once per environment and '
            "share it by listing only its name, weight and paused in other experiments",
        )
    ]


def test_fails_on_a_reference_to_an_undefined_variant_with_a_suggestion() -> None:
    spec = _with_second([{"name": "aa", "weight": 10}, {"name": "b", "weight": 90}])
    assert problems_of(spec) == [
        (
            f"{SECOND}.variants[0] (aa).name",
            '"aa" is not a variant defined in environment prod; did you mean "a"? define it here with model: {id, '
            "version} (and its port, health_check, ...), or name a variant defined in another experiment: a, b",
        )
    ]


def test_fails_on_a_reference_that_repeats_settings() -> None:
    spec = _with_second([{"name": "a", "weight": 10, "port": 9000}, {"name": "b", "weight": 90}])
    assert problems_of(spec) == [
        (
            f"{SECOND}.variants[0] (a).port",
            '"port" is given without model; a variant is defined once per environment with model and its settings; '
            "another experiment that shares it lists only name, weight and paused",
        )
    ]


def test_fails_on_a_shared_variant_on_two_load_balancers() -> None:
    spec = _with_second(
        [{"name": "a", "weight": 10}, {"name": "c", "model": "m:3", "weight": 90}], load_balancer="other"
    )
    spec["environments"]["prod"]["load_balancers"]["other"] = {}
    assert problems_of(spec) == [
        (
            f"{SECOND}.variants[0] (a)",
            'variant "a" is used on load balancer other here and on public by experiment exp; a variant is one target '
            "group, which serves one load balancer: put both experiments on one load balancer or define a second variant",
        )
    ]


def test_fails_on_a_variant_listed_twice_in_one_experiment() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.variants.1", {"name": "a", "weight": 20})
    assert problems_of(spec) == [
        (
            f"{EXP}.variants[1] (a).name",
            '"a" is already a variant of this experiment (line 15); list each variant once',
        )
    ]


def test_fails_when_every_weight_is_zero_even_if_paused() -> None:
    spec = base_spec()
    for index in (0, 1):
        spec = changed(spec, f"environments.prod.experiments.0.variants.{index}.weight", 0)
        spec = changed(spec, f"environments.prod.experiments.0.variants.{index}.paused", True)
    assert problems_of(spec) == [
        (
            f"{EXP}.variants",
            "every weight is 0, so the split sends no traffic; at least one variant needs a weight from 1 to 999",
        )
    ]


def test_paused_variant_at_weight_zero_is_accepted() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.variants.1.weight", 0)
    spec = changed(spec, "environments.prod.experiments.0.variants.1.paused", True)
    variant = load(spec).environments[0].experiments[0].variants[1]
    assert (variant.weight, variant.paused) == (0, True)
