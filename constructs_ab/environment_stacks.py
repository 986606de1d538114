"""The Terraform stacks of a spec environment, in deploy order (`stack_layout.stack_plans` of its `stacks`
setting and load balancers). Pure Python: the emulator, the `stacks` command and the bench read it."""

from __future__ import annotations

from constructs_ab.spec.model import Environment
from constructs_ab.stack_layout import StackPlan, stack_plans


def environment_stacks(environment: Environment) -> tuple[StackPlan, ...]:
    """The stacks of `environment`: the environment stack first, then (with `per_load_balancer`) one per
    load balancer, in spec order."""
    return stack_plans(
        environment.name, environment.stacks, tuple(lb.name for lb in environment.load_balancers)
    )
