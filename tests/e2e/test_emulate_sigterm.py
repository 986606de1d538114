"""`python -m constructs_ab emulate` stopped by SIGTERM (a CI job cancelled, `timeout`, a container stop)
while its terraform applies run: it stops them and the emulator, prints one line and exits 143, and no
process it started is left running.

The processes are found in /proc: every descendant of the emulate process (terraform, its provider
plugins, the emulator, the synth), recorded just before the signal (an orphan is reparented, so the
chain is lost afterwards), and any process whose working directory is in emulate's work folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.terraform.toolchain import Toolchain
from tests.e2e.scenario import EXAMPLE, REPOSITORY

pytestmark = pytest.mark.e2e

#: Seconds emulate may take to reach its first apply (the example's synthesis and every stack's init).
START_BOUND_SECONDS = 300.0
#: Seconds emulate may take to stop after SIGTERM: Terraform's stop grace (60 s), then the emulator's.
STOP_BOUND_SECONDS = 100.0

Process = tuple[int, str]  # (pid, start time in clock ticks): a pid reused later is another process


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first); None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _running(process: Process) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in ("Z", "X")


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _descendants(root: int) -> dict[Process, str]:
    """Every running process below `root`, with its command line."""
    parents: dict[int, tuple[int, str]] = {}
    for pid in _pids():
        fields = _stat(pid)
        if fields is not None and fields[0] not in ("Z", "X"):
            parents[pid] = (int(fields[1]), fields[19])
    found: dict[Process, str] = {}
    for pid, (_, started) in parents.items():
        ancestor = pid
        while ancestor in parents and ancestor != root:
            ancestor = parents[ancestor][0]
        if ancestor == root and pid != root:
            found[(pid, started)] = _cmdline(pid)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _working_in(folder: Path) -> dict[int, str]:
    """Running processes whose working directory is in `folder`, with their command lines."""
    found: dict[int, str] = {}
    for pid in _pids():
        try:
            cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            continue
        fields = _stat(pid)
        if fields is not None and fields[0] not in ("Z", "X") and cwd.is_relative_to(folder):
            found[pid] = _cmdline(pid)
    return found


def _applies(processes: dict[Process, str]) -> list[str]:
    return [line for line in processes.values() if "terraform" in line and " apply " in f"{line} "]


def test_sigterm_stops_every_terraform_run_and_the_emulator(
    emulator_toolchain: Toolchain, tmp_path: Path
) -> None:
    workdir = tmp_path / "work"
    emulate = subprocess.Popen(
        [sys.executable, "-m", "constructs_ab", "emulate", "--spec", str(EXAMPLE), "--workdir", str(workdir)],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started: dict[Process, str] = {}
    try:
        deadline = time.monotonic() + START_BOUND_SECONDS
        while not _applies(started) and emulate.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            started = _descendants(emulate.pid)
        assert _applies(started), f"no terraform apply ran within {START_BOUND_SECONDS:.0f} s"
        assert any("constructs_ab.emulator.moto_process" in line for line in started.values())
        started = _descendants(emulate.pid)  # every process of this moment, recorded before the signal
        emulate.send_signal(signal.SIGTERM)
        try:
            out, err = emulate.communicate(timeout=STOP_BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"emulate did not stop within {STOP_BOUND_SECONDS:.0f} s of SIGTERM")
        left = {pid: line for (pid, t), line in started.items() if _running((pid, t))}
        left |= _working_in(workdir)
        assert left == {}, f"left running after emulate exited: {left}"
        lines = [line for line in err.splitlines() if ": warning: " not in line]  # the example's spec warning
        assert lines == ["emulate: interrupted; the emulator and every terraform run were stopped"], out + err
        assert emulate.returncode == ExitCode.TERMINATED == 143
    finally:
        emulate.kill()
        emulate.wait()
        for process in started:  # a failed run must not leave its orphans to the next tests
            if _running(process):
                os.kill(process[0], signal.SIGKILL)
