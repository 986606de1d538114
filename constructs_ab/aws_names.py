"""Every AWS name made from spec names, each computed by one function here and nowhere else.

The constructs name their resources with these functions, and the spec validator checks the same names
(their length and alphabet, and that no two environments deployed to one account and Region make the
same one), so a change of how a name is made is one edit here.

Where AWS wants a name unique (`Scope`): load balancers, target groups, web ACLs (REGIONAL), CloudWatch
alarms, SNS topics and log groups per account and Region; CloudWatch dashboards per account; security
groups per VPC. Names are case-sensitive here as in AWS (load balancer and target group names are
compared without case by AWS; spec names are lowercase, so that makes no difference).

Pure Python: the spec, the constructs and the live commands import it.
"""

from __future__ import annotations

import enum
import hashlib
import json

#: The guardrail alarms of a variant, by kind: the last part of their names.
ERROR_RATE_ALARM = "5xx-rate"
P99_LATENCY_ALARM = "p99-latency"
UNHEALTHY_HOSTS_ALARM = "unhealthy-hosts"
HEALTHY_HOSTS_ALARM = "healthy-hosts"
ALARM_KINDS = (ERROR_RATE_ALARM, P99_LATENCY_ALARM, UNHEALTHY_HOSTS_ALARM, HEALTHY_HOSTS_ALARM)

#: Hexadecimal digits of the replacement hash at the end of a target group name.
TARGET_GROUP_HASH_LENGTH = 6
#: Characters of `<environment>-<variant>` kept in a target group name: 32 - 1 - 6.
TARGET_GROUP_STEM_LENGTH = 32 - 1 - TARGET_GROUP_HASH_LENGTH

#: CloudWatch Logs requires this prefix for the log group of a WAFv2 web ACL's logs.
WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"
#: The two security groups of a load balancer, by role: the last part of their names.
LOAD_BALANCER_SECURITY_GROUP = "alb"
MODEL_SERVERS_SECURITY_GROUP = "model-servers"


class Scope(enum.StrEnum):
    """Where AWS requires a name to be unique."""

    ACCOUNT_REGION = "account and Region"
    ACCOUNT = "account"
    VPC = "VPC"


def load_balancer_name(environment: str, load_balancer: str) -> str:
    """The load balancer of spec load balancer `load_balancer`: `<environment>-<load balancer>`, at most
    32 characters. It also prefixes the load balancer's security groups, web ACL and log bucket."""
    return f"{environment}-{load_balancer}"


def target_group_stem(environment: str, variant: str) -> str:
    """What a variant's target group name starts from: `<environment>-<variant>`, at most 32 characters
    (the validator checks it)."""
    return f"{environment}-{variant}"


def target_group_name(
    environment: str, variant: str, *, port: int, protocol: str, target_type: str, vpc_id: str
) -> str:
    """The target group of variant `variant`: its stem (`<environment>-<variant>`) cut to 25 characters
    without a trailing hyphen, `-`, and 6 hexadecimal digits of a SHA-256 of the environment, the variant
    and the settings AWS cannot change in place (`port`, `protocol`, `target_type`, `vpc_id`: the
    provider replaces the target group when one changes). At most 32 characters, e.g.
    `prod-sentiment-a-782398`.

    So a change that replaces a target group gives the new one a new name, and it is created before the
    old one is deleted (`create_before_destroy`); two stems that read the same (`a` + `b-x`, `a-b` + `x`)
    make different names."""
    replacing = {
        "environment": environment,
        "variant": variant,
        "port": port,
        "protocol": str(protocol),
        "target_type": str(target_type),
        "vpc_id": vpc_id,
    }
    digest = hashlib.sha256(json.dumps(replacing, sort_keys=True).encode("utf-8")).hexdigest()
    stem = target_group_stem(environment, variant)[:TARGET_GROUP_STEM_LENGTH].rstrip("-")
    return f"{stem}-{digest[:TARGET_GROUP_HASH_LENGTH]}"


def experiment_name_prefix(environment: str, experiment: str) -> str:
    """What an experiment's guardrail resources are named after: `<environment>-<experiment>`."""
    return f"{environment}-{experiment}"


def dashboard_name(prefix: str) -> str:
    """An experiment's CloudWatch dashboard (`prefix`: `experiment_name_prefix`)."""
    return prefix


def alarm_topic_name(prefix: str) -> str:
    """The SNS topic an experiment's guardrail alarms notify when the spec asks for one per experiment:
    `<prefix>-guardrails`."""
    return f"{prefix}-guardrails"


def environment_alarm_topic_name(environment: str) -> str:
    """The SNS topic the guardrail alarms of a whole environment notify: `<environment>-guardrails`."""
    return f"{environment}-guardrails"


def alarm_name(prefix: str, variant: str, kind: str) -> str:
    """A guardrail alarm of a variant: `<prefix>-<variant>-<kind>` (`kind`: one of `ALARM_KINDS`)."""
    return f"{prefix}-{variant}-{kind}"


#: AWS Lambda function and IAM role names hold at most 64 characters.
MAX_FUNCTION_NAME_LENGTH = 64


def rollback_function_name(prefix: str) -> str:
    """An experiment's auto-rollback function, and its role: `<prefix>-auto-rollback`; past 64 characters
    the prefix is cut and 8 hex digits of its SHA-256 keep it unique (`prefix`: `experiment_name_prefix`)."""
    suffix = "-auto-rollback"
    if len(prefix) + len(suffix) <= MAX_FUNCTION_NAME_LENGTH:
        return prefix + suffix
    digest = hashlib.sha256(prefix.encode()).hexdigest()[:8]
    return f"{prefix[: MAX_FUNCTION_NAME_LENGTH - len(suffix) - 9]}-{digest}{suffix}"


def rollback_queue_name(prefix: str) -> str:
    """The auto-rollback function's dead-letter queue: `<function name>-dlq` (at most 68 of SQS's 80)."""
    return f"{rollback_function_name(prefix)}-dlq"


def rollback_errors_alarm_name(prefix: str) -> str:
    """The alarm on the auto-rollback function's errors: `<function name>-errors`."""
    return f"{rollback_function_name(prefix)}-errors"


def load_balancer_alarm_name(load_balancer: str) -> str:
    """The alarm on a load balancer's own 5xx responses (`load_balancer`: its AWS name):
    `<load balancer>-elb-5xx`."""
    return f"{load_balancer}-elb-5xx"


def web_acl_name(load_balancer: str) -> str:
    """The web ACL of a load balancer (`load_balancer`: its AWS name)."""
    return load_balancer


def waf_log_group_name(load_balancer: str) -> str:
    """The log group of a load balancer's web ACL logs: `aws-waf-logs-<load balancer>`."""
    return f"{WAF_LOG_GROUP_PREFIX}{load_balancer}"


def security_group_name(load_balancer: str, role: str) -> str:
    """A security group of a load balancer (`role`: `LOAD_BALANCER_SECURITY_GROUP` or
    `MODEL_SERVERS_SECURITY_GROUP`): `<load balancer>-<role>`."""
    return f"{load_balancer}-{role}"
