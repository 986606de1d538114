"""The auto-rollback function's resources pass the gate: the example with `auto_rollback: true` on staging's
experiment, synthesized and checked by Checkov with our stacks' configuration. Every built-in check that runs
on them passes, the set is pinned (Lambda: concurrency, dead-letter queue, encrypted environment, X-Ray, no
secrets, a supported runtime, no public permission; IAM; the queue's and log group's encryption), and the two
Lambda checks that cannot pass are skipped with a reason."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab.cli.synth import synthesize
from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import run_checkov
from constructs_ab.spec.loader import load_spec

REPO = Path(__file__).resolve().parents[2]
OUTDIR: list[Path] = []  # the staging stack's folder, once synthesized
CHECKS_ON_THE_FUNCTION = {
    "aws_lambda_function": [
        "CKV2_AWS_75",
        "CKV_AWS_115",
        "CKV_AWS_116",
        "CKV_AWS_173",
        "CKV_AWS_363",
        "CKV_AWS_45",
        "CKV_AWS_50",
    ],
    "aws_lambda_permission": ["CKV_AWS_301", "CKV_AWS_364"],
    "aws_iam_role": ["CKV2_AWS_56", "CKV_AWS_274", "CKV_AWS_393", "CKV_AWS_60", "CKV_AWS_61"],
    "aws_iam_role_policy": [
        "CKV2_AWS_40",
        "CKV_AWS_286",
        "CKV_AWS_287",
        "CKV_AWS_288",
        "CKV_AWS_289",
        "CKV_AWS_290",
        "CKV_AWS_355",
        "CKV_AWS_62",
        "CKV_AWS_63",
    ],
    "aws_sqs_queue": ["CKV_AWS_168", "CKV_AWS_27"],
    "aws_cloudwatch_log_group": ["CKV_AWS_158", "CKV_AWS_338", "CKV_AWS_66"],
    "aws_cloudwatch_metric_alarm": ["CKV_ABT_17", "CKV_AWS_319"],
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    example = load_spec(REPO / "examples" / "ab-experiments.yaml")
    environments = tuple(
        dataclasses.replace(
            env, experiments=tuple(dataclasses.replace(e, auto_rollback=True) for e in env.experiments)
        )
        for env in example.environments
        if env.name == "staging"
    )
    outdir = tmp_path_factory.mktemp("auto-rollback") / "cdktf.out"
    OUTDIR[:] = [outdir / "stacks" / "staging"]
    assert synthesize(dataclasses.replace(example, environments=environments), outdir, command="synth") == 0
    planned = plan_stacks([str(outdir / "stacks")])
    return run_checkov(planned).report, planned[0].config


def test_nothing_fails(report) -> None:  # type: ignore[no-untyped-def]
    checks, _ = report
    assert [(r.check_id, r.resource) for r in checks.failed_checks] == []


def test_the_checks_that_run_on_the_functions_resources_are_pinned(report) -> None:  # type: ignore[no-untyped-def]
    checks, _ = report
    ran: dict[str, set[str]] = {}
    for result in checks.passed_checks:
        if "auto-rollback" in result.resource and "auto-rollback-key" not in result.resource:
            ran.setdefault(result.resource.split(".")[0], set()).add(result.check_id)
    assert {kind: sorted(ids) for kind, ids in ran.items()} == CHECKS_ON_THE_FUNCTION


def test_the_lambda_checks_that_cannot_pass_are_skipped_with_a_reason(report) -> None:  # type: ignore[no-untyped-def]
    _, config = report
    result = subprocess.run(  # plain Checkov, without our skips: exactly these two fail on the function
        [
            sys.executable,
            "-m",
            "checkov.main",
            "-f",
            str(OUTDIR[0] / "cdk.tf.json"),
            "--framework",
            "terraform_json",
            "--skip-download",
            "-o",
            "json",
            "--check",
            "CKV_AWS_117,CKV_AWS_272",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "BC_SKIP_DOWNLOAD": "true"},
        cwd=OUTDIR[0],
        check=False,
    )
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = {
        (c["check_id"], c["resource"].split(".")[-1].rsplit("_", 1)[0])
        for r in reports
        for c in r["results"]["failed_checks"]
    }
    function = "auto-rollback-sentiment-abtest_function"
    assert failed == {("CKV_AWS_117", function), ("CKV_AWS_272", function)}
    reasons = config.skipped
    assert "reaches nothing inside the VPC" in reasons["CKV_AWS_117"]
    assert "code signing" in reasons["CKV_AWS_272"]
