"""AWS names that must be unique where they are deployed: no two objects of a spec may make the same one.

Each environment is deployed to the account of its certificate (`certificate_arn`: ACM certificates
serve load balancers of their own account) and its Region. Names are made by `constructs_ab.aws_names`
from the environment's name and the object's, joined by a hyphen, so two environments in one account
and Region can make the same name: environment `prod` with load balancer `eu-public`, and environment
`prod-eu` with load balancer `public`, both make the load balancer `prod-eu-public`; the second
deploy would fail, or take over the first's resource. Inside one environment, alarm names can clash
the same way (experiment `a` with variant `b-c`, experiment `a-b` with variant `c`).

Checked (`Scope` says where AWS wants each unique): load balancers (and with them their security groups,
web ACLs, log groups and 5xx alarms, named after them), target groups, the guardrails' SNS topics (the environment's,
or each experiment's with `alarm_topic_per_experiment`) and alarms (per account and Region) and dashboards
(per account). Each clash is one problem, at the object declared
later, once per object.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from constructs_ab import aws_names
from constructs_ab.aws_names import Scope
from constructs_ab.spec import formats
from constructs_ab.spec.certificates import CertificateArn
from constructs_ab.spec.context import Checks
from constructs_ab.spec.environment import Environment, Spec
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.values import show


@dataclass(frozen=True, kw_only=True)
class MadeName:
    """An AWS name a spec object makes.

    kind: what AWS names, e.g. "load balancer", "CloudWatch alarm".
    name: the AWS name.
    scope: where AWS wants it unique.
    where: the key of that place: (partition, account, Region) or (partition, account); an
        environment whose account is not known is a place of its own.
    environment: the environment that makes it.
    owner: the spec object, e.g. "load balancer public", "experiment chat (variant a)".
    path: the field path problems about it are reported at.
    """

    kind: str
    name: str
    scope: Scope
    where: tuple[str, ...]
    environment: str
    owner: str
    path: FieldPath


def account_of(environment: Environment) -> str | None:
    """The account an environment is deployed to: its certificate's; None when that is not an ARN."""
    found = CertificateArn.parse(environment.certificate_arn)
    return found.account if found is not None else None


def _places(environment: Environment) -> dict[Scope, tuple[str, ...]]:
    account = account_of(environment)
    region = environment.region
    partition = formats.partition_of(region) if isinstance(region, str) else ""
    if account is None:
        unknown = ("environment", environment.name)
        return {Scope.ACCOUNT_REGION: unknown, Scope.ACCOUNT: unknown}
    return {Scope.ACCOUNT_REGION: (partition, account, region), Scope.ACCOUNT: (partition, account)}


def names_made(checks: Checks, environment: Environment) -> Iterator[MadeName]:
    """Every AWS name environment `environment` makes that must be unique, in spec order."""
    env = environment.name
    places = _places(environment)

    def made(kind: str, name: str, scope: Scope, owner: str, path: FieldPath) -> MadeName:
        return MadeName(
            kind=kind, name=name, scope=scope, where=places[scope], environment=env, owner=owner, path=path
        )

    for load_balancer in environment.load_balancers:
        if load_balancer.existing:
            continue  # read, not made: neither it nor its alarm is ours
        path = checks.load_balancer(env, load_balancer.name)
        name = aws_names.load_balancer_name(env, load_balancer.name)
        owner = f"load balancer {load_balancer.name}"
        yield made("load balancer", name, Scope.ACCOUNT_REGION, owner, path)
        alarm = aws_names.load_balancer_alarm_name(name)
        yield made("CloudWatch alarm", alarm, Scope.ACCOUNT_REGION, owner, path)
    defined: set[str] = set()
    for i, experiment in enumerate(environment.experiments):
        experiment_path = checks.experiment(env, i, experiment.name)
        for j, weighted in enumerate(experiment.variants):
            variant = weighted.variant.name
            if variant in defined or not checks.defines(env, (i, j), first_use=True):
                continue  # a target group is made where its variant is defined
            defined.add(variant)
            path = checks.entry(env, experiment_path, (i, j), variant).key("name")
            name = environment.target_group_name(weighted.variant)
            yield made("target group", name, Scope.ACCOUNT_REGION, f"variant {variant}", path)
    if environment.experiments and not environment.alarm_topic_per_experiment:
        name = aws_names.environment_alarm_topic_name(env)
        owner = f"environment {env} (its guardrail alarm topic)"
        yield made("SNS topic", name, Scope.ACCOUNT_REGION, owner, checks.environment(env))
    for i, experiment in enumerate(environment.experiments):
        path = checks.experiment(env, i, experiment.name).key("name")
        owner = f"experiment {experiment.name}"
        prefix = aws_names.experiment_name_prefix(env, experiment.name)
        yield made("CloudWatch dashboard", aws_names.dashboard_name(prefix), Scope.ACCOUNT, owner, path)
        if environment.alarm_topic_per_experiment:
            yield made("SNS topic", aws_names.alarm_topic_name(prefix), Scope.ACCOUNT_REGION, owner, path)
        for weighted in experiment.variants:
            variant = weighted.variant.name
            for kind in aws_names.ALARM_KINDS:
                name = aws_names.alarm_name(prefix, variant, kind)
                yield made(
                    "CloudWatch alarm", name, Scope.ACCOUNT_REGION, f"{owner} (variant {variant})", path
                )


def check_account_names(checks: Checks, spec: Spec) -> None:
    """No two objects of the spec make the same AWS name in the same account and Region (or VPC, or
    account, as AWS wants it): one problem per clashing object, at the one declared later."""
    first: dict[tuple[str, tuple[str, ...], str], MadeName] = {}
    reported: set[str] = set()
    for environment in spec.environments:
        for made in names_made(checks, environment):
            key = (made.kind, made.where, made.name)
            other = first.setdefault(key, made)
            if other is made or str(made.path) in reported or not checks.valid(made.path):
                continue
            if other.environment == made.environment and other.owner == made.owner:
                continue  # one object making one name twice (never with the names made today)
            reported.add(str(made.path))
            checks.error(made.path, _clash(made, other))


def _clash(made: MadeName, other: MadeName) -> str:
    if other.environment == made.environment:
        elsewhere = f"{other.owner} of this environment"
        place = ""
    else:
        elsewhere = f"{other.owner} of environment {other.environment}"
        place = {
            Scope.ACCOUNT_REGION: f", in the same account {made.where[1]} and Region {made.where[-1]}"
            if len(made.where) == 3
            else "",
            Scope.ACCOUNT: f", in the same account {made.where[1]}" if len(made.where) == 2 else "",
        }.get(made.scope, "")
    return (
        f"{made.owner} makes the {made.kind} name {show(made.name)}, which {elsewhere} makes too{place}; "
        f"AWS wants a {made.kind} name unique per {made.scope.value}: rename one of them (an AWS name joins "
        "the environment's name and the object's with a hyphen)"
    )
