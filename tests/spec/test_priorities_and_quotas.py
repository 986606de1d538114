"""Rule priorities (explicit, clashing, assigned) and the quotas of a load balancer."""

from __future__ import annotations

from typing import Any

from constructs_ab.spec.priorities import FIRST_AUTO_PRIORITY, PriorityRequest, assign_priorities

from .spec_builders import LB, base_spec, load, problems_of


def _experiment(name: str, priority: int | None = None, variants: int = 2, **extra: Any) -> dict[str, Any]:
    experiment: dict[str, Any] = {
        "name": name,
        "load_balancer": "public",
        "match": {"paths": [f"/{name}"]},
        "variants": [{"name": f"{name}-v{i}", "model": f"m:{i}", "weight": 1} for i in range(variants)],
        **extra,
    }
    if priority is not None:
        experiment["priority"] = priority
    return experiment


def _spec(*experiments: dict[str, Any], **lb: Any) -> dict[str, Any]:
    spec = base_spec()
    spec["environments"]["prod"]["experiments"] = list(experiments)
    spec["environments"]["prod"]["load_balancers"]["public"] = lb
    return spec


def _priorities(spec: dict[str, Any]) -> dict[str, int]:
    return {e.name: e.priority for e in load(spec).environments[0].experiments}


def test_adding_an_experiment_does_not_move_the_others() -> None:
    # GIVEN experiments with assigned priorities
    names = [f"exp-{i}" for i in range(30)]
    before = _priorities(_spec(*[_experiment(n) for n in names], max_rules=1000))
    # WHEN experiments are added, one at the end and one with an explicit priority
    after = _priorities(
        _spec(
            *[_experiment(n) for n in names],
            _experiment("new-one"),
            _experiment("pinned", priority=10),
            max_rules=1000,
        )
    )
    # THEN every earlier experiment keeps its priority
    assert {n: after[n] for n in names} == before
    assert len(set(after.values())) == len(after)


def test_assigned_priorities_are_aligned_blocks_from_1000() -> None:
    priorities = _priorities(_spec(_experiment("a"), _experiment("b")))
    assert all(p >= FIRST_AUTO_PRIORITY and p % 10 == 0 for p in priorities.values())


def test_assignment_avoids_explicit_ranges_and_earlier_blocks() -> None:
    # GIVEN "b" and "c" whose preferred block is taken, by an explicit range and by an earlier experiment
    preferred = assign_priorities([PriorityRequest(name="a", span=6)])[0]
    assert preferred is not None
    result = assign_priorities(
        [
            PriorityRequest(name="x", span=6, priority=preferred + 5),
            PriorityRequest(name="a", span=6),
            PriorityRequest(name="a", span=6),
        ]
    )
    # THEN each moves to the next free block
    assert result == [preferred + 5, preferred + 20, preferred + 30]


def test_experiment_without_override_uses_one_priority() -> None:
    env = load(_spec(_experiment("a", priority=7, override=False))).environments[0]
    assert env.experiments[0].rule_priorities == (7,)


def test_fails_on_a_priority_clash_naming_both_experiments() -> None:
    spec = _spec(_experiment("first", priority=100), _experiment("second", priority=105))
    assert problems_of(spec) == [
        (
            "environments.prod.experiments[1] (second).priority",
            "priority clash on load balancer public: experiment second reserves priorities 105-110 and experiment "
            "first reserves 100-105; an experiment with override rules reserves 6 priorities (its override rules "
            "from its priority, the split 5 above it), one without: give second a priority from 106 or leave it "
            "out to have one assigned",
        )
    ]


def test_the_split_does_not_move_when_a_variant_is_added_or_removed() -> None:
    # GIVEN the same experiment with 2, 3 and 5 variants
    splits = {
        count: load(_spec(_experiment("a", priority=100, variants=count))).environments[0].experiments[0]
        for count in (2, 3, 5)
    }
    # THEN its split stays at 105 and its override rules take 100 up by variant position
    assert {count: e.rule_priorities for count, e in splits.items()} == {
        2: (100, 101, 105),
        3: (100, 101, 102, 105),
        5: (100, 101, 102, 103, 104, 105),
    }
    assert {e.priority_span for e in splits.values()} == {6}
    # AND the next experiment may start right after the split, whatever the variants
    assert (
        problems_of(_spec(_experiment("a", priority=100, variants=2), _experiment("b", priority=106))) == []
    )


def test_same_priority_on_two_load_balancers_is_no_clash() -> None:
    spec = _spec(
        _experiment("first", priority=100), {**_experiment("second", priority=100), "load_balancer": "other"}
    )
    spec["environments"]["prod"]["load_balancers"]["other"] = {}
    assert problems_of(spec) == []


def test_fails_when_rules_exceed_the_quota_of_the_load_balancer() -> None:
    # GIVEN 17 experiments of 5 variants: 6 rules each, 102 in all
    spec = _spec(*[_experiment(f"e{i}", variants=5) for i in range(17)])
    assert problems_of(spec) == [
        (
            LB,
            "load balancer public needs 102 rules for its 17 experiments (override rules included) but its rule quota "
            "is 100; move experiments to another load balancer, turn overrides off, or set max_rules to the quota "
            "your account was granted",
        )
    ]


def test_sixteen_experiments_of_five_variants_fill_the_default_quota() -> None:
    assert problems_of(_spec(*[_experiment(f"e{i}", variants=5) for i in range(16)])) == []


def test_a_raised_rule_quota_admits_more_rules() -> None:
    assert problems_of(_spec(*[_experiment(f"e{i}", variants=5) for i in range(17)], max_rules=200)) == []


def test_fails_when_target_groups_exceed_100_per_load_balancer() -> None:
    # GIVEN 21 experiments of 5 variants without overrides: 21 rules, 105 target groups
    spec = _spec(*[_experiment(f"e{i}", variants=5, override=False) for i in range(21)])
    assert problems_of(spec) == [
        (
            LB,
            "load balancer public has 105 variants (target groups); a load balancer serves at most 100 target groups "
            "(AWS quota, not adjustable): move experiments to another load balancer",
        )
    ]
