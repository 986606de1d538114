"""Use it from your own repository: a wheel of this project, built offline and installed into a throwaway
virtual environment, gives the console command `ab-models`, which works in a "user repository" that holds
nothing of this checkout but a copy of the example spec named by its own project setting.

The throwaway environment sees the project's dependencies through a `.pth` file naming the development
environment's site-packages (read only; nothing is installed there). The wheel is built from a copy of
the sources, so the checkout gets no build/ or *.egg-info.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from constructs_ab.__main__ import COMMANDS
from constructs_ab.cli.spec_option import NOT_CONFIGURED

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"
COMMAND = "ab-models"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    site_packages: Path

    @property
    def command(self) -> Path:
        return self.venv / "bin" / COMMAND

    def env(self) -> dict[str, str]:
        """A user's shell: the environment's bin first on PATH, nothing pointing at this checkout."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in (
                "AB_SPEC",
                "CDKTF_OUTDIR",
                "PYTHONPATH",
                "VIRTUAL_ENV",
                "NODE_OPTIONS",
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",  # the command silences the banner itself
            )
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["CHECKPOINT_DISABLE"] = "1"
        return env

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.command), *args], cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=900
        )


def run_checked(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("constructs_ab", "policies"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run_checked(
        *pip, "wheel", "--no-build-isolation", "--no-deps", "--no-index", "-q", "-w", root / "dist", source
    )
    (wheel,) = (root / "dist").glob("*.whl")

    venv = root / "venv"
    run_checked(sys.executable, "-m", "venv", "--without-pip", venv)
    site_packages = Path(
        run_checked(
            venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    development = sysconfig.get_paths()["purelib"]  # the shared environment's: read, never written
    (site_packages / "_ab_models_test_dependencies.pth").write_text(
        f"import site; site.addsitedir({development!r})\n"
    )
    run_checked(*pip, "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index", "-q", wheel)
    return Installed(wheel=wheel, venv=venv, site_packages=site_packages)


@pytest.fixture(scope="module")
def user_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of a user: a spec under experiments/, named by its pyproject.toml; nothing else."""
    repo = tmp_path_factory.mktemp("user") / "my-models"
    (repo / "experiments").mkdir(parents=True)
    shutil.copy(EXAMPLE, repo / "experiments" / "ab.yaml")
    (repo / "pyproject.toml").write_text('[tool.ab-models]\nspec = "experiments/ab.yaml"\n')
    return repo


@pytest.fixture(scope="module")
def synthesized(installed: Installed, user_repository: Path) -> subprocess.CompletedProcess[str]:
    return installed.run("synth", cwd=user_repository)


def test_the_wheel_holds_every_module_the_policies_and_the_files_read_at_run_time(
    installed: Installed,
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "constructs_ab").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    expected |= {
        f"constructs_ab/policies/{path.name}"
        for path in (REPO / "policies").iterdir()
        if path.suffix in (".py", ".yaml")
    }
    missing = sorted(expected - names)
    assert missing == [], f"not in the wheel (a package missing from pyproject.toml's list?): {missing}"
    assert "constructs_ab/gate/our_stacks.checkov.yaml" in names
    assert "constructs_ab/node_lazy_index.cjs" in names
    assert "constructs_ab/jsii_runtime.cjs" in names
    assert not any(name.startswith(("policies/", "tests/", "examples/")) for name in names)


def test_the_console_command_runs_the_installed_copy(installed: Installed, tmp_path: Path) -> None:
    probe = (
        "import constructs_ab; from constructs_ab.gate.runner import DEFAULT_POLICIES_DIRECTORY as p; "
        "print(constructs_ab.__file__); print(p)"
    )
    result = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", probe],
        cwd=tmp_path,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    package, policies = result.stdout.splitlines()
    assert Path(package) == installed.site_packages / "constructs_ab" / "__init__.py"
    assert Path(policies) == installed.site_packages / "constructs_ab" / "policies"


def test_help_lists_the_same_commands_as_the_module(installed: Installed, user_repository: Path) -> None:
    console = installed.run("--help", cwd=user_repository)
    module = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )

    def commands(text: str) -> list[str]:
        block = text.split("commands:\n")[1].split("\n\n")[0]
        return [line.split()[0] for line in block.splitlines()]

    assert console.returncode == 0 and console.stdout.startswith(f"usage: {COMMAND} <command>")
    assert commands(console.stdout) == commands(module.stdout) == list(COMMANDS)
    version = installed.run("--version", cwd=user_repository)
    assert version.stdout.strip() == f"{COMMAND} 0.1.0"


def test_validate_reads_the_configured_spec(installed: Installed, user_repository: Path) -> None:
    result = installed.run("validate", cwd=user_repository / "experiments")  # from a subfolder too
    assert result.returncode == 0, result.stderr
    assert all(": warning: " in line for line in result.stderr.splitlines())  # the example's warning
    assert result.stdout.splitlines() == [
        "staging: 1 load balancer(s), 1 experiment(s), 2 variant(s)",
        "  sentiment-abtest on models (priorities 30690-30695): sentiment-a 80%, sentiment-b 20%; sticky for "
        "3600 s (AWSALBTG cookie)",
        "prod: 1 load balancer(s), 2 experiment(s), 5 variant(s)",
        "  sentiment-abtest on public (priorities 100-105): sentiment-a 80%, sentiment-b 20%; sticky for 3600 s "
        "(AWSALBTG cookie)",
        "  chat-llm on public (priorities 18700-18705): llama-8b 60%, mistral-7b 30%, qwen-7b 10%; sticky for "
        "86400 s (AWSALBTG cookie)",
    ]


def test_synth_writes_the_stacks(
    synthesized: subprocess.CompletedProcess[str], user_repository: Path
) -> None:
    assert synthesized.returncode == 0, synthesized.stderr
    assert all(
        line.startswith("experiments/ab.yaml:") and ": warning: " in line
        for line in synthesized.stderr.splitlines()
    )
    for stack in ("staging", "prod"):
        path = user_repository / "cdktf.out" / "stacks" / stack / "cdk.tf.json"
        assert f"synth: {stack}: " in synthesized.stdout
        assert json.loads(path.read_text())["resource"]["aws_lb_listener_rule"]


def test_the_gate_passes_with_the_packaged_policies_and_our_stacks_configuration(
    installed: Installed, user_repository: Path, synthesized: subprocess.CompletedProcess[str]
) -> None:
    assert synthesized.returncode == 0
    result = installed.run(
        "gate", "cdktf.out", "--format", "json", "--output", "gate.json", cwd=user_repository
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ours = installed.site_packages / "constructs_ab" / "gate" / "our_stacks.checkov.yaml"
    assert f"stack prod (ours): skips from {ours}" in result.stdout
    assert result.stdout.rstrip().endswith("gate: PASSED")
    report = json.loads((user_repository / "gate.json").read_text())
    passed = {entry["check_id"] for entry in report["results"]["passed_checks"]}
    ours_passed = {check for check in passed if re.fullmatch(r"CKV2?_ABT_\d+", check)}
    assert {"CKV_ABT_1", "CKV_ABT_2", "CKV_ABT_9", "CKV2_ABT_1", "CKV2_ABT_2"} <= ours_passed
    assert report["results"]["failed_checks"] == []


def test_without_a_setting_every_spec_command_says_how_to_configure_one(
    installed: Installed, tmp_path: Path
) -> None:
    for args in (("validate",), ("synth",), ("promote", "sentiment-abtest")):
        result = installed.run(*args, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"{args[0]}: {NOT_CONFIGURED}\n"
    assert list(tmp_path.iterdir()) == []


def test_cdktf_json_of_a_user_runs_the_console_commands_synth(
    installed: Installed, user_repository: Path, tmp_path: Path
) -> None:
    # the cdktf.json the README documents for a user's repository
    repo = tmp_path / "with-cdktf"
    shutil.copytree(user_repository, repo, ignore=shutil.ignore_patterns("cdktf.out", "gate.json"))
    (repo / "cdktf.json").write_text(json.dumps({"language": "python", "app": f"{COMMAND} synth"}))
    cdktf = REPO / "node_modules" / ".bin" / "cdktf"
    result = subprocess.run(
        [str(cdktf), "synth"], cwd=repo, env=installed.env(), capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (repo / "cdktf.out" / "stacks").iterdir()) == ["prod", "staging"]


def test_the_packages_dependencies_are_pipfiles_pins() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pipfile = tomllib.loads((REPO / "Pipfile").read_text())["packages"]
    pins = {f"{name}{spec if isinstance(spec, str) else spec['version']}" for name, spec in pipfile.items()}
    assert set(project["dependencies"]) == pins
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"] == {COMMAND: "constructs_ab.__main__:console"}
