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

from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.live.cli_options import LiveEnvironment
from constructs_ab.live.live_command import live_parser, run_live_command
from constructs_ab.live.picture import build_picture
from constructs_ab.live.status_report import render_status

DESCRIPTION = (
    "Show the live routing of every experiment of an environment, read from AWS "
    "(read-only): priorities, conditions, weights and shares, stickiness and target health per variant."
)


def build_parser(prog: str) -> argparse.ArgumentParser:
    return live_parser(prog, DESCRIPTION, env_help="the spec environment to read")


def main(argv: Sequence[str] | None = None, *, command: str = "status", prog: str | None = None) -> int:
    return run_live_command(command, prog, argv, build_parser, lambda args, live: _run(args, live, command))


def _run(args: argparse.Namespace, live: LiveEnvironment, command: str) -> int:
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
