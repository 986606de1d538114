"""`python -m constructs_ab gate [PATH ...]`: check Terraform JSON/HCL with Checkov and `policies/`.

No synthesis here (`make gate` synthesizes first). Exit codes: 0 every check passed, 1 a check failed,
2 a usage or input error (missing file, invalid JSON, not Terraform, HCL syntax error), reported as one line
on stderr with no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path
from typing import NoReturn

from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.formats import OutputFormat, render
from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import DEFAULT_POLICIES_DIRECTORY, run_checkov
from constructs_ab.tfjson.errors import TerraformInputError

DEFAULT_PATH = "cdktf.out"
EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse prints usage too by default)
        raise GateInputError(f"{self.prog}: {message}")


def _parser(command: str) -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog=f"python -m constructs_ab {command}",
        description="Check Terraform JSON (*.tf.json, cdktf.out) and HCL (*.tf) with Checkov's built-in checks "
        "and our policies, offline. Exit 0: all passed; 1: a check failed; 2: usage or input error.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help=f"files or directories (default: {DEFAULT_PATH})"
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in OutputFormat],
        default=OutputFormat.CLI.value,
        help="output format (default: cli, a summary grouped by stack and resource)",
    )
    parser.add_argument(
        "--output", metavar="FILE", help="write the output to FILE instead of standard output"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="Checkov configuration (skip-check with reasons) for the inputs that are not our synthesized "
        "stacks (default: the nearest .checkov.yaml or .checkov.yml of each PATH, up to its git root); our "
        "stacks always get the skips shipped for them, constructs_ab/gate/our_stacks.checkov.yaml",
    )
    parser.add_argument(
        "--policies",
        metavar="DIR",
        default=str(DEFAULT_POLICIES_DIRECTORY),
        help="folder of custom checks (default: this repository's policies/)",
    )
    parser.add_argument(
        "--rules-quota",
        metavar="N",
        type=int,
        help="listener rules allowed per load balancer (default: the AWS default quota, 100)",
    )
    return parser


def main(argv: list[str] | None = None, command: str = "gate") -> int:
    try:
        return _run(list(sys.argv[1:] if argv is None else argv), command)
    except TerraformInputError as error:  # GateInputError included
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_USAGE


def _run(argv: list[str], command: str) -> int:
    parser = _parser(command)
    if any(arg in ("-h", "--help") for arg in argv):
        parser.print_help()
        return EXIT_PASSED
    args = parser.parse_args(argv)
    if args.rules_quota is not None and args.rules_quota < 1:
        raise GateInputError(f"--rules-quota: {args.rules_quota} is not allowed; it is a positive integer")
    policies = Path(args.policies)
    if not (policies / "__init__.py").is_file():
        raise GateInputError(f"{policies}: not a policies folder (it needs an __init__.py)")
    stacks = plan_stacks(args.paths or [DEFAULT_PATH], config_file=Path(args.config) if args.config else None)
    # Checkov prints to stdout in places (progress, warnings); keep our output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        run = run_checkov(stacks, policies_directory=policies, rules_per_load_balancer=args.rules_quota)
    text = render(run, OutputFormat(args.format))
    if args.output:
        _write_atomically(Path(args.output), text)
        if args.format != OutputFormat.CLI.value:
            print(render(run, OutputFormat.CLI), end="")
    else:
        sys.stdout.write(text)
    return EXIT_FAILED if run.report.failed_checks else EXIT_PASSED


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failed run never leaves half an output file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        raise GateInputError(f"{path}: cannot write the output ({error.strerror or error})") from None
