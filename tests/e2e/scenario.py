"""Runs the whole end-to-end scenario once: the example applied to the emulator, then the change lines
in parallel, each ending with its stack's destroy (see changes.py); known failures that a second apply
does not complete each on a fresh emulator; and `python -m constructs_ab emulate` on a minimal spec. The last two start once the example
is applied, so they do not slow down that apply. Records every step's outcome and timing for the tests.

A known failure that runs in its line is followed by a second apply (known to complete it), so the line
goes on from the intended state. One on a fresh emulator is applied a second time only with
`AB_E2E_SECOND_APPLY=1` (to check that the second apply still does not complete it; a minute each).

Every apply and destroy is one `terraform apply`/`destroy`, stopped early when a target group deletion is
stuck in the provider's 2-minute `ResourceInUse` retry (Terraform then prints that AWS error). Every
emulator is stopped when its part ends, failures and Ctrl-C included (context managers; on Ctrl-C every
terraform run is stopped first).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from constructs_ab.emulator.deployment import Deployment
from constructs_ab.emulator.routing_state import EnvironmentState
from constructs_ab.emulator.server import Emulator
from constructs_ab.emulator.spec_copy import disable_deletion_protection, edit_spec_file
from constructs_ab.terraform.apply_order import OrderReport
from constructs_ab.terraform.runner import RunResult, stop_all_running
from constructs_ab.terraform.stack_copy import OVERRIDE_SUFFIX
from constructs_ab.terraform.toolchain import Toolchain
from tests.e2e.changes import ISOLATED, KNOWN_FAILURES, LINES, Change

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "examples" / "ab-experiments.yaml"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"
ENVIRONMENTS = ("prod", "staging")
SECOND_APPLY_ENV_VAR = "AB_E2E_SECOND_APPLY"


@dataclass
class StepOutcome:
    """One step: its single apply (or destroy), the live check after it, and what the harness saw.

    error: the harness could not get to the step's apply (e.g. the starting state did not apply).
    second_apply: for a failed step, the same configuration applied once more (is it a two-apply change?).
    synth_untouched: the synthesized stack files were byte-identical before and after the run.
    order: for a change, the apply order of its saved plan, checked before it was applied (no gap).
    plan_seconds: for a change, the seconds of its `terraform plan -out` (the apply applies that plan).
    """

    name: str
    environment: str
    isolated: bool = False
    apply: RunResult | None = None
    problems: tuple[str, ...] = ()
    live: EnvironmentState | None = None
    second_apply: RunResult | None = None
    second_problems: tuple[str, ...] = ()
    second_live: EnvironmentState | None = None
    error: str | None = None
    synth_untouched: bool = True
    setup_seconds: float = 0.0
    order: OrderReport | None = None
    plan_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and self.apply is not None and self.apply.ok and not self.problems

    @property
    def second_apply_completed(self) -> bool:
        return self.second_apply is not None and self.second_apply.ok and not self.second_problems

    @property
    def live_after(self) -> EnvironmentState | None:
        """The live state the step left: after its apply, or after its second apply when that completed it."""
        return self.second_live if self.second_apply_completed else self.live

    def failure(self) -> str:
        """What went wrong, in a few lines (empty when it passed)."""
        if self.error:
            return self.error
        lines = []
        if self.apply is not None and not self.apply.ok:
            lines.append(self.apply.describe())
            lines += [f"  {e}" for e in self.apply.errors[1:]]
        lines += list(self.problems)
        return "\n".join(lines)


@dataclass
class Scenario:
    steps: dict[str, StepOutcome] = field(default_factory=dict)
    seconds: float = 0.0
    emulators: list[Emulator] = field(default_factory=list)
    cli: subprocess.CompletedProcess[str] | None = None
    cli_seconds: float = 0.0
    workspace: Path | None = None
    main_deployment: Deployment | None = None
    #: Digests of the user's files the scenario reads (the specs, the repository's cdktf.out/), before and
    #: after the run.
    inputs_before: dict[str, str] = field(default_factory=dict)
    inputs_after: dict[str, str] = field(default_factory=dict)

    def step(self, name: str) -> StepOutcome:
        return self.steps[name]


def run_scenario(toolchain: Toolchain, workspace: Path, isolated: Iterable[str] = ISOLATED) -> Scenario:
    """Run everything (see the module docstring); `isolated`: the changes run each on a fresh emulator."""
    isolated = frozenset(isolated)
    scenario = Scenario(workspace=workspace, inputs_before=_input_digests())
    started = time.monotonic()
    sources = {
        change.name: _before_source(line, change, workspace)
        for line in LINES
        for change in line
        if change.name in isolated
    }
    example_applied = threading.Event()
    threads = [
        threading.Thread(
            target=_guard(
                scenario,
                "main",
                lambda: _main_line(toolchain, workspace, isolated, scenario, example_applied),
            )
        )
    ]
    for line in LINES:
        for change in line:
            if change.name in isolated:

                def run_isolated(change: Change = change) -> None:
                    example_applied.wait()
                    _isolated(toolchain, workspace, change, sources[change.name], scenario)

                threads.append(threading.Thread(target=_guard(scenario, change.name, run_isolated)))

    def run_cli() -> None:
        example_applied.wait()
        _cli(workspace, scenario)

    threads.append(threading.Thread(target=_guard(scenario, "cli", run_cli)))
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        stop_all_running()
        for thread in threads:
            thread.join()
        raise
    scenario.seconds = time.monotonic() - started
    scenario.inputs_after = _input_digests()
    return scenario


def _input_digests() -> dict[str, str]:
    """sha256 of the spec files read and of every file of the repository's cdktf.out/ (if any; Terraform's
    own working files there left out)."""
    files = [EXAMPLE, MINIMAL]
    output = REPOSITORY / "cdktf.out"
    if output.is_dir():
        files += [p for p in output.rglob("*") if p.is_file() and ".terraform" not in p.parts]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(files)}


def _guard(scenario: Scenario, name: str, body: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            body()
        except Exception:
            scenario.steps.setdefault(name, StepOutcome(name=name, environment="?"))
            scenario.steps[name].error = f"the harness failed in {name}:\n{traceback.format_exc()}"

    return run


def _before_source(line: tuple[Change, ...], change: Change, workspace: Path) -> Path:
    """The spec an isolated change starts from: the example with the earlier changes of its line applied
    (those that run in the line; an isolated one does not change the line's state)."""
    source = workspace / f"{change.name}.before.yaml"
    shutil.copyfile(EXAMPLE, source)
    for earlier in line[: line.index(change)]:
        earlier.edit(source)
    return source


def _main_line(
    toolchain: Toolchain,
    workspace: Path,
    isolated: frozenset[str],
    scenario: Scenario,
    example_applied: threading.Event,
) -> None:
    emulator = Emulator(log=workspace / "main-emulator.log")
    scenario.emulators.append(emulator)
    with emulator as endpoint:
        deployment = Deployment(toolchain, endpoint, EXAMPLE, workspace / "main")
        scenario.main_deployment = deployment
        started = time.monotonic()
        try:
            deployment.prepare()
            prepared = time.monotonic() - started
            applied = deployment.apply()
        finally:
            example_applied.set()
        checks = deployment.check()
        for name in ENVIRONMENTS:
            scenario.steps[f"apply-example:{name}"] = StepOutcome(
                name=f"apply-example:{name}",
                environment=name,
                apply=applied[name],
                problems=checks[name].problems,
                live=checks[name].live,
                setup_seconds=prepared,
            )
        if not all(o.passed for k, o in scenario.steps.items() if k.startswith("apply-example:")):
            for line in LINES:
                for change in line:
                    scenario.steps.setdefault(
                        change.name,
                        StepOutcome(
                            name=change.name,
                            environment=change.environment,
                            error="the example did not apply",
                        ),
                    )
        else:
            lines = [
                threading.Thread(
                    target=_guard(
                        scenario,
                        f"line-{line[0].environment}",
                        lambda line=line: _line(deployment, line, isolated, scenario),
                    )
                )  # type: ignore[misc]
                for line in LINES
            ]
            for thread in lines:
                thread.start()
            for thread in lines:
                thread.join()


def _line(
    deployment: Deployment, line: tuple[Change, ...], isolated: frozenset[str], scenario: Scenario
) -> None:
    """The line's changes in order, then its stack's destroy. A known failure is followed by a second apply;
    a change that leaves its stack off the spec stops the line (the later changes are reported not run)."""
    stopped_by: str | None = None
    for change in line:
        if change.name in isolated:
            continue
        if stopped_by is not None:
            scenario.steps[change.name] = StepOutcome(
                name=change.name,
                environment=change.environment,
                error=f"not run: {stopped_by} left the stack off its spec",
            )
            continue
        outcome = _apply_change(deployment, change)
        if not outcome.passed and change.name in KNOWN_FAILURES:
            _second_apply(deployment, outcome)
        scenario.steps[change.name] = outcome
        if not outcome.passed and not outcome.second_apply_completed:
            stopped_by = change.name
    _destroy(deployment, line[0].environment, scenario)


def _apply_change(deployment: Deployment, change: Change, *, isolated: bool = False) -> StepOutcome:
    environment = change.environment
    deployment.change(change.edit, [environment])
    before = deployment.synthesized_files(environment)
    checked = deployment.apply_checked(environment)
    result = checked.apply
    untouched = deployment.synthesized_files(environment) == before and not any(
        name.endswith(OVERRIDE_SUFFIX) for name in before
    )
    check = deployment.check([environment])[environment]
    return StepOutcome(
        name=change.name,
        environment=environment,
        isolated=isolated,
        apply=result,
        problems=check.problems,
        live=check.live,
        synth_untouched=untouched,
        order=checked.order,
        plan_seconds=checked.plan.seconds if checked.plan is not checked.apply else 0.0,
    )


def _isolated(
    toolchain: Toolchain, workspace: Path, change: Change, source: Path, scenario: Scenario
) -> None:
    emulator = Emulator(log=workspace / f"{change.name}-emulator.log")
    scenario.emulators.append(emulator)
    with emulator as endpoint:
        deployment = Deployment(toolchain, endpoint, source, workspace / change.name, [change.environment])
        started = time.monotonic()
        deployment.prepare()
        setup = deployment.apply()[change.environment]
        setup_seconds = time.monotonic() - started
        if not setup.ok:
            scenario.steps[change.name] = StepOutcome(
                name=change.name,
                environment=change.environment,
                isolated=True,
                error=f"its starting state did not apply: {setup.describe()}",
            )
            return
        outcome = _apply_change(deployment, change, isolated=True)
        outcome.setup_seconds = setup_seconds
        if not outcome.passed and os.environ.get(SECOND_APPLY_ENV_VAR) == "1":
            _second_apply(deployment, outcome)
        scenario.steps[change.name] = outcome


def _second_apply(deployment: Deployment, outcome: StepOutcome) -> None:
    """Apply the same configuration again and check it live (does a second apply complete the change?)."""
    outcome.second_apply = deployment.apply([outcome.environment])[outcome.environment]
    check = deployment.check([outcome.environment])[outcome.environment]
    outcome.second_problems, outcome.second_live = check.problems, check.live


def _destroy(deployment: Deployment, name: str, scenario: Scenario) -> None:
    """Deletion protection off (one apply, checked live), then `terraform destroy` (nothing left live)."""
    deployment.change(
        lambda path: edit_spec_file(path, lambda tree: disable_deletion_protection(tree, [name])), [name]
    )
    applied = deployment.apply([name])[name]
    check = deployment.check([name])[name]
    scenario.steps[f"deletion-protection-off:{name}"] = StepOutcome(
        name=f"deletion-protection-off:{name}",
        environment=name,
        apply=applied,
        problems=check.problems,
        live=check.live,
    )
    destroyed = deployment.destroy([name])[name]
    left = {kind: count for kind, count in deployment.live_resources(name).items() if count}
    scenario.steps[f"destroy:{name}"] = StepOutcome(
        name=f"destroy:{name}",
        environment=name,
        apply=destroyed,
        problems=tuple(f"{name}: {count} {kind} still live" for kind, count in left.items()),
    )


def _cli(workspace: Path, scenario: Scenario) -> None:
    started = time.monotonic()
    scenario.cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "constructs_ab",
            "emulate",
            "--spec",
            str(MINIMAL),
            "--workdir",
            str(workspace / "cli"),
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    scenario.cli_seconds = time.monotonic() - started
