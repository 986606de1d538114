"""The Terraform stacks of a spec environment, in deploy order (`stack_layout.stack_plans` of its `stacks`
setting and load balancers). Pure Python: the emulator, the `stacks` command and the bench read it."""

from __future__ import annotations

from constructs_ab.spec.model import Environment, Spec
from constructs_ab.stack_layout import StackLayout, StackPlan, stack_plans


def layout_of(environment: Environment) -> StackLayout:
    """The environment's `stacks` setting (`one` for a spec model without it)."""
    layout: StackLayout = getattr(environment, "stacks", StackLayout.ONE)
    return layout


def environment_stacks(environment: Environment) -> tuple[StackPlan, ...]:
    """The stacks of `environment`: the environment stack first, then (with `per_load_balancer`) one per
    load balancer, in spec order."""
    return stack_plans(
        environment.name, layout_of(environment), tuple(lb.name for lb in environment.load_balancers)
    )


def spec_stacks(spec: Spec) -> dict[str, tuple[StackPlan, ...]]:
    """Each environment's stacks (`environment_stacks`), by environment name, in spec order."""
    return {environment.name: environment_stacks(environment) for environment in spec.environments}
