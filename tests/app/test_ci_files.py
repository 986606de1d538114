"""The pull request workflow and the pre-commit hook run the commands this repository provides."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from constructs_ab.cli.project_setting import read_project_setting

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


def configured_spec() -> str:
    """The spec this repository's project setting names, relative to the repository."""
    setting = read_project_setting(REPO / "pyproject.toml")
    assert setting is not None
    return setting.spec.relative_to(REPO).as_posix()


def test_pre_commit_hook_runs_the_gate_on_the_configured_spec_constructs_and_policies() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    assert hook["entry"] == "make gate"
    pattern = re.compile(hook["files"])
    for changed in (
        configured_spec(),
        "infra/team-a/experiments.yml",  # wherever a setting may point
        "pyproject.toml",  # where the setting lives
        "constructs_ab/experiment.py",
        "constructs_ab/gate/our_stacks.checkov.yaml",
        "policies/NoVariantSilentlyStarved.py",
    ):
        assert pattern.search(changed), changed
    for unrelated in ("README.md", "docs/spec-reference.md", "tests/app/test_ci_files.py"):
        assert not pattern.search(unrelated), unrelated


def test_no_spec_path_is_written_in_the_workflow_the_hook_or_the_makefile() -> None:
    # every one of them uses the project setting: make synth and make gate pass --spec only for SPEC=
    spec = configured_spec()
    for path in (WORKFLOW, REPO / ".pre-commit-config.yaml", REPO / "Makefile"):
        text = path.read_text()
        assert spec not in text and "examples/" not in text, path
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^SPEC \?=\s*$", makefile, flags=re.MULTILINE)
    assert "SPEC_OPTION = $(if $(SPEC),--spec $(SPEC))" in makefile
    for job in workflow()["jobs"].values():
        assert "--spec" not in run_lines(job) and "AB_SPEC" not in run_lines(job)


def test_this_repositorys_setting_names_the_shipped_example() -> None:
    assert configured_spec() == "examples/ab-experiments.yaml"
