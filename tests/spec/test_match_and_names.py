"""Match conditions in all their accepted forms, and names that AWS would reject once derived."""

from __future__ import annotations

from constructs_ab.spec import HeaderMatch, QueryMatch, SpecError, TargetType, parse_spec

from .spec_builders import base_spec, changed, dump, load, problems_of


def test_every_match_form_is_read() -> None:
    spec = changed(
        base_spec(),
        "environments.prod.experiments.0.match",
        {
            "paths": ["/abtest/*"],
            "headers": {"X-Client": ["beta"], "X-Team": "ml"},
            "query": [{"key": "v", "value": "b"}, {"value": "any"}],
        },
    )
    spec = changed(spec, "environments.prod.experiments.0.override", False)
    match = load(spec).environments[0].experiments[0].match
    assert match.headers == (
        HeaderMatch(name="X-Client", values=("beta",)),
        HeaderMatch(name="X-Team", values=("ml",)),
    )
    assert match.query == (QueryMatch(key="v", value="b"), QueryMatch(key=None, value="any"))
    assert match.condition_values == 5


def test_query_as_a_map_of_key_to_values() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.match.query", {"v": ["a", "b"]})
    match = load(spec).environments[0].experiments[0].match
    assert match.query == (QueryMatch(key="v", value="a"), QueryMatch(key="v", value="b"))


def test_instance_targets_and_override_header_are_read() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.variants.1.target_type", "instance")
    spec = changed(
        spec,
        "environments.prod.experiments.0.variants.1.targets",
        ["i-0123456789abcdef0", {"id": "i-0123456789abcdef1", "port": 9000}],
    )
    spec = changed(spec, "environments.prod.experiments.0.override", {"header": "X-Force-Model"})
    experiment = load(spec).environments[0].experiments[0]
    variant = experiment.variants[1].variant
    assert variant.target_type is TargetType.INSTANCE
    assert [(t.id, t.port) for t in variant.targets] == [
        ("i-0123456789abcdef0", None),
        ("i-0123456789abcdef1", 9000),
    ]
    assert experiment.override.header == "X-Force-Model"


def test_fails_on_an_environment_name_that_makes_an_internal_prefixed_load_balancer_name() -> None:
    spec = base_spec()
    spec["environments"] = {"internal": spec["environments"]["prod"]}
    assert problems_of(spec) == [
        (
            "environments.internal.load_balancers.public",
            '"public" makes the load balancer name "internal-public"; a load balancer name may not start with '
            "internal-: rename the environment",
        )
    ]


def test_fails_on_an_invalid_environment_name() -> None:
    spec = base_spec()
    spec["environments"] = {"Prod": spec["environments"]["prod"]}
    assert problems_of(spec) == [
        (
            "environments.Prod",
            'the environment name "Prod" is not a valid name; a name is lowercase letters, digits and hyphens, not '
            "starting or ending with a hyphen",
        )
    ]


def test_a_key_with_a_line_break_still_renders_on_one_line() -> None:
    text = dump(changed(base_spec(), "environments.prod.a\u2028b", 1))
    try:
        parse_spec(text, source="s.yaml")
    except SpecError as error:
        assert str(error).splitlines() == [
            's.yaml:5: environments.prod["a\\u2028b"]: "a\\u2028b" is not a known key; an environment has the keys '
            "region, vpc_id, subnet_ids, certificate_arn, allowed_client_cidrs, owner, tags, state, "
            "alarm_topic_per_experiment, stacks, load_balancers, experiments"
        ]
    else:
        raise AssertionError("a spec with an unknown key loaded")
