"""The GitHub workflows: actionlint finds nothing in any of them, and the deploy workflow keeps its
promises (OIDC, no keys, one deploy at a time, a GitHub environment per spec environment, preflight before
deploy, the stacks listed by our command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def _load(name: str) -> Any:
    return YAML(typ="safe").load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_actionlint_passes_on_every_workflow() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"deploy.yml", "policy-gate.yml"}
    result = subprocess.run(
        [str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_actionlint_can_fail() -> None:
    broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n"
    result = subprocess.run(
        [str(ACTIONLINT), "-"], input=broken, capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 1 and "matrix" in result.stdout


def test_deploy_uses_oidc_one_at_a_time_environments_and_preflight() -> None:
    workflow = _load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"] == "${{ matrix.environment }}"
    assert deploy["permissions"]["id-token"] == "write"
    assert deploy["strategy"]["max-parallel"] == 1
    steps = deploy["steps"]
    credentials = next(s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws"))
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    names = [s.get("name") for s in steps]
    assert names.index("Preflight against the live account") < names.index("Deploy the environment's stacks")
    deploy_step = steps[names.index("Deploy the environment's stacks")]["run"]
    assert 'constructs_ab stacks --env "$ENVIRONMENT"' in deploy_step
    assert 'npx cdktf deploy "${stacks[@]}" --skip-synth --auto-approve' in deploy_step
    text = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    assert "cdktf.out/stacks" not in text  # the stacks come from the spec, not a folder listing
    assert "AWS_ACCESS_KEY_ID" not in text and "aws-secret-access-key" not in text


def test_pull_requests_get_the_plan_summary_in_the_traffic_diff_comment() -> None:
    steps = _load("policy-gate.yml")["jobs"]["traffic-diff"]["steps"]
    names = [s.get("name") for s in steps]
    assert names.index("Terraform plan summary (cdktf diff)") < names.index(
        "Comment the traffic diff on the pull request"
    )
