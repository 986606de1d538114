"""`python -m constructs_ab status --env ENV`: the live routing of every experiment of an environment,
read from AWS with boto3 (read-only): rules with priorities and conditions, weights and shares,
stickiness, and the healthy / unhealthy / draining / initial / unused targets of each variant.

    python -m constructs_ab status --env prod                       # every load balancer of prod
    python -m constructs_ab status --env prod --load-balancer public --format markdown
    AWS_ENDPOINT_URL=http://127.0.0.1:5000 python -m constructs_ab status --env prod   # an emulator

The spec gives the environment's load balancers (AWS names `<environment>-<name>`) and Region. A load
balancer that does not exist is listed as not found; when none exists the command fails. Exit codes and
errors: see `constructs_ab.live.cli_options`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from constructs_ab.cli.kit.entry import fail, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, add_format_option
from constructs_ab.cli.kit.parser import CommandParser, prog_of
from constructs_ab.cli.spec_option import add_spec_argument, load_spec_or_report
from constructs_ab.live.aws_errors import LiveError
from constructs_ab.live.cli_options import (
    InputError,
    add_aws_arguments,
    add_load_balancer_argument,
    read_live_environment,
)
from constructs_ab.live.picture import build_picture
from constructs_ab.live.status_report import render_status


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=prog,
        description="Show the live routing of every experiment of an environment, read from AWS "
        "(read-only): priorities, conditions, weights and shares, stickiness and target health per variant.",
    )
    parser.add_argument("--env", required=True, metavar="NAME", help="the spec environment to read")
    add_spec_argument(parser)
    add_load_balancer_argument(parser)
    add_format_option(parser, allowed=REVIEW_FORMATS)
    add_aws_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "status", prog: str | None = None) -> int:
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    args = build_parser(prog).parse_args(None if argv is None else list(argv))
    spec = load_spec_or_report(args.spec, command=command)
    if spec is None:
        return ExitCode.BAD_INPUT
    try:
        live = read_live_environment(spec, args)
    except (InputError, LiveError) as error:
        return fail(command, [str(error)])
    environment, connection, read = live.environment, live.connection, live.read
    if not read.load_balancers:
        return fail(
            command,
            [
                f"no load balancer of environment {environment.name} exists in "
                f"{connection.identity.describe()}: {', '.join(read.missing)} not found; is it deployed, "
                "and are --profile and --region right?"
            ],
        )
    picture = build_picture(
        identity=connection.identity,
        environment=environment.name,
        load_balancers=read.load_balancers,
        missing=read.missing,
    )
    sys.stdout.write(render_status(picture, args.format))
    return ExitCode.OK
