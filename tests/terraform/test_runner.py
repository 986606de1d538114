"""The runner with a stand-in `terraform` (a shell script): deadlines, early stops on an output pattern,
SIGINT then SIGKILL of the whole process group, errors, and the children's environment. No Terraform
needed; these tests stop real processes and check none is left."""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

import pytest

from constructs_ab.terraform.binary import TerraformBinary
from constructs_ab.terraform.provider_mirror import ProviderMirror
from constructs_ab.terraform.runner import Terraform
from constructs_ab.terraform.toolchain import Toolchain


def fake_terraform(tmp_path: Path, body: str) -> Terraform:
    script = tmp_path / "terraform"
    script.write_text("#!/usr/bin/env bash\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    toolchain = Toolchain(
        binary=TerraformBinary(path=str(script), version="1.11.0"),
        mirror=ProviderMirror(path=tmp_path, found_in="test"),
        cli_config=tmp_path / "cli.tfrc",
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    return Terraform(toolchain, workdir, env={"EXTRA": "1"}, drop_env_prefixes=("AWS_",), stop_grace=2)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_run_past_its_deadline_is_interrupted_and_its_errors_kept(tmp_path: Path) -> None:
    # GIVEN a terraform that works for a long time and, on SIGINT, prints an error and exits 1
    terraform = fake_terraform(
        tmp_path,
        "trap 'echo \"Error: deleting ELBv2 Target Group: ResourceInUse: in use\"; exit 1' INT\n"
        "echo working\nwhile true; do sleep 0.1; done\n",
    )
    # WHEN it runs with a 1 s deadline
    result = terraform.run(["apply"], timeout=1)
    # THEN it was stopped there, with Terraform's own error kept
    assert result.timed_out and not result.ok and result.returncode == 1
    assert result.errors == ["deleting ELBv2 Target Group: ResourceInUse: in use"]
    assert 1 <= result.seconds < 10
    assert "stopped at its deadline" in result.describe()
    assert result.log is not None and result.log.read_text().startswith("working\n")


def test_a_run_whose_output_matches_stop_when_is_stopped_early(tmp_path: Path) -> None:
    terraform = fake_terraform(
        tmp_path,
        "trap 'exit 1' INT\n"
        'echo "aws_lb_target_group.a: Still destroying... [id=arn, 10s elapsed]"\n'
        'echo "aws_lb_target_group.a: Still destroying... [id=arn, 20s elapsed]"\n'
        "while true; do sleep 0.1; done\n",
    )
    result = terraform.run(["apply"], timeout=60, stop_when=re.compile(r"Still destroying.*20s elapsed"))
    assert result.stopped_on == "aws_lb_target_group.a: Still destroying... [id=arn, 20s elapsed]"
    assert not result.timed_out and not result.ok
    assert result.seconds < 30


def test_a_run_that_ignores_sigint_is_killed_with_its_whole_process_group(tmp_path: Path) -> None:
    # GIVEN a terraform that ignores SIGINT and has a child of its own (as Terraform has its provider)
    pid_file = tmp_path / "child.pid"
    terraform = fake_terraform(
        tmp_path, f"trap '' INT\nsleep 300 &\necho $! > {pid_file}\nwhile true; do sleep 0.1; done\n"
    )
    # WHEN its deadline passes
    result = terraform.run(["apply"], timeout=1)
    # THEN both are gone after the grace period
    assert result.timed_out
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


def test_the_children_get_our_configuration_and_not_the_callers_terraform_or_aws_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_CLI_ARGS_apply", "-parallelism=1")
    monkeypatch.setenv("TF_LOG", "WARN")
    monkeypatch.setenv("AWS_PROFILE", "production")
    terraform = fake_terraform(tmp_path, "env | sort\n")
    result = terraform.run(["version"], timeout=30)
    env = dict(line.split("=", 1) for line in result.output.splitlines() if "=" in line)
    assert result.ok
    assert env["TF_CLI_CONFIG_FILE"] == str(tmp_path / "cli.tfrc")
    assert env["TF_IN_AUTOMATION"] == "1" and env["CHECKPOINT_DISABLE"] == "1" and env["EXTRA"] == "1"
    assert env["TF_LOG"] == "WARN"
    assert "TF_CLI_ARGS_apply" not in env and "AWS_PROFILE" not in env


def test_validate_reads_terraforms_json_diagnostics(tmp_path: Path) -> None:
    terraform = fake_terraform(
        tmp_path,
        'echo \'{"valid": false, "error_count": 1, "diagnostics": [{"severity": "error", '
        '"summary": "Unsupported argument", "detail": "An argument named \\"weight\\" is not expected here."}]}\'\n'
        "exit 1\n",
    )
    validation = terraform.validate()
    assert not validation.valid
    assert validation.diagnostics == (
        'error: Unsupported argument: An argument named "weight" is not expected here.',
    )
