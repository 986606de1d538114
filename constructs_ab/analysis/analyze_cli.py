"""`python -m constructs_ab analyze EXPERIMENT --env ENV [--since 2h]`: decide on each candidate of an
experiment from its CloudWatch metrics: promote, hold (with how much more data is needed) or rollback,
with the numbers behind it. Read-only, except `--apply`, which runs `promote` or `rollback` on the spec.

    python -m constructs_ab analyze sentiment-abtest --env prod                  # the last 2 hours
    python -m constructs_ab analyze sentiment-abtest --env prod --since 6h --format markdown
    python -m constructs_ab analyze sentiment-abtest --env prod --apply          # act on the verdict

Exit codes: 0 analysed (whatever the verdicts; `--apply`: the rollout command's code); 2 bad input, a
bad spec or AWS could not be read, one line each; 130 on Ctrl-C. See `constructs_ab.analysis.decide` for
the rules and `constructs_ab.analysis` for the statistics.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from constructs_ab.analysis.apply_verdict import ApplyError, apply_verdict, check_applicable, require_ramp
from constructs_ab.analysis.report import analysis_json, render_analysis
from constructs_ab.analysis.run import run_analysis
from constructs_ab.analysis.window import DEFAULT_SINCE, WindowError, make_window
from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, OutputFormat, add_format_option
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import (
    SpecLocationError,
    locate_spec,
)
from constructs_ab.live.aws_errors import LiveError
from constructs_ab.live.cli_options import add_aws_arguments, open_connection
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.locate import experiment_parser, locate_experiment
from constructs_ab.spec.model import Spec

DESCRIPTION = (
    "Decide on each candidate of EXPERIMENT from its CloudWatch metrics (requests, target 5xx and "
    "connection errors, latency percentiles, the spec's custom metrics): promote, hold or rollback, with the "
    "numbers behind it. Reads AWS only; --apply runs promote or rollback on the spec."
)


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = experiment_parser(prog, DESCRIPTION)
    parser.add_argument(
        "--since",
        default=DEFAULT_SINCE,
        metavar="DURATION",
        help=f"how far back the window starts, 10m to 15d, e.g. 30m, 6h, 1d (default: {DEFAULT_SINCE}); start "
        "it after the last weight change",
    )
    parser.add_argument(
        "--until", metavar="TIME", help="when the window ends, UTC, e.g. 2024-05-01T12:00Z (default: now)"
    )
    parser.add_argument(
        "--skip-latency",
        action="store_true",
        help="do not compare latency percentiles (for a CloudWatch without them, such as an emulator's)",
    )
    parser.add_argument(
        "--apply",
        action="store_true",
        help="run promote or rollback on the spec for the ramp candidate's verdict (nothing on hold)",
    )
    add_format_option(parser, allowed=REVIEW_FORMATS)
    add_aws_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "analyze", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, lambda args, spec: _run(args, spec, command))


def _run(args: argparse.Namespace, spec: Spec, command: str) -> int:
    output_format: OutputFormat = args.format
    try:
        spec_path = locate_spec(args.spec).path
        environment, experiment = locate_experiment(spec, args.experiment, args.env)
        if args.apply:
            require_ramp(experiment, environment.name)
        window = make_window(args.since, args.until)
        connection = open_connection(args, environment)
        result = run_analysis(connection, environment, experiment, window, latency=not args.skip_latency)
    except RolloutError as error:
        return fail(command, error.problems)
    except (SpecLocationError, WindowError, LiveError, ApplyError) as error:
        return fail(command, [str(error)])
    if not args.apply:
        sys.stdout.write(render_analysis(result, output_format))
        return ExitCode.OK
    try:
        check_applicable(result)
    except ApplyError as error:
        sys.stdout.write(render_analysis(result, output_format))
        return fail(command, [str(error)])
    if output_format is OutputFormat.JSON:
        applied = apply_verdict(result, spec_path, output_format, capture=True)
        document = analysis_json(result)
        document["applied"] = {
            "command": applied.command,
            "exit_code": applied.exit_code,
            "output": applied.output,
            "errors": applied.errors,
            "message": applied.message,
        }
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
        sys.stderr.write(applied.errors)
        return applied.exit_code
    sys.stdout.write(render_analysis(result, output_format) + "\n")
    sys.stdout.flush()
    applied = apply_verdict(result, spec_path, output_format, capture=False)
    if applied.message:
        print(applied.message)
    return applied.exit_code
