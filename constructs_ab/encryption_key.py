"""A customer managed KMS key for one AWS service: rotated yearly, administered by the account.

Used where an AWS service must encrypt with a key whose policy admits it: CloudWatch alarms publishing to
an encrypted SNS topic (the AWS managed `alias/aws/sns` key does not admit them) and CloudWatch Logs
writing WAF and function logs (`cloudwatch_logs_key`). The key policy has two statements: the account administers the key (`kms:*` for the
account root, so IAM policies decide who else may use it), and the one service statement given.

See: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct

from constructs_ab.account_context import AccountContext
from constructs_ab.provider import KmsKey

#: Days a scheduled key deletion waits (7..30); the longest, so a mistaken destroy can be undone.
DELETION_WINDOW_DAYS = 30


def service_encryption_key(
    scope: Construct,
    id: str,
    *,
    description: str,
    service_statement: Mapping[str, Any],
    tags: Mapping[str, str],
) -> KmsKey:
    """Add the key to `scope` under `id` (the id of the `aws_kms_key` itself, so it stays stable).

    description: what the key encrypts, shown in the KMS console.
    service_statement: the key policy statement that lets the service use the key (Sid, Principal,
        Action, Resource, Condition).
    tags: tags of the key.
    """
    account = AccountContext.of(scope)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersKey",
                "Effect": "Allow",
                "Principal": {"AWS": account.account_root_arn},
                "Action": "kms:*",
                "Resource": "*",
            },
            dict(service_statement),
        ],
    }
    return KmsKey(
        scope,
        id,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=DELETION_WINDOW_DAYS,
        policy=json.dumps(policy),
        tags=dict(tags),
    )


#: What CloudWatch Logs needs of a key to encrypt log groups with it.
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")


def service_statement(
    sid: str, service: str, actions: Sequence[str], condition: Mapping[str, Any]
) -> dict[str, Any]:
    """The key policy statement that lets AWS service `service` (e.g. `cloudwatch.amazonaws.com`) use the
    key for `actions`, under `condition` (the statement's Condition)."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": list(actions),
        "Resource": "*",
        "Condition": dict(condition),
    }


def cloudwatch_logs_key(
    scope: Construct,
    id: str,
    *,
    description: str,
    sid: str,
    log_groups: str,
    condition_operator: str = "ArnEquals",
    tags: Mapping[str, str],
) -> KmsKey:
    """A `service_encryption_key` CloudWatch Logs of the stack's Region may use for the log groups
    `log_groups` (an ARN, `AccountContext.log_group_arn`; `condition_operator` "ArnLike" when it is a
    pattern). `sid`: the Sid of that statement."""
    region = AccountContext.of(scope).region
    condition = {condition_operator: {"kms:EncryptionContext:aws:logs:arn": log_groups}}
    statement = service_statement(sid, f"logs.{region}.amazonaws.com", LOGS_KEY_ACTIONS, condition)
    return service_encryption_key(scope, id, description=description, service_statement=statement, tags=tags)
