"""Build the review layer's `TrafficModel` of one environment straight from the Spec, without cdktf.

The rollout commands diff the model before and after their change, so a promote prints the same kind
of diff a reviewer sees on the synthesized Terraform JSON, in well under a second. The model follows
the Terraform JSON contract (see the team brief): an HTTPS listener with the experiments' rules in
priority order (override rules, then the split), the HTTP listener that redirects to HTTPS, target
groups labelled by variant and model. Terraform addresses are derived from the spec's names; they only
need to be the same on both sides of the diff.
"""

from __future__ import annotations

from constructs_ab.review.traffic import (
    Action,
    Condition,
    FixedResponseAction,
    ForwardAction,
    Listener,
    LoadBalancer,
    QueryPair,
    RedirectAction,
    Rule,
    RuleRole,
    Stack,
    Stickiness,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.spec import model

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


def conditions_of(match: model.Match) -> tuple[Condition, ...]:
    """The rule conditions of an experiment's match, one condition per kind, in a fixed order."""
    conditions: list[Condition] = []
    if match.paths:
        conditions.append(Condition.path_pattern(*match.paths))
    if match.hosts:
        conditions.append(Condition.host_header(*match.hosts))
    conditions.extend(Condition.http_header(h.name, *h.values) for h in match.headers)
    if match.query:
        conditions.append(Condition.query_string(*(QueryPair(key=q.key, value=q.value) for q in match.query)))
    if match.methods:
        conditions.append(Condition.http_request_method(*match.methods))
    if match.source_ips:
        conditions.append(Condition.source_ip(*match.source_ips))
    return tuple(conditions)


def _rules(experiment: model.Experiment) -> list[Rule]:
    conditions = conditions_of(experiment.match)
    variants = tuple(wv.variant.name for wv in experiment.variants)
    models = [wv.variant for wv in experiment.variants]
    rules: list[Rule] = []
    priorities = iter(experiment.rule_priorities)
    if experiment.override.enabled:
        for variant in models:
            rules.append(
                Rule(
                    address=f"aws_lb_listener_rule.{_id(experiment.name)}_override_{_id(variant.name)}",
                    priority=next(priorities),
                    conditions=(*conditions, Condition.http_header(experiment.override.header, variant.name)),
                    action=ForwardAction.weighted([_target_group(variant)], [1]),
                    experiment=experiment.name,
                    role=RuleRole.OVERRIDE,
                    variants=(variant.name,),
                )
            )
    duration = experiment.stickiness.duration
    rules.append(
        Rule(
            address=f"aws_lb_listener_rule.{_id(experiment.name)}_split",
            priority=next(priorities),
            conditions=conditions,
            action=ForwardAction.weighted(
                [_target_group(v) for v in models],
                [wv.weight for wv in experiment.variants],
                stickiness=Stickiness(enabled=duration is not None, duration=duration),
            ),
            experiment=experiment.name,
            role=RuleRole.SPLIT,
            variants=variants,
            paused_variants=tuple(wv.variant.name for wv in experiment.variants if wv.paused),
            max_step=experiment.ramp.effective_max_step if experiment.ramp is not None else None,
        )
    )
    return rules


def _default_action(environment: model.Environment, balancer: model.LoadBalancer) -> Action:
    action = balancer.default_action
    if action.kind is model.DefaultActionKind.FORWARD and action.variant is not None:
        variant = next((v for v in environment.variants if v.name == action.variant), None)
        if variant is not None:
            return ForwardAction.weighted([_target_group(variant)], [1])
    return FixedResponseAction(status_code="404", content_type="application/json")


def _load_balancer(environment: model.Environment, balancer: model.LoadBalancer) -> LoadBalancer:
    rules = [
        rule for exp in environment.experiments if exp.load_balancer == balancer.name for rule in _rules(exp)
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
        name=f"{environment.name}-{balancer.name}",
        listeners=(http, https),
        internal=balancer.internal,
    )


def traffic_model_of(environment: model.Environment) -> TrafficModel:
    """The routing of one environment (one stack) as the review layer models it."""
    return TrafficModel(
        stacks=(
            Stack(
                name=environment.name,
                load_balancers=tuple(_load_balancer(environment, lb) for lb in environment.load_balancers),
            ),
        )
    )
