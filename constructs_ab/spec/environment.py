"""An environment (one Terraform stack) and the whole spec: their model, rules, the checks of the
environment's own settings and of the load balancer each experiment names.

Reading an environment is in `environment_reader`; the checks that span its parts run on the model
(`validation`).
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_ab import aws_limits, aws_names
from constructs_ab.spec import formats
from constructs_ab.spec.certificates import CERTIFICATE, placement_problem
from constructs_ab.spec.context import Checks
from constructs_ab.spec.experiment import Experiment
from constructs_ab.spec.load_balancer import LoadBalancer
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.rules import Boolean, Items, Rule, Text, check_fields, keys_of, required_keys
from constructs_ab.spec.state import REGION, RemoteState, check_state
from constructs_ab.spec.tags import OWNER, check_tags
from constructs_ab.spec.values import listing, show, suggestion
from constructs_ab.spec.variant import Choice, Variant
from constructs_ab.stack_layout import StackLayout, StackPlan, stack_plans


@dataclass(frozen=True, kw_only=True)
class Environment:
    """One deployment environment: one Terraform stack, or one per load balancer (`stacks`).

    name: e.g. "staging" or "prod"; lowercase letters, digits and hyphens.
    region: AWS region, e.g. "eu-west-1".
    vpc_id, subnet_ids: where the load balancers live (at least 2 subnets in different zones).
    certificate_arn: ACM certificate of the HTTPS listeners; the default of each load balancer's.
    allowed_client_cidrs: IPv4 CIDRs admitted on ports 443 and 80 of the load balancers; the default of
        each load balancer's (an internal one leaves out 0.0.0.0/0).
    owner: team put in the `owner` tag of every resource.
    tags: extra tags on every resource. Default none.
    state: Default: local state.
    alarm_topic_per_experiment: false: the guardrail alarms of all experiments notify one SNS topic of the
        environment, encrypted with one KMS key, which every `guardrails.alarm_email` of the environment
        subscribes to; true: each experiment has its topic and key, subscribed by its own alarm_email
        only (a KMS key costs about 1 USD a month). Default false.
    stacks: `one`: the environment is one Terraform stack named after it; `per_load_balancer`: an
        environment stack (its alarm topic) and one stack per load balancer, `<environment>--<load
        balancer>`, so a change to one experiment re-synthesizes, re-checks and re-plans one load
        balancer's stack (`constructs_ab.stack_layout`). Default one.
    load_balancers: at least one.
    experiments: Default none.
    """

    name: str
    region: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    certificate_arn: str
    allowed_client_cidrs: tuple[str, ...]
    owner: str
    tags: tuple[tuple[str, str], ...] = ()
    state: RemoteState | None = None
    alarm_topic_per_experiment: bool = False
    stacks: StackLayout = StackLayout.ONE
    load_balancers: tuple[LoadBalancer, ...]
    experiments: tuple[Experiment, ...] = ()

    @property
    def variants(self) -> tuple[Variant, ...]:
        """Every distinct variant of the environment, in first-use order (shared ones once)."""
        seen: dict[str, Variant] = {}
        for experiment in self.experiments:
            for weighted in experiment.variants:
                seen.setdefault(weighted.variant.name, weighted.variant)
        return tuple(seen.values())

    @property
    def stacks_in_order(self) -> tuple[StackPlan, ...]:
        """The environment's stacks in deploy order (`stack_layout.stack_plans` of its `stacks` setting and
        load balancers): the environment stack first, then with `per_load_balancer` one per load balancer,
        in spec order."""
        return stack_plans(self.name, self.stacks, tuple(lb.name for lb in self.load_balancers))

    def load_balancer(self, name: str) -> LoadBalancer:
        return next(lb for lb in self.load_balancers if lb.name == name)

    def target_group_name(self, variant: Variant) -> str:
        """The AWS name the constructs give `variant`'s target group here (`aws_names.target_group_name`:
        a new name when a setting that replaces the target group changes)."""
        return aws_names.target_group_name(
            self.name,
            variant.name,
            port=variant.port,
            protocol=variant.protocol,
            target_type=variant.target_type,
            vpc_id=self.vpc_id,
        )


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A whole spec file: one or more environments."""

    environments: tuple[Environment, ...]


SUBNETS_ALLOWED = (
    f"subnet_ids lists at least {aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER} subnet ids (subnet- and 8 "
    "or 17 hexadecimal digits) in different Availability Zones"
)
CIDRS_ALLOWED = (
    "allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] "
    "(0.0.0.0/0 for a public API)"
)
#: The plain settings, in the order they are read.
RULES: dict[str, Rule] = {
    "region": REGION,
    "vpc_id": Text(
        allowed="vpc_id is vpc- and 8 or 17 hexadecimal digits, e.g. vpc-0a1b2c3d4e5f67890",
        test=formats.vpc_id,
    ),
    "subnet_ids": Items(
        item=Text(allowed=SUBNETS_ALLOWED, test=formats.subnet_id),
        allowed=SUBNETS_ALLOWED,
        min_items=aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER,
        repeated="list it once",
    ),
    "certificate_arn": CERTIFICATE,
    "allowed_client_cidrs": Items(
        item=Text(allowed=CIDRS_ALLOWED, test=lambda v: formats.cidr(v, ipv4_only=True)),
        allowed=CIDRS_ALLOWED,
        min_items=1,
        repeated="list it once",
    ),
    "owner": OWNER,
    "alarm_topic_per_experiment": Boolean.named(
        "alarm_topic_per_experiment",
        "true: an SNS topic and KMS key per experiment; false: one per environment",
    ),
    "stacks": Choice(
        allowed="stacks is one (one Terraform stack for the environment) or per_load_balancer (an "
        "environment stack and one stack per load balancer)",
        choices=StackLayout,
        wrong="is not a stack layout",
    ),
}
KEYS = keys_of(Environment, skip=("name",))
LOAD_BALANCERS_ALLOWED = "load_balancers maps a name to a load balancer, e.g. {public: {internal: false}}"
REQUIRED = required_keys(
    Environment,
    {
        "region": REGION.allowed,
        "vpc_id": "vpc_id is the VPC of the load balancers, e.g. vpc-0a1b2c3d4e5f67890",
        "subnet_ids": f"subnet_ids lists at least {aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER} subnets in "
        "different Availability Zones",
        "certificate_arn": "certificate_arn is the ACM certificate of the HTTPS listeners",
        "allowed_client_cidrs": "allowed_client_cidrs lists the client CIDR blocks admitted, e.g. [10.0.0.0/8]",
        "owner": OWNER.allowed,
        "load_balancers": LOAD_BALANCERS_ALLOWED,
    },
    skip=("name",),  # the key of the environment's map
)
EXPERIMENTS = Items(item=None, allowed="experiments is a list of experiments")


def check_settings(checks: Checks, environment: Environment, path: FieldPath) -> None:
    """The environment's own fields, a certificate in its region and partition, and a state backend in
    its partition."""
    check_fields(checks, environment, path, RULES)
    region = environment.region
    where = path.key("certificate_arn")
    wrong = placement_problem(environment.certificate_arn, region)
    if wrong is not None and checks.valid(where):
        checks.error(where, wrong)
    check_tags(checks, environment.tags, path.key("tags"))
    check_state(checks, environment.state, path.key("state"))
    state = environment.state
    state_region = path.key("state").key("region")
    if (
        state is not None
        and REGION.problem(region) is None
        and REGION.problem(state.region) is None
        and formats.partition_of(state.region) != formats.partition_of(region)
        and checks.valid(state_region)
    ):
        checks.error(
            state_region,
            f"{show(state.region)} is in partition {formats.partition_of(state.region)}, but the environment's "
            f"region {region} is in {formats.partition_of(region)}; the state bucket must be in the partition "
            "the credentials of the deploy are for: a region of the same partition",
        )


def check_references(checks: Checks, environment: Environment, experiments: list[FieldPath]) -> None:
    """The load balancer each experiment names (`experiments`: where each is) is one of the environment."""
    names = [load_balancer.name for load_balancer in environment.load_balancers]
    for experiment, path in zip(environment.experiments, experiments, strict=True):
        where = path.key("load_balancer")
        name = experiment.load_balancer
        if name and name not in names and checks.valid(where) and isinstance(name, str):
            checks.error(
                where,
                f"{show(name)} is not a load balancer of environment {environment.name}; "
                f"{suggestion(name, names)}load balancers: {listing(names)}",
            )
