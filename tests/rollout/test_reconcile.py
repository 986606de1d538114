"""`reconcile` on the local AWS emulator: the example's staging environment created with boto3 as the
constructs make it (sentiment-a 80, sentiment-b 20, ramp candidate sentiment-b at stage 1 of [5, 20, 50]),
the split rule then changed behind Terraform's back as the auto-rollback function changes it, and the
spec written from the live weights."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import Deployed, client, deploy, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.routing.contract import AB_ROLE_TAG, ROLLED_BACK_TAG
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"
RECORD = "2024-05-01T12:03:00Z staging-sentiment-abtest-sentiment-b-5xx-rate"


def staging() -> Deployed:
    return deploy(next(env for env in load_spec(EXAMPLE).environments if env.name == "staging"))


def split_rule(deployed: Deployed) -> dict[str, Any]:
    elbv2 = client("elbv2")
    rules = elbv2.describe_rules(ListenerArn=deployed.listeners["staging-models"])["Rules"]
    tags = elbv2.describe_tags(ResourceArns=[r["RuleArn"] for r in rules if not r["IsDefault"]])
    split = [
        d["ResourceArn"]
        for d in tags["TagDescriptions"]
        if {"Key": AB_ROLE_TAG, "Value": "split"} in d["Tags"]
    ]
    (rule,) = [r for r in rules if r["RuleArn"] in split]
    return rule


def set_live_weights(deployed: Deployed, weights: dict[str, int], record: str | None = RECORD) -> None:
    """What the auto-rollback function does: the split's forward with new weights (stickiness kept), and
    its record on the rule."""
    rule = split_rule(deployed)
    forward = rule["Actions"][0]["ForwardConfig"]
    groups = [
        {"TargetGroupArn": deployed.target_groups[f"staging-{name}"], "Weight": weight}
        for name, weight in weights.items()
    ]
    elbv2 = client("elbv2")
    elbv2.modify_rule(
        RuleArn=rule["RuleArn"],
        Actions=[
            {
                "Type": "forward",
                "ForwardConfig": {
                    "TargetGroups": groups,
                    "TargetGroupStickinessConfig": forward["TargetGroupStickinessConfig"],
                },
            }
        ],
    )
    if record is not None:
        elbv2.add_tags(ResourceArns=[rule["RuleArn"]], Tags=[{"Key": ROLLED_BACK_TAG, "Value": record}])


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "ab-experiments.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def reconcile(capsys: pytest.CaptureFixture[str], spec: Path, *args: str) -> tuple[int, str, str]:
    code = main(["reconcile", "sentiment-abtest", "--env", "staging", "--spec", str(spec), *args])
    out, err = capsys.readouterr()
    return code, out, without_spec_warnings(err)


def test_after_a_rollback_the_spec_takes_the_live_weights_and_the_ramp_goes_to_stage_minus_1(
    emulator: str, spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_live_weights(staging(), {"sentiment-a": 100, "sentiment-b": 0})
    before = spec.read_text()
    code, out, err = reconcile(capsys, spec)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:5] == [
        "live split of sentiment-abtest (staging, account 123456789012, Region eu-west-1): sentiment-a 100, "
        "sentiment-b 0",
        f"rolled back automatically: {RECORD} (tag ab-rolled-back of the split rule)",
        "",
        "reconcile sentiment-abtest (staging): stage 1 (20%) -> stage -1 (0%, not started) of stages [5, 20, 50], "
        "candidate sentiment-b",
        "  sentiment-a  weight 80 -> 100",
    ]
    assert lines[5] == "  sentiment-b  weight 20 -> 0 paused"
    assert lines[-1] == f"wrote {spec}"
    after = spec.read_text()
    changed = [
        (old, new) for old, new in zip(before.splitlines(), after.splitlines(), strict=False) if old != new
    ]
    assert changed[:2] == [
        ("            weight: 80", "            weight: 100"),
        ("            weight: 20", "            weight: 0"),
    ]
    assert "            paused: true" in after.splitlines()
    assert "          stage: -1" in after.splitlines()
    assert len(after.splitlines()) == len(before.splitlines()) + 1  # only `paused: true` is added
    staging_spec = next(env for env in load_spec(spec).environments if env.name == "staging")
    (experiment,) = staging_spec.experiments
    assert [(w.variant.name, w.weight, w.paused) for w in experiment.variants] == [
        ("sentiment-a", 100, False),
        ("sentiment-b", 0, True),
    ]
    assert experiment.ramp is not None and experiment.ramp.stage == -1

    code, out, err = reconcile(capsys, spec)  # again: nothing left to change
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"no change: {spec} already has these weights"
    assert spec.read_text() == after


def test_a_dry_run_prints_the_change_and_writes_nothing(
    emulator: str, spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_live_weights(staging(), {"sentiment-a": 100, "sentiment-b": 0})
    before = spec.read_bytes()
    code, out, err = reconcile(capsys, spec, "--dry-run", "--format", "markdown")
    assert (code, err) == (0, "")
    assert "### reconcile sentiment-abtest (staging): stage 1 (20%) → stage -1 (0%, not started)" in out
    assert out.splitlines()[-1] == f"dry run: {spec} not changed"
    assert spec.read_bytes() == before


def test_live_weights_at_another_stage_move_the_stage_without_a_record(
    emulator: str, spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_live_weights(staging(), {"sentiment-a": 50, "sentiment-b": 50}, record=None)
    code, out, err = reconcile(capsys, spec)
    assert (code, err) == (0, "")
    assert "rolled back automatically" not in out
    assert "stage 1 (20%) -> stage 2 (50%)" in out.splitlines()[2]


def test_live_weights_the_ramp_cannot_hold_are_one_line_and_nothing_is_written(
    emulator: str, spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_live_weights(staging(), {"sentiment-a": 70, "sentiment-b": 30}, record=None)
    before = spec.read_bytes()
    code, out, err = reconcile(capsys, spec)
    assert code == 2
    assert err == (
        "reconcile: the ramp candidate 'sentiment-b' of experiment 'sentiment-abtest' (staging) would get 30% "
        "(weight 30 of 100); with a ramp the candidate's share must be one of its stages 5%, 20%, 50%, or 0% "
        "with weight 0 (stage -1); use promote or rollback to move between stages\n"
    )
    assert spec.read_bytes() == before


def test_an_experiment_not_deployed_is_one_line(
    emulator: str, spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = spec.read_bytes()
    code, out, err = reconcile(capsys, spec)
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: load balancer staging-models of experiment sentiment-abtest is not in account 123456789012 "
        "(arn:aws:sts::123456789012:user/moto), Region eu-west-1; is it deployed?\n"
    )
    assert spec.read_bytes() == before


def test_an_unknown_experiment_is_one_line_before_aws_is_read(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["reconcile", "sentiment-abtst", "--spec", str(spec)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert without_spec_warnings(err) == (
        "reconcile: unknown experiment 'sentiment-abtst'; did you mean 'sentiment-abtest'? "
        "(experiments: sentiment-abtest, chat-llm)\n"
    )
