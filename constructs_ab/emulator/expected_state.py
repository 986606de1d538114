"""What an environment of the spec declares for live routing: load balancers, HTTPS listener rules and
target groups, in the form `routing_state` compares.

The rule layout is the constructs' (see `constructs_ab/experiment.py`): with the override on, one rule per
variant at `experiment.rule_priorities` (in variant order) matching the experiment and the override
header with the variant's name, forwarding to it alone; the split at `experiment.split_priority` with
the weights and stickiness of the spec.
"""

from __future__ import annotations

from constructs_ab.emulator.routing_state import (
    Condition,
    EnvironmentState,
    HealthCheckState,
    LoadBalancerState,
    RuleState,
    TargetGroupState,
)
from constructs_ab.spec.model import DefaultActionKind, Environment, Experiment, Match, Variant
from constructs_ab.tagging import AB_ROLE_TAG, EXPERIMENT_TAG, VARIANT_TAG


def target_group_name(environment: Environment, variant: str) -> str:
    return f"{environment.name}-{variant}"


def load_balancer_name(environment: Environment, load_balancer: str) -> str:
    return f"{environment.name}-{load_balancer}"


def expected_environment(environment: Environment) -> EnvironmentState:
    """The routing state the environment's stack should produce."""
    load_balancers = {}
    for lb in environment.load_balancers:
        rules: dict[int, RuleState] = {}
        for experiment in environment.experiments:
            if experiment.load_balancer == lb.name:
                for rule in experiment_rules(environment, experiment):
                    rules[rule.priority] = rule
        action = lb.default_action
        default = (
            f"forward:{target_group_name(environment, action.variant)}"
            if action.kind is DefaultActionKind.FORWARD and action.variant
            else "fixed-404"
        )
        name = load_balancer_name(environment, lb.name)
        load_balancers[name] = LoadBalancerState(
            name=name,
            internal=lb.internal,
            idle_timeout=lb.idle_timeout,
            deletion_protection=lb.deletion_protection,
            default_action=default,
            rules=rules,
        )
    target_groups = {
        target_group_name(environment, v.name): _target_group(environment, v) for v in environment.variants
    }
    return EnvironmentState(load_balancers=load_balancers, target_groups=target_groups)


def experiment_rules(environment: Environment, experiment: Experiment) -> list[RuleState]:
    """The experiment's listener rules: the override rules (if on), then the split."""
    match = match_conditions(experiment.match)
    rules = []
    if experiment.override.enabled:
        for weighted, priority in zip(experiment.variants, experiment.rule_priorities, strict=False):
            name = weighted.variant.name
            header: Condition = ("http-header", experiment.override.header, (name,))
            rules.append(
                RuleState(
                    priority=priority,
                    conditions=tuple(sorted((*match, header))),
                    forward=((target_group_name(environment, name), 1),),
                    stickiness=None,
                    tags=((AB_ROLE_TAG, "override"), (EXPERIMENT_TAG, experiment.name), (VARIANT_TAG, name)),
                )
            )
    rules.append(
        RuleState(
            priority=experiment.split_priority,
            conditions=match,
            forward=tuple(
                sorted(
                    (target_group_name(environment, w.variant.name), w.weight) for w in experiment.variants
                )
            ),
            stickiness=experiment.stickiness.duration,
            tags=(
                (AB_ROLE_TAG, "split"),
                (EXPERIMENT_TAG, experiment.name),
                (VARIANT_TAG, " ".join(w.variant.name for w in experiment.variants)),
            ),
        )
    )
    return rules


def match_conditions(match: Match) -> tuple[Condition, ...]:
    """The normalized conditions of a match (see `routing_state`)."""
    conditions: list[Condition] = []
    if match.paths:
        conditions.append(("path-pattern", "", tuple(sorted(match.paths))))
    if match.hosts:
        conditions.append(("host-header", "", tuple(sorted(match.hosts))))
    for header in match.headers:
        conditions.append(("http-header", header.name, tuple(sorted(header.values))))
    if match.query:
        conditions.append(
            ("query-string", "", tuple(sorted(f"{q.key or ''}={q.value}" for q in match.query)))
        )
    if match.source_ips:
        conditions.append(("source-ip", "", tuple(sorted(match.source_ips))))
    if match.methods:
        conditions.append(("http-request-method", "", tuple(sorted(match.methods))))
    return tuple(sorted(conditions))


def _target_group(environment: Environment, variant: Variant) -> TargetGroupState:
    check = variant.health_check
    return TargetGroupState(
        name=target_group_name(environment, variant.name),
        port=variant.port,
        protocol=variant.protocol.value,
        target_type=variant.target_type.value,
        health_check=HealthCheckState(
            path=check.path,
            matcher=check.matcher,
            interval=check.interval,
            timeout=check.timeout,
            healthy_threshold=check.healthy_threshold,
            unhealthy_threshold=check.unhealthy_threshold,
        ),
        slow_start=variant.slow_start,
        deregistration_delay=variant.deregistration_delay,
    )
