"""The SNS topic guardrail alarms notify, encrypted with a customer managed KMS key CloudWatch may use.

CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key `alias/aws/sns`, whose
policy does not admit them, so the topic has a key of its own (`alarm_topic_key`), whose policy lets
CloudWatch of the same account use it.

An environment has one `AlarmTopic` for the alarms of all its experiments (one topic and one key, about
1 USD a month, however many experiments), with one e-mail subscription per distinct address its
experiments name. A spec that asks for a topic per experiment (`alarm_topic_per_experiment: true`) gets
the topic and key inside each experiment's `ExperimentGuardrails` instead.

See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs import Construct

from constructs_ab.account_context import AccountContext
from constructs_ab.encryption_key import service_encryption_key, service_statement
from constructs_ab.provider import KmsKey, SnsTopic, SnsTopicSubscription
from constructs_ab.tagging import BaseTags

#: What CloudWatch alarms need of the topic's key to publish to it.
ALARM_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")


def alarm_topic_key(scope: Construct, id: str, *, description: str, tags: Mapping[str, str]) -> KmsKey:
    """A KMS key (id `id` in `scope`) that CloudWatch alarms of the scope's account may encrypt with
    (kms:Decrypt and kms:GenerateDataKey*, condition aws:SourceAccount); see `service_encryption_key`."""
    condition = {"StringEquals": {"aws:SourceAccount": AccountContext.of(scope).account_id}}
    statement = service_statement(
        "CloudWatchAlarmsPublishToTheTopic", "cloudwatch.amazonaws.com", ALARM_KEY_ACTIONS, condition
    )
    return service_encryption_key(scope, id, description=description, service_statement=statement, tags=tags)


def encrypted_alarm_topic(
    scope: Construct, *, key_id: str, name: str, of: str, tags: Mapping[str, str]
) -> tuple[KmsKey, SnsTopic]:
    """The key (`alarm_topic_key`, id `key_id`) and the SNS topic `name` (id `topic`) it encrypts, both
    in `scope`. `of`: whose guardrails notify it (`environment prod`, `experiment chat`), for the key's
    description and the topic's display name."""
    key = alarm_topic_key(scope, key_id, description=f"Encrypts the guardrail alarm topic of {of}", tags=tags)
    topic = SnsTopic(
        scope, "topic", name=name, display_name=f"Guardrails of {of}", kms_master_key_id=key.arn, tags=tags
    )
    return key, topic


def email_subscription_id(address: str) -> str:
    """The construct id of the subscription of `address`: `email-<address>` (cdktf keeps only letters and
    digits of it in the Terraform name, with a hash of the whole)."""
    return f"email-{address}"


@dataclass(frozen=True, kw_only=True)
class AlarmTopicProps:
    """Properties of an `AlarmTopic`.

    name: the SNS topic name (`aws_names.environment_alarm_topic_name`), 1..256 letters, digits, - and _.
    environment: the environment whose alarms it carries, shown in the display name and key description.
    emails: addresses subscribed (e-mail protocol), each once, in order. Default none: no subscription
        (then the alarms reach no one, and the gate's CKV_ABT_17 fails them).
    tags: environment, owner and extra tags of the key and the topic.
    """

    name: str
    environment: str
    emails: tuple[str, ...] = ()
    tags: BaseTags


class AlarmTopic(Construct):
    """One encrypted SNS topic for the guardrail alarms of a whole environment.

    Children: `key` (KMS key), `topic`, and `subscriptions` by address (construct ids
    `email_subscription_id(address)`). Raises ValueError when an address is listed twice.
    """

    key: KmsKey
    topic: SnsTopic
    subscriptions: dict[str, SnsTopicSubscription]

    def __init__(self, scope: Construct, id: str, props: AlarmTopicProps) -> None:
        super().__init__(scope, id)
        repeated = sorted({email for email in props.emails if props.emails.count(email) > 1})
        if repeated:
            raise ValueError(
                f"AlarmTopicProps.emails: {', '.join(repeated)} listed more than once; list each address once"
            )
        self.props = props
        tags = props.tags.as_dict()
        self.key, self.topic = encrypted_alarm_topic(
            self, key_id="key", name=props.name, of=f"environment {props.environment}", tags=tags
        )
        self.arn: str = self.topic.arn
        self.subscriptions = {
            email: SnsTopicSubscription(
                self, email_subscription_id(email), topic_arn=self.arn, protocol="email", endpoint=email
            )
            for email in props.emails
        }
