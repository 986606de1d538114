"""What every command that reads AWS shares: `--profile` and `--region`, finding the spec environment
(`--env`) and its load balancers (`--load-balancer`), and connecting with one identity.

Exit codes (the kit's `ExitCode`): 0 done; 2 bad input, a bad spec, or AWS could not be read (no or
expired credentials, an unreachable endpoint, a denied call), with one line per problem on stderr; 130
on Ctrl-C.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from constructs_ab.cli.kit.did_you_mean import did_you_mean
from constructs_ab.live.aws_errors import aws_errors
from constructs_ab.live.aws_session import AwsConnection, connect
from constructs_ab.live.elbv2_reader import LoadBalancersRead, read_load_balancers
from constructs_ab.spec.model import Environment, Spec


class InputError(Exception):
    """Bad command line input; the message is one line."""


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("AWS (credentials and Region from the standard chain)")
    group.add_argument(
        "--profile",
        metavar="NAME",
        help="AWS profile (default: AWS_PROFILE, else the default credential chain)",
    )
    group.add_argument(
        "--region",
        metavar="REGION",
        help="AWS Region to read (default: the environment's region in the spec)",
    )


def add_load_balancer_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--load-balancer",
        action="append",
        default=[],
        metavar="NAME",
        help="only this load balancer (its spec name or AWS name); repeat for more (default: all of --env)",
    )


def find_environment(spec: Spec, name: str) -> Environment:
    """The spec environment `name`; InputError naming the choices otherwise."""
    names = [env.name for env in spec.environments]
    for env in spec.environments:
        if env.name == name:
            return env
    raise InputError(
        f"--env: unknown environment {name!r}{did_you_mean(name, names)} (environments: {', '.join(names)})"
    )


def aws_name(environment: Environment, load_balancer: str) -> str:
    """A spec load balancer's AWS name: `<environment>-<name>`, or its existing listener's load balancer's."""
    return environment.load_balancer(load_balancer).aws_name(environment.name)


def load_balancer_names(environment: Environment, chosen: Sequence[str] = ()) -> list[str]:
    """The AWS names of the environment's load balancers, or of `chosen` ones (each given by its spec
    name, `public`, or its AWS name, `prod-public`); InputError for one the environment does not have."""
    by_name = {lb.name: aws_name(environment, lb.name) for lb in environment.load_balancers}
    if not chosen:
        return list(by_name.values())
    names = []
    for name in chosen:
        if name in by_name:
            names.append(by_name[name])
        elif name in by_name.values():
            names.append(name)
        else:
            known = [*by_name, *by_name.values()]
            raise InputError(
                f"--load-balancer: environment {environment.name} has no load balancer {name!r}"
                f"{did_you_mean(name, known)} (load balancers: {', '.join(f'{k} ({v})' for k, v in by_name.items())})"
            )
    return list(dict.fromkeys(names))


def open_connection(args: argparse.Namespace, environment: Environment) -> AwsConnection:
    """Connect with `--profile`, and `--region` or else the environment's Region (LiveError on failure)."""
    return connect(profile=args.profile, region=args.region or environment.region)


@dataclass(frozen=True, kw_only=True)
class LiveEnvironment:
    """A spec environment (`--env`), the AWS names of the load balancers asked for (`--load-balancer`,
    default all), the connection, and what those load balancers are live."""

    environment: Environment
    names: tuple[str, ...]
    connection: AwsConnection
    read: LoadBalancersRead

    @property
    def reading(self) -> str:
        """What a failed AWS call was doing, for its one-line error."""
        return _reading(self.names, self.connection)


def read_live_environment(spec: Spec, args: argparse.Namespace) -> LiveEnvironment:
    """Find `--env` and its load balancers, connect, and read them (InputError or LiveError on failure)."""
    environment = find_environment(spec, args.env)
    names = tuple(load_balancer_names(environment, args.load_balancer))
    connection = open_connection(args, environment)
    with aws_errors(_reading(names, connection)):
        read = read_load_balancers(connection.client("elbv2"), names)
    return LiveEnvironment(environment=environment, names=names, connection=connection, read=read)


def _reading(names: Sequence[str], connection: AwsConnection) -> str:
    return f"reading load balancers {', '.join(names)} ({connection.where()})"
