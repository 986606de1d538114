"""Command line: `python -m constructs_ab <command> ...`, or the console command `ab-models <command> ...`
once the package is installed (both run `main`).

Each command lives in its own module and is imported only when it runs, so the gate and the review
commands never load cdktf. Every command is built on the command-line kit (`constructs_ab/cli/kit/`):
the same exit codes, one-line usage errors and `--format` names.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from constructs_ab import __version__
from constructs_ab.cli.kit.did_you_mean import did_you_mean
from constructs_ab.cli.kit.entry import run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import DEFAULT_PROGRAM

COMMANDS: dict[str, tuple[str, str]] = {
    "synth": ("constructs_ab.cli.synth", "validate the spec and synthesize every environment"),
    "validate": ("constructs_ab.cli.validate", "validate the spec only"),
    "stacks": ("constructs_ab.cli.stacks", "list each environment's Terraform stacks in deploy order"),
    "clean": ("constructs_ab.cli.clean", "delete a synth output, only if it holds nothing but synth's files"),
    "gate": ("constructs_ab.gate.cli", "check Terraform JSON/HCL with Checkov and our policies"),
    "report": ("constructs_ab.review.report_cli", "routing table and what-if of synthesized rules"),
    "diff": ("constructs_ab.review.diff_cli", "what a change does to live traffic"),
    "promote": ("constructs_ab.rollout.cli", "move an experiment's candidate to its next ramp stage"),
    "rollback": ("constructs_ab.rollout.cli", "move an experiment's candidate back one ramp stage"),
    "set-weights": ("constructs_ab.rollout.cli", "set an experiment's weights, e.g. a=70 b=30"),
    "status": (
        "constructs_ab.live.status_cli",
        "live routing and target health of an environment (reads AWS)",
    ),
    "drift": (
        "constructs_ab.live.drift_cli",
        "live listener rules against the spec; exit 1 on drift (reads AWS)",
    ),
    "preflight": (
        "constructs_ab.live.preflight_cli",
        "before a deploy: healthy targets, no drift, quotas, sticky splits; exit 1 blocks (reads AWS)",
    ),
    "analyze": (
        "constructs_ab.analysis.analyze_cli",
        "promote, hold or rollback each candidate from its CloudWatch metrics (reads AWS)",
    ),
    "reconcile": (
        "constructs_ab.rollout.reconcile_cli",
        "write an experiment's live weights into the spec, e.g. after an auto-rollback (reads AWS)",
    ),
    "emulate": ("constructs_ab.emulator.cli", "apply the spec to a throwaway AWS emulator, check it live"),
}


def usage(program: str = DEFAULT_PROGRAM) -> str:
    lines = [f"usage: {program} <command> [options]", "", "commands:"]
    lines += [f"  {name:<12} {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "exit codes (every command):"]
    lines += [f"  {code.value:<4} {code.meaning}" for code in ExitCode]
    lines += ["", f"Run `{program} <command> --help` for a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, program: str = DEFAULT_PROGRAM) -> int:
    """Run the command named by `argv[0]`; its exit code. `program`: how the user ran us, for messages."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(usage(program))
        return ExitCode.OK
    if args and args[0] == "--version":
        print(f"{program} {__version__}")
        return ExitCode.OK
    if not args or args[0].startswith("-"):
        given = f"unknown option {args[0]!r}" if args else "no command given"
        print(f"{program}: {given}; commands: {', '.join(COMMANDS)} (see --help)", file=sys.stderr)
        return ExitCode.BAD_INPUT
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        hint = did_you_mean(command, COMMANDS) or f"; commands: {', '.join(COMMANDS)}"
        print(f"{program}: unknown command {command!r}{hint} (see --help)", file=sys.stderr)
        return ExitCode.BAD_INPUT
    module_name = COMMANDS[command][0]
    # The import inside run_command too: Ctrl-C or SIGTERM while the gate imports Checkov is one line.
    return run_command(
        command,
        lambda: int(
            importlib.import_module(module_name).main(rest, command=command, prog=f"{program} {command}")
        ),
    )


def console() -> int:
    """The console command's entry point (`[project.scripts]` in pyproject.toml): `main` under the name
    the command was run as."""
    return main(program=os.path.basename(sys.argv[0]) or "ab-models")


if __name__ == "__main__":
    sys.exit(main())
