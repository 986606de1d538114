"""How a command that reads the spec starts: parse its options, locate, load and validate the spec, then
run the command's own part on it.

    def main(argv: Sequence[str] | None = None, *, command: str = "validate", prog: str | None = None) -> int:
        return run_spec_command(command, prog, argv, build_parser, _run)   # _run(args, spec) -> exit code

The parser must offer `--spec` (`constructs_ab.cli.spec_option.add_spec_argument`). A spec that cannot
be located, read or validated is reported one line per problem (see `load_spec_or_report`) and the
command returns 2 without running its part; exit codes otherwise as `run_command` says.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from constructs_ab.cli.kit.entry import run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import prog_of
from constructs_ab.cli.spec_option import load_spec_or_report
from constructs_ab.spec.model import Spec


def run_spec_command(
    command: str,
    prog: str | None,
    argv: Sequence[str] | None,
    build_parser: Callable[[str], argparse.ArgumentParser],
    body: Callable[[argparse.Namespace, Spec], int],
) -> int:
    """Parse `argv` (default: `sys.argv[1:]`) with `build_parser(prog_of(command, prog))`, load the spec
    of `--spec` and return `body(args, spec)`; 2 when the spec has problems (printed)."""

    def run() -> int:
        args = build_parser(prog_of(command, prog)).parse_args(None if argv is None else list(argv))
        spec = load_spec_or_report(args.spec, command=command)
        if spec is None:
            return ExitCode.BAD_INPUT
        return body(args, spec)

    return run_command(command, run)
