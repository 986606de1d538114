"""One environment of the spec as one Terraform stack, or, with `stacks: per_load_balancer`, the
environment's own stack of a split (`constructs_ab.stack_layout`).

`EnvironmentStack` (named after the environment) holds the provider, the backend and the environment's
`AlarmTopic`; with `stacks: one` also every load balancer's parts (`LoadBalancerParts`), which notify the
topic by reference. With `per_load_balancer` the load balancers are in `LoadBalancerStack`s, which name the
topic by its ARN. Construct ids: `construct_ids` (re-exported here).
"""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.alarm_topic import AlarmTopic, AlarmTopicProps
from constructs_ab.auto_rollback import AutoRollback
from constructs_ab.construct_ids import (
    ALARM_TOPIC_ID,
    AUTO_ROLLBACK_KEY_ID,
    auto_rollback_id,
    experiment_id,
    guardrails_id,
    load_balancer_id,
    variant_id,
)
from constructs_ab.existing_load_balancer import ExistingLoadBalancer
from constructs_ab.experiment import ModelExperiment
from constructs_ab.guardrails import ExperimentGuardrails
from constructs_ab.load_balancer import ModelLoadBalancer
from constructs_ab.load_balancer_parts import LoadBalancerParts
from constructs_ab.model_variant import ModelVariant
from constructs_ab.provider import KmsKey
from constructs_ab.spec.model import Environment
from constructs_ab.stack_inputs import alarm_emails
from constructs_ab.stack_layout import StackLayout, local_state_file
from constructs_ab.stack_settings import environment_tags, start_stack
from constructs_ab.synth_error import SynthError, building


class EnvironmentStack(TerraformStack):
    """The Terraform stack of one environment, named after it.

    Children: `provider` (AwsProvider with default tags), `backend` (`stack_settings`), `alarm_topic`
    (`AlarmTopic`, subscribed by each distinct `guardrails.alarm_email` of the environment's experiments)
    and, with `stacks: one`, `parts` (`LoadBalancerParts` of every load balancer, whose dicts
    `load_balancers`, `variants`, `experiments`, `guardrails`, `auto_rollbacks`, and `load_balancer_alarms`
    and `auto_rollback_key`, are also the stack's attributes); with `per_load_balancer` `parts` is None
    and those are empty.
    """

    alarm_topic: AlarmTopic
    parts: LoadBalancerParts | None = None

    def __init__(self, scope: Construct, environment: Environment) -> None:
        where = f"environment {environment.name}"
        with building(where):
            super().__init__(scope, environment.name)
            self.environment = environment
            self.provider, self.backend = start_stack(self, environment, None)
        tags = environment_tags(environment)
        if environment.stacks is StackLayout.ONE:
            self.parts = LoadBalancerParts(self, environment, tags)
        with building(f"{where}, alarm topic"):
            self.alarm_topic = AlarmTopic(
                self,
                ALARM_TOPIC_ID,
                AlarmTopicProps(
                    name=aws_names.environment_alarm_topic_name(environment.name),
                    environment=environment.name,
                    emails=alarm_emails(environment),
                    tags=tags,
                ),
            )
        if self.parts is not None:
            self.parts.add_alarms(self.alarm_topic.arn)

    @property
    def load_balancers(self) -> dict[str, ModelLoadBalancer | ExistingLoadBalancer]:
        return self.parts.load_balancers if self.parts else {}

    @property
    def variants(self) -> dict[str, ModelVariant]:
        return self.parts.variants if self.parts else {}

    @property
    def experiments(self) -> dict[str, ModelExperiment]:
        return self.parts.experiments if self.parts else {}

    @property
    def guardrails(self) -> dict[str, ExperimentGuardrails]:
        return self.parts.guardrails if self.parts else {}

    @property
    def auto_rollbacks(self) -> dict[str, AutoRollback]:
        return self.parts.auto_rollbacks if self.parts else {}

    @property
    def auto_rollback_key(self) -> KmsKey | None:
        return self.parts.auto_rollback_key if self.parts else None


__all__ = [
    "ALARM_TOPIC_ID",
    "AUTO_ROLLBACK_KEY_ID",
    "EnvironmentStack",
    "SynthError",
    "auto_rollback_id",
    "building",
    "experiment_id",
    "guardrails_id",
    "load_balancer_id",
    "local_state_file",
    "variant_id",
]
