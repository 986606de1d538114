"""`python -m constructs_ab stacks [--spec PATH] [--env NAME] [--format text|json]`: the Terraform stacks
of each environment of the spec, in deploy order (`Environment.stacks_in_order`): the environment stack first,
then, with `stacks: per_load_balancer`, one `<environment>--<load balancer>` stack per load balancer.

    python -m constructs_ab stacks --env prod                  # prod, prod--public, prod--internal
    npx cdktf deploy $(python -m constructs_ab stacks --env prod) --skip-synth --auto-approve

`text` prints one stack name per line (every environment's, in spec order); `json` prints, per
environment, its stacks with their load balancer, the stacks each depends on and where its state is (the
S3 key with a `state` block, else the local state file beside its `cdk.tf.json`). Reads the spec only.

Exit 0; 2 for a bad spec or an unknown `--env` (one line naming the environments).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from functools import partial

from constructs_ab.cli.kit.entry import fail
from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.output_format import OutputFormat, add_format_option
from constructs_ab.cli.kit.parser import CommandParser
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import add_spec_argument
from constructs_ab.spec.model import Environment, Spec
from constructs_ab.stack_layout import StackPlan, local_state_file, remote_state_key

DESCRIPTION = (
    "List the Terraform stacks of each environment of the spec in deploy order (the environment stack "
    "first, then one per load balancer with `stacks: per_load_balancer`). Reads the spec only."
)


def main(argv: Sequence[str] | None = None, *, command: str = "stacks", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, partial(_run, command=command))


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = CommandParser(prog=prog, description=DESCRIPTION)
    add_spec_argument(parser)
    parser.add_argument(
        "--env", metavar="NAME", help="list only this environment's stacks (default: every environment's)"
    )
    add_format_option(
        parser,
        allowed=(OutputFormat.TEXT, OutputFormat.JSON),
        help="text: one stack name per line; json: each environment with its stacks, their dependencies "
        "and state (default: text)",
    )
    return parser


def _run(args: argparse.Namespace, spec: Spec, *, command: str) -> int:
    environments = list(spec.environments)
    if args.env is not None:
        names = [environment.name for environment in environments]
        if args.env not in names:
            return fail(
                command, [f"--env {args.env}: not an environment of the spec; it has {', '.join(names)}"]
            )
        environments = [e for e in environments if e.name == args.env]
    if args.format == OutputFormat.JSON:
        document = {"environments": [_environment_json(e) for e in environments]}
        print(json.dumps(document, indent=2))
    else:
        for environment in environments:
            for plan in environment.stacks_in_order:
                print(plan.name)
    return ExitCode.OK


def _environment_json(environment: Environment) -> dict[str, object]:
    return {
        "name": environment.name,
        "layout": environment.stacks.value,
        "stacks": [_stack_json(environment, plan) for plan in environment.stacks_in_order],
    }


def _stack_json(environment: Environment, plan: StackPlan) -> dict[str, object]:
    state = environment.state
    return {
        "name": plan.name,
        "load_balancer": plan.load_balancer,
        "depends_on": list(plan.depends_on),
        "state": (
            {"local": local_state_file(plan.name)}
            if state is None
            else {"bucket": state.bucket, "key": remote_state_key(state.key, plan.load_balancer)}
        ),
    }
