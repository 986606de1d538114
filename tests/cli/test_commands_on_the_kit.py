"""Every command is on the kit: `--help` exits 0, an unknown option is one line `<prog>: ... (see --help)`
with exit 2, and the dispatcher's own errors are one line too."""

from __future__ import annotations

import pytest

from constructs_ab.__main__ import COMMANDS, main, usage
from constructs_ab.cli.kit.exit_codes import ExitCode

POSITIONALS = {
    "diff": ["a", "b"],
    "promote": ["x"],
    "rollback": ["x"],
    "set-weights": ["x", "a=1"],
    "status": ["--env", "prod"],
    "drift": ["--env", "prod"],
    "preflight": ["--env", "prod"],
    "analyze": ["x"],
    "reconcile": ["x"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unknown_option_is_one_line_naming_the_program_and_exit_2(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([command, *POSITIONALS.get(command, []), "--no-such-option"], program="ab-models")
    captured = capsys.readouterr()
    assert code == ExitCode.BAD_INPUT
    assert captured.out == ""
    assert captured.err == f"ab-models {command}: unrecognized arguments: --no-such-option (see --help)\n"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_names_the_program_and_exits_0(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"], program="ab-models") == ExitCode.OK
    assert capsys.readouterr().out.startswith(f"usage: ab-models {command} ")


@pytest.mark.parametrize(
    "command",
    [
        "report",
        "diff",
        "promote",
        "rollback",
        "set-weights",
        "gate",
        "status",
        "drift",
        "preflight",
        "analyze",
        "reconcile",
    ],
)
def test_format_names_are_shared_and_a_wrong_one_lists_the_commands_choices(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([command, *POSITIONALS.get(command, []), "--format", "html"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"python -m constructs_ab {command}: argument --format: invalid choice: 'html'")


def test_a_misspelled_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["promte"]) == ExitCode.BAD_INPUT
    assert capsys.readouterr().err == (
        "python -m constructs_ab: unknown command 'promte'; did you mean 'promote'? (see --help)\n"
    )


def test_an_unknown_command_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"], program="ab-models") == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err == f"ab-models: unknown command 'frobnicate'; commands: {', '.join(COMMANDS)} (see --help)\n"


def test_no_command_is_one_line_and_help_lists_commands_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == ExitCode.BAD_INPUT
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--help"], program="ab-models") == ExitCode.OK
    out = capsys.readouterr().out
    assert out == usage("ab-models") + "\n"
    for command in COMMANDS:
        assert f"  {command} " in out
    for code in ExitCode:
        assert f"  {code.value:<4} {code.meaning}" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"], program="ab-models") == 0
    assert capsys.readouterr().out.startswith("ab-models 0.")
