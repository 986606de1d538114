"""`python -m constructs_ab validate [--spec PATH]`: check the spec without synthesizing.

Exit 0 when the spec is valid, printing per environment a summary line and, per experiment, the share
of its requests each variant gets and its stickiness; 2 with one line per problem when it is not.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from fractions import Fraction

from constructs_ab.cli.kit.exit_codes import ExitCode
from constructs_ab.cli.kit.parser import CommandParser
from constructs_ab.cli.spec_command import run_spec_command
from constructs_ab.cli.spec_option import add_spec_argument
from constructs_ab.spec.model import Experiment, Spec


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = CommandParser(prog=prog, description=__doc__)
    add_spec_argument(parser)
    return parser


def main(argv: Sequence[str] | None = None, *, command: str = "validate", prog: str | None = None) -> int:
    return run_spec_command(command, prog, argv, build_parser, _run)


def _run(_args: argparse.Namespace, spec: Spec) -> int:
    for environment in spec.environments:
        print(
            f"{environment.name}: {len(environment.load_balancers)} load balancer(s), "
            f"{len(environment.experiments)} experiment(s), {len(environment.variants)} variant(s)"
        )
        for experiment in environment.experiments:
            print(f"  {describe_shares(experiment)}")
    return ExitCode.OK


def describe_shares(experiment: Experiment) -> str:
    """`chat-llm on public (priorities 18700-18705): llama-8b 60%, mistral-7b 30%, qwen-7b 10%; sticky for
    86400 s`: the priorities it reserves, each variant's share of its requests (weight / sum of weights)
    and its stickiness."""
    total = sum(weighted.weight for weighted in experiment.variants)
    shares = ", ".join(
        f"{weighted.variant.name} {_percent(Fraction(weighted.weight * 100, total) if total else Fraction(0))}"
        + (" (paused)" if weighted.paused and weighted.weight == 0 else "")
        for weighted in experiment.variants
    )
    first, last = experiment.priority, experiment.priority + experiment.priority_span - 1
    where = f"priority {first}" if first == last else f"priorities {first}-{last}"
    duration = experiment.stickiness.duration
    sticky = (
        f"sticky for {duration} s (AWSALBTG cookie)"
        if duration is not None
        else "not sticky (each request is split on its own)"
    )
    return f"{experiment.name} on {experiment.load_balancer} ({where}): {shares}; {sticky}"


def _percent(share: Fraction) -> str:
    """`30%` for a whole percent, else one decimal: `33.3%`."""
    return f"{share.numerator}%" if share.denominator == 1 else f"{float(share):.1f}%"
