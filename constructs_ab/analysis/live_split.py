"""The experiment's split as it is live: which variants take traffic with which weights, where their
load balancer metrics are, whether the split is sticky, and how it differs from the spec.

The analysis compares requests with the live weights (what the load balancer applies), not the spec's:
a spec edited but not yet deployed says nothing about the traffic measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_ab.analysis.metric_queries import VariantTarget
from constructs_ab.live.aws_errors import LiveError
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.elbv2_reader import read_load_balancers
from constructs_ab.live.picture import LiveExperiment, LivePicture, LiveVariant, build_picture
from constructs_ab.review.traffic import ForwardAction
from constructs_ab.spec.model import Environment, Experiment


@dataclass(frozen=True, kw_only=True)
class LiveSplit:
    """targets: the variants that take traffic (live weight above 0), in the spec's order.
    weights: (variant, live weight) of every variant of the split, in the spec's order.
    paused: variants with live weight 0. shared: variant -> what else routes requests to its target group
    (other experiments, rules, a listener's default action), whose requests its metrics then include.
    spec_differs: the spec's weights differ from the live ones.
    """

    experiment: LiveExperiment
    targets: tuple[VariantTarget, ...]
    weights: tuple[tuple[str, int], ...]
    paused: tuple[str, ...]
    shared: dict[str, tuple[str, ...]]
    sticky: bool
    spec_differs: bool


def _order(experiment: Experiment) -> dict[str, int]:
    return {weighted.variant.name: index for index, weighted in enumerate(experiment.variants)}


def read_live_split(
    elbv2: Any, identity: CallerIdentity, environment: Environment, experiment: Experiment
) -> LiveSplit:
    """Read the experiment's load balancer and find its split; LiveError when it is not deployed."""
    name = environment.load_balancer(experiment.load_balancer).aws_name(environment.name)
    where = f"{identity.describe()}"
    read = read_load_balancers(elbv2, [name])
    if not read.load_balancers:
        raise LiveError(
            f"load balancer {name} of experiment {experiment.name} is not in {where}; is it deployed?"
        )
    picture = build_picture(
        identity=identity, environment=environment.name, load_balancers=read.load_balancers
    )
    live = picture.experiment(experiment.name)
    if live is None or live.split is None or not live.variants:
        raise LiveError(
            f"experiment {experiment.name} has no split rule on {name} in {where}; is it deployed?"
        )
    order = _order(experiment)
    variants = sorted(live.variants, key=lambda v: (order.get(v.name, len(order)), v.name))
    targets = tuple(
        VariantTarget(
            name=v.name, target_group=v.target_group.arn_suffix, load_balancer=live.load_balancer.arn_suffix
        )
        for v in variants
        if v.target_group is not None and (v.weight or 0) > 0
    )
    spec_weights = {w.variant.name: w.weight for w in experiment.variants}
    live_weights = {v.name: v.weight or 0 for v in variants}
    return LiveSplit(
        experiment=live,
        targets=targets,
        weights=tuple((v.name, v.weight or 0) for v in variants),
        paused=tuple(v.name for v in variants if not v.weight),
        shared={
            name: found
            for name, found in ((v.name, _other_sources(picture, live, v)) for v in variants)
            if found
        },
        sticky=live.sticky,
        spec_differs=_shares(spec_weights) != _shares(live_weights),
    )


def _other_sources(picture: LivePicture, live: LiveExperiment, variant: LiveVariant) -> tuple[str, ...]:
    """What else sends requests to the variant's target group: other experiments (its `experiment` tag or
    their rules), other rules and listener default actions of the load balancer."""
    found = [e for e in variant.shared_with if e != live.name]
    for _stack, balancer, listener in picture.traffic.listeners():
        actions = [(f"the default action of {balancer.name} {listener.label}", listener.default_action)]
        actions += [
            (rule.experiment or f"rule {rule.priority} of {balancer.name} {listener.label}", rule.action)
            for rule in listener.rules
            if rule.experiment != live.name
        ]
        for source, action in actions:
            if isinstance(action, ForwardAction) and any(
                t.target_group.address == variant.target_group_arn and (t.weight is None or t.weight > 0)
                for t in action.targets
            ):
                found.append(source)
    return tuple(dict.fromkeys(found))


def _shares(weights: dict[str, int]) -> dict[str, float]:
    total = sum(weights.values())
    return {name: round(weight / total, 6) if total else 0.0 for name, weight in weights.items()}
