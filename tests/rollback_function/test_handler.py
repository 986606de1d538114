"""The auto-rollback function's handler, invoked directly in Python (the emulator cannot run Lambda
containers) on CloudWatch alarm notifications as SNS delivers them, against the example's staging
environment created on the emulator with boto3 as the constructs make it; the live rule is then read back
with boto3, and `reconcile` writes the rollback into a copy of the spec."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import Deployed, client, deploy, without_spec_warnings

from constructs_ab import aws_names
from constructs_ab.__main__ import main
from constructs_ab.rollback_function import handler
from constructs_ab.routing.contract import (
    AB_ROLE_TAG,
    MODEL_TAG,
    PAUSED_VARIANTS_TAG,
    ROLLED_BACK_TAG,
    VARIANT_TAG,
)
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"
PREFIX = "staging-sentiment-abtest-"
B_ERRORS = f"{PREFIX}sentiment-b-5xx-rate"


@pytest.fixture
def deployed(emulator: str, monkeypatch: pytest.MonkeyPatch) -> Deployed:
    done = deploy(next(env for env in load_spec(EXAMPLE).environments if env.name == "staging"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for name, value in {
        "EXPERIMENT": "sentiment-abtest",
        "SPLIT_RULE_ARN": split_rule(done)["RuleArn"],
        "CONTROL_VARIANT": "sentiment-a",
        "CONTROL_MODEL": "sentiment:1.4.2",
        "CONTROL_TARGET_GROUP_ARN": done.target_groups["staging-sentiment-a"],
        "CANDIDATE_TARGET_GROUPS": json.dumps({"sentiment-b": done.target_groups["staging-sentiment-b"]}),
        "ALARM_PREFIX": PREFIX,
        "ALARM_KINDS": " ".join(aws_names.ALARM_KINDS),
    }.items():
        monkeypatch.setenv(name, value)
    return done


def split_rule(deployed: Deployed) -> dict[str, Any]:
    elbv2 = client("elbv2")
    rules = elbv2.describe_rules(ListenerArn=deployed.listeners["staging-models"])["Rules"]
    described = elbv2.describe_tags(ResourceArns=[r["RuleArn"] for r in rules if not r["IsDefault"]])
    tags = {d["ResourceArn"]: {t["Key"]: t["Value"] for t in d["Tags"]} for d in described["TagDescriptions"]}
    (rule,) = [r for r in rules if tags.get(r["RuleArn"], {}).get(AB_ROLE_TAG) == "split"]
    rule["Tags"] = tags[rule["RuleArn"]]
    return rule


def notification(alarm: str, state: str = "ALARM") -> dict[str, Any]:
    """An SNS event carrying a CloudWatch alarm's state change, as Lambda receives it."""
    message = {
        "AlarmName": alarm,
        "AlarmDescription": "Target 5xx responses above 5 % of requests",
        "NewStateValue": state,
        "OldStateValue": "OK" if state == "ALARM" else "ALARM",
        "NewStateReason": "Threshold Crossed: 5 out of the last 5 datapoints were greater than the threshold",
        "StateChangeTime": "2024-05-01T12:03:00.000+0000",
        "Region": "EU (Ireland)",
        "AlarmArn": f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{alarm}",
    }
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "Sns": {
                    "Type": "Notification",
                    "TopicArn": "arn:aws:sns:eu-west-1:123456789012:staging-sentiment-abtest-guardrails",
                    "Subject": f'ALARM: "{alarm}" in EU (Ireland)',
                    "Message": json.dumps(message),
                },
            }
        ]
    }


def forward_of(rule: dict[str, Any]) -> tuple[list[tuple[str, int]], dict[str, Any]]:
    (action,) = rule["Actions"]
    forward = action["ForwardConfig"]
    return [(g["TargetGroupArn"], g["Weight"]) for g in forward["TargetGroups"]], forward[
        "TargetGroupStickinessConfig"
    ]


def test_a_candidate_alarm_sends_all_traffic_to_the_control_and_records_it(deployed: Deployed) -> None:
    a, b = deployed.target_groups["staging-sentiment-a"], deployed.target_groups["staging-sentiment-b"]
    assert sorted(forward_of(split_rule(deployed))[0]) == sorted([(a, 80), (b, 20)])
    result = handler.handle(notification(B_ERRORS))
    (outcome,) = result["outcomes"]
    assert outcome["action"] == "rolled-back"
    assert outcome["variant"] == "sentiment-b"
    assert outcome["before"] == {"sentiment-a": 80, "sentiment-b": 20}
    assert outcome["after"] == {"sentiment-a": 100}
    rule = split_rule(deployed)
    groups, stickiness = forward_of(rule)
    assert groups == [(a, 100)]  # the candidate left the forward, so sticky clients move too
    assert stickiness == {"Enabled": True, "DurationSeconds": 3600}
    assert rule["Tags"][ROLLED_BACK_TAG] == f"{outcome['at']} {B_ERRORS}"
    # the contract tags follow the new forward: the control forwarded, the candidate paused
    assert (rule["Tags"]["variant"], rule["Tags"]["model"], rule["Tags"]["paused-variants"]) == (
        "sentiment-a",
        "sentiment:1.4.2",
        "sentiment-b",
    )
    assert rule["Tags"][AB_ROLE_TAG] == "split"  # the other tags stay

    again = handler.handle(notification(f"{PREFIX}sentiment-b-p99-latency"))["outcomes"][0]
    assert again["action"] == "ignored"
    assert again["reason"] == "sentiment-b takes no traffic on the split rule (already rolled back or paused)"
    assert forward_of(split_rule(deployed))[0] == [(a, 100)]


@pytest.mark.parametrize(
    ("alarm", "state", "reason"),
    [
        (B_ERRORS, "OK", "state OK, not ALARM"),
        (B_ERRORS, "INSUFFICIENT_DATA", "state INSUFFICIENT_DATA, not ALARM"),
        (f"{PREFIX}sentiment-a-5xx-rate", "ALARM", "not a guardrail alarm of a candidate variant"),
        (f"{PREFIX}auto-rollback-errors", "ALARM", "not a guardrail alarm of a candidate variant"),
        (
            "prod-sentiment-abtest-sentiment-b-5xx-rate",
            "ALARM",
            "not a guardrail alarm of a candidate variant",
        ),
    ],
)
def test_other_notifications_change_nothing(deployed: Deployed, alarm: str, state: str, reason: str) -> None:
    before = split_rule(deployed)
    (outcome,) = handler.handle(notification(alarm, state))["outcomes"]
    assert (outcome["action"], outcome["reason"]) == ("ignored", reason)
    after = split_rule(deployed)
    assert after["Actions"] == before["Actions"]
    assert ROLLED_BACK_TAG not in after["Tags"]


def test_a_failed_call_raises_so_lambda_retries_and_dead_letters_it(
    deployed: Deployed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPLIT_RULE_ARN", split_rule(deployed)["RuleArn"][:-4] + "0000")
    with pytest.raises(Exception, match="RuleNotFound"):
        handler.handle(notification(B_ERRORS))


def test_reconcile_then_writes_the_rollback_into_the_spec(
    deployed: Deployed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "ab-experiments.yaml"
    shutil.copyfile(EXAMPLE, spec)
    handler.handle(notification(B_ERRORS))
    code = main(["reconcile", "sentiment-abtest", "--env", "staging", "--spec", str(spec)])
    out, err = capsys.readouterr()
    assert (code, without_spec_warnings(err)) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "live split of sentiment-abtest (staging, account 123456789012, Region eu-west-1): sentiment-a 100, "
        "sentiment-b 0"
    )
    assert lines[1].startswith("rolled back automatically: ") and lines[1].endswith(
        f" {B_ERRORS} (tag ab-rolled-back of the split rule)"
    )
    assert lines[3] == (
        "reconcile sentiment-abtest (staging): stage 1 (20%) -> stage -1 (0%, not started) of stages "
        "[5, 20, 50], candidate sentiment-b"
    )
    (experiment,) = next(env for env in load_spec(spec).environments if env.name == "staging").experiments
    assert [(w.variant.name, w.weight, w.paused) for w in experiment.variants] == [
        ("sentiment-a", 100, False),
        ("sentiment-b", 0, True),
    ]
    assert experiment.ramp is not None and experiment.ramp.stage == -1


def test_the_handler_imports_nothing_but_the_standard_library_and_boto3() -> None:
    import ast

    tree = ast.parse(Path(handler.__file__).read_text())
    modules = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules == {
        "__future__",
        "boto3",
        "collections",
        "dataclasses",
        "datetime",
        "json",
        "logging",
        "os",
        "typing",
    }
    assert handler.ROLLED_BACK_TAG == ROLLED_BACK_TAG
    assert (handler.VARIANT_TAG, handler.MODEL_TAG, handler.PAUSED_VARIANTS_TAG) == (
        VARIANT_TAG,
        MODEL_TAG,
        PAUSED_VARIANTS_TAG,
    )


def test_drift_then_shows_the_rollback_first(deployed: Deployed, capsys: pytest.CaptureFixture[str]) -> None:
    handler.handle(notification(B_ERRORS))
    code = main(["drift", "--spec", str(EXAMPLE), "--env", "staging"])
    out, err = capsys.readouterr()
    assert (code, without_spec_warnings(err)) == (1, "")
    lines = out.splitlines()
    first = lines[
        lines.index(next(line for line in lines if line.endswith("differences from the spec:"))) + 1
    ]
    assert first.startswith("  experiment sentiment-abtest: automatic rollback expected none, live 20")
    assert (
        f" {B_ERRORS} (all traffic sent to the control; `reconcile` writes it into the spec) (split rule"
        in first
    )
    assert any(
        "variant sentiment-b: target group expected" in line and "not in the forward" in line
        for line in lines
    )
