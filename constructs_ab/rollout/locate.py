"""Find the experiment a rollout command names, in the environment it names or the only one that has it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from constructs_ab.cli.kit.did_you_mean import did_you_mean
from constructs_ab.cli.kit.parser import CommandParser
from constructs_ab.cli.spec_option import add_spec_argument
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.spec.model import Environment, Experiment, Spec


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """`EXPERIMENT` and `--env NAME`: what `locate_experiment` takes (`args.experiment`, `args.env`)."""
    parser.add_argument("experiment", metavar="EXPERIMENT", help="the experiment's name")
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="environment of the experiment; required when several environments have one of that name",
    )


def experiment_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The parser of a command on one experiment of the spec (analyze, reconcile): `EXPERIMENT`, `--env
    NAME` (see `add_experiment_arguments`) and `--spec`; the command adds its own options after them."""
    parser = CommandParser(prog=prog, description=description)
    add_experiment_arguments(parser)
    add_spec_argument(parser)
    return parser


def _names(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "(none)"


def locate_experiment(
    spec: Spec, name: str, environment: str | None = None
) -> tuple[Environment, Experiment]:
    """The environment and experiment called `name`.

    environment: the environment's name (`--env`). Default: the only environment that has the
        experiment; required when several have it.
    Raises RolloutError naming the choices (and the closest one) when the names do not match.
    """
    env_names = [env.name for env in spec.environments]
    if environment is not None:
        env = next((e for e in spec.environments if e.name == environment), None)
        if env is None:
            raise RolloutError(
                [
                    f"--env: unknown environment {environment!r}{did_you_mean(environment, env_names)} "
                    f"(environments: {_names(env_names)})"
                ]
            )
        candidates = [env]
    else:
        candidates = list(spec.environments)

    found = [(env, exp) for env in candidates for exp in env.experiments if exp.name == name]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        where = ", ".join(env.name for env, _ in found)
        raise RolloutError(
            [f"experiment {name!r} is in several environments ({where}); choose one with --env"]
        )

    known = list(dict.fromkeys(exp.name for env in candidates for exp in env.experiments))
    if environment is not None:
        elsewhere = [env.name for env in spec.environments for exp in env.experiments if exp.name == name]
        if elsewhere:
            raise RolloutError(
                [
                    f"experiment {name!r} is not in environment {environment!r}; "
                    f"it is in: {', '.join(elsewhere)}"
                ]
            )
        raise RolloutError(
            [
                f"unknown experiment {name!r} in environment {environment!r}{did_you_mean(name, known)} "
                f"(experiments there: {_names(known)})"
            ]
        )
    raise RolloutError(
        [f"unknown experiment {name!r}{did_you_mean(name, known)} (experiments: {_names(known)})"]
    )
