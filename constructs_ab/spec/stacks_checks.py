"""The checks of the environments' `stacks` setting: stack names unique per spec, and a warning for the
alarms of a split environment that the gate cannot see reach no one.

Stack names: an environment's stacks are folders of `cdktf.out/stacks`, named after it.

An environment with `stacks: per_load_balancer` makes a stack `<environment>--<load balancer>` per load
balancer (`constructs_ab.stack_layout`), which another environment's stack may already be called:
environment `prod--public` next to environment `prod` with load balancer `public`, or environment `a`
with load balancer `b--c` next to environment `a--b` with load balancer `c`. Each clash is one problem, at
the object declared later, naming both.

Alarms: with `stacks: one` the gate fails guardrail alarms whose topic nobody is subscribed to
(CKV_ABT_17); a load balancer stack of `per_load_balancer` names the environment's topic by its ARN, whose
subscriptions are in another stack, so the gate counts it as reaching someone. An environment split so,
whose experiments share its topic and name no `guardrails.alarm_email`, gets a warning instead.
"""

from __future__ import annotations

from constructs_ab.spec.context import Checks
from constructs_ab.spec.environment import Spec
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.stack_inputs import alarm_emails
from constructs_ab.spec.values import show
from constructs_ab.stack_layout import StackLayout


def check_stack_names(checks: Checks, spec: Spec) -> None:
    """No two environments of `spec` make a stack of the same name."""
    first: dict[str, tuple[str, str]] = {}
    for environment in spec.environments:
        for plan in environment.stacks_in_order:
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


def check_split_alarms(checks: Checks, spec: Spec) -> None:
    """A warning at `stacks` of each environment split per load balancer whose experiments notify the
    environment's topic and none names an alarm e-mail."""
    for environment in spec.environments:
        if (
            environment.stacks is StackLayout.PER_LOAD_BALANCER
            and environment.experiments
            and not environment.alarm_topic_per_experiment
            and not alarm_emails(environment)
        ):
            checks.warning(
                checks.environment(environment.name).key("stacks"),
                f"no experiment of environment {environment.name} names a guardrails.alarm_email, so its "
                "guardrail alarms notify a topic no one is subscribed to; with stacks: one the gate fails them "
                "(CKV_ABT_17), but a load balancer stack names the environment's topic by its ARN and the gate "
                "cannot see its subscriptions: set guardrails.alarm_email on an experiment",
            )
