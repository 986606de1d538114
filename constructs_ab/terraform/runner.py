"""`terraform init/validate/plan/apply/destroy` in a working copy of a stack, each with a deadline.

Every run writes its combined output to `.constructs-ab/<n>-<command>.log` in the working copy and returns a
`RunResult`. A run is stopped early when it passes its deadline, when its output matches the caller's
`stop_when` pattern (e.g. a target group still being deleted after 20 s: the provider is retrying a
`ResourceInUse` for 2 minutes), or when its caller is interrupted (Ctrl-C, a failing test). It is stopped
the way Terraform expects: SIGINT (Terraform asks the provider to stop, prints the errors so far and saves
the state), then, after a grace period, SIGKILL to its whole process group (the provider plugins
included). No `terraform` process outlives the call.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from constructs_ab.terraform.toolchain import Toolchain

#: Seconds Terraform gets to stop after SIGINT before its process group is killed.
STOP_GRACE_SECONDS = 60.0
#: Seconds between looks at a run's output for its `stop_when` pattern.
WATCH_INTERVAL_SECONDS = 0.5
LOG_FOLDER = ".constructs-ab"

_ERROR_LINE = re.compile(r"^[│╷╵|\s]*Error: (.+)$")

_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """One terraform command.

    args: its arguments (after `terraform`).
    workdir: where it ran.
    returncode: its exit code (after a stop too: Terraform exits 1 when interrupted).
    output: stdout and stderr, interleaved, without colors.
    seconds: wall time.
    timed_out: True when it passed its deadline and was stopped.
    stopped_on: the output line that matched `stop_when`, when the run was stopped for it; else None.
    log: the file holding `output`.
    """

    args: tuple[str, ...]
    workdir: Path
    returncode: int
    output: str
    seconds: float
    timed_out: bool = False
    stopped_on: str | None = None
    log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and self.stopped_on is None

    @property
    def errors(self) -> list[str]:
        """The summary of each `Error: ...` Terraform printed, in order, repeats removed."""
        found = [m.group(1).strip() for m in map(_ERROR_LINE.match, self.output.splitlines()) if m]
        return list(dict.fromkeys(found))

    def describe(self) -> str:
        """One line: the command, how it ended and its first error."""
        command = f"terraform {self.args[0]} in {self.workdir}"
        if self.timed_out:
            outcome = f"stopped at its deadline after {self.seconds:.0f} s"
        elif self.stopped_on is not None:
            outcome = f"stopped after {self.seconds:.0f} s on {self.stopped_on.strip()!r}"
        elif self.returncode == 0:
            outcome = f"succeeded in {self.seconds:.1f} s"
        else:
            outcome = f"failed (exit {self.returncode}) in {self.seconds:.1f} s"
        first = f": {self.errors[0]}" if self.errors else ""
        return f"{command} {outcome}{first}"


@dataclass(frozen=True, kw_only=True)
class ValidateResult:
    """`terraform validate -json`: valid, and each diagnostic as `severity: summary: detail`."""

    run: RunResult
    valid: bool
    diagnostics: tuple[str, ...] = ()


class Terraform:
    """Terraform commands in one working copy.

    toolchain: terraform, the mirror and our CLI configuration.
    workdir: the working copy (see `stack_copy`).
    env: extra environment for these runs only (e.g. the emulator's credentials). Default: none.
    drop_env_prefixes: caller variables not passed on (e.g. `("AWS_",)` so real credentials never reach an
        emulator run). Default: none.
    stop_grace: seconds a stopped run gets between SIGINT and SIGKILL. Default 60.
    """

    def __init__(
        self,
        toolchain: Toolchain,
        workdir: Path,
        *,
        env: Mapping[str, str] | None = None,
        drop_env_prefixes: Sequence[str] = (),
        stop_grace: float = STOP_GRACE_SECONDS,
    ) -> None:
        self.toolchain = toolchain
        self.stop_grace = stop_grace
        self.workdir = workdir
        environment = toolchain.environment()
        for key in [k for k in environment if k.startswith(tuple(drop_env_prefixes))]:
            del environment[key]
        environment.update(env or {})
        self.env = environment
        self._runs = 0

    def init(self, *, backend: bool = True, timeout: float = 300) -> RunResult:
        """`terraform init`; `backend=False` skips the backend (what validate needs)."""
        args = ["init", "-input=false", "-no-color"]
        if not backend:
            args.append("-backend=false")
        return self.run(args, timeout=timeout)

    def validate(self, *, timeout: float = 300) -> ValidateResult:
        run = self.run(["validate", "-json", "-no-color"], timeout=timeout)
        try:
            document = json.loads(run.output[run.output.index("{") :])
        except ValueError:
            return ValidateResult(run=run, valid=False, diagnostics=(run.output.strip(),))
        diagnostics = tuple(
            ": ".join(str(part) for part in (d.get("severity"), d.get("summary"), d.get("detail")) if part)
            for d in document.get("diagnostics", [])
        )
        return ValidateResult(run=run, valid=bool(document.get("valid")) and run.ok, diagnostics=diagnostics)

    def plan(self, *, timeout: float = 600) -> RunResult:
        """`terraform plan -detailed-exitcode`: exit 0 no changes, 2 changes, 1 an error."""
        return self.run(["plan", "-input=false", "-no-color", "-detailed-exitcode"], timeout=timeout)

    def plan_to(self, plan: Path, *, timeout: float = 600) -> RunResult:
        """`terraform plan -out=PLAN`: the plan saved for `show_json`, `graph` and `apply(plan=...)`."""
        return self.run(["plan", "-input=false", "-no-color", f"-out={plan}"], timeout=timeout)

    def show_json(self, plan: Path, *, timeout: float = 300) -> RunResult:
        """`terraform show -json PLAN` (the output is the plan's JSON document)."""
        return self.run(["show", "-json", "-no-color", str(plan)], timeout=timeout)

    def graph(self, plan: Path, *, timeout: float = 300) -> RunResult:
        """`terraform graph -plan=PLAN`: the order the plan will be applied in (DOT)."""
        return self.run(["graph", f"-plan={plan}"], timeout=timeout)

    def apply(
        self, *, timeout: float = 900, stop_when: re.Pattern[str] | None = None, plan: Path | None = None
    ) -> RunResult:
        """`terraform apply`: of the saved `plan` when given (no second plan), else plan and apply."""
        return self.run(
            ["apply", "-auto-approve", "-input=false", "-no-color", *([str(plan)] if plan else [])],
            timeout=timeout,
            stop_when=stop_when,
        )

    def destroy(self, *, timeout: float = 900, stop_when: re.Pattern[str] | None = None) -> RunResult:
        return self.run(
            ["destroy", "-auto-approve", "-input=false", "-no-color"], timeout=timeout, stop_when=stop_when
        )

    def run(
        self, args: Sequence[str], *, timeout: float, stop_when: re.Pattern[str] | None = None
    ) -> RunResult:
        """Run `terraform ARGS` in the working copy (see the module docstring for how it is stopped)."""
        self._runs += 1
        log_folder = self.workdir / LOG_FOLDER
        log_folder.mkdir(exist_ok=True)
        log = log_folder / f"{self._runs:02d}-{args[0]}.log"
        started = time.monotonic()
        timed_out = False
        stopped_on: str | None = None
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [self.toolchain.binary.path, *args],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # our own process group: Ctrl-C reaches us, and we stop it cleanly
            )
            with _running_lock:
                _running.add(process)
            try:
                stopped_on = _wait(process, log, started + timeout, stop_when)
                if process.returncode is None:  # the deadline passed, or the output matched
                    timed_out = stopped_on is None
                    stop(process, self.stop_grace)
            except BaseException:
                stop(process, self.stop_grace)
                raise
            finally:
                with _running_lock:
                    _running.discard(process)
        returncode = process.returncode
        return RunResult(
            args=tuple(args),
            workdir=self.workdir,
            returncode=returncode if returncode is not None else -1,
            output=log.read_text(encoding="utf-8", errors="replace"),
            seconds=time.monotonic() - started,
            timed_out=timed_out,
            stopped_on=stopped_on,
            log=log,
        )


def _wait(
    process: subprocess.Popen[bytes], log: Path, deadline: float, stop_when: re.Pattern[str] | None
) -> str | None:
    """Wait for the process until it exits or the deadline passes; the matching line if `stop_when` matched
    (the process still runs then)."""
    if stop_when is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        return None
    with log.open("r", encoding="utf-8", errors="replace") as reader:
        pending = ""
        while True:
            try:
                process.wait(timeout=min(WATCH_INTERVAL_SECONDS, max(0.0, deadline - time.monotonic())))
                return None
            except subprocess.TimeoutExpired:
                pass
            pending += reader.read()
            *lines, pending = pending.split("\n")
            for line in lines:
                if stop_when.search(line):
                    return line
            if time.monotonic() >= deadline:
                return None


def stop(process: subprocess.Popen[bytes], grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop a terraform process we started: SIGINT, then SIGKILL to its process group after `grace` s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        # Not reaped yet, so the group id is still ours: terraform and its provider plugins.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stop_all_running(grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop every terraform process started by this module that still runs (other threads' runs included):
    what a caller does when it is interrupted while runs go on in worker threads."""
    with _running_lock:
        processes = [p for p in _running if p.poll() is None]
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
