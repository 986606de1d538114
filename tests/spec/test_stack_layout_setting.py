"""The environment's `stacks` setting: read into `StackLayout`, one message for a bad value, and stack
names unique per spec (a load balancer stack `<environment>--<load balancer>` next to an environment of
that name)."""

from __future__ import annotations

import copy

import pytest

from constructs_ab.spec import parse_spec_with_warnings
from constructs_ab.stack_layout import StackLayout

from .spec_builders import ENV, base_spec, changed, dump, load, problems_of


@pytest.mark.parametrize(
    ("value", "layout"),
    [(None, StackLayout.ONE), ("one", StackLayout.ONE), ("per_load_balancer", StackLayout.PER_LOAD_BALANCER)],
)
def test_stacks_is_read_into_the_layout(value: str | None, layout: StackLayout) -> None:
    # GIVEN the spec with stacks left out or set
    data = base_spec() if value is None else changed(base_spec(), "environments.prod.stacks", value)
    # WHEN it is loaded THEN the environment has that layout
    assert load(data).environments[0].stacks is layout


def test_a_bad_stacks_value_is_one_problem() -> None:
    # GIVEN a stacks value that is not a layout
    data = changed(base_spec(), "environments.prod.stacks", "per_lb")
    # WHEN it is loaded THEN one problem names the value and what is allowed
    assert problems_of(data) == [
        (
            ENV + ".stacks",
            '"per_lb" is not a stack layout; stacks is one (one Terraform stack for the environment) or '
            "per_load_balancer (an environment stack and one stack per load balancer)",
        )
    ]


def _two_environments(first: str, second: str, split: str) -> dict[str, object]:
    data = base_spec()
    prod = data["environments"]["prod"]
    other = copy.deepcopy(prod)
    other["certificate_arn"] = prod["certificate_arn"].replace("123456789012", "210987654321")
    environments = {first: prod, second: other}
    environments[split]["stacks"] = "per_load_balancer"
    data["environments"] = environments
    return data


def test_a_load_balancer_stack_named_like_a_later_environment_is_refused() -> None:
    # GIVEN environment prod split per load balancer (stack prod--public), then environment prod--public
    data = _two_environments("prod", "prod--public", split="prod")
    # WHEN it is loaded THEN one problem at the later one names both
    assert problems_of(data) == [
        (
            "environments.prod--public",
            'environment prod--public makes the stack "prod--public", which load balancer public of environment '
            "prod makes too; stack names (folders of cdktf.out/stacks, <environment>--<load balancer> with "
            "stacks: per_load_balancer) are unique per spec: rename one of them",
        )
    ]


def test_two_load_balancer_stacks_of_the_same_name_are_refused() -> None:
    # GIVEN environment a with load balancer b--c and environment a--b with load balancer c, both split
    data = _two_environments("a", "a--b", split="a")
    data["environments"]["a--b"]["stacks"] = "per_load_balancer"
    a, ab = data["environments"]["a"], data["environments"]["a--b"]
    a["load_balancers"] = {"b--c": {}}
    a["experiments"][0]["load_balancer"] = "b--c"
    ab["load_balancers"] = {"c": {}}
    ab["experiments"][0]["load_balancer"] = "c"
    # WHEN it is loaded THEN one problem at the later load balancer names both (file order is sorted here)
    assert problems_of(data) == [
        (
            "environments.a--b.load_balancers.c",
            'load balancer c of environment a--b makes the stack "a--b--c", which load balancer b--c of '
            "environment a makes too; stack names (folders of cdktf.out/stacks, <environment>--<load balancer> "
            "with stacks: per_load_balancer) are unique per spec: rename one of them",
        )
    ]


def test_the_same_names_in_one_stack_layout_are_fine() -> None:
    # GIVEN environments prod and prod--public, neither split
    data = _two_environments("prod", "prod--public", split="prod--public")
    # WHEN it is loaded THEN prod--public's own stacks (prod--public, prod--public--public) clash with none
    assert problems_of(data) == []


SPLIT_WARNING = (
    "no experiment of environment prod names a guardrails.alarm_email, so its guardrail alarms notify a topic "
    "no one is subscribed to; with stacks: one the gate fails them (CKV_ABT_17), but a load balancer stack "
    "names the environment's topic by its ARN and the gate cannot see its subscriptions: set "
    "guardrails.alarm_email on an experiment"
)


def _warnings(data: dict[str, object]) -> list[tuple[str, str, int | None]]:
    loaded = parse_spec_with_warnings(dump(data), source="t.yaml")
    return [(w.path, w.message, w.line) for w in loaded.warnings]


def test_a_split_environment_without_an_alarm_email_is_warned_about_at_its_stacks() -> None:
    # GIVEN the spec (no alarm_email) split per load balancer
    data = changed(base_spec(), "environments.prod.stacks", "per_load_balancer")
    # WHEN it is loaded THEN one warning, at the stacks line, says why the gate cannot catch it
    assert _warnings(data) == [(ENV + ".stacks", SPLIT_WARNING, 29)]  # the line of `stacks:`


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("environments.prod.stacks", "one"),
        ("environments.prod.alarm_topic_per_experiment", True),
        ("environments.prod.experiments.0.guardrails", {"alarm_email": "oncall@example.com"}),
    ],
)
def test_no_warning_when_the_gate_sees_the_topic_or_someone_is_subscribed(where: str, value: object) -> None:
    data = changed(changed(base_spec(), "environments.prod.stacks", "per_load_balancer"), where, value)
    assert _warnings(data) == []
