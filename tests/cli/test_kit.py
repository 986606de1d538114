"""The command-line kit: exit code meanings, one-line usage errors, the format option, did-you-mean and
how a command ends (SystemExit and Ctrl-C become exit codes)."""

from __future__ import annotations

import argparse

import pytest

from constructs_ab.cli.kit.did_you_mean import closest, did_you_mean
from constructs_ab.cli.kit.entry import fail, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import (
    GATE_FORMATS,
    REVIEW_FORMATS,
    ROLLOUT_FORMATS,
    OutputFormat,
    add_format_option,
)
from constructs_ab.cli.kit.parser import CommandParser, prog_of


def test_exit_codes_have_the_documented_values_and_a_meaning_each() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FAILED": 1,
        "BAD_INPUT": 2,
        "INTERRUPTED": 130,
        "TERMINATED": 143,
    }
    for code in ExitCode:
        assert code.meaning and "\n" not in code.meaning
    assert "Ctrl-C" in ExitCode.INTERRUPTED.meaning and "gate check failed" in ExitCode.FAILED.meaning


def test_a_usage_error_is_one_line_naming_the_program_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    parser = CommandParser(prog="ab-models diff")
    parser.add_argument("base")
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["a", "--frobnicate"])
    assert stop.value.code == ExitCode.BAD_INPUT == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "ab-models diff: unrecognized arguments: --frobnicate (see --help)\n"


def test_a_missing_argument_and_a_bad_value_are_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    parser = CommandParser(prog="p x")
    parser.add_argument("name")
    parser.add_argument("--count", type=int)
    for argv in ([], ["n", "--count", "many"]):
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("p x: ") and err.endswith(" (see --help)\n")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    parser = CommandParser(prog="p x", description="Does x.")
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--help"])
    assert stop.value.code == 0 and "Does x." in capsys.readouterr().out


def test_prog_is_the_module_form_unless_the_caller_names_it() -> None:
    assert prog_of("gate") == "python -m constructs_ab gate"
    assert prog_of("gate", "ab-models gate") == "ab-models gate"


def test_the_format_option_offers_a_commands_subset_and_gives_an_output_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = CommandParser(prog="p")
    add_format_option(parser, allowed=ROLLOUT_FORMATS)
    assert parser.parse_args([]).format is OutputFormat.TEXT
    assert parser.parse_args(["--format", "markdown"]).format is OutputFormat.MARKDOWN
    with pytest.raises(SystemExit):
        parser.parse_args(["--format", "json"])
    assert "invalid choice: 'json' (choose from 'text', 'markdown')" in capsys.readouterr().err


def test_format_subsets_share_names_and_the_gate_defaults_to_its_summary() -> None:
    assert [f.value for f in REVIEW_FORMATS] == ["text", "markdown", "json"]
    assert [f.value for f in GATE_FORMATS] == ["cli", "json", "sarif", "junit"]
    assert OutputFormat.JSON in REVIEW_FORMATS and OutputFormat.JSON in GATE_FORMATS
    parser = argparse.ArgumentParser()
    add_format_option(parser, allowed=GATE_FORMATS)
    assert parser.parse_args([]).format is OutputFormat.CLI
    assert OutputFormat.TEXT == "text"  # a str: renderers may compare with the name


def test_a_default_outside_the_subset_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not among the allowed"):
        add_format_option(argparse.ArgumentParser(), allowed=ROLLOUT_FORMATS, default=OutputFormat.JSON)


def test_did_you_mean_suggests_the_closest_name_only_when_close() -> None:
    assert closest("promte", ["promote", "rollback"]) == "promote"
    assert did_you_mean("promte", ["promote", "rollback"]) == "; did you mean 'promote'?"
    assert closest("xyz", ["promote", "rollback"]) is None and did_you_mean("xyz", ["promote"]) == ""
    assert closest("promote", ["promote"]) is None  # nothing to suggest for a name that exists
    assert closest("a", []) is None


def test_run_command_returns_the_body_code_or_the_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command("x", lambda: ExitCode.FAILED) == 1

    def usage_error() -> int:
        raise SystemExit(2)

    def help_shown() -> int:
        raise SystemExit(0)

    assert run_command("x", usage_error) == 2 and run_command("x", help_shown) == 0


def test_ctrl_c_is_one_line_and_exit_130(capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    assert run_command("report", interrupted) == ExitCode.INTERRUPTED == 130
    assert capsys.readouterr().err == "report: interrupted\n"


def test_fail_prints_one_prefixed_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert fail("gate", ["a: missing", "b: bad"]) == ExitCode.BAD_INPUT
    assert fail("clean", ["kept x"], ExitCode.FAILED) == ExitCode.FAILED
    assert capsys.readouterr().err == "gate: a: missing\ngate: b: bad\nclean: kept x\n"
