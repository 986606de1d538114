"""The gate on a stack whose experiments go onto an existing listener (examples/existing-listener.yaml):
the policies apply as usual, and those that read the listener or the load balancer neither fail nor crash
on the data sources that stand for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab.gate.cli import main

from .conftest import REPOSITORY_CONFIG, REPOSITORY_ROOT

SPEC = REPOSITORY_ROOT / "examples" / "existing-listener.yaml"


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("existing") / "cdktf.out"
    result = subprocess.run(
        [sys.executable, "main.py", "--spec", str(SPEC), "--outdir", str(outdir)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, result.stderr
    return outdir


def test_the_stack_on_an_existing_listener_passes_the_gate(
    capsys: pytest.CaptureFixture[str], stacks: Path
) -> None:
    code = main(["--config", str(REPOSITORY_CONFIG), "--format", "json", str(stacks)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    results = json.loads(out)["results"]
    assert results["failed_checks"] == []
    passed = {(r["check_id"], r["resource"]) for r in results["passed_checks"]}
    rules = {resource for check, resource in passed if resource.startswith("aws_lb_listener_rule.")}
    assert rules == {
        "aws_lb_listener_rule.lb-serving_rule-30690",
        "aws_lb_listener_rule.lb-serving_rule-30691",
        "aws_lb_listener_rule.lb-serving_rule-30695",
    }
    # the checks that read a rule's listener key it by the data source, as by a created listener
    split = "aws_lb_listener_rule.lb-serving_rule-30695"
    for check in ("CKV2_ABT_2", "CKV_ABT_1", "CKV_ABT_2", "CKV_ABT_5", "CKV_ABT_14", "CKV_ABT_20"):
        assert (check, split) in passed, check
    override = "aws_lb_listener_rule.lb-serving_rule-30690"
    for check in ("CKV2_ABT_2", "CKV_ABT_5", "CKV_ABT_7", "CKV_ABT_16", "CKV_ABT_20"):
        assert (check, override) in passed, check
    assert any(check == "CKV2_ABT_1" for check, _ in passed)  # target groups of weighted rules


def test_a_removed_health_check_still_fails_on_an_existing_listener(
    capsys: pytest.CaptureFixture[str], stacks: Path, tmp_path: Path
) -> None:
    # GIVEN the stack with one target group's health check removed
    copy = tmp_path / "cdktf.out"
    subprocess.run(["cp", "-r", str(stacks), str(copy)], check=True)
    path = copy / "stacks" / "prod" / "cdk.tf.json"
    document = json.loads(path.read_text())
    for group in document["resource"]["aws_lb_target_group"].values():
        if group["tags"]["variant"] == "sentiment-b":
            group.pop("health_check")
    path.write_text(json.dumps(document))
    # WHEN the gate runs, THEN the graph policy that follows rules to their target groups fails it
    code = main(["--config", str(REPOSITORY_CONFIG), "--format", "json", str(copy)])
    results = json.loads(capsys.readouterr().out)["results"]
    assert code == 1
    assert {r["check_id"] for r in results["failed_checks"]} >= {"CKV2_ABT_1"}
