"""A spec deployed to the emulator: its network, a spec copy naming it, the synthesized stacks and one
working copy per stack.

Environments are applied in parallel; within one, its stacks in deploy order (`Environment.stacks_in_order`): the
environment stack first, then its load balancer stacks (with `stacks: per_load_balancer`) in parallel. A
stack whose dependency failed is not run. Destroy goes the other way. After a change only the stacks whose
synthesized configuration changed need applying (`change` returns them; `apply(changed_only=True)`).

Layout of the workspace (a folder of ours):

    spec.yaml              the copy of the user's spec with the emulator's network ids
    synth/stacks/<stack>/  what `python -m constructs_ab synth` wrote for the copy
    stacks/<stack>/        the working copy Terraform runs in (override files, its own state, logs)

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
from constructs_ab.emulator.stack_waves import run_in_waves
from constructs_ab.spec import load_spec
from constructs_ab.spec.model import Environment, Spec
from constructs_ab.stack_layout import StackPlan
from constructs_ab.terraform.apply_order import OrderReport, check_order
from constructs_ab.terraform.runner import RunResult, Terraform
from constructs_ab.terraform.stack_copy import configuration_files, copy_stack, refresh_stack
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
        #: Each environment's stacks in deploy order, as the spec copy last synthesized says.
        self.stacks: dict[str, tuple[StackPlan, ...]] = {}
        #: Each stack's Terraform, by stack name (a stack a change removed from the spec stays, for destroy).
        self.terraform: dict[str, Terraform] = {}
        #: Stacks whose configuration changed since their last successful apply (all of them at first).
        self.unapplied: set[str] = set()
        self._plans: dict[str, StackPlan] = {}
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
        self._read_stacks()
        for name in self.stack_names():
            self._add_stack(name)

    def _read_stacks(self) -> None:
        """The stacks of each deployed environment, from the spec copy."""
        for environment in self._spec_environments(self.spec()):
            self.stacks[environment.name] = environment.stacks_in_order
            self._plans.update({plan.name: plan for plan in self.stacks[environment.name]})

    def stack_names(self, environments: Iterable[str] | None = None) -> list[str]:
        """The stacks of `environments` (default: all), each environment's in deploy order."""
        return [plan.name for name in environments or self.environments for plan in self.stacks[name]]

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
        self.unapplied.add(name)
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

    def change(
        self, edit: Callable[[Path], object], environments: Iterable[str] | None = None
    ) -> tuple[str, ...]:
        """Edit the spec copy (`edit` gets its path), synthesize it and put the new configuration of
        the stacks of `environments` (default: all) in their working copies. Returns the stacks whose
        configuration changed (new ones included), in deploy order; they are added to `unapplied`. One
        change at a time: callers in several threads (one per environment) do not mix their edits or
        synthesis."""
        with self._lock:
            edit(self.spec_path)
            self.synthesize()
            self._read_stacks()
            changed = []
            for name in self.stack_names(environments):
                source = self.synth_dir / "stacks" / name
                if name not in self.terraform:
                    self._add_stack(name)
                elif configuration_files(source) != configuration_files(self.stacks_dir / name):
                    refresh_stack(source, self.stacks_dir / name)
                    self.unapplied.add(name)
                else:
                    continue
                changed.append(name)
            return tuple(changed)

    # -- running ---------------------------------------------------------------------------------------

    def apply(
        self,
        environments: Iterable[str] | None = None,
        limits: RunLimits = DEFAULT_LIMITS,
        *,
        changed_only: bool = False,
    ) -> dict[str, RunResult]:
        """One `terraform apply` per stack of `environments` (default: all), within `limits`: environments
        in parallel, each one's stacks in deploy order (see the module docstring). `changed_only`: only the
        stacks in `unapplied`. Returns each stack's run, by stack name; a stack whose dependency failed is
        missing (not run)."""

        def run(name: str) -> RunResult:
            result = self.terraform[name].apply(timeout=limits.timeout, stop_when=limits.stop_when)
            if result.ok:
                self.unapplied.discard(name)
            return result

        return self._each_stack(environments, run, lambda r: r.ok, changed_only=changed_only)

    def apply_checked(self, stack: str, limits: RunLimits = DEFAULT_LIMITS) -> CheckedApply:
        """One `terraform apply` of `stack`, of a saved plan whose apply order was checked first
        (`terraform.apply_order`: no request meets a half-changed listener). The apply runs whatever the
        check says; the caller reads `order`."""
        terraform = self.terraform[stack]
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
        if applied.ok:
            self.unapplied.discard(stack)
        return CheckedApply(plan=planned, apply=applied, order=order)

    def destroy(
        self, environments: Iterable[str] | None = None, limits: RunLimits = DEFAULT_LIMITS
    ) -> dict[str, RunResult]:
        """One `terraform destroy` per stack of `environments` (default: all), within `limits`, in reverse
        deploy order: the load balancer stacks (in parallel, a stack a change removed from the spec
        included) before the environment stack, which is not run when one of them failed."""
        return self._each_stack(
            environments,
            lambda name: self.terraform[name].destroy(timeout=limits.timeout, stop_when=limits.stop_when),
            lambda r: r.ok,
            reverse=True,
        )

    def plan(self, environments: Iterable[str] | None = None) -> dict[str, RunResult]:
        """`terraform plan -detailed-exitcode` of every stack of `environments` (default: all), in parallel;
        by stack name."""
        return self._each_stack(environments, lambda name: self.terraform[name].plan(), lambda _: True)

    def _each_stack(
        self,
        environments: Iterable[str] | None,
        run: Callable[[str], T],
        ok: Callable[[T], bool],
        *,
        changed_only: bool = False,
        reverse: bool = False,
    ) -> dict[str, T]:
        """`run` each stack of `environments` (`stack_waves.run_in_waves`: all environments' first wave
        together)."""
        names = [
            n
            for n in self._known_stacks(environments, removed=reverse)
            if not changed_only or n in self.unapplied
        ]
        depends_on = {name: self._plans[name].depends_on for name in names}
        return run_in_waves(names, depends_on, run, ok, reverse=reverse)

    def _known_stacks(self, environments: Iterable[str] | None, *, removed: bool) -> list[str]:
        """The stacks of `environments` in deploy order, then (`removed`) those a change removed from the
        spec."""
        wanted = list(environments or self.environments)
        current = self.stack_names(wanted)
        gone = [n for n in self.terraform if n not in current and self._plans[n].environment in wanted]
        return current + gone if removed else current

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

    def synthesized_files(self, stack: str) -> dict[str, bytes]:
        """The synthesized directory of a stack, file by file (read between changes)."""
        with self._lock:
            folder = self.synth_dir / "stacks" / stack
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
