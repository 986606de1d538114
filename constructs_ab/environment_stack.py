"""One environment of the spec as one Terraform stack, or, with `stacks: per_load_balancer`, the
environment's own stack of a split (`constructs_ab.stack_layout`).

`EnvironmentStack` (named after the environment) holds the provider, the backend and the environment's
`AlarmTopic`; with `stacks: one` also every load balancer's parts (`LoadBalancerParts`), which notify the
topic by reference. With `per_load_balancer` the load balancers are in `LoadBalancerStack`s, which name the
topic by its ARN. Construct ids: `construct_ids`.
"""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.alarm_topic import AlarmTopic, AlarmTopicProps
from constructs_ab.construct_ids import ALARM_TOPIC_ID
from constructs_ab.load_balancer_parts import LoadBalancerParts
from constructs_ab.spec.model import Environment
from constructs_ab.spec.stack_inputs import alarm_emails
from constructs_ab.stack_layout import StackLayout, local_state_file
from constructs_ab.stack_settings import environment_tags, start_stack
from constructs_ab.synth_error import SynthError, building


class EnvironmentStack(TerraformStack):
    """The Terraform stack of one environment, named after it.

    Children: `provider` (AwsProvider with default tags), `backend` (`stack_settings`), `alarm_topic`
    (`AlarmTopic`, subscribed by each distinct `guardrails.alarm_email` of the environment's experiments)
    and `parts`: with `stacks: one` the `LoadBalancerParts` of every load balancer (`load_balancers`,
    `variants`, `experiments`, `guardrails`, `auto_rollbacks`, ... by spec name); with `per_load_balancer`
    None.
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


__all__ = ["EnvironmentStack", "SynthError", "building", "local_state_file"]
