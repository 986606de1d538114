"""`python -m constructs_ab gate [PATH ...]`: check Terraform JSON/HCL with Checkov and our policies.

No synthesis here (`make gate` synthesizes first). Exit codes: 0 every check passed, 1 a check failed,
2 a usage or input error (missing file, invalid JSON, not Terraform, HCL syntax error), reported as one line
on stderr with no traceback; 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_ab.cli.kit.atomic_write import write_atomically
from constructs_ab.cli.kit.entry import fail, run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import GATE_FORMATS, OutputFormat
from constructs_ab.cli.kit.parser import DEFAULT_TERRAFORM_PATH, prog_of, terraform_reader_parser
from constructs_ab.gate import collector, quiet
from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.formats import render
from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.result_cache import (
    CACHE_DIRECTORY_ENVIRONMENT,
    ResultCache,
    default_cache_directory,
    prepare_sources,
)
from constructs_ab.gate.runner import DEFAULT_POLICIES_DIRECTORY, run_checkov
from constructs_ab.gate.workers import default_jobs
from constructs_ab.tfjson.errors import TerraformInputError

DESCRIPTION = (
    "Check Terraform JSON (*.tf.json, cdktf.out) and HCL (*.tf) with Checkov's built-in checks and our "
    "policies, offline. Exit 0: all passed; 1: a check failed; 2: usage or input error."
)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = terraform_reader_parser(
        prog,
        DESCRIPTION,
        what="files or directories",
        formats=GATE_FORMATS,
        format_help="output format (default: cli, a summary grouped by stack and resource)",
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
        help="folder of custom checks (default: the policies shipped with this tool)",
    )
    parser.add_argument(
        "--rules-quota",
        metavar="N",
        type=int,
        help="listener rules allowed per load balancer (default: the AWS default quota, 100)",
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=int,
        help="stacks checked at the same time, each in its own process (default: the number of CPUs)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every stack, neither reading nor writing the result cache (default: a stack whose "
        f"files, policies, options and versions are unchanged is read from ${CACHE_DIRECTORY_ENVIRONMENT}, "
        "else .cache/ab-models/gate/ in the project, else ab-models/gate/ in the user's cache folder)",
    )
    return parser


def prepare() -> None:
    """Import Checkov and load its graph checks and the default `policies/` (what `make gate` does while
    the synth runs, see `constructs_ab/cli/prepared_gate.py`); a run with `--policies DIR` loads DIR too.

    With the cyclic garbage collector paused (about 2,500 modules make objects that live as long as the
    process: see `collector.imports_paused`)."""
    quiet.prepare_environment()
    with collector.imports_paused():
        from constructs_ab.gate.checkov_run import prepare_checkov

        prepare_checkov(DEFAULT_POLICIES_DIRECTORY)
    prepare_sources(DEFAULT_POLICIES_DIRECTORY)  # the cache key's hashing of the policies and code


def main(argv: Sequence[str] | None = None, *, command: str = "gate", prog: str | None = None) -> int:
    return run_command(command, lambda: _checked(argv, command, prog_of(command, prog)))


def _checked(argv: Sequence[str] | None, command: str, prog: str) -> int:
    try:
        return _run(list(sys.argv[1:] if argv is None else argv), prog)
    except TerraformInputError as error:  # GateInputError included
        return fail(command, [str(error)])


def _run(argv: list[str], prog: str) -> int:
    with collector.paused():  # large graphs and reports: see collector.py
        return _run_paused(argv, prog)


def _run_paused(argv: list[str], prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    output_format: OutputFormat = args.format
    if args.rules_quota is not None and args.rules_quota < 1:
        raise GateInputError(f"--rules-quota: {args.rules_quota} is not allowed; it is a positive integer")
    if args.jobs is not None and args.jobs < 1:
        raise GateInputError(f"--jobs: {args.jobs} is not allowed; it is a positive integer")
    policies = Path(args.policies)
    if not (policies / "__init__.py").is_file():
        raise GateInputError(f"{policies}: not a policies folder (it needs an __init__.py)")
    stacks = plan_stacks(
        args.paths or [DEFAULT_TERRAFORM_PATH], config_file=Path(args.config) if args.config else None
    )
    # Checkov prints to stdout in places (progress, warnings); keep our output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        run = run_checkov(
            stacks,
            policies_directory=policies,
            rules_per_load_balancer=args.rules_quota,
            jobs=args.jobs or default_jobs(),
            cache=None if args.no_cache else ResultCache(default_cache_directory()),
        )
    text = render(run, output_format)
    if args.output:
        _write_output(Path(args.output), text)
        if output_format is not OutputFormat.CLI:
            print(render(run, OutputFormat.CLI), end="")
    else:
        sys.stdout.write(text)
    return ExitCode.FAILED if run.report.failed_checks else ExitCode.OK


def _write_output(path: Path, text: str) -> None:
    """All at once (see `write_atomically`), so a failed run never leaves half an output file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except OSError as error:
        raise GateInputError(f"{path}: cannot write the output ({error.strerror or error})") from None
