"""The pull request workflow and the pre-commit hook run the commands this repository provides."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "policy-gate.yml"


def workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(document, dict)
    return document


def run_lines(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_runs_on_pull_requests_with_both_jobs() -> None:
    document = workflow()
    assert "pull_request" in document[True]  # YAML 1.1 reads the key `on` as True
    assert set(document["jobs"]) == {"gate", "traffic-diff"}


def test_gate_job_runs_make_gate_uploads_sarif_and_fails_when_the_gate_fails() -> None:
    job = workflow()["jobs"]["gate"]
    commands = run_lines(job)
    assert "make gate" in commands and "--format sarif" in commands
    uploads = [
        s for s in job["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    ]
    assert len(uploads) == 1 and uploads[0]["if"].startswith("always()")
    last = job["steps"][-1]
    assert last["if"] == "steps.gate.outcome == 'failure'" and "exit 1" in last["run"]


def test_traffic_diff_job_posts_the_markdown_diff_to_the_summary_and_a_comment() -> None:
    job = workflow()["jobs"]["traffic-diff"]
    commands = run_lines(job)
    assert "-m constructs_ab diff" in commands and "--format markdown" in commands
    assert "GITHUB_STEP_SUMMARY" in commands
    comment = job["steps"][-1]
    assert comment.get("continue-on-error") is True and "gh pr comment" in comment["run"]
    assert job["permissions"]["pull-requests"] == "write"


def test_workflow_commands_name_real_make_targets() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), flags=re.MULTILINE))
    for job in workflow()["jobs"].values():
        for line in run_lines(job).splitlines():
            words = shlex.split(line.strip()) if line.strip().startswith("make ") else []
            if words:
                assert words[1] in targets, line


def test_pre_commit_hook_runs_the_gate_on_specs_constructs_and_policies() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    assert hook["entry"] == "make gate"
    pattern = re.compile(hook["files"])
    for changed in (
        "examples/ab-experiments.yaml",
        "constructs_ab/experiment.py",
        "policies/NoVariantSilentlyStarved.py",
    ):
        assert pattern.search(changed), changed
    assert not pattern.search("README.md")
