"""The argument parser of every command: a usage error is one line on stderr and exit code 2.

    parser = CommandParser(prog=prog_of("diff", prog), description="...")

prints, for `diff --max-step abc`:

    python -m constructs_ab diff: argument --max-step: 'abc' is not a number of percentage points (see --help)

instead of argparse's usage block. `--help` prints the help and exits 0, as usual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import OutputFormat, add_format_option

#: How the commands are run from a checkout; the console command passes its own name instead.
DEFAULT_PROGRAM = "python -m constructs_ab"
#: Where synth writes its stacks: what a command that reads Terraform reads when given no path.
DEFAULT_TERRAFORM_PATH = "cdktf.out"


def prog_of(command: str, prog: str | None = None) -> str:
    """What usage and help call the command: `prog` when given (`ab-models gate`, `python main.py`),
    else `python -m constructs_ab <command>`."""
    return prog if prog is not None else f"{DEFAULT_PROGRAM} {command}"


class CommandParser(argparse.ArgumentParser):
    """argparse, but a usage error prints `<prog>: <message> (see --help)` and raises SystemExit(2);
    `run_command` (constructs_ab.cli.kit.entry) turns that into the command's return value."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(ExitCode.BAD_INPUT)


def terraform_reader_parser(
    prog: str,
    description: str,
    *,
    what: str,
    formats: Sequence[OutputFormat],
    format_help: str | None = None,
) -> CommandParser:
    """The parser of a command that reads Terraform (gate, report): the positional `PATH ...`
    (`args.paths`, a list, empty when none is given: then read DEFAULT_TERRAFORM_PATH; `what`: what a path
    may be, for the help) and `--format` among `formats` (the first is the default; `format_help`
    replaces the option's help)."""
    parser = CommandParser(prog=prog, description=description)
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help=f"{what} (default: {DEFAULT_TERRAFORM_PATH})"
    )
    add_format_option(parser, allowed=formats, help=format_help)
    return parser
