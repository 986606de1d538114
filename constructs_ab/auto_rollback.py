"""Automatic rollback of an experiment (`auto_rollback: true`): a function on the topic its guardrail alarms
notify that sends all of the split's traffic to the control when a candidate's alarm fires.

The function's code is `constructs_ab/rollback_function/handler.py` (boto3 only), zipped here
byte-for-byte reproducibly and shipped as a cdktf asset beside the stack. What one `AutoRollback` makes:

- `function`: AWS Lambda, Python 3.12, 128 MB, 30 s timeout, reserved concurrency 1 (alarms of one
  experiment are handled one at a time, and the function cannot starve the account), X-Ray tracing,
  environment variables encrypted with the environment's auto-rollback key, a dead-letter queue;
- `role` with one inline policy: ModifyRule and AddTags on the experiment's split rule only;
  DescribeRules on `*` (ELBv2's Describe actions take no resource-level permissions); its log group's
  streams; SendMessage to its queue; Decrypt and GenerateDataKey on the key (the encrypted queue); X-Ray
  writes (no resource-level permissions either);
- `log_group` `/aws/lambda/<function>`, kept `LOG_RETENTION_DAYS`, encrypted with the key;
- `queue`, the dead-letter queue: an event the function failed on three times (SNS invokes it
  asynchronously: Lambda retries twice), kept `QUEUE_RETENTION_SECONDS`, encrypted with the key;
- `errors_alarm`: the function's Errors above 0 in a minute, notifying the guardrail topic;
- `permission` and `subscription`: the guardrail topic invokes the function.

See: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
and  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cdktf import AssetType, TerraformAsset
from constructs import Construct

from constructs_ab import aws_names
from constructs_ab.account_context import AccountContext
from constructs_ab.encryption_key import cloudwatch_logs_key
from constructs_ab.provider import (
    CloudwatchLogGroup,
    CloudwatchMetricAlarm,
    IamRole,
    IamRolePolicy,
    KmsKey,
    LambdaFunction,
    LambdaFunctionDeadLetterConfig,
    LambdaFunctionEnvironment,
    LambdaFunctionTracingConfig,
    LambdaPermission,
    SnsTopicSubscription,
    SqsQueue,
)
from constructs_ab.routing.contract import EXPERIMENT_TAG
from constructs_ab.tagging import BaseTags

HANDLER_FILE = Path(__file__).resolve().parent / "rollback_function" / "handler.py"
RUNTIME = "python3.12"
MEMORY_MB = 128
TIMEOUT_SECONDS = 30
#: At most this many runs at once, for the function of one experiment.
RESERVED_CONCURRENCY = 1
LOG_RETENTION_DAYS = 365
#: 14 days, SQS's longest.
QUEUE_RETENTION_SECONDS = 1_209_600
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def rollback_control(weights: Sequence[tuple[str, int]], ramp_candidate: str | None) -> str:
    """The variant the function sends all traffic to, from the spec's (variant, weight) in order: with a
    ramp, the largest weight besides the candidate (the first of equal ones); without, the first variant
    that takes traffic (else the first). The same choice as `analyze`'s control."""
    if ramp_candidate is not None:
        others = [(name, weight) for name, weight in weights if name != ramp_candidate]
        return max(others, key=lambda pair: pair[1])[0]
    return next((name for name, weight in weights if weight > 0), weights[0][0])


@functools.cache
def handler_zip() -> tuple[Path, str]:
    """The function's zip (handler.py alone, fixed timestamps, so the same code makes the same bytes) in
    a temporary folder of this process, and its base64 SHA-256 (Lambda's CodeSha256)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("handler.py", date_time=_ZIP_TIME)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, HANDLER_FILE.read_bytes())
    content = data.getvalue()
    folder = Path(tempfile.mkdtemp(prefix="constructs-ab-rollback-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "auto-rollback.zip"
    path.write_bytes(content)
    return path, base64.b64encode(hashlib.sha256(content).digest()).decode()


def auto_rollback_key(scope: Construct, id: str, *, environment: str, tags: Mapping[str, str]) -> KmsKey:
    """The environment's key for its auto-rollback functions: their environment variables, log groups and
    dead-letter queues; CloudWatch Logs may use it for the environment's `/aws/lambda/<env>-*` groups."""
    return cloudwatch_logs_key(
        scope,
        id,
        description=f"Encrypts the auto-rollback functions of environment {environment}",
        sid="CloudWatchLogsEncryptsFunctionLogs",
        log_groups=AccountContext.of(scope).log_group_arn(f"/aws/lambda/{environment}-*"),
        condition_operator="ArnLike",
        tags=tags,
    )


_SPLIT_RULE_ACTIONS = ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:AddTags"]
_DESCRIBE_RULES = ["elasticloadbalancing:DescribeRules"]
_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]
_TRACING_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


def _allow(sid: str, actions: list[str], resource: list[str] | str) -> dict[str, object]:
    """An IAM policy statement allowing `actions` on `resource` ("*" or a list of ARNs)."""
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


@dataclass(frozen=True, kw_only=True)
class AutoRollbackProps:
    """Properties of `AutoRollback`.

    name: prefix of the function's names, `<environment>-<experiment>` (`aws_names.experiment_name_prefix`),
        which also starts the experiment's alarm names.
    experiment: the experiment's name (tag `experiment`).
    split_rule_arn: the experiment's split rule, the only rule the function may change.
    control: the variant that gets all traffic (`rollback_control`), its model (`<id>:<version>`) and its
        target group ARN.
    candidates: every other variant -> its target group ARN; their guardrail alarms trigger a rollback.
    topic_arn: the topic the experiment's guardrail alarms notify (the environment's alarm topic, or the
        experiment's own).
    key_arn: the environment's auto-rollback key (`auto_rollback_key`).
    tags: environment, owner and extra tags.
    """

    name: str
    experiment: str
    split_rule_arn: str
    control: tuple[str, str, str]
    candidates: Mapping[str, str]
    topic_arn: str
    key_arn: str
    tags: BaseTags


class AutoRollback(Construct):
    """The auto-rollback function of one experiment and what it needs (see the module docstring).

    Children: `role`, `policy`, `log_group`, `queue`, `function`, `permission`, `subscription`,
    `errors_alarm`.
    """

    def __init__(self, scope: Construct, id: str, props: AutoRollbackProps) -> None:
        super().__init__(scope, id)
        self.props = props
        tags = props.tags.with_({EXPERIMENT_TAG: props.experiment})
        function_name = aws_names.rollback_function_name(props.name)
        log_group_name = f"/aws/lambda/{function_name}"

        self.log_group = CloudwatchLogGroup(
            self,
            "log-group",
            name=log_group_name,
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=props.key_arn,
            tags=tags,
        )
        self.queue = SqsQueue(
            self,
            "dead-letter-queue",
            name=aws_names.rollback_queue_name(props.name),
            message_retention_seconds=QUEUE_RETENTION_SECONDS,
            kms_master_key_id=props.key_arn,
            tags=tags,
        )
        self.role = IamRole(
            self,
            "role",
            name=function_name,
            description=f"Auto-rollback function of experiment {props.experiment}",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            tags=tags,
        )
        log_group_arn = AccountContext.of(self).log_group_arn(log_group_name)
        self.policy = IamRolePolicy(
            self,
            "policy",
            name="auto-rollback",
            role=self.role.id,
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        _allow("ChangeOnlyTheSplitRule", _SPLIT_RULE_ACTIONS, [props.split_rule_arn]),
                        _allow("ReadRulesDescribeHasNoResourceLevelPermissions", _DESCRIBE_RULES, "*"),
                        _allow("WriteItsLogs", _LOG_ACTIONS, [f"{log_group_arn}:*"]),
                        _allow("DeadLetterQueue", ["sqs:SendMessage"], [self.queue.arn]),
                        _allow("EncryptedQueueAndEnvironment", _KEY_ACTIONS, [props.key_arn]),
                        _allow("TracingHasNoResourceLevelPermissions", _TRACING_ACTIONS, "*"),
                    ],
                }
            ),
        )
        code, code_sha256 = handler_zip()
        asset = TerraformAsset(self, "code", path=str(code), type=AssetType.FILE)
        control, control_model, control_arn = props.control
        self.function = LambdaFunction(
            self,
            "function",
            function_name=function_name,
            description=f"Sends all traffic of experiment {props.experiment} to {control} on a candidate's alarm",
            role=self.role.arn,
            runtime=RUNTIME,
            handler="handler.handle",
            filename=asset.path,
            source_code_hash=code_sha256,
            memory_size=MEMORY_MB,
            timeout=TIMEOUT_SECONDS,
            reserved_concurrent_executions=RESERVED_CONCURRENCY,
            kms_key_arn=props.key_arn,
            environment=LambdaFunctionEnvironment(
                variables={
                    "EXPERIMENT": props.experiment,
                    "SPLIT_RULE_ARN": props.split_rule_arn,
                    "CONTROL_VARIANT": control,
                    "CONTROL_MODEL": control_model,
                    "CONTROL_TARGET_GROUP_ARN": control_arn,
                    "CANDIDATE_TARGET_GROUPS": json.dumps(dict(props.candidates), separators=(",", ":")),
                    "ALARM_PREFIX": f"{props.name}-",
                    "ALARM_KINDS": " ".join(aws_names.ALARM_KINDS),
                }
            ),
            dead_letter_config=LambdaFunctionDeadLetterConfig(target_arn=self.queue.arn),
            tracing_config=LambdaFunctionTracingConfig(mode="Active"),
            depends_on=[self.log_group, self.policy],
            tags=tags,
        )
        self.permission = LambdaPermission(
            self,
            "permission",
            statement_id="GuardrailTopicInvokes",
            action="lambda:InvokeFunction",
            function_name=self.function.function_name,
            principal="sns.amazonaws.com",
            source_arn=props.topic_arn,
        )
        self.subscription = SnsTopicSubscription(
            self, "subscription", topic_arn=props.topic_arn, protocol="lambda", endpoint=self.function.arn
        )
        self.errors_alarm = CloudwatchMetricAlarm(
            self,
            "errors",
            alarm_name=aws_names.rollback_errors_alarm_name(props.name),
            alarm_description=f"The auto-rollback function of experiment {props.experiment} failed",
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions={"FunctionName": function_name},
            statistic="Sum",
            period=60,
            evaluation_periods=1,
            comparison_operator="GreaterThanThreshold",
            threshold=0,
            treat_missing_data="notBreaching",
            actions_enabled=True,
            alarm_actions=[props.topic_arn],
            tags=tags,
        )
