"""`terraform plan -refresh=false` of synthesized stacks, timed for the pipeline benchmark (bench/pipeline.py).

Each stack folder is copied into a work folder with a local backend override (a stack may name an S3
backend) and initialized once, untimed; then `terraform plan -refresh=false -lock=false -input=false` is
timed. With an empty state, a plan reads no resource from AWS; its one call is the caller identity data
source, answered by a local moto server (`moto_server`, installed with the development packages), which
the provider reaches through `AWS_ENDPOINT_URL` with dummy credentials.

Terraform and the AWS provider: the project's Terraform toolchain when this checkout has it
(`constructs_ab.terraform.toolchain`: `terraform` 1.10+, the provider mirror from the user's CLI
configuration or `AB_TERRAFORM_PROVIDER_MIRROR`, a CLI configuration of its own); otherwise `terraform`
on PATH with the filesystem mirror named by `AB_TERRAFORM_PROVIDER_MIRROR`. Without either, `open_planner`
raises PlanUnavailable and the benchmark says so in its table.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.timing import Run, run_once

MIRROR_ENVIRONMENT = "AB_TERRAFORM_PROVIDER_MIRROR"
BACKEND_OVERRIDE = "bench_backend_override.tf.json"
PLAN = ["plan", "-refresh=false", "-lock=false", "-input=false", "-no-color"]


class PlanUnavailable(Exception):
    """Terraform, the provider or the emulator cannot be used here; the message says which."""


class Planner:
    """Plans stacks in its own work folder with `env` (Terraform's and the emulator's settings)."""

    def __init__(self, work: Path, env: dict[str, str], terraform: str) -> None:
        self.work = work
        self.env = env
        self.terraform = terraform

    def prepare(self, stack_folder: Path, name: str) -> Path:
        """A work copy of `stack_folder` (its files, a local backend), initialized; the copy's folder."""
        workdir = self.work / name
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
        self.update(stack_folder, workdir)
        (workdir / BACKEND_OVERRIDE).write_text(
            json.dumps({"terraform": {"backend": {"local": {"path": "bench.tfstate"}}}})
        )
        result = subprocess.run(
            [self.terraform, f"-chdir={workdir}", "init", "-input=false", "-no-color"],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise PlanUnavailable(f"terraform init of {name} failed: {result.stderr.strip()[-400:]}")
        return workdir

    def update(self, stack_folder: Path, workdir: Path) -> None:
        """Copy the stack's Terraform files (a new synth) into `workdir`, keeping its `.terraform/`."""
        for file in stack_folder.glob("*.tf.json"):
            shutil.copy2(file, workdir / file.name)

    def plan(self, workdir: Path) -> Run:
        return run_once([self.terraform, f"-chdir={workdir}", *PLAN], self.env)


@contextlib.contextmanager
def open_planner(work: Path) -> Iterator[Planner]:
    """A Planner with Terraform, the provider mirror and a moto server ready; PlanUnavailable otherwise."""
    with _toolchain_environment() as (terraform, env), _moto_server() as endpoint:
        env = {
            **env,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "CHECKPOINT_DISABLE": "1",
        }
        yield Planner(work, env, terraform)


@contextlib.contextmanager
def _toolchain_environment() -> Iterator[tuple[str, dict[str, str]]]:
    try:
        toolchains: Any = importlib.import_module("constructs_ab.terraform.toolchain")
    except ImportError:
        toolchains = None
    if toolchains is not None:
        try:
            with toolchains.TemporaryToolchain() as toolchain:
                yield str(toolchain.binary.path), dict(toolchain.environment())
            return
        except Exception as error:  # TerraformUnavailable: one line saying what is missing
            raise PlanUnavailable(str(error)) from None
    terraform = shutil.which("terraform")
    mirror = os.environ.get(MIRROR_ENVIRONMENT)
    if terraform is None:
        raise PlanUnavailable("terraform is not on PATH")
    if not mirror or not Path(mirror).is_dir():
        raise PlanUnavailable(f"no provider mirror: set {MIRROR_ENVIRONMENT} to a filesystem mirror folder")
    with tempfile.TemporaryDirectory(prefix="bench-terraform-") as folder:
        config = Path(folder) / "cli.tfrc"
        cache = Path(folder) / "plugin-cache"
        cache.mkdir()
        config.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path = "{mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n'
            f'plugin_cache_dir = "{cache}"\n'
        )
        yield terraform, {"TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1"}


@contextlib.contextmanager
def _moto_server() -> Iterator[str]:
    executable = Path(sys.executable).with_name("moto_server")
    if not executable.exists():
        raise PlanUnavailable(f"{executable} not found (moto[server] is a development package)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(executable), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise PlanUnavailable("the moto server did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
