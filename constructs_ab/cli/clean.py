"""`python -m constructs_ab clean [--outdir DIR]` (what `make clean` runs): delete a synth output, but only
what synth wrote.

The directory must be one synth may replace (see `output_target.check_target`), else exit 2 with one
line and nothing deleted. It is deleted whole if it holds only what synth wrote. If it holds anything
else, Terraform's files above all (a stack's `.terraform/` and, for stacks without a `state` block,
its local state `terraform.<stack>.tfstate`, which describes live resources), nothing is deleted: one
line names them and the exit code is 1.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_ab.cli.kit.entry import run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import CommandParser, prog_of
from constructs_ab.cli.output_target import (
    STACKS_DIRECTORY,
    SYNTH_TOP_LEVEL_ENTRIES,
    OutputRefused,
    check_target,
    foreign_stack_entries,
    holds_only_synth_output,
)


def main(argv: Sequence[str] | None = None, *, command: str = "clean", prog: str | None = None) -> int:
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    parser = CommandParser(prog=prog, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out"),
        help="the synth output to delete (default: $CDKTF_OUTDIR or cdktf.out)",
    )
    outdir: Path = parser.parse_args(None if argv is None else list(argv)).outdir
    try:
        directory = check_target(outdir)
    except OutputRefused as refusal:
        print(f"{command}: refusing to delete {outdir}: {refusal.reason}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    if not directory.exists():
        print(f"{command}: {outdir} does not exist; nothing to delete")
        return ExitCode.OK
    if not holds_only_synth_output(directory):
        print(f"{command}: kept {outdir}: it holds {_not_synths(directory)}; {_ADVICE}", file=sys.stderr)
        return ExitCode.FAILED
    shutil.rmtree(directory)
    print(f"{command}: deleted {outdir}")
    return ExitCode.OK


_ADVICE = "delete them yourself once they are no longer needed (for state: once its resources are destroyed)"


def _not_synths(directory: Path) -> str:
    """What in `directory` synth did not write, for one line: `stacks/x (a, b)` or top-level names."""
    found = [name for name in sorted(os.listdir(directory)) if name not in SYNTH_TOP_LEVEL_ENTRIES]
    stacks = directory / STACKS_DIRECTORY
    if stacks.is_dir() and not stacks.is_symlink():
        for stack in sorted(stacks.iterdir()):
            if stack.is_symlink() or not stack.is_dir():
                found.append(f"{STACKS_DIRECTORY}/{stack.name}")
            elif entries := foreign_stack_entries(stack):
                found.append(f"{STACKS_DIRECTORY}/{stack.name}: {', '.join(entries)}")
    return "files synth did not write: " + "; ".join(found)
