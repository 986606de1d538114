"""The stacks an environment becomes: names, deploy order and state locations."""

from __future__ import annotations

from constructs_ab.stack_layout import (
    StackLayout,
    StackPlan,
    load_balancer_stack_name,
    local_state_file,
    remote_state_key,
    stack_plans,
)


def test_one_stack_is_the_environment() -> None:
    assert stack_plans("prod", StackLayout.ONE, ("public", "internal")) == (
        StackPlan(name="prod", environment="prod", load_balancer=None),
    )


def test_per_load_balancer_puts_the_environment_stack_first_and_each_load_balancer_after_it() -> None:
    plans = stack_plans("prod", StackLayout.PER_LOAD_BALANCER, ("public", "internal"))
    assert [(p.name, p.load_balancer, p.depends_on) for p in plans] == [
        ("prod", None, ()),
        ("prod--public", "public", ("prod",)),
        ("prod--internal", "internal", ("prod",)),
    ]
    assert load_balancer_stack_name("prod", "public") == "prod--public"


def test_state_locations() -> None:
    assert local_state_file("prod--public") == "terraform.prod--public.tfstate"
    assert remote_state_key("ab/prod.tfstate", None) == "ab/prod.tfstate"
    assert remote_state_key("ab/prod.tfstate", "public") == "ab/prod--public.tfstate"
    assert remote_state_key("ab/prod", "public") == "ab/prod--public.tfstate"
