"""How the commands that read one environment's load balancers live (status, drift, preflight) start:
their common options and reading AWS before the command's own part runs.

    def build_parser(prog: str) -> argparse.ArgumentParser:
        return live_parser(prog, DESCRIPTION, env_help="the spec environment to compare")

    def main(argv: Sequence[str] | None = None, *, command: str = "drift", prog: str | None = None) -> int:
        return run_live_command(command, prog, argv, build_parser, lambda args, live: _run(args, live, command))

Exit codes and errors: see `constructs_ab.live.cli_options`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, add_format_option
from constructs_ab.cli.kit.parser import CommandParser
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import add_spec_argument
from constructs_ab.live.aws_errors import LiveError
from constructs_ab.live.cli_options import (
    InputError,
    LiveEnvironment,
    add_aws_arguments,
    add_load_balancer_argument,
    read_live_environment,
)
from constructs_ab.spec.model import Spec


def live_parser(
    prog: str,
    description: str,
    *,
    env_help: str,
    options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.ArgumentParser:
    """The parser of a live command: `--env NAME` (required; `env_help` says what it is for), `--spec`,
    the command's own `options` (added here, so `--help` lists them after `--spec`), `--load-balancer`,
    `--format` (text, markdown, json; default text), and the AWS `--profile` and `--region`."""
    parser = CommandParser(prog=prog, description=description)
    parser.add_argument("--env", required=True, metavar="NAME", help=env_help)
    add_spec_argument(parser)
    if options is not None:
        options(parser)
    add_load_balancer_argument(parser)
    add_format_option(parser, allowed=REVIEW_FORMATS)
    add_aws_arguments(parser)
    return parser


def read_live_or_report(spec: Spec, args: argparse.Namespace, *, command: str) -> LiveEnvironment | None:
    """`read_live_environment(spec, args)`, or None after printing its one-line error (bad `--env` or
    `--load-balancer`, or AWS could not be read)."""
    try:
        return read_live_environment(spec, args)
    except (InputError, LiveError) as error:
        fail(command, [str(error)])
        return None


def run_live_command(
    command: str,
    prog: str | None,
    argv: Sequence[str] | None,
    build_parser: Callable[[str], argparse.ArgumentParser],
    body: Callable[[argparse.Namespace, LiveEnvironment], int],
) -> int:
    """Parse `argv`, load the spec, read `--env`'s load balancers from AWS, then `body(args, live)`;
    2 when the spec, the options or AWS fail (one line per problem)."""

    def run(args: argparse.Namespace, spec: Spec) -> int:
        live = read_live_or_report(spec, args, command=command)
        return ExitCode.BAD_INPUT if live is None else body(args, live)

    return run_spec_command(command, prog, argv, build_parser, run)
