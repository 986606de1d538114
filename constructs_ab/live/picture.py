"""The live routing picture: what the load balancers do now, as the review's traffic model (so `status`
prints it in `report`'s formats) plus, per experiment, its variants with their live weights, shares,
stickiness, target groups and target health.

An experiment is what the tag contract says: rules tagged `experiment`, the one with `ab-role: split`
holding the weighted forward, the `ab-role: override` ones forcing a variant. A variant is a target group
of the split; its name is the target group's `variant` tag (else the target group's name).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from constructs_ab.live.api_actions import action_from_api
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.resources import LiveLoadBalancer, LiveTargetGroup
from constructs_ab.review.traffic import (
    ForwardAction,
    Listener,
    LoadBalancer,
    Rule,
    RuleRole,
    Stack,
    Stickiness,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.routing.contract import (
    EXPERIMENT_TAG,
    MAX_STEP_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
    role_of,
    split_names,
)


@dataclass(frozen=True, kw_only=True)
class LiveVariant:
    """One target group of an experiment's split.

    name: the `variant` tag, else the target group's name.
    target_group: None when the ARN is not one of the load balancer's target groups.
    weight: the live weight; share: weight / sum of the split's weights (None when the sum is 0).
    paused: listed in the split rule's `paused-variants` tag.
    """

    name: str
    target_group_arn: str
    target_group: LiveTargetGroup | None
    weight: int | None
    share: float | None
    paused: bool = False

    @property
    def takes_traffic(self) -> bool:
        return bool(self.share)

    @property
    def shared_with(self) -> tuple[str, ...]:
        """Other experiments whose rules route to this target group (from its `experiment` tag)."""
        return self.target_group.experiments if self.target_group is not None else ()


@dataclass(frozen=True, kw_only=True)
class LiveExperiment:
    """An experiment on one listener.

    split: the split rule (None when only override rules were found).
    overrides: its override rules, in priority order.
    variants: the split's target groups, in the order of the split rule's `variant` tag (the spec's order;
        AWS may list a forward's target groups in another), then any the tag does not name (empty without a
        split).
    stickiness: the split's group stickiness; None when not declared (off).
    """

    name: str
    load_balancer: LiveLoadBalancer
    listener: str
    split: Rule | None
    overrides: tuple[Rule, ...]
    variants: tuple[LiveVariant, ...]
    stickiness: Stickiness | None

    def variant(self, name: str) -> LiveVariant | None:
        return next((v for v in self.variants if v.name == name), None)

    @property
    def sticky(self) -> bool:
        return self.stickiness is not None and self.stickiness.enabled


@dataclass(frozen=True, kw_only=True)
class LivePicture:
    """What one environment's load balancers do now.

    environment: the spec environment (the stack name in `traffic`).
    missing_load_balancers: AWS names asked for that do not exist.
    """

    identity: CallerIdentity
    environment: str
    load_balancers: tuple[LiveLoadBalancer, ...]
    missing_load_balancers: tuple[str, ...]
    traffic: TrafficModel
    experiments: tuple[LiveExperiment, ...]

    def experiment(self, name: str) -> LiveExperiment | None:
        return next((e for e in self.experiments if e.name == name), None)


def _resolver(balancer: LiveLoadBalancer) -> dict[str, TargetGroup]:
    return {
        group.arn: TargetGroup(address=group.arn, name=group.name, variant=group.variant, model=group.model)
        for group in balancer.target_groups
    }


def traffic_load_balancer(balancer: LiveLoadBalancer) -> LoadBalancer:
    """One load balancer in the traffic model: listeners by port, rules in evaluation order. Addresses are
    ARNs, except the load balancer's, which is its name (the report then names it once)."""
    groups = _resolver(balancer)

    def resolve(arn: str) -> TargetGroup:
        return groups.get(arn) or TargetGroup(address=arn, name=arn.rsplit(":", 1)[-1])

    listeners = []
    for listener in balancer.listeners:
        rules = []
        for live in listener.rules:
            action = action_from_api(live.actions, resolve)
            paused = split_names(live.tags.get(PAUSED_VARIANTS_TAG))
            if isinstance(action, ForwardAction) and paused:
                action = action.with_paused([_variant_group(groups, name) for name in paused])
            max_step = live.tags.get(MAX_STEP_TAG)
            rules.append(
                Rule(
                    address=live.arn,
                    priority=live.priority,
                    conditions=live.conditions,
                    action=action if action is not None else ForwardAction(targets=()),
                    experiment=live.tags.get(EXPERIMENT_TAG),
                    role=role_of(live.tags),
                    variants=split_names(live.tags.get(VARIANT_TAG)),
                    paused_variants=paused,
                    max_step=float(max_step) if max_step and _is_number(max_step) else None,
                )
            )
        listeners.append(
            Listener(
                address=listener.arn,
                port=listener.port,
                protocol=listener.protocol,
                ssl_policy=listener.ssl_policy,
                rules=Listener.ordered(rules),
                default_action=action_from_api(listener.default_actions, resolve),
            )
        )
    return LoadBalancer(
        address=balancer.name, name=balancer.name, listeners=tuple(listeners), internal=balancer.internal
    )


def _variant_group(groups: dict[str, TargetGroup], variant: str) -> TargetGroup:
    """The load balancer's target group tagged with `variant` (a paused variant, which the split does not
    forward to); a placeholder named after the variant when there is none."""
    found = [group for group in groups.values() if group.variant == variant]
    if len(found) == 1:
        return found[0]
    return TargetGroup(address=f"(paused variant {variant})", name=variant, variant=variant)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _experiments(balancer: LiveLoadBalancer, traffic: LoadBalancer) -> Iterator[LiveExperiment]:
    for listener in traffic.listeners:
        names = list(dict.fromkeys(r.experiment for r in listener.rules if r.experiment))
        for name in names:
            rules = [r for r in listener.rules if r.experiment == name]
            split = next((r for r in rules if r.role is RuleRole.SPLIT), None)
            overrides = tuple(r for r in rules if r.role is RuleRole.OVERRIDE)
            variants: list[LiveVariant] = []
            stickiness = None
            if split is not None and isinstance(split.action, ForwardAction):
                stickiness = split.action.stickiness
                for target in split.action.targets:
                    group = balancer.target_group(target.target_group.address)
                    label = target.target_group.label
                    variants.append(
                        LiveVariant(
                            name=label,
                            target_group_arn=target.target_group.address,
                            target_group=group,
                            weight=target.weight,
                            share=target.share,
                            paused=label in split.paused_variants,
                        )
                    )
            order = {variant: index for index, variant in enumerate(split.variants if split else ())}
            variants.sort(
                key=lambda v: order.get(v.name, len(order))
            )  # stable: unknown ones keep AWS's order
            yield LiveExperiment(
                name=name,
                load_balancer=balancer,
                listener=listener.label,
                split=split,
                overrides=overrides,
                variants=tuple(variants),
                stickiness=stickiness,
            )


def build_picture(
    *,
    identity: CallerIdentity,
    environment: str,
    load_balancers: tuple[LiveLoadBalancer, ...],
    missing: tuple[str, ...] = (),
) -> LivePicture:
    """The picture of `load_balancers` (already read), named after `environment`."""
    traffic = tuple(traffic_load_balancer(balancer) for balancer in load_balancers)
    experiments = tuple(
        experiment
        for balancer, modelled in zip(load_balancers, traffic, strict=True)
        for experiment in _experiments(balancer, modelled)
    )
    return LivePicture(
        identity=identity,
        environment=environment,
        load_balancers=load_balancers,
        missing_load_balancers=missing,
        traffic=TrafficModel(stacks=(Stack(name=environment, load_balancers=traffic),)),
        experiments=experiments,
    )
