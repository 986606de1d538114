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

from constructs_ab.review.diff import DEFAULT_MAX_STEP_POINTS, diff_traffic
from constructs_ab.review.diff_render import FORMATS
from constructs_ab.review.cli_parser import EXIT_INPUT_ERROR, OneLineErrorParser
from constructs_ab.review.reader import ReviewInputError, load_traffic

EXIT_RISKY = 1


def _points(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percentage points") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range; percentage points from 0 to 100")
    return value


def build_parser(command: str) -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog=f"python -m constructs_ab {command}",
        description="Compare two synth outputs and print what changes for live traffic.",
    )
    parser.add_argument("base", metavar="BASE", help="synth output (directory or file) before the change")
    parser.add_argument("head", metavar="HEAD", help="synth output (directory or file) after the change")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
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


def main(argv: list[str] | None = None, *, command: str = "diff") -> int:
    args = build_parser(command).parse_args(argv)
    try:
        base = load_traffic([args.base])
        head = load_traffic([args.head])
    except ReviewInputError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    diff = diff_traffic(base, head, max_step=args.max_step)
    output = diff.render(args.format)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return EXIT_RISKY if args.fail_on_risky and diff.risky else 0
