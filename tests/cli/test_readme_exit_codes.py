"""The README's exit code table says what `ExitCode` says, and names every command the dispatcher has."""

from __future__ import annotations

import re
from pathlib import Path

from constructs_ab.__main__ import COMMANDS
from constructs_ab.cli.kit.exit_codes import ExitCode

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_exit_code_table_matches_the_kit() -> None:
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", README.read_text(), flags=re.MULTILINE))
    assert rows == {str(code.value): code.meaning for code in ExitCode}


def test_the_command_table_lists_every_command() -> None:
    text = README.read_text()
    table = text[text.index("| Command | What it does |") :].split("\n\n")[0]
    for command in COMMANDS:
        assert f"`{command}`" in table, command
