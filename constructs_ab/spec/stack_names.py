"""Stack names unique per spec: an environment's stacks are folders of `cdktf.out/stacks`, named after it.

An environment with `stacks: per_load_balancer` makes a stack `<environment>--<load balancer>` per load
balancer (`constructs_ab.stack_layout`), which another environment's stack may already be called:
environment `prod--public` next to environment `prod` with load balancer `public`, or environment `a`
with load balancer `b--c` next to environment `a--b` with load balancer `c`. Each clash is one problem, at
the object declared later, naming both.
"""

from __future__ import annotations

from constructs_ab.spec.context import Checks
from constructs_ab.spec.environment import Spec
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.values import show
from constructs_ab.stack_layout import stack_plans


def check_stack_names(checks: Checks, spec: Spec) -> None:
    """No two environments of `spec` make a stack of the same name."""
    first: dict[str, tuple[str, str]] = {}
    for environment in spec.environments:
        names = tuple(lb.name for lb in environment.load_balancers)
        for plan in stack_plans(environment.name, environment.stacks, names):
            if plan.load_balancer is None:
                owner = f"environment {environment.name}"
                path: FieldPath = checks.environment(environment.name)
            else:
                owner = f"load balancer {plan.load_balancer} of environment {environment.name}"
                path = checks.load_balancer(environment.name, plan.load_balancer)
            other = first.setdefault(plan.name, (environment.name, owner))
            if other[0] == environment.name or not checks.valid(path):
                continue
            checks.error(
                path,
                f"{owner} makes the stack {show(plan.name)}, which {other[1]} makes too; stack names "
                "(folders of cdktf.out/stacks, <environment>--<load balancer> with stacks: per_load_balancer) "
                "are unique per spec: rename one of them",
            )
