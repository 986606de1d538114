"""AutoRollback, through EnvironmentStack: the example's environments with `auto_rollback: true` on the
staging experiment (a ramp: the control is the largest weight besides the candidate) and on prod's chat-llm
(no ramp: the control is the first variant), synthesized once; the function, its role's policy scoped to
the split rule, the subscription to the guardrail topic, the queue, log group, key and error alarm."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest
from cdktf import Testing as CdktfTesting

from constructs_ab import aws_names
from constructs_ab.auto_rollback import HANDLER_FILE, handler_zip, rollback_control
from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.spec.model import Environment

from .example_environments import prod, staging
from .synth_helpers import Doc, ref, resource, resources


def with_auto_rollback(environment: Environment, *experiments: str) -> Environment:
    return dataclasses.replace(
        environment,
        experiments=tuple(
            dataclasses.replace(e, auto_rollback=e.name in experiments) for e in environment.experiments
        ),
    )


@pytest.fixture(scope="module")
def docs() -> dict[str, Doc]:
    environments = [
        with_auto_rollback(staging(), "sentiment-abtest"),
        with_auto_rollback(prod(), "chat-llm"),
        dataclasses.replace(staging(), name="plain"),
    ]
    return {
        env.name: json.loads(CdktfTesting.synth(EnvironmentStack(CdktfTesting.app(), env)))
        for env in environments
    }


def function(doc: Doc, experiment: str) -> Doc:
    return resource(doc, "aws_lambda_function", f"auto-rollback-{experiment}/function")


def key_ref(doc: Doc) -> str:
    (key,) = [k for k in resources(doc, "aws_kms_key") if k == "auto-rollback-key"]
    return "${aws_kms_key." + key + ".arn}"


def test_the_function_is_bounded_traced_encrypted_and_dead_lettered(docs: dict[str, Doc]) -> None:
    doc = docs["staging"]
    body = function(doc, "sentiment-abtest")
    queue = ref(doc, "aws_sqs_queue", "auto-rollback-sentiment-abtest/dead-letter-queue", "arn")
    assert {
        k: v for k, v in body.items() if k not in ("//", "environment", "role", "filename", "depends_on")
    } == {
        "function_name": "staging-sentiment-abtest-auto-rollback",
        "description": "Sends all traffic of experiment sentiment-abtest to sentiment-a on a candidate's alarm",
        "runtime": "python3.12",
        "handler": "handler.handle",
        "source_code_hash": handler_zip()[1],
        "memory_size": 128,
        "timeout": 30,
        "reserved_concurrent_executions": 1,
        "kms_key_arn": key_ref(doc),
        "dead_letter_config": {"target_arn": queue},
        "tracing_config": {"mode": "Active"},
        "tags": {
            "cost-center": "ml-research",
            "environment": "staging",
            "experiment": "sentiment-abtest",
            "owner": "ml-platform",
        },
    }
    assert body["role"] == ref(doc, "aws_iam_role", "auto-rollback-sentiment-abtest/role", "arn")
    assert body["filename"].startswith("assets/") and body["filename"].endswith("/auto-rollback.zip")


def test_the_environment_names_the_split_rule_the_control_and_the_candidates(docs: dict[str, Doc]) -> None:
    doc = docs["staging"]

    def group(variant: str) -> str:
        return ref(doc, "aws_lb_target_group", f"variant-{variant}/target-group", "arn")

    assert function(doc, "sentiment-abtest")["environment"]["variables"] == {
        "EXPERIMENT": "sentiment-abtest",
        "SPLIT_RULE_ARN": ref(doc, "aws_lb_listener_rule", "experiment-sentiment-abtest/split", "arn"),
        "CONTROL_VARIANT": "sentiment-a",
        "CONTROL_MODEL": "sentiment:1.4.2",
        "CONTROL_TARGET_GROUP_ARN": group("sentiment-a"),
        "CANDIDATE_TARGET_GROUPS": json.dumps({"sentiment-b": group("sentiment-b")}, separators=(",", ":")),
        "ALARM_PREFIX": "staging-sentiment-abtest-",
        "ALARM_KINDS": "5xx-rate p99-latency unhealthy-hosts healthy-hosts",
    }
    prod_doc = docs["prod"]
    variables = function(prod_doc, "chat-llm")["environment"]["variables"]
    assert variables["CONTROL_VARIANT"] == "llama-8b"  # no ramp: the first variant
    assert list(json.loads(variables["CANDIDATE_TARGET_GROUPS"])) == ["mistral-7b", "qwen-7b"]


def test_the_role_may_change_only_the_split_rule(docs: dict[str, Doc]) -> None:
    doc = docs["staging"]
    role = resource(doc, "aws_iam_role", "auto-rollback-sentiment-abtest/role")
    assert json.loads(role["assume_role_policy"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    policy = resource(doc, "aws_iam_role_policy", "auto-rollback-sentiment-abtest/policy")
    statements = {s["Sid"]: (s["Action"], s["Resource"]) for s in json.loads(policy["policy"])["Statement"]}
    split = ref(doc, "aws_lb_listener_rule", "experiment-sentiment-abtest/split", "arn")
    log_group = (
        "arn:${data.aws_partition.account-context_partition_81EDF012.partition}:logs:"
        "${data.aws_region.account-context_region_9DCA5166.name}:"
        "${data.aws_caller_identity.account-context_caller-identity_223B9376.account_id}:log-group:"
        "/aws/lambda/staging-sentiment-abtest-auto-rollback:*"
    )
    assert statements == {
        "ChangeOnlyTheSplitRule": (
            ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:AddTags"],
            [split],
        ),
        "ReadRulesDescribeHasNoResourceLevelPermissions": (["elasticloadbalancing:DescribeRules"], "*"),
        "WriteItsLogs": (["logs:CreateLogStream", "logs:PutLogEvents"], [log_group]),
        "DeadLetterQueue": (
            ["sqs:SendMessage"],
            [ref(doc, "aws_sqs_queue", "auto-rollback-sentiment-abtest/dead-letter-queue", "arn")],
        ),
        "EncryptedQueueAndEnvironment": (["kms:Decrypt", "kms:GenerateDataKey"], [key_ref(doc)]),
        "TracingHasNoResourceLevelPermissions": (["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*"),
    }


def test_the_guardrail_topic_invokes_it_and_its_errors_notify_the_topic(docs: dict[str, Doc]) -> None:
    doc = docs["staging"]
    topic = ref(doc, "aws_sns_topic", "alarm-notifications/topic", "arn")  # the environment's alarm topic
    permission = resource(doc, "aws_lambda_permission", "auto-rollback-sentiment-abtest/permission")
    assert {k: v for k, v in permission.items() if k != "//"} == {
        "statement_id": "GuardrailTopicInvokes",
        "action": "lambda:InvokeFunction",
        "function_name": ref(
            doc, "aws_lambda_function", "auto-rollback-sentiment-abtest/function", "function_name"
        ),
        "principal": "sns.amazonaws.com",
        "source_arn": topic,
    }
    subscription = resource(doc, "aws_sns_topic_subscription", "auto-rollback-sentiment-abtest/subscription")
    assert (subscription["protocol"], subscription["topic_arn"], subscription["endpoint"]) == (
        "lambda",
        topic,
        ref(doc, "aws_lambda_function", "auto-rollback-sentiment-abtest/function", "arn"),
    )
    alarm = resource(doc, "aws_cloudwatch_metric_alarm", "auto-rollback-sentiment-abtest/errors")
    assert (alarm["alarm_name"], alarm["namespace"], alarm["metric_name"], alarm["dimensions"]) == (
        "staging-sentiment-abtest-auto-rollback-errors",
        "AWS/Lambda",
        "Errors",
        {"FunctionName": "staging-sentiment-abtest-auto-rollback"},
    )
    assert (alarm["threshold"], alarm["alarm_actions"], alarm["period"]) == (0, [topic], 60)


def test_logs_and_queue_are_kept_and_encrypted_with_the_environments_one_key(docs: dict[str, Doc]) -> None:
    doc = docs["staging"]
    log_group = resource(doc, "aws_cloudwatch_log_group", "auto-rollback-sentiment-abtest/log-group")
    assert (log_group["name"], log_group["retention_in_days"], log_group["kms_key_id"]) == (
        "/aws/lambda/staging-sentiment-abtest-auto-rollback",
        365,
        key_ref(doc),
    )
    queue = resource(doc, "aws_sqs_queue", "auto-rollback-sentiment-abtest/dead-letter-queue")
    assert (queue["name"], queue["message_retention_seconds"], queue["kms_master_key_id"]) == (
        "staging-sentiment-abtest-auto-rollback-dlq",
        1_209_600,
        key_ref(doc),
    )
    key = resources(doc, "aws_kms_key")["auto-rollback-key"]
    statement = json.loads(key["policy"])["Statement"][1]
    assert statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        ":log-group:/aws/lambda/staging-*"
    )
    assert key["enable_key_rotation"] is True


def test_without_auto_rollback_nothing_is_added(docs: dict[str, Doc]) -> None:
    doc = docs["plain"]
    for kind in ("aws_lambda_function", "aws_iam_role", "aws_sqs_queue", "aws_lambda_permission"):
        assert resources(doc, kind) == {}
    assert "auto-rollback-key" not in resources(doc, "aws_kms_key")
    assert [e for e in resources(docs["prod"], "aws_lambda_function")] == [
        k for k in resources(docs["prod"], "aws_lambda_function") if k.startswith("auto-rollback-chat-llm_")
    ]


def test_the_zip_holds_the_handler_alone_and_is_reproducible() -> None:
    path, sha = handler_zip()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert archive.namelist() == ["handler.py"]
        assert archive.read("handler.py") == HANDLER_FILE.read_bytes()
        assert archive.getinfo("handler.py").date_time == (1980, 1, 1, 0, 0, 0)
    handler_zip.cache_clear()
    again, same = handler_zip()
    assert again != path and again.read_bytes() == path.read_bytes() and same == sha


@pytest.mark.parametrize(
    ("weights", "candidate", "control"),
    [
        ([("a", 80), ("b", 20)], "b", "a"),
        ([("a", 0), ("b", 100)], "b", "a"),  # the candidate at 100 %: the other variant, though paused
        ([("a", 30), ("b", 20), ("c", 50)], "a", "c"),
        ([("a", 40), ("b", 20), ("c", 40)], "b", "a"),  # equal weights: the first
        ([("a", 0), ("b", 60), ("c", 40)], None, "b"),  # no ramp: the first that takes traffic
    ],
)
def test_the_control(weights: list[tuple[str, int]], candidate: str | None, control: str) -> None:
    assert rollback_control(weights, candidate) == control


def test_long_names_are_cut_with_a_hash_within_64_characters() -> None:
    long = aws_names.experiment_name_prefix("staging", "x" * 60)
    name = aws_names.rollback_function_name(long)
    assert len(name) == 64 and name.endswith("-auto-rollback")
    assert name != aws_names.rollback_function_name(long + "y")
    assert aws_names.rollback_function_name("prod-a") == "prod-a-auto-rollback"
