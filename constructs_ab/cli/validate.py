"""`python -m constructs_ab validate [--spec PATH]`: check the spec without synthesizing.

Exit 0 when the spec is valid, 2 with one line per problem when it is not.
"""

from __future__ import annotations

import argparse

from constructs_ab.cli.spec_option import EXIT_INPUT_ERROR, add_spec_argument, load_spec_or_report


def main(argv: list[str] | None = None, *, command: str = "validate") -> int:
    parser = argparse.ArgumentParser(prog=f"python -m constructs_ab {command}", description=__doc__)
    add_spec_argument(parser)
    args = parser.parse_args(argv)
    spec = load_spec_or_report(args.spec, command=command)
    if spec is None:
        return EXIT_INPUT_ERROR
    for environment in spec.environments:
        print(
            f"{environment.name}: {len(environment.load_balancers)} load balancer(s), "
            f"{len(environment.experiments)} experiment(s), {len(environment.variants)} variant(s)"
        )
    return 0
