"""What an environment of the spec declares for live routing: load balancers, HTTPS listener rules and
target groups, in the form `routing_state` compares.

The rules are the routing model's (`constructs_ab.routing.from_spec.rules_of`, what the constructs
write), with each variant's target group by its AWS name (`constructs_ab.aws_names`).
"""

from __future__ import annotations

from constructs_ab import aws_names
from constructs_ab.emulator.routing_state import (
    EnvironmentState,
    HealthCheckState,
    LoadBalancerState,
    RuleState,
    TargetGroupState,
)
from constructs_ab.routing.conditions import normalized
from constructs_ab.routing.contract import AB_ROLE_TAG, EXPERIMENT_TAG, VARIANT_TAG
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.spec.model import DefaultActionKind, Environment, Experiment, Variant

#: The rule tags compared with the live ones (the rest of the contract is the gate's and the review's).
COMPARED_RULE_TAGS = (AB_ROLE_TAG, EXPERIMENT_TAG, VARIANT_TAG)


def target_group_name(environment: Environment, variant: str) -> str:
    """The AWS name of variant `variant`'s target group, as the constructs name it (with the hash of the
    settings that replace it, so it changes with them)."""
    return environment.target_group_name(next(v for v in environment.variants if v.name == variant))


def load_balancer_name(environment: Environment, load_balancer: str) -> str:
    return aws_names.load_balancer_name(environment.name, load_balancer)


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
    """The experiment's listener rules, in evaluation order."""
    return [
        RuleState(
            priority=rule.priority,
            conditions=normalized(rule.conditions),
            forward=tuple(
                sorted((target_group_name(environment, t.variant), t.weight) for t in rule.targets)
            ),
            stickiness=rule.stickiness,
            tags=tuple(sorted((k, v) for k, v in rule.tags.items() if k in COMPARED_RULE_TAGS)),
        )
        for rule in rules_of(experiment)
    ]


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
