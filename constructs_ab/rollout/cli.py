"""`python -m constructs_ab promote|rollback|set-weights EXPERIMENT ...`: staged rollouts in the spec file.

    promote EXPERIMENT             the ramp candidate moves to the next stage
    rollback EXPERIMENT            the ramp candidate moves back one stage (stage -1: paused at 0%)
    set-weights EXPERIMENT a=70 b=30

`reconcile` (`constructs_ab.rollout.reconcile_cli`) runs `run` too, with the live weights as the
assignments of a set-weights.

Each command edits the spec file in place (only the changed values; comments and layout stay), validates
the result with the spec loader before writing, writes atomically and prints the traffic diff of the
change. An invalid request prints one `<command>: <problem>` line per problem (a spec's problems as
`<file>:<line>: ...` lines), exits 2 and leaves the file untouched.
The whole read-validate-write holds the spec's lock (`constructs_ab.cli.spec_lock`): two commands at
once run one after the other, or one fails with exit 2 and writes nothing. Ctrl-C prints one line and
exits 130, with the spec either untouched or wholly written.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_ab.cli.kit.entry import fail, quiet_exit_after_interrupt, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import ROLLOUT_FORMATS, OutputFormat, add_format_option
from constructs_ab.cli.kit.parser import prog_of
from constructs_ab.cli.spec_lock import SpecEdit, SpecEditError, spec_edit
from constructs_ab.cli.spec_option import (
    SpecLocationError,
    locate_spec,
    report_spec_error,
)
from constructs_ab.review import diff_render
from constructs_ab.review.diff import diff_traffic
from constructs_ab.rollout.command import RolloutCommand
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.locate import experiment_parser, locate_experiment
from constructs_ab.rollout.plan import (
    RolloutPlan,
    describe_stage,
    plan_promote,
    plan_rollback,
    plan_set_weights,
)
from constructs_ab.rollout.summary import render_summary
from constructs_ab.rollout.traffic_adapter import traffic_model_of
from constructs_ab.rollout.yaml_patch import PatchError, patch_spec_text
from constructs_ab.spec import SpecError, parse_spec, read_spec_bytes
from constructs_ab.spec.model import Environment, Experiment, Spec

_BOM = b"\xef\xbb\xbf"

_DESCRIPTIONS = {
    RolloutCommand.PROMOTE: "Move the ramp candidate of EXPERIMENT to its next stage; the other variants "
    "share the rest in proportion to their weights (at 100% they are paused at weight 0).",
    RolloutCommand.ROLLBACK: "Move the ramp candidate of EXPERIMENT back one stage; from the first stage "
    "to stage -1 it is paused at weight 0.",
    RolloutCommand.SET_WEIGHTS: "Set the weight of every variant of EXPERIMENT (each named once, integers "
    "0 to 999; 0 pauses a variant). With a ramp, the candidate's share must be one of its stages or 0.",
    RolloutCommand.RECONCILE: "Write the live weights of EXPERIMENT's split (read from AWS) into the spec, so "
    "the next deploy keeps them, e.g. after an automatic rollback.",
}


def build_parser(command: RolloutCommand, prog: str) -> argparse.ArgumentParser:
    """The options of `command`; reconcile adds the AWS ones (`constructs_ab.rollout.reconcile_cli`)."""
    parser = experiment_parser(
        prog,
        _DESCRIPTIONS[command]
        + " The spec file is edited in place (comments and layout kept), validated before writing and "
        "written atomically; the traffic diff of the change is printed.",
    )
    if command is RolloutCommand.SET_WEIGHTS:
        parser.add_argument(
            "assignments", metavar="VARIANT=WEIGHT", nargs="+", help="e.g. sentiment-a=70 sentiment-b=30"
        )
    if command in (RolloutCommand.PROMOTE, RolloutCommand.ROLLBACK):
        parser.add_argument(
            "--if-stage",
            type=int,
            metavar="N",
            help="only if the ramp is at stage N now (e.g. the stage an analysis judged); else exit 2, "
            "nothing written",
        )
    parser.add_argument("--dry-run", action="store_true", help="print the change and its diff, write nothing")
    add_format_option(parser, allowed=ROLLOUT_FORMATS)
    return parser


def _plan(command: RolloutCommand, spec: Spec, args: argparse.Namespace) -> RolloutPlan:
    environment, experiment = locate_experiment(spec, args.experiment, args.env)
    expected = getattr(args, "if_stage", None)
    if expected is not None and experiment.ramp is not None and experiment.ramp.stage != expected:
        raise RolloutError(
            [
                f"experiment {experiment.name!r} ({environment.name}) is at "
                f"{describe_stage(experiment.ramp, experiment.ramp.stage)}, not stage {expected} as --if-stage "
                "says (the spec changed since); nothing written"
            ]
        )
    if command is RolloutCommand.PROMOTE:
        return plan_promote(environment, experiment)
    if command is RolloutCommand.ROLLBACK:
        return plan_rollback(environment, experiment)
    plan = plan_set_weights(environment, experiment, args.assignments)
    return plan if command is RolloutCommand.SET_WEIGHTS else dataclasses.replace(plan, command=command)


def _environment(spec: Spec, plan: RolloutPlan) -> Environment:
    return next(env for env in spec.environments if env.name == plan.environment)


def _experiment(spec: Spec, plan: RolloutPlan) -> Experiment:
    return next(exp for exp in _environment(spec, plan).experiments if exp.name == plan.experiment)


def _render_diff(plan: RolloutPlan, before: Spec, after: Spec, output_format: OutputFormat) -> str:
    """The traffic diff of the changed environment, share jumps flagged against each ramp's step."""
    diff = diff_traffic(
        traffic_model_of(_environment(before, plan)), traffic_model_of(_environment(after, plan))
    )
    return diff_render.render(diff, output_format)


def _check_result(plan: RolloutPlan, spec: Spec) -> None:
    """The validated new spec must hold exactly the planned weights, paused flags and stage."""
    experiment = _experiment(spec, plan)
    got = [(wv.variant.name, wv.weight, wv.paused) for wv in experiment.variants]
    want = [(v.name, v.weight_after, v.paused_after) for v in plan.variants]
    stage = experiment.ramp.stage if experiment.ramp is not None else None
    if got != want or stage != plan.stage_after:
        raise PatchError(
            f"the edited spec holds {got} at stage {stage}, not the planned {want} at {plan.stage_after}"
        )


def run(command: RolloutCommand, args: argparse.Namespace) -> int:
    try:
        location = locate_spec(args.spec)
    except SpecLocationError as error:
        return fail(command, [str(error)])
    path = location.path
    edit: SpecEdit | None = None
    try:
        if args.dry_run:
            try:
                original = read_spec_bytes(path)
            except OSError as error:
                return fail(command, [f"cannot read spec {location.describe()}: {error.strerror or error}"])
            return _edit(command, args, path, original, None)
        try:
            with spec_edit(path) as edit:
                return _edit(command, args, path, edit.original, edit)
        except OSError as error:  # from spec_edit: reading the spec; the write's errors are _edit's
            return fail(command, [f"cannot read spec {location.describe()}: {error.strerror or error}"])
        except SpecEditError as error:
            return fail(command, [str(error)])
    except KeyboardInterrupt:
        quiet_exit_after_interrupt()
        written = edit is not None and edit.written
        print(
            f"{command}: interrupted; {path} {'was already written' if written else 'was left as it was'}",
            file=sys.stderr,
        )
        return ExitCode.INTERRUPTED


def _edit(
    command: RolloutCommand, args: argparse.Namespace, path: Path, original: bytes, edit: SpecEdit | None
) -> int:
    """Plan, validate and (with `edit`: not a dry run) write the change of `original`, read from `path`."""
    output_format: OutputFormat = args.format
    bom = _BOM if original.startswith(_BOM) else b""
    try:
        text = original[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as error:
        return fail(
            command, [f"cannot read spec {path}: not UTF-8 text ({error.reason} at byte {error.start})"]
        )
    try:
        before = parse_spec(text, str(path))
    except SpecError as error:
        report_spec_error(error, path, command=command)
        return ExitCode.BAD_INPUT

    try:
        plan = _plan(command, before, args)
        if not plan.changed:
            print(render_summary(plan, output_format), end="")
            print(f"no change: {path} already has these weights")
            return ExitCode.OK
        new_text = patch_spec_text(text, plan)
        try:
            after = parse_spec(new_text, str(path))
        except SpecError as error:
            raise RolloutError(
                f"the change would make the spec invalid: {line}" for line in str(error).splitlines()
            ) from error
        _check_result(plan, after)
        output = render_summary(plan, output_format) + "\n" + _render_diff(plan, before, after, output_format)
        if edit is not None:
            edit.replace(bom + new_text.encode("utf-8"))
    except RolloutError as error:
        return fail(command, error.problems)
    except SpecEditError as error:
        return fail(command, [str(error)])
    except PatchError as error:  # a bug of this tool, not the input's fault
        return fail(
            command, [f"could not edit {path} faithfully ({error}); nothing written"], ExitCode.FAILED
        )
    except OSError as error:
        return fail(command, [f"cannot write {path}: {error.strerror or error}; the file is unchanged"])

    print(output.rstrip("\n"))
    print()
    print(f"wrote {path}" if edit is not None else f"dry run: {path} not changed")
    return ExitCode.OK


def main(
    argv: Sequence[str] | None = None, *, command: str = RolloutCommand.PROMOTE.value, prog: str | None = None
) -> int:
    """Entry point used by `python -m constructs_ab`; returns the exit code."""
    rollout_command = RolloutCommand(command)

    def body() -> int:
        parser = build_parser(rollout_command, prog_of(command, prog))
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        return run(rollout_command, args)

    return run_command(command, body)
