"""Command line: `python -m constructs_ab <command> ...`.

Each command lives in its own module and is imported only when it runs, so the gate and the review
commands never load cdktf.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "synth": ("constructs_ab.cli.synth", "validate the spec and synthesize every environment"),
    "validate": ("constructs_ab.cli.validate", "validate the spec only"),
    "clean": ("constructs_ab.cli.clean", "delete a synth output, only if it holds nothing but synth's files"),
    "gate": ("constructs_ab.gate.cli", "check Terraform JSON/HCL with Checkov and policies/"),
    "report": ("constructs_ab.review.report_cli", "routing table and what-if of synthesized rules"),
    "diff": ("constructs_ab.review.diff_cli", "what a change does to live traffic"),
    "promote": ("constructs_ab.rollout.cli", "move an experiment's candidate to its next ramp stage"),
    "rollback": ("constructs_ab.rollout.cli", "move an experiment's candidate back one ramp stage"),
    "set-weights": ("constructs_ab.rollout.cli", "set an experiment's weights, e.g. a=70 b=30"),
}


def usage() -> str:
    lines = ["usage: python -m constructs_ab <command> [options]", "", "commands:"]
    lines += [f"  {name:<12} {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "Run `python -m constructs_ab <command> --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"error: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[command][0])
    return int(module.main(rest, command=command))


if __name__ == "__main__":
    sys.exit(main())
