"""When the single-process jsii runtime is used (constructs_ab/jsii_runtime.py), the kernel text it
changes, and the `terraform version` its process asks once. That the synthesized JSON is the same with it
is tests/construct_tests/test_provider_shim.py."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from constructs_ab import jsii_runtime

VARIABLES = (
    "JSII_RUNTIME",
    jsii_runtime.KERNEL_VARIABLE,
    "NODE_PRESERVE_SYMLINKS",
    jsii_runtime.DISABLE_VARIABLE,
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(jsii_runtime.node_lazy_index, "jsii_runtime_started", lambda: False)
    return monkeypatch


def test_installed_kernel_holds_each_replaced_text_once() -> None:
    kernel = jsii_runtime.kernel_script()
    assert kernel is not None and kernel.name == jsii_runtime.KERNEL_FILE
    text = kernel.read_text(encoding="utf-8")
    assert [text.count(part) for part in jsii_runtime.REPLACED] == [1, 1]
    assert (kernel.parent / jsii_runtime.WORKER_FILE).is_file()


def test_entry_script_replaces_the_same_texts() -> None:
    script = jsii_runtime.ENTRY_SCRIPT.read_text(encoding="utf-8")
    pairs = re.findall(r"^  \[(.+), (.+)\],$", script, flags=re.MULTILINE)
    assert [ast.literal_eval(old) for old, _ in pairs] == list(jsii_runtime.REPLACED)


def test_install_points_jsii_at_the_entry(clean_environment: pytest.MonkeyPatch) -> None:
    assert jsii_runtime.install() is True
    assert os.environ["JSII_RUNTIME"] == str(jsii_runtime.ENTRY_SCRIPT)
    assert Path(os.environ[jsii_runtime.KERNEL_VARIABLE]) == jsii_runtime.kernel_script()
    assert os.environ["NODE_PRESERVE_SYMLINKS"] == "1"
    assert jsii_runtime.install() is True  # again: nothing changes


@pytest.mark.parametrize(
    "setting", [(jsii_runtime.DISABLE_VARIABLE, "0"), ("JSII_RUNTIME", "/elsewhere/jsii-runtime.js")]
)
def test_install_leaves_jsii_alone_when_turned_off_or_set(
    clean_environment: pytest.MonkeyPatch, setting: tuple[str, str]
) -> None:
    clean_environment.setenv(*setting)
    assert jsii_runtime.install() is False
    assert jsii_runtime.KERNEL_VARIABLE not in os.environ
    assert os.environ.get("JSII_RUNTIME") == (setting[1] if setting[0] == "JSII_RUNTIME" else None)


def test_install_does_nothing_once_jsii_started(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setattr(jsii_runtime.node_lazy_index, "jsii_runtime_started", lambda: True)
    assert jsii_runtime.install() is False


def test_a_kernel_of_another_form_is_not_used(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setattr(jsii_runtime, "REPLACED", ("a text no kernel holds",))
    assert jsii_runtime.kernel_script() is None
    assert jsii_runtime.install() is False


VERSION_PROBE = """
require(process.argv[1]);
const { execSync } = require("child_process");
const answers = [];
for (const command of ["terraform version", "terraform version", "terraform providers"]) {
  try {
    answers.push(execSync(command, { stdio: "pipe" }).toString().trim());
  } catch (error) {
    answers.push(`failed ${error.status}`);
  }
}
console.log(JSON.stringify(answers));
"""


def run_version_probe(tmp_path: Path, *, exit_code: int) -> tuple[list[str], list[str]]:
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "terraform"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$*" >> {calls}\necho "Terraform v1.11.0 ($*)"\nexit {exit_code}\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NODE_OPTIONS", None)
    env.pop("TERRAFORM_BINARY_NAME", None)
    script = str(jsii_runtime.ENTRY_SCRIPT.with_name("terraform_version_once.cjs"))
    out = subprocess.run(
        ["node", "-e", VERSION_PROBE, script], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out), calls.read_text().splitlines()


def test_terraform_version_runs_once_per_process(tmp_path: Path) -> None:
    answers, calls = run_version_probe(tmp_path, exit_code=0)
    assert answers == ["Terraform v1.11.0 (version)"] * 2 + ["Terraform v1.11.0 (providers)"]
    assert calls == ["version", "providers"]


def test_a_failed_terraform_version_is_asked_again(tmp_path: Path) -> None:
    answers, calls = run_version_probe(tmp_path, exit_code=3)
    assert answers == ["failed 3"] * 3
    assert calls == ["version", "version", "providers"]
