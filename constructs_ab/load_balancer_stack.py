"""The stack of one load balancer of an environment with `stacks: per_load_balancer`.

Named `<environment>--<load balancer>` (`stack_layout.load_balancer_stack_name`), with its own provider
(the environment's default tags) and state (`stack_settings`), it holds the load balancer's parts
(`LoadBalancerParts` of `spec.stack_inputs.load_balancer_part`: the load balancer, its variants, experiments,
rules anchor, guardrails, auto-rollbacks, its 5xx alarm and outputs, with the construct ids of the `one`
layout). It refers to nothing of another stack by a cdktf reference, which would tie the stacks' synths
and plans together through remote state: the alarms notify the environment's alarm topic by its ARN,
`arn:<partition>:sns:<region>:<account>:<environment>-guardrails`, from the stack's own `AccountContext`.
A stack with `auto_rollback` experiments makes its own auto-rollback key (about 1 USD a month each).
Deploy it after the environment stack (`add_dependency`, which `build_app` declares).
"""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.account_context import AccountContext
from constructs_ab.load_balancer_parts import LoadBalancerParts
from constructs_ab.spec.model import Environment
from constructs_ab.spec.stack_inputs import load_balancer_part
from constructs_ab.stack_layout import load_balancer_stack_name
from constructs_ab.stack_settings import environment_tags, start_stack
from constructs_ab.synth_error import building


def environment_topic_arn(scope: Construct, environment: str) -> str:
    """The ARN of environment `environment`'s alarm topic in the account and Region of `scope`'s stack."""
    account = AccountContext.of(scope)
    name = aws_names.environment_alarm_topic_name(environment)
    return f"arn:{account.partition}:sns:{account.region}:{account.account_id}:{name}"


class LoadBalancerStack(TerraformStack):
    """The stack of load balancer `load_balancer` of `environment`. Children: `provider`, `backend`,
    `parts` (`LoadBalancerParts`); `topic_arn`: the environment's alarm topic its alarms notify."""

    def __init__(self, scope: Construct, environment: Environment, load_balancer: str) -> None:
        part = load_balancer_part(environment, load_balancer)
        with building(f"environment {environment.name}, stack of load balancer {load_balancer}"):
            super().__init__(scope, load_balancer_stack_name(environment.name, load_balancer))
            self.environment = part
            self.provider, self.backend = start_stack(self, part, load_balancer)
        self.parts = LoadBalancerParts(self, part, environment_tags(part))
        with building(f"environment {environment.name}, alarm topic of load balancer {load_balancer}"):
            self.topic_arn = environment_topic_arn(self, environment.name)
        self.parts.add_alarms(self.topic_arn)


__all__ = ["LoadBalancerStack", "environment_topic_arn"]
