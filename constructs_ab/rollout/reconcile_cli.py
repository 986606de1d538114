"""`python -m constructs_ab reconcile EXPERIMENT [--env ENV]`: write the live weights of an experiment's
split into the spec, so the next deploy keeps them instead of undoing them.

    python -m constructs_ab reconcile sentiment-abtest --env prod             # after an auto-rollback
    python -m constructs_ab reconcile sentiment-abtest --env prod --dry-run   # print the change only

What it is for: the auto-rollback function (`auto_rollback: true`, see `constructs_ab.auto_rollback`)
sends all traffic of a split to its control when a guardrail alarm fires, behind Terraform's back. The
spec still holds the old weights, and the next `cdktf deploy` would put the candidate back. `reconcile`
reads the split rule from AWS (ELBv2 Describe* calls only) and writes its weights into the spec as
`set-weights` would: only those values change (comments and layout kept), the ramp's stage follows the
candidate's share (0 %: stage -1, paused; a variant the function took out of the forward has weight 0),
the result is validated, the write is locked and atomic
(`constructs_ab.cli.spec_lock`), and the traffic diff is printed. It names the rollback record (the
split rule's `ab-rolled-back` tag: when, and which alarm) when there is one.

Exit codes: 0 written, or nothing to change (the spec's shares are the live ones); 2 bad input, a bad
spec, AWS could not be read, the live split does not hold the spec's variants, or live weights the spec
cannot hold (a ramp candidate at a share that is not one of its stages), one line each and nothing
written; 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from constructs_ab.analysis.live_split import LiveSplit, read_live_split
from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.live.aws_errors import LiveError, aws_errors
from constructs_ab.live.cli_options import add_aws_arguments, open_connection
from constructs_ab.rollout import cli as rollout_cli
from constructs_ab.rollout.command import RolloutCommand
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.locate import locate_experiment
from constructs_ab.routing.contract import ROLLED_BACK_TAG
from constructs_ab.spec.model import Experiment, Spec


def build_parser(prog: str) -> argparse.ArgumentParser:
    """The options of promote and the others (`rollout_cli.build_parser`), and `--profile` and `--region`."""
    parser = rollout_cli.build_parser(RolloutCommand.RECONCILE, prog)
    add_aws_arguments(parser)
    return parser


def live_assignments(experiment: Experiment, split: LiveSplit, where: str, rolled_back: bool) -> list[str]:
    """`variant=weight` for every variant of the spec, from the live split; RolloutError when the two do
    not hold the same variants. `rolled_back`: the split carries the auto-rollback's record, which takes
    the candidates out of the forward, so a spec variant the forward lacks has weight 0."""
    live = dict(split.weights)
    spec_names = [weighted.variant.name for weighted in experiment.variants]
    problems = [
        f"variant {name!r} of experiment {experiment.name!r} is not in its live split on {where}; deploy "
        "the spec first (reconcile only writes weights)"
        for name in spec_names
        if name not in live and not rolled_back
    ]
    problems += [
        f"the live split of experiment {experiment.name!r} on {where} forwards to {name!r}, which the spec "
        "does not list; change the spec by hand"
        for name in live
        if name not in spec_names
    ]
    if problems:
        raise RolloutError(problems)
    return [f"{name}={live.get(name, 0)}" for name in spec_names]


def rollback_record(split: LiveSplit) -> str | None:
    """The split rule's `ab-rolled-back` tag (`<UTC time> <alarm name>`), if the function left one."""
    rule = split.experiment.split
    if rule is None:
        return None
    for listener in split.experiment.load_balancer.listeners:
        for live_rule in listener.rules:
            if live_rule.arn == rule.address:
                return live_rule.tags.get(ROLLED_BACK_TAG)
    return None


def main(argv: Sequence[str] | None = None, *, command: str = "reconcile", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, lambda args, spec: _run(args, spec, command))


def _run(args: argparse.Namespace, spec: Spec, command: str) -> int:
    try:
        environment, experiment = locate_experiment(spec, args.experiment, args.env)
        connection = open_connection(args, environment)
        where = connection.where()
        with aws_errors(f"reading the split of experiment {experiment.name} ({where})"):
            split = read_live_split(connection.client("elbv2"), connection.identity, environment, experiment)
        record = rollback_record(split)
        args.assignments = live_assignments(experiment, split, where, record is not None)
    except RolloutError as error:
        return fail(command, error.problems)
    except LiveError as error:
        return fail(command, [str(error)])
    live = ", ".join(assignment.replace("=", " ") for assignment in args.assignments)
    print(f"live split of {experiment.name} ({environment.name}, {where}): {live}")
    if record is not None:
        print(f"rolled back automatically: {record} (tag {ROLLED_BACK_TAG} of the split rule)")
    print()
    args.env = environment.name
    sys.stdout.flush()
    return rollout_cli.run(RolloutCommand.RECONCILE, args)
