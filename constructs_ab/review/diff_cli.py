"""`python -m constructs_ab diff BASE HEAD`: what a change does to live traffic.

BASE and HEAD are synth output directories (cdktf.out) or Terraform JSON files/directories, e.g. the
synth of the target branch and of the pull request.

    python -m constructs_ab diff base/cdktf.out cdktf.out --format markdown --max-step 20

Exit 0 whether or not there are changes; 1 with `--fail-on-risky` when a change is risky; 2 for bad
input (missing path, invalid JSON, no listeners) with one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from constructs_ab.cli.kit.entry import fail, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import REVIEW_FORMATS, add_format_option
from constructs_ab.cli.kit.parser import CommandParser, prog_of
from constructs_ab.review import diff_render
from constructs_ab.review.diff import DEFAULT_MAX_STEP_POINTS, diff_traffic
from constructs_ab.review.reader import ReviewInputError, load_traffic


def _points(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percentage points") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range; percentage points from 0 to 100")
    return value


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=prog,
        description="Compare two synth outputs and print what changes for live traffic.",
    )
    parser.add_argument("base", metavar="BASE", help="synth output (directory or file) before the change")
    parser.add_argument("head", metavar="HEAD", help="synth output (directory or file) after the change")
    add_format_option(parser, allowed=REVIEW_FORMATS)
    parser.add_argument(
        "--max-step",
        type=_points,
        default=None,
        metavar="POINTS",
        help="largest share change of a target group, percentage points, not flagged as risky, for "
        "every rule (default: each rule's ramp step from its ab-max-step tag, written from the spec's "
        f"ramp, else {DEFAULT_MAX_STEP_POINTS:g})",
    )
    parser.add_argument("--fail-on-risky", action="store_true", help="exit 1 when a change is risky")
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "diff", prog: str | None = None) -> int:
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    args = build_parser(prog).parse_args(None if argv is None else list(argv))
    try:
        base = load_traffic([args.base])
        head = load_traffic([args.head])
    except ReviewInputError as error:
        return fail(command, [str(error)])
    diff = diff_traffic(base, head, max_step=args.max_step)
    output = diff_render.render(diff, args.format)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return ExitCode.FAILED if args.fail_on_risky and diff.risky else ExitCode.OK
