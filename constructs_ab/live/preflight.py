"""Preflight: may this spec be deployed onto what runs now? Every reason it may not, one finding each.

    findings = preflight(PreflightInput(environment=change, base=base, read=read, groups=groups, ...))

The checks, for the load balancers of the environment that were read:

- healthy targets: every variant the change gives a positive weight (and a forwarding default action)
  has at least `min_healthy` healthy targets in its target group; a target group that does not exist yet
  would take traffic before any target is healthy (a weighted target group whose targets are all unhealthy
  fails open: its share gets errors).
- drift: the live rules are what the base spec (the one deployed last) declares (`drift`); without a
  base this is not checked, which a note says.
- quotas: the rules the change puts on a load balancer plus the rules already there that are not this
  environment's experiments' within its rule quota; the same for its target groups; the target groups of
  each forward. Quotas are the account's (DescribeAccountLimits) where it gives them, else the spec's
  `max_rules` and `aws_limits`.
- sticky splits: a variant that takes traffic on a sticky split and that the change moves to weight 0
  (or removes): clients holding the stickiness cookie keep going to its target group until the cookie
  expires. A blocking finding unless `allow_sticky_drain`, then a note.
- existing listeners (a load balancer with `existing_listener`, which the stack reads and does not
  create): the load balancer and the listener exist, the load balancer is in the environment's VPC (the
  target groups'), the listener is HTTPS, and no rule already on it that is not this environment's holds
  a priority the change needs (its rules count in the quota check above).

Pure: reads the values `elbv2_reader` built; no AWS call here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_ab import aws_limits
from constructs_ab.live.drift import HTTPS, environment_drift, experiment_listener, variant_target_group_name
from constructs_ab.live.elbv2_reader import LoadBalancersRead
from constructs_ab.live.picture import LivePicture
from constructs_ab.live.resources import LiveListener, LiveLoadBalancer, LiveRule, LiveTargetGroup
from constructs_ab.review.traffic import format_percent
from constructs_ab.routing.contract import ENVIRONMENT_TAG, EXPERIMENT_TAG, VARIANT_TAG
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.spec.model import DefaultActionKind, Environment, Experiment, LoadBalancer

HEALTH = "healthy targets"
DRIFT = "drift"
QUOTA = "quota"
STICKY = "sticky split"
EXISTING = "existing listener"
#: The checks in the order findings are listed.
CHECKS = (HEALTH, DRIFT, QUOTA, STICKY, EXISTING)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One reason not to deploy (blocking), or a note.

    check: one of CHECKS.
    message: one line naming the experiment, variant or load balancer, the value and what is needed.
    """

    check: str
    message: str
    blocking: bool = True


@dataclass(frozen=True, kw_only=True)
class PreflightInput:
    """What preflight looks at.

    environment: the environment of the spec to deploy.
    base: the same environment in the spec deployed last; None: drift is not checked.
    read: its load balancers, live (those asked for).
    picture: the live routing picture of `read` (live splits and their stickiness).
    groups: live target groups by AWS name: the load balancers' and the change's by name.
    limits: DescribeAccountLimits by name.
    min_healthy: healthy targets a variant with traffic needs, at least 1. Default 1.
    allow_sticky_drain: a sticky split's variant moved to 0 is a note, not a reason. Default False.
    """

    environment: Environment
    base: Environment | None
    read: LoadBalancersRead
    picture: LivePicture
    groups: Mapping[str, LiveTargetGroup]
    limits: Mapping[str, int] = field(default_factory=dict)
    min_healthy: int = 1
    allow_sticky_drain: bool = False


def in_scope(environment: Environment, read: LoadBalancersRead) -> list[Experiment]:
    """The experiments on the load balancers asked for (found or missing)."""
    names = {lb.name for lb in read.load_balancers} | set(read.missing)
    return [
        e
        for e in environment.experiments
        if environment.load_balancer(e.load_balancer).aws_name(environment.name) in names
    ]


def preflight(given: PreflightInput) -> tuple[Finding, ...]:
    """Every finding, check by check (CHECKS order)."""
    findings = [*_health(given), *_drift(given), *_quotas(given), *_sticky(given), *_existing(given)]
    return tuple(findings)


def _group_health(given: PreflightInput, variant: str, subject: str, share: float | None) -> Finding | None:
    name = variant_target_group_name(given.environment, variant)
    group = given.groups.get(name)
    traffic = f"its {format_percent(share)} of the traffic" if share is not None else "the traffic it takes"
    if group is None:
        return Finding(
            check=HEALTH,
            message=f"{subject}: target group {name} does not exist yet, so the deploy would send it {traffic} "
            "before any target is healthy; deploy the variant with weight 0 first, then raise it",
        )
    healthy = group.health.healthy
    if healthy < given.min_healthy:
        return Finding(
            check=HEALTH,
            message=f"{subject}: {healthy} healthy target{'' if healthy == 1 else 's'} in {name} "
            f"({group.health.describe()}), at least {given.min_healthy} needed for {traffic}",
        )
    return None


def _health(given: PreflightInput) -> list[Finding]:
    findings: list[Finding] = []
    for experiment in in_scope(given.environment, given.read):
        total = sum(w.weight for w in experiment.variants)
        for weighted in experiment.variants:
            if weighted.weight > 0:
                subject = f"experiment {experiment.name}, variant {weighted.variant.name}"
                share = weighted.weight / total if total else None
                found = _group_health(given, weighted.variant.name, subject, share)
                if found is not None:
                    findings.append(found)
    for spec_lb in _load_balancers(given):
        action = spec_lb.default_action
        if action.kind is DefaultActionKind.FORWARD and action.variant:
            subject = f"load balancer {spec_lb.name}, default action to variant {action.variant}"
            found = _group_health(given, action.variant, subject, None)
            if found is not None:
                findings.append(found)
    return findings


def _load_balancers(given: PreflightInput) -> list[LoadBalancer]:
    names = {lb.name for lb in given.read.load_balancers} | set(given.read.missing)
    env = given.environment
    return [lb for lb in env.load_balancers if lb.aws_name(env.name) in names]


def _drift(given: PreflightInput) -> list[Finding]:
    if given.base is None:
        return [
            Finding(
                check=DRIFT,
                message="drift not checked: pass --base with the spec deployed last (e.g. the previous "
                "commit's) to check that the live rules are what it declares",
                blocking=False,
            )
        ]
    return [
        Finding(check=DRIFT, message=f"live differs from the base spec: {difference.describe()}")
        for difference in environment_drift(given.base, given.read)
    ]


def _ours(tags: Mapping[str, str], environment: str) -> bool:
    return tags.get(ENVIRONMENT_TAG) == environment and bool(
        tags.get(EXPERIMENT_TAG) or tags.get(VARIANT_TAG)
    )


def _quotas(given: PreflightInput) -> list[Finding]:
    env = given.environment
    found = {lb.name: lb for lb in given.read.load_balancers}
    findings: list[Finding] = []
    per_action = given.limits.get(
        aws_limits.TARGET_GROUPS_PER_ACTION_LIMIT_NAME, aws_limits.MAX_TARGET_GROUPS_PER_FORWARD
    )
    for spec_lb in _load_balancers(given):
        experiments = [e for e in env.experiments if e.load_balancer == spec_lb.name]
        for experiment in experiments:
            for rule in rules_of(experiment):
                if len(rule.targets) > per_action:
                    findings.append(
                        Finding(
                            check=QUOTA,
                            message=f"experiment {experiment.name}: its {rule.key} rule forwards to "
                            f"{len(rule.targets)} target groups; a forward takes at most {per_action}",
                        )
                    )
        live = found.get(spec_lb.aws_name(env.name))
        if live is not None:
            findings.extend(_load_balancer_quotas(given, spec_lb, live, experiments))
    return findings


def _load_balancer_quotas(
    given: PreflightInput, spec_lb: LoadBalancer, live: LiveLoadBalancer, experiments: list[Experiment]
) -> list[Finding]:
    env = given.environment.name
    findings = []
    rules_limit = given.limits.get(aws_limits.RULES_PER_LOAD_BALANCER_LIMIT_NAME)
    quota, source = (
        (rules_limit, "the account's, from DescribeAccountLimits")
        if rules_limit is not None
        else (spec_lb.max_rules, "max_rules in the spec")
    )
    others = [r for listener in live.listeners for r in listener.rules if not _ours(r.tags, env)]
    needed = sum(e.rule_count for e in experiments)
    if needed + len(others) > quota:
        findings.append(
            Finding(
                check=QUOTA,
                message=f"load balancer {live.name}: {needed} rules of the spec + {len(others)} other rules "
                f"already there = {needed + len(others)}, above its rule quota of {quota} ({source})",
            )
        )
    groups_limit = given.limits.get(
        aws_limits.TARGET_GROUPS_PER_LOAD_BALANCER_LIMIT_NAME, aws_limits.MAX_TARGET_GROUPS_PER_LOAD_BALANCER
    )
    other_groups = [g for g in live.target_groups if not _ours(g.tags, env)]
    variants = {w.variant.name for e in experiments for w in e.variants}
    if len(variants) + len(other_groups) > groups_limit:
        findings.append(
            Finding(
                check=QUOTA,
                message=f"load balancer {live.name}: {len(variants)} target groups of the spec + "
                f"{len(other_groups)} others already there = {len(variants) + len(other_groups)}, above "
                f"the {groups_limit} target groups a load balancer serves",
            )
        )
    return findings


def _sticky(given: PreflightInput) -> list[Finding]:
    findings: list[Finding] = []
    for experiment in in_scope(given.environment, given.read):
        live = given.picture.experiment(experiment.name)
        if live is None or not live.sticky or live.stickiness is None:
            continue
        weights = {w.variant.name: w.weight for w in experiment.variants}
        for variant in live.variants:
            if variant.weight and weights.get(variant.name, 0) == 0:
                change = "removed" if variant.name not in weights else "moved to weight 0"
                group = variant.target_group.name if variant.target_group else variant.target_group_arn
                findings.append(
                    Finding(
                        check=STICKY,
                        message=f"experiment {experiment.name}, variant {variant.name}: weight "
                        f"{variant.weight} {change} on a sticky split (stickiness "
                        f"{live.stickiness.duration} s): clients holding the cookie keep going to {group} "
                        f"for up to {live.stickiness.duration} s; keep its targets registered that long",
                        blocking=not given.allow_sticky_drain,
                    )
                )
    return findings


def _existing(given: PreflightInput) -> list[Finding]:
    env = given.environment
    found = {lb.name: lb for lb in given.read.load_balancers}
    findings: list[Finding] = []
    for spec_lb in _load_balancers(given):
        listener_spec = spec_lb.existing_listener
        if listener_spec is None:
            continue
        name = spec_lb.aws_name(env.name)
        subject = f"load balancer {spec_lb.name} (existing_listener)"
        live = found.get(name)
        if live is None:
            findings.append(
                Finding(
                    check=EXISTING,
                    message=f"{subject}: load balancer {name} does not exist; existing_listener names a load "
                    "balancer managed elsewhere, which the stack reads and does not create: check its name, "
                    "the account and --region",
                )
            )
            continue
        if live.vpc_id is not None and live.vpc_id != env.vpc_id:
            findings.append(
                Finding(
                    check=EXISTING,
                    message=f"{subject}: load balancer {name} is in VPC {live.vpc_id}, but the environment's "
                    f"vpc_id, where the experiments' target groups are made, is {env.vpc_id}; a load balancer "
                    f"forwards only to target groups of its own VPC: set vpc_id to {live.vpc_id}",
                )
            )
        listener = experiment_listener(spec_lb, live)
        wanted = listener_spec.arn or f"on port {listener_spec.port}"
        if listener is None:
            ports = (
                ", ".join(f"{ln.port} ({ln.protocol})" for ln in sorted(live.listeners, key=_port)) or "none"
            )
            findings.append(
                Finding(
                    check=EXISTING,
                    message=f"{subject}: load balancer {name} has no listener {wanted} (its listeners: {ports}); "
                    "name its HTTPS listener",
                )
            )
            continue
        if listener.protocol != HTTPS:
            findings.append(
                Finding(
                    check=EXISTING,
                    message=f"{subject}: the listener {wanted} of {name} is {listener.protocol}; the "
                    "experiments' rules need an HTTPS listener",
                )
            )
        findings.extend(_taken_priorities(given, spec_lb, listener.rules, name))
    return findings


def _taken_priorities(
    given: PreflightInput, spec_lb: LoadBalancer, rules: tuple[LiveRule, ...], name: str
) -> list[Finding]:
    """A rule already on the existing listener, not this environment's, holding a priority the change needs."""
    held = {
        r.priority: r for r in rules if r.priority is not None and not _ours(r.tags, given.environment.name)
    }
    findings = []
    for experiment in given.environment.experiments:
        if experiment.load_balancer != spec_lb.name:
            continue
        for rule in rules_of(experiment):
            if rule.priority in held:
                findings.append(
                    Finding(
                        check=EXISTING,
                        message=f"experiment {experiment.name}: its {rule.key} rule needs priority "
                        f"{rule.priority} on {name}, which a rule already there holds ({held[rule.priority].arn}); "
                        "list that priority in reserved_priorities of load balancer "
                        f"{spec_lb.name} (assigned priorities skip them) or give the experiment another priority",
                    )
                )
    return findings


def _port(listener: LiveListener) -> int:
    return listener.port or 0
