"""`python -m constructs_ab drift --env ENV`: the live listener rules of an environment against the routing
model of its spec, read from AWS with boto3 (read-only). Weights, priorities, conditions, stickiness or
target groups changed outside Terraform, rules missing or extra, the listener's default action.

    python -m constructs_ab drift --env prod                           # exit 1 when anything drifted
    python -m constructs_ab drift --env prod --format markdown >> "$GITHUB_STEP_SUMMARY"

Exit codes: 0 no drift; 1 drift (one line per difference, naming the experiment, variant and field with
the expected and the live value; a load balancer of the spec that does not exist is one too); 2 bad input,
a bad spec, or AWS could not be read (see `constructs_ab.live.cli_options`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.live.cli_options import LiveEnvironment, aws_name
from constructs_ab.live.drift import environment_drift
from constructs_ab.live.drift_report import DriftResult, render_drift
from constructs_ab.live.live_command import live_parser, run_live_command
from constructs_ab.routing.from_spec import rules_of

DESCRIPTION = (
    "Compare the live listener rules of an environment with its spec (read-only): weights, "
    "priorities, conditions, stickiness, target groups, rules missing or extra. Exit 1 on drift."
)


def build_parser(prog: str) -> argparse.ArgumentParser:
    return live_parser(prog, DESCRIPTION, env_help="the spec environment to compare")


def main(argv: Sequence[str] | None = None, *, command: str = "drift", prog: str | None = None) -> int:
    return run_live_command(command, prog, argv, build_parser, _run)


def _run(args: argparse.Namespace, live: LiveEnvironment) -> int:
    environment = live.environment
    experiments = [e for e in environment.experiments if aws_name(environment, e.load_balancer) in live.names]
    result = DriftResult(
        environment=environment.name,
        identity=live.connection.identity,
        load_balancers=live.names,
        missing=live.read.missing,
        rules=sum(len(rules_of(e)) for e in experiments),
        experiments=len(experiments),
        differences=environment_drift(environment, live.read),
    )
    sys.stdout.write(render_drift(result, args.format))
    return ExitCode.FAILED if result.differences else ExitCode.OK
