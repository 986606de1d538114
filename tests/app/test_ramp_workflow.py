"""The scheduled ramp workflow: it passes actionlint, runs on a schedule (and by hand), runs
`analyze --apply` on each experiment with a ramp, and keeps one pull request per experiment on its own
branch (edited, not duplicated); the script it lists experiments with names exactly the ramped ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "ramp.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(document, dict)
    return document


def script() -> str:
    return "\n".join(step.get("run", "") for step in workflow()["jobs"]["ramp"]["steps"])


@pytest.mark.skipif(not ACTIONLINT.exists() and shutil.which("actionlint") is None, reason="no actionlint")
def test_actionlint_passes() -> None:
    binary = str(ACTIONLINT) if ACTIONLINT.exists() else "actionlint"
    result = subprocess.run([binary, str(WORKFLOW)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_runs_on_a_schedule_and_by_hand() -> None:
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"] == [{"cron": "17 * * * *"}]
    assert triggers["workflow_dispatch"]["inputs"]["since"]["default"] == "2h"


def test_one_branch_and_one_pull_request_per_experiment() -> None:
    text = script()
    assert "scripts/ramped_experiments.py" in text
    assert 'branch="ramp/$environment/$experiment"' in text
    assert 'analyze "$experiment" --env "$environment" --since "$SINCE"' in text and "--apply" in text
    assert 'git push --quiet --force origin "$branch"' in text
    assert 'gh pr list --head "$branch"' in text
    assert 'gh pr edit "$open"' in text and 'gh pr create --base "$BASE_BRANCH" --head "$branch"' in text
    assert 'gh pr close "$open"' in text  # a hold closes the open one


def test_the_script_lists_the_experiments_with_a_ramp(tmp_path: Path) -> None:
    spec = REPO / "examples" / "ab-experiments.yaml"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "ramped_experiments.py"), "--spec", str(spec)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (0, "staging sentiment-abtest\nprod sentiment-abtest\n")
    missing = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "ramped_experiments.py"),
            "--spec",
            str(tmp_path / "no.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
