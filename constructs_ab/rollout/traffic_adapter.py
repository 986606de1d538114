"""Build the review layer's `TrafficModel` of one environment straight from the Spec, without cdktf.

The rollout commands diff the model before and after their change, so a promote prints the same kind
of diff a reviewer sees on the synthesized Terraform JSON, in well under a second. The rules are the
routing model's (`constructs_ab.routing`), as the constructs synthesize them: an HTTPS listener with the
experiments' rules in priority order (override rules, then the split), the HTTP listener that redirects
to HTTPS, target groups labelled by variant and model. Terraform addresses are derived from the spec's
names and the rules' keys; they only need to be the same on both sides of the diff.
"""

from __future__ import annotations

from constructs_ab import aws_names
from constructs_ab.review.traffic import (
    Action,
    FixedResponseAction,
    ForwardAction,
    Listener,
    LoadBalancer,
    RedirectAction,
    Rule,
    Stack,
    Stickiness,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.routing.contract import MAX_STEP_TAG, PAUSED_VARIANTS_TAG, split_names
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.routing.rules import RoutedRule
from constructs_ab.spec import model
from constructs_ab.stack_layout import StackLayout, load_balancer_stack_name

#: Ports of the listeners every load balancer has.
HTTPS_PORT = 443
HTTP_PORT = 80


def _id(name: str) -> str:
    return name.replace("-", "_")


def _target_group(variant: model.Variant) -> TargetGroup:
    return TargetGroup(
        address=f"aws_lb_target_group.{_id(variant.name)}",
        name=variant.name,
        variant=variant.name,
        model=variant.model,
    )


def _rule(experiment: model.Experiment, rule: RoutedRule) -> Rule:
    variants = {weighted.variant.name: weighted.variant for weighted in experiment.variants}
    stickiness = rule.stickiness_to_terraform()
    max_step = rule.tags.get(MAX_STEP_TAG)
    paused = split_names(rule.tags.get(PAUSED_VARIANTS_TAG))
    return Rule(
        address=f"aws_lb_listener_rule.{_id(experiment.name)}_{_id(rule.key)}",
        priority=rule.priority,
        conditions=rule.conditions,
        action=ForwardAction.weighted(
            [_target_group(variants[target.variant]) for target in rule.targets],
            [target.weight for target in rule.targets],
            stickiness=Stickiness(enabled=stickiness.enabled, duration=stickiness.duration),
        ).with_paused([_target_group(variants[name]) for name in paused]),
        experiment=rule.experiment,
        role=rule.role,
        variants=rule.variants,
        paused_variants=paused,
        max_step=float(max_step) if max_step is not None else None,
    )


def _default_action(environment: model.Environment, balancer: model.LoadBalancer) -> Action:
    action = balancer.default_action
    if action.kind is model.DefaultActionKind.FORWARD and action.variant is not None:
        variant = next((v for v in environment.variants if v.name == action.variant), None)
        if variant is not None:
            return ForwardAction.weighted([_target_group(variant)], [1])
    return FixedResponseAction(status_code="404", content_type="application/json")


def _load_balancer(environment: model.Environment, balancer: model.LoadBalancer) -> LoadBalancer:
    rules = [
        _rule(exp, rule)
        for exp in environment.experiments
        if exp.load_balancer == balancer.name
        for rule in rules_of(exp)
    ]
    lb_id = _id(balancer.name)
    https = Listener(
        address=f"aws_lb_listener.{lb_id}_https",
        port=HTTPS_PORT,
        protocol="HTTPS",
        ssl_policy=balancer.ssl_policy,
        rules=Listener.ordered(rules),
        default_action=_default_action(environment, balancer),
    )
    http = Listener(
        address=f"aws_lb_listener.{lb_id}_http",
        port=HTTP_PORT,
        protocol="HTTP",
        default_action=RedirectAction(status_code="HTTP_301", protocol="HTTPS", port=str(HTTPS_PORT)),
    )
    return LoadBalancer(
        address=f"aws_lb.{lb_id}",
        name=aws_names.load_balancer_name(environment.name, balancer.name),
        listeners=(http, https),
        internal=balancer.internal,
    )


def traffic_model_of(environment: model.Environment) -> TrafficModel:
    """The routing of one environment as the review layer models it: one stack, or with `stacks:
    per_load_balancer` one per load balancer (`stack_layout`; the environment stack routes nothing)."""
    if environment.stacks is StackLayout.ONE:
        lbs = tuple(_load_balancer(environment, lb) for lb in environment.load_balancers)
        return TrafficModel(stacks=(Stack(name=environment.name, load_balancers=lbs),))
    return TrafficModel(
        stacks=tuple(
            Stack(
                name=load_balancer_stack_name(environment.name, lb.name),
                load_balancers=(_load_balancer(environment, lb),),
            )
            for lb in environment.load_balancers
        )
    )
