"""What a run leaves behind: the user's spec and cdktf.out untouched, every emulator and terraform
process stopped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.scenario import EXAMPLE, MINIMAL, REPOSITORY, Scenario

pytestmark = pytest.mark.e2e


def _children_running(marker: str) -> list[int]:
    """Processes whose command line contains `marker` and whose parent is this process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if marker in command and parent == os.getpid():
            found.append(int(entry.name))
    return found


def test_every_emulator_was_stopped_and_no_terraform_is_left(scenario: Scenario) -> None:
    assert len(scenario.emulators) >= 1
    assert all(emulator.returncode is not None for emulator in scenario.emulators)
    assert _children_running("constructs_ab.emulator.moto_process") == []
    assert _children_running("terraform") == []


def test_the_users_spec_files_and_cdktf_out_were_only_read(scenario: Scenario) -> None:
    # the scenario edits, synthesizes and applies copies only
    assert str(EXAMPLE) in scenario.inputs_before and str(MINIMAL) in scenario.inputs_before
    assert scenario.inputs_after == scenario.inputs_before
    assert not list((REPOSITORY / "examples").glob("*.tfstate"))
