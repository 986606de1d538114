"""A spec deployed to the emulator: its network, a spec copy naming it, the synthesized stacks and one
working copy per stack, applied in parallel.

Layout of the workspace (a folder of ours):

    spec.yaml            the copy of the user's spec with the emulator's network ids
    synth/stacks/<env>/  what `python -m constructs_ab synth` wrote for the copy
    stacks/<env>/        the working copy Terraform runs in (override files, state, logs)

The user's spec and `cdktf.out/` are never written: the synthesis is of the copy, into the workspace.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from constructs_ab.emulator.expected_state import expected_environment
from constructs_ab.emulator.live_check import differences
from constructs_ab.emulator.live_state import read_live_environment
from constructs_ab.emulator.network import Network, create_network
from constructs_ab.emulator.provider_override import overrides, unemulated_types
from constructs_ab.emulator.routing_state import EnvironmentState
from constructs_ab.emulator.server import ACCESS_KEY_ID, SECRET_ACCESS_KEY, EmulatorEndpoint
from constructs_ab.emulator.spec_copy import dump_spec_tree, load_spec_tree, subnet_count, substitute_network
from constructs_ab.spec import load_spec
from constructs_ab.spec.model import Environment, Spec
from constructs_ab.terraform.apply_order import OrderReport, check_order
from constructs_ab.terraform.runner import RunResult, Terraform, stop_all_running
from constructs_ab.terraform.stack_copy import copy_stack, refresh_stack
from constructs_ab.terraform.toolchain import Toolchain

T = TypeVar("T")

#: Seconds an apply or destroy may take before it is stopped (a whole stack on the emulator takes ~2 min).
DEFAULT_APPLY_TIMEOUT = 900.0
#: A target group still being deleted after 20 s: AWS deletes an unused one at once, so the provider is
#: retrying `ResourceInUse` (a rule still forwards to it) and would for 2 minutes; the run is stopped and
#: Terraform prints that error.
STUCK_TARGET_GROUP_DELETION = re.compile(
    r"^aws_lb_target_group\.\S+: Still destroying\.\.\. .*\b(?:[2-9][0-9]s|[0-9]+m[0-9]+s) elapsed\]"
)


@dataclass(frozen=True, kw_only=True)
class RunLimits:
    """How far one `terraform apply` or `destroy` of the emulator may go: `timeout`, seconds (default
    DEFAULT_APPLY_TIMEOUT), and `stop_when`, an output line that stops it early (default
    STUCK_TARGET_GROUP_DELETION; None: never)."""

    timeout: float = DEFAULT_APPLY_TIMEOUT
    stop_when: re.Pattern[str] | None = STUCK_TARGET_GROUP_DELETION


#: The limits of every run unless a caller gives others.
DEFAULT_LIMITS = RunLimits()
#: The saved plan of `Deployment.apply_checked`, in the stack's working copy (deleted after its apply).
PLAN_FILE = "checked.tfplan"


@dataclass(frozen=True, kw_only=True)
class CheckedApply:
    """`Deployment.apply_checked`: the plan run, the apply run (the plan run when planning failed) and the
    apply order check (None when the plan could not be read)."""

    plan: RunResult
    apply: RunResult
    order: OrderReport | None


class DeploymentError(Exception):
    """A step of the deployment failed (one line: which and why)."""


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """Live state against the spec for one environment: the differences, and the live state compared."""

    environment: str
    problems: tuple[str, ...]
    live: EnvironmentState

    @property
    def rules(self) -> int:
        return self.live.rule_count

    @property
    def target_groups(self) -> int:
        return len(self.live.target_groups)

    @property
    def ok(self) -> bool:
        return not self.problems


class Deployment:
    """A spec on the emulator.

    toolchain: Terraform and the provider mirror.
    endpoint: the running emulator.
    source_spec: the user's spec file (read only).
    workspace: an empty folder of ours (see the module docstring).
    environments: which environments to deploy. Default: all of the spec's.
    """

    def __init__(
        self,
        toolchain: Toolchain,
        endpoint: EmulatorEndpoint,
        source_spec: Path,
        workspace: Path,
        environments: Sequence[str] | None = None,
    ) -> None:
        self.toolchain = toolchain
        self.endpoint = endpoint
        self.source_spec = source_spec
        self.workspace = workspace
        self.spec_path = workspace / "spec.yaml"
        self.synth_dir = workspace / "synth"
        self.stacks_dir = workspace / "stacks"
        source = load_spec(source_spec)
        names = [e.name for e in source.environments]
        unknown = [n for n in environments or () if n not in names]
        if unknown:
            raise DeploymentError(
                f"{source_spec} has no environment {', '.join(unknown)}; it has {', '.join(names)}"
            )
        self.environments = list(environments or names)
        self.networks: dict[str, Network] = {}
        self.terraform: dict[str, Terraform] = {}
        self._lock = threading.Lock()

    # -- preparing -------------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create each environment's network, write the spec copy, synthesize it, make and init the copies."""
        self.workspace.mkdir(parents=True, exist_ok=True)
        tree = load_spec_tree(self.source_spec)
        source = load_spec(self.source_spec)
        for environment in self._spec_environments(source):
            buckets = sorted(
                {lb.access_logs.bucket for lb in environment.load_balancers if lb.access_logs.bucket}
            )
            try:
                self.networks[environment.name] = create_network(
                    self.endpoint,
                    environment.region,
                    subnets=subnet_count(tree, environment.name),
                    buckets=buckets,
                )
            except ValueError as error:
                raise DeploymentError(f"environment {environment.name}: {error}") from None
        substitute_network(tree, self.networks)
        dump_spec_tree(tree, self.spec_path)
        self.synthesize()
        for name in self.environments:
            self._add_stack(name)

    def _add_stack(self, name: str) -> None:
        stack = self.synth_dir / "stacks" / name
        document = json.loads((stack / "cdk.tf.json").read_text(encoding="utf-8"))
        missing = unemulated_types(document)
        if missing:
            raise DeploymentError(
                f"stack {name} uses {', '.join(missing)}, which the emulator settings do not cover "
                "(constructs_ab/emulator/provider_override.py)"
            )
        workdir = copy_stack(stack, self.stacks_dir / name, overrides(self.endpoint.url))
        terraform = Terraform(
            self.toolchain,
            workdir,
            env={
                "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
                "AWS_EC2_METADATA_DISABLED": "true",
            },
            drop_env_prefixes=("AWS_",),  # no real profile, role or key reaches an emulator run
        )
        result = terraform.init()
        if not result.ok:
            raise DeploymentError(result.describe())
        self.terraform[name] = terraform

    def synthesize(self) -> None:
        """Synthesize the spec copy into the workspace with `python -m constructs_ab synth` (a child process)."""
        root = str(Path(__file__).resolve().parents[2])
        result = subprocess.run(
            [
                sys.executable,
                "-O",
                "-m",
                "constructs_ab",
                "synth",
                "--spec",
                str(self.spec_path),
                "--outdir",
                str(self.synth_dir),
            ],
            cwd=self.workspace,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()] or [
                f"exit {result.returncode}"
            ]
            raise DeploymentError(
                f"synthesis of {self.spec_path} failed: {lines[0]}"
                + (f" (+{len(lines) - 1} lines)" if len(lines) > 1 else "")
            )

    def change(self, edit: Callable[[Path], object], environments: Iterable[str] | None = None) -> None:
        """Edit the spec copy (`edit` gets its path), synthesize it and put the new configuration of
        `environments` (default: all) in their working copies. One change at a time: callers in several
        threads (one per environment) do not mix their edits or synthesis."""
        with self._lock:
            edit(self.spec_path)
            self.synthesize()
            for name in environments or self.environments:
                if name in self.terraform:
                    refresh_stack(self.synth_dir / "stacks" / name, self.stacks_dir / name)
                else:
                    self._add_stack(name)

    # -- running ---------------------------------------------------------------------------------------

    def apply(
        self, environments: Iterable[str] | None = None, limits: RunLimits = DEFAULT_LIMITS
    ) -> dict[str, RunResult]:
        """One `terraform apply` per environment, in parallel, within `limits`."""
        return self._each(
            environments,
            lambda name: self.terraform[name].apply(timeout=limits.timeout, stop_when=limits.stop_when),
        )

    def apply_checked(self, environment: str, limits: RunLimits = DEFAULT_LIMITS) -> CheckedApply:
        """One `terraform apply` of `environment`, of a saved plan whose apply order was checked first
        (`terraform.apply_order`: no request meets a half-changed listener). The apply runs whatever the
        check says; the caller reads `order`."""
        terraform = self.terraform[environment]
        plan_file = terraform.workdir / PLAN_FILE
        planned = terraform.plan_to(plan_file, timeout=limits.timeout)
        if not planned.ok:
            return CheckedApply(plan=planned, apply=planned, order=None)
        shown = terraform.show_json(plan_file)
        graph = terraform.graph(plan_file)
        order = None
        if shown.ok and graph.ok:
            order = check_order(json.loads(shown.output[shown.output.index("{") :]), graph.output)
        applied = terraform.apply(timeout=limits.timeout, stop_when=limits.stop_when, plan=plan_file)
        plan_file.unlink(missing_ok=True)
        return CheckedApply(plan=planned, apply=applied, order=order)

    def destroy(
        self, environments: Iterable[str] | None = None, limits: RunLimits = DEFAULT_LIMITS
    ) -> dict[str, RunResult]:
        """One `terraform destroy` per environment, in parallel, within `limits`."""
        return self._each(
            environments,
            lambda name: self.terraform[name].destroy(timeout=limits.timeout, stop_when=limits.stop_when),
        )

    def plan(self, environments: Iterable[str] | None = None) -> dict[str, RunResult]:
        return self._each(environments, lambda name: self.terraform[name].plan())

    def _each(self, environments: Iterable[str] | None, run: Callable[[str], T]) -> dict[str, T]:
        names = list(environments or self.environments)
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            futures = {name: pool.submit(run, name) for name in names}
            try:
                return {name: future.result() for name, future in futures.items()}
            except KeyboardInterrupt:
                stop_all_running()  # Ctrl-C while stacks run in worker threads: stop them, then leave
                raise

    # -- checking --------------------------------------------------------------------------------------

    def spec(self) -> Spec:
        """The spec copy as it is now."""
        return load_spec(self.spec_path)

    def check(self, environments: Iterable[str] | None = None) -> dict[str, CheckResult]:
        """Live state of each environment against the spec copy."""
        spec = self.spec()
        results = {}
        for environment in self._spec_environments(spec, environments):
            expected = expected_environment(environment)
            live = read_live_environment(self.endpoint.client("elbv2", environment.region), environment.name)
            results[environment.name] = CheckResult(
                environment=environment.name,
                problems=tuple(differences(environment.name, expected, live)),
                live=live,
            )
        return results

    def synthesized_files(self, environment: str) -> dict[str, bytes]:
        """The synthesized stack directory of an environment, file by file (read between changes)."""
        with self._lock:
            folder = self.synth_dir / "stacks" / environment
            return {
                str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            }

    def live_resources(self, environment: str) -> Mapping[str, int]:
        """Counts of what is still live for an environment (load balancers, target groups), e.g. after destroy."""
        region = next(e.region for e in self.spec().environments if e.name == environment)
        live = read_live_environment(self.endpoint.client("elbv2", region), environment)
        return {"load balancers": len(live.load_balancers), "target groups": len(live.target_groups)}

    def _spec_environments(self, spec: Spec, names: Iterable[str] | None = None) -> list[Environment]:
        wanted = list(names or self.environments)
        return [e for e in spec.environments if e.name in wanted]
