"""Without the provider mirror the Terraform tests skip with one line naming what is missing, and under
AB_REQUIRE_TERRAFORM=1 (what .ci/run sets) that line is a failure instead. Runs pytest in a child process
with the mirror hidden."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
TEST = "tests/terraform/test_validate_stacks.py::test_every_stack_inits_offline_and_validates_with_the_real_provider"


def run_without_mirror(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AB_TERRAFORM_PROVIDER_MIRROR", "AB_REQUIRE_TERRAFORM")
    }
    env.update(TF_CLI_CONFIG_FILE=str(tmp_path / "no.tfrc"), **extra)
    return subprocess.run(
        [sys.executable, "-m", "pytest", f"{TEST}[example]", "-rsf", "-p", "no:cacheprovider"],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.terraform
def test_a_missing_mirror_skips_with_one_line(tmp_path: Path) -> None:
    result = run_without_mirror(tmp_path)
    assert result.returncode == 0, result.stdout
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert "no provider mirror with registry.terraform.io/hashicorp/aws 5.100.0" in line
    assert "$AB_TERRAFORM_PROVIDER_MIRROR is not set" in line


@pytest.mark.terraform
def test_a_missing_mirror_fails_under_ab_require_terraform(tmp_path: Path) -> None:
    result = run_without_mirror(tmp_path, AB_REQUIRE_TERRAFORM="1")
    assert result.returncode == 1, result.stdout
    assert (
        "AB_REQUIRE_TERRAFORM=1 but no provider mirror with registry.terraform.io/hashicorp/aws 5.100.0"
        in result.stdout
    )
