"""`python -m constructs_ab validate [--spec PATH]`: check the spec without synthesizing.

Exit 0 when the spec is valid, 2 with one line per problem when it is not.
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs_ab.cli.kit.entry import run_command
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import CommandParser, prog_of
from constructs_ab.cli.spec_option import add_spec_argument, load_spec_or_report


def main(argv: Sequence[str] | None = None, *, command: str = "validate", prog: str | None = None) -> int:
    return run_command(command, lambda: _run(argv, command, prog_of(command, prog)))


def _run(argv: Sequence[str] | None, command: str, prog: str) -> int:
    parser = CommandParser(prog=prog, description=__doc__)
    add_spec_argument(parser)
    args = parser.parse_args(None if argv is None else list(argv))
    spec = load_spec_or_report(args.spec, command=command)
    if spec is None:
        return ExitCode.BAD_INPUT
    for environment in spec.environments:
        print(
            f"{environment.name}: {len(environment.load_balancers)} load balancer(s), "
            f"{len(environment.experiments)} experiment(s), {len(environment.variants)} variant(s)"
        )
    return ExitCode.OK
