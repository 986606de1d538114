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

from constructs_ab.cli.interrupts import EXIT_INTERRUPTED
from constructs_ab.cli.spec_option import add_spec_argument, load_spec_or_report
from constructs_ab.live.aws_errors import LiveError, aws_errors
from constructs_ab.live.cli_options import (
    EXIT_INPUT_ERROR,
    EXIT_OK,
    InputError,
    add_aws_arguments,
    find_environment,
    load_balancer_names,
    open_connection,
)
from constructs_ab.live.elbv2_reader import read_load_balancers
from constructs_ab.live.picture import build_picture
from constructs_ab.live.status_report import FORMATS, render_status
from constructs_ab.review.cli_parser import OneLineErrorParser


def build_parser(command: str) -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog=f"python -m constructs_ab {command}",
        description="Show the live routing of every experiment of an environment, read from AWS "
        "(read-only): priorities, conditions, weights and shares, stickiness and target health per variant.",
    )
    parser.add_argument("--env", required=True, metavar="NAME", help="the spec environment to read")
    add_spec_argument(parser)
    parser.add_argument(
        "--load-balancer",
        action="append",
        default=[],
        metavar="NAME",
        help="only this load balancer (its spec name or AWS name); repeat for more (default: all of --env)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    add_aws_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "status") -> int:
    args = build_parser(command).parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return run(args, command)
    except KeyboardInterrupt:
        print(f"{command}: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED


def run(args: argparse.Namespace, command: str) -> int:
    spec = load_spec_or_report(args.spec, command=command)
    if spec is None:
        return EXIT_INPUT_ERROR
    try:
        environment = find_environment(spec, args.env)
        names = load_balancer_names(environment, args.load_balancer)
        connection = open_connection(args, environment)
        with aws_errors(f"reading load balancers {', '.join(names)} ({connection.where()})"):
            read = read_load_balancers(connection.client("elbv2"), names)
    except (InputError, LiveError) as error:
        print(f"{command}: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if not read.load_balancers:
        print(
            f"{command}: no load balancer of environment {environment.name} exists in "
            f"{connection.identity.describe()}: {', '.join(read.missing)} not found; is it deployed, "
            "and are --profile and --region right?",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    picture = build_picture(
        identity=connection.identity,
        environment=environment.name,
        load_balancers=read.load_balancers,
        missing=read.missing,
    )
    sys.stdout.write(render_status(picture, args.format))
    return EXIT_OK
