"""`python -m constructs_ab emulate`: the user-facing entry point. A real run on a minimal spec happens in
the scenario (in parallel with it); the error cases below run without the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.scenario import REPOSITORY, Scenario

pytestmark = pytest.mark.e2e


def emulate(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "constructs_ab", "emulate", *args],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_emulate_applies_checks_and_destroys_a_users_spec(scenario: Scenario) -> None:
    run = scenario.cli
    assert run is not None
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "emulate: dev: live state matches the spec (3 listener rules, 2 target groups)" in lines
    assert any(line.startswith("emulate: dev: apply succeeded in ") and "29 added" in line for line in lines)
    assert any(
        line.startswith("emulate: dev: destroy succeeded in ") and "29 destroyed" in line for line in lines
    )
    assert run.stderr == ""


def test_a_bad_spec_is_one_line_per_problem_and_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\nenvironments: {}\n")
    run = emulate("--spec", str(spec))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines()[-1] == f"emulate: 1 problem in {spec}; nothing was written."


def test_missing_terraform_is_one_line_saying_how_to_provide_it(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "AB_TERRAFORM": ""}
    run = emulate("--spec", "tests/e2e/fixtures/minimal.yaml", env=env)
    assert run.returncode == 2
    assert run.stderr == (
        "emulate: terraform not found (PATH); install Terraform 1.10 or later on PATH, "
        "or set AB_TERRAFORM to its path\n"
    )


def test_missing_mirror_is_one_line_saying_how_to_provide_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(tmp_path / "none.tfrc"),
        "AB_TERRAFORM_PROVIDER_MIRROR": "",
    }
    run = emulate("--spec", "tests/e2e/fixtures/minimal.yaml", env=env)
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("emulate: no provider mirror with registry.terraform.io/hashicorp/aws 5.100.0")
    assert "$AB_TERRAFORM_PROVIDER_MIRROR is not set" in line


def test_an_unknown_environment_is_one_line_and_exit_2() -> None:
    run = emulate("--spec", "tests/e2e/fixtures/minimal.yaml", "--env", "prod")
    assert run.returncode == 2
    assert (
        run.stderr
        == "emulate: --env prod: not an environment of tests/e2e/fixtures/minimal.yaml; it has dev\n"
    )
