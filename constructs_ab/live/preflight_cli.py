"""`python -m constructs_ab preflight --env ENV`: before a deploy, may the spec go onto what runs now?
Read from AWS with boto3 (read-only).

    python -m constructs_ab preflight --env prod --base base.yaml      # base: the spec deployed last
    git show HEAD~1:ab-experiments.yaml > base.yaml                    # e.g. on a push to main

Checks (see `constructs_ab.live.preflight`): every variant the spec gives a positive weight has at least
`--min-healthy` healthy targets (a target group that does not exist yet cannot); the live rules are what
`--base` declares (no drift); the rule and target group quotas hold with what is already there (the
account's quotas from DescribeAccountLimits, else the spec's); a sticky split's variant moved to weight 0
is flagged (`--allow-sticky-drain` makes it a note); a load balancer's `existing_listener` exists, is
HTTPS, and its own rules hold no priority the spec needs.

Exit codes: 0 nothing blocks the deploy; 1 blocked, one line per reason; 2 bad input, a bad spec, or AWS
could not be read (see `constructs_ab.live.cli_options`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import load_spec_or_report
from constructs_ab.live.aws_errors import LiveError, aws_errors
from constructs_ab.live.cli_options import InputError, find_environment
from constructs_ab.live.drift import variant_target_group_name
from constructs_ab.live.elbv2_reader import (
    read_account_limits,
    read_target_groups_by_name,
)
from constructs_ab.live.live_command import live_parser, read_live_or_report
from constructs_ab.live.picture import build_picture
from constructs_ab.live.preflight import PreflightInput, in_scope, preflight
from constructs_ab.live.preflight_report import PreflightResult, render_preflight
from constructs_ab.spec.model import Environment, Spec


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of targets") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} targets; at least 1")
    return value


DESCRIPTION = (
    "Check, before a deploy, that the spec may go onto what runs now (read-only): healthy "
    "targets for every variant with traffic, no drift from the base spec, quotas with what is already "
    "there, no sticky split moved to weight 0. Exit 1 blocks the deploy, one line per reason."
)


def _preflight_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base",
        type=Path,
        metavar="FILE",
        help="the spec deployed last (e.g. the previous commit's); the live rules must be what it declares "
        "(default: drift is not checked, a note says so)",
    )
    parser.add_argument(
        "--min-healthy",
        type=_at_least_one,
        default=1,
        metavar="N",
        help="healthy targets each variant with a positive weight needs (default: 1)",
    )
    parser.add_argument(
        "--allow-sticky-drain",
        action="store_true",
        help="a sticky split's variant moved to weight 0 is a note, not a reason to block",
    )


def build_parser(prog: str) -> argparse.ArgumentParser:
    return live_parser(
        prog, DESCRIPTION, env_help="the spec environment to deploy", options=_preflight_options
    )


def main(argv: Sequence[str] | None = None, *, command: str = "preflight", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, lambda args, spec: _run(args, spec, command))


def _base(path: Path | None, name: str, command: str) -> tuple[bool, Environment | None]:
    """(loaded, the base's environment `name`); not loaded: its problems were printed."""
    if path is None:
        return True, None
    spec = load_spec_or_report(path, command=command, warnings=False)  # the change's warnings are printed
    if spec is None:
        return False, None
    try:
        return True, find_environment(spec, name)
    except InputError:
        return True, None  # a new environment: nothing deployed from the base to compare with


def _run(args: argparse.Namespace, spec: Spec, command: str) -> int:
    loaded, base = _base(args.base, args.env, command)
    if not loaded:
        return ExitCode.BAD_INPUT
    live = read_live_or_report(spec, args, command=command)
    if live is None:
        return ExitCode.BAD_INPUT
    environment, connection, read = live.environment, live.connection, live.read
    try:
        with aws_errors(live.reading):
            elbv2 = connection.client("elbv2")
            groups = {g.name: g for lb in read.load_balancers for g in lb.target_groups}
            wanted = {
                variant_target_group_name(environment, w.variant.name)
                for e in in_scope(environment, read)
                for w in e.variants
            }
            groups.update(read_target_groups_by_name(elbv2, sorted(wanted - set(groups))))
            limits = read_account_limits(elbv2)
    except LiveError as error:
        return fail(command, [str(error)])
    findings = preflight(
        PreflightInput(
            environment=environment,
            base=base,
            read=read,
            picture=build_picture(
                identity=connection.identity,
                environment=environment.name,
                load_balancers=read.load_balancers,
                missing=read.missing,
            ),
            groups=groups,
            limits=limits,
            min_healthy=args.min_healthy,
            allow_sticky_drain=args.allow_sticky_drain,
        )
    )
    checked = [
        f"at least {args.min_healthy} healthy target{'s' if args.min_healthy != 1 else ''} per variant "
        "with traffic",
        f"drift from {args.base}" if args.base is not None else "drift not checked (no --base)",
        "rule and target group quotas",
        "sticky splits moved to weight 0",
    ]
    if any(lb.existing for lb in environment.load_balancers):
        checked.append("existing listeners: present, HTTPS, in the VPC, their rules' priorities")
    result = PreflightResult(
        environment=environment.name,
        identity=connection.identity,
        load_balancers=live.names,
        missing=read.missing,
        checked=tuple(checked),
        findings=findings,
    )
    sys.stdout.write(render_preflight(result, args.format))
    return ExitCode.FAILED if result.reasons else ExitCode.OK
