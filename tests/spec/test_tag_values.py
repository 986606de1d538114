"""The tag values the constructs build (a split's variant and model lists, a model's <id>:<version>, a
shared variant's experiment list) are checked against AWS's 256 characters before anything is written."""

from __future__ import annotations

from typing import Any

from constructs_ab.routing.from_spec import rules_of
from constructs_ab.spec import validate

from .spec_builders import EXP, base_spec, changed, load, problems_of


def _variants(count: int, model_length: int) -> list[dict[str, Any]]:
    return [
        {"name": f"v{i}", "model": {"id": chr(ord("a") + i) * model_length, "version": "1"}, "weight": 1}
        for i in range(count)
    ]


def test_a_split_listing_models_over_256_characters_is_refused_naming_the_experiment_and_the_tag() -> None:
    # GIVEN 3 variants whose <id>:<version> are 102 characters each: the split's model tag is 308
    spec = changed(base_spec(), "environments.prod.experiments.0.variants", _variants(3, 100))
    assert problems_of(spec) == [
        (
            EXP + ".variants",
            "the split rule's `model` tag would be 308 characters (\"" + "a" * 57 + '...": it lists every '
            "variant the split forwards to, or pauses), and AWS allows 256 in a tag value: shorten the "
            "variant names or the model ids and versions",
        )
    ]


def test_the_same_models_fit_when_the_split_lists_fewer() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.variants", _variants(2, 100))
    experiment = load(spec).environments[0].experiments[0]
    assert len(rules_of(experiment)[-1].tags["model"]) == 2 * 102 + 1 <= 256


def test_a_model_id_and_version_over_256_characters_together_is_refused() -> None:
    spec = changed(
        base_spec(),
        "environments.prod.experiments.0.variants.1.model",
        {"id": "m" * 128, "version": "v" * 128},
    )
    assert problems_of(spec) == [
        (
            EXP + ".variants[1] (b).model",
            'the model "'
            + "m" * 57
            + '..." is 257 characters as <id>:<version>, the value of the `model` tag of '
            'variant "b", and AWS allows 256 in a tag value: shorten the id or the version',
        )
    ]


def test_a_variant_shared_by_experiments_whose_names_overflow_its_experiment_tag_is_refused() -> None:
    # GIVEN variant a shared by 10 experiments of 30-character names: its target group lists them all
    spec = base_spec()
    first = spec["environments"]["prod"]["experiments"][0]
    names = [f"experiment-{i:02d}-" + "x" * 16 for i in range(10)]
    experiments = [
        {
            **first,
            "name": name,
            "priority": 100 + 10 * i,
            "match": {"paths": [f"/{i}"]},
            "variants": first["variants"]
            if i == 0
            else [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}],
        }
        for i, name in enumerate(names)
    ]
    spec["environments"]["prod"]["experiments"] = experiments
    problems = problems_of(spec)
    assert [path for path, _ in problems] == [
        f"environments.prod.experiments[0] ({names[0]}).variants[0] (a)",
        f"environments.prod.experiments[0] ({names[0]}).variants[1] (b)",
    ]
    assert problems[0][1] == (
        'variant "a" is in 10 experiments, and its target group\'s `experiment` tag, which lists them, would be '
        "309 characters; AWS allows 256 in a tag value: shorten the experiment names, or define a second variant "
        "for some of the experiments"
    )


def test_a_spec_built_in_python_gets_the_same_tag_problems() -> None:
    spec = load(base_spec())
    assert validate(spec) == []
