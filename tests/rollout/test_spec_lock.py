"""The spec lock: one edit at a time (a second waits, or fails with exit 2 and writes nothing), a
compare-and-swap write, no file left beside the spec, and Ctrl-C while waiting for the lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from constructs_ab.cli import spec_lock
from constructs_ab.cli.spec_lock import SpecBusy, SpecChanged, spec_edit
from constructs_ab.rollout import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"
SET_WEIGHTS = ["chat-llm", "llama-8b=50", "mistral-7b=40", "qwen-7b=10"]


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "specs" / "ab.yaml"
    path.parent.mkdir()
    shutil.copy(EXAMPLE, path)
    return path


@contextlib.contextmanager
def lock_held_by_another_command(spec: Path) -> Iterator[None]:
    """What a running command holds: an exclusive flock on the spec's directory (its own descriptor)."""
    descriptor = os.open(spec.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def test_an_edit_reads_under_the_lock_and_replaces_atomically(spec_file: Path) -> None:
    with spec_edit(spec_file) as edit:
        assert edit.original == EXAMPLE.read_bytes()
        with pytest.raises(SpecBusy):  # a second command cannot get in meanwhile
            with spec_edit(spec_file, wait_seconds=0):
                pass
        edit.replace(b"version: 1\n")
        assert edit.written
    assert spec_file.read_bytes() == b"version: 1\n"
    assert os.listdir(spec_file.parent) == ["ab.yaml"]  # no lock or temporary file left beside it
    with spec_edit(spec_file, wait_seconds=0):  # and the lock is free again
        pass


def test_a_change_by_someone_not_taking_the_lock_is_not_overwritten(spec_file: Path) -> None:
    with spec_edit(spec_file) as edit:
        spec_file.write_text("# saved from an editor meanwhile\n")
        with pytest.raises(SpecChanged) as changed:
            edit.replace(b"version: 1\n")
        assert not edit.written
    assert str(changed.value) == (
        f"{spec_file} changed on disk while this command ran (edited by something that does not take the "
        "lock, such as an editor); nothing written, run the command again"
    )
    assert spec_file.read_text() == "# saved from an editor meanwhile\n"


def test_a_command_that_cannot_get_the_lock_exits_2_with_one_line(
    spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spec_lock, "LOCK_WAIT_SECONDS", 0)
    with lock_held_by_another_command(spec_file):
        code = cli.main([*SET_WEIGHTS, "--spec", str(spec_file)], command="set-weights")
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        f"set-weights: another command is editing {spec_file} (it has held the lock on {spec_file.parent} for "
        "over 0 s); nothing written, run the command again when it is done\n"
    )
    assert spec_file.read_bytes() == EXAMPLE.read_bytes()


def test_a_command_whose_spec_changes_under_it_exits_2_and_keeps_the_change(
    spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an editor saving the file while the command validates its edit
    real_parse = cli.parse_spec

    def parse_while_an_editor_saves(text: str, source: str = "<spec>") -> object:
        if text != EXAMPLE.read_text():
            spec_file.write_text(EXAMPLE.read_text() + "# edited\n")
        return real_parse(text, source)

    monkeypatch.setattr(cli, "parse_spec", parse_while_an_editor_saves)
    code = cli.main([*SET_WEIGHTS, "--spec", str(spec_file)], command="set-weights")
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert (
        err.startswith(f"set-weights: {spec_file} changed on disk while this command ran")
        and err.count("\n") == 1
    )
    assert spec_file.read_text() == EXAMPLE.read_text() + "# edited\n"


def test_a_dry_run_takes_no_lock(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with lock_held_by_another_command(spec_file):
        code = cli.main([*SET_WEIGHTS, "--dry-run", "--spec", str(spec_file)], command="set-weights")
    assert code == 0, capsys.readouterr().err


def test_ctrl_c_while_waiting_for_the_lock_prints_one_line_and_exits_130(spec_file: Path) -> None:
    # GIVEN another command editing the spec
    with lock_held_by_another_command(spec_file):
        # WHEN set-weights starts, waits for the lock, and the user presses Ctrl-C
        process = subprocess.Popen(
            [sys.executable, "-m", "constructs_ab", "set-weights", *SET_WEIGHTS, "--spec", str(spec_file)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_it_opens(process, spec_file.parent)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate()
    # THEN one line, exit 130, no traceback, the file untouched
    assert (process.returncode, out) == (130, "")
    assert err == f"set-weights: interrupted; {spec_file} was left as it was\n"
    assert spec_file.read_bytes() == EXAMPLE.read_bytes()


def wait_until_it_opens(process: subprocess.Popen[str], directory: Path) -> None:
    """Return once `process` has `directory` open (it is then in the lock's wait)."""
    while process.poll() is None:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{process.pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{process.pid}/fd/{fd}") == str(directory):
                        return
        time.sleep(0.01)
    pytest.fail(f"the command ended without waiting for the lock: {process.communicate()}")
