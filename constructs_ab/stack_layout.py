"""Which Terraform stacks an environment becomes, their names, their state, and the order they deploy in.

Pure Python (no cdktf): synth, the emulator, the deploy workflow's stack listing and the docs read it.

An environment's `stacks` setting (`StackLayout`) chooses:

- `one` (the default): one stack named after the environment holding everything, as before.
- `per_load_balancer`: an environment stack named after the environment, with what the load balancers
  share (the alarm topic, its KMS key and e-mail subscriptions), and one stack per load balancer named
  `<environment>--<load balancer>` holding that load balancer, its variants, experiments, guardrails,
  alarms and auto-rollback functions (with their own KMS key when it has any). A load balancer stack finds the shared pieces by name (no cross-stack
  references), so a change to one experiment re-synthesizes, re-checks and re-plans one load balancer's
  stack. The load balancer stacks depend on the environment stack: it deploys first and is destroyed last.

Each stack has its own Terraform state: locally `terraform.<stack>.tfstate` beside its `cdk.tf.json`; in S3
the environment stack keeps `state.key` and a load balancer stack `<key stem>--<load balancer>.tfstate`
(`ab/prod.tfstate` -> `ab/prod--public.tfstate`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

#: Between the environment's name and the load balancer's in a load balancer stack's name.
STACK_NAME_SEPARATOR = "--"
#: The ending of a state key, kept last when a load balancer's name is added to it.
STATE_SUFFIX = ".tfstate"


class StackLayout(enum.StrEnum):
    """How an environment is split into Terraform stacks (the environment's `stacks` setting; its values
    are the spec's words)."""

    ONE = "one"
    PER_LOAD_BALANCER = "per_load_balancer"


@dataclass(frozen=True, kw_only=True)
class StackPlan:
    """One stack of an environment.

    name: the stack's name (its folder under `stacks/`, the cdktf stack id).
    environment: the spec environment it belongs to.
    load_balancer: the load balancer it holds, or None for the environment stack.
    depends_on: names of the stacks that must be deployed before it (and destroyed after it).
    """

    name: str
    environment: str
    load_balancer: str | None
    depends_on: tuple[str, ...] = ()


def load_balancer_stack_name(environment: str, load_balancer: str) -> str:
    """`<environment>--<load balancer>`, e.g. `prod--public`."""
    return f"{environment}{STACK_NAME_SEPARATOR}{load_balancer}"


def stack_plans(
    environment: str, layout: StackLayout, load_balancers: tuple[str, ...]
) -> tuple[StackPlan, ...]:
    """The stacks of an environment in deploy order: the environment stack first, then one per load
    balancer (in spec order) with `per_load_balancer`."""
    root = StackPlan(name=environment, environment=environment, load_balancer=None)
    if layout is StackLayout.ONE:
        return (root,)
    return (
        root,
        *(
            StackPlan(
                name=load_balancer_stack_name(environment, lb),
                environment=environment,
                load_balancer=lb,
                depends_on=(environment,),
            )
            for lb in load_balancers
        ),
    )


def local_state_file(stack: str) -> str:
    """The local state file of a stack without a `state` block, relative to its stack's directory."""
    return f"terraform.{stack}.tfstate"


def remote_state_key(key: str, load_balancer: str | None) -> str:
    """The S3 key of a stack's state: `key` for the environment stack, `<stem>--<load balancer>.tfstate`
    for a load balancer stack (`.tfstate` appended when `key` does not end in it)."""
    if load_balancer is None:
        return key
    stem = key[: -len(STATE_SUFFIX)] if key.endswith(STATE_SUFFIX) else key
    return f"{stem}{STACK_NAME_SEPARATOR}{load_balancer}{STATE_SUFFIX}"


__all__ = [
    "STACK_NAME_SEPARATOR",
    "StackLayout",
    "StackPlan",
    "load_balancer_stack_name",
    "local_state_file",
    "remote_state_key",
    "stack_plans",
]
