"""An A/B experiment on a listener: the weighted split rule and the force-variant override rules.

The split rule forwards the experiment's requests to its variants' target groups by weight (share =
weight / sum of weights) with explicit group stickiness. With the override on, one rule per variant,
evaluated before the split (lower priority numbers), sends requests that carry
`X-Model-Variant: <variant>` to that variant only.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs import Construct

from constructs_ab.provider import (
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleActionForward,
    LbListenerRuleActionForwardStickiness,
    LbListenerRuleActionForwardTargetGroup,
    LbListenerRuleCondition,
    LbListenerRuleConditionHostHeader,
    LbListenerRuleConditionHttpHeader,
    LbListenerRuleConditionHttpRequestMethod,
    LbListenerRuleConditionPathPattern,
    LbListenerRuleConditionQueryString,
    LbListenerRuleConditionSourceIp,
)
from constructs_ab.spec.model import Experiment, Match, Stickiness
from constructs_ab.tagging import (
    AB_ROLE_TAG,
    EXPERIMENT_TAG,
    MAX_STEP_TAG,
    MODEL_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
    BaseTags,
)

SPLIT_ROLE = "split"
OVERRIDE_ROLE = "override"
#: The provider requires a stickiness duration even when stickiness is off; AWS ignores it then.
DISABLED_STICKINESS_DURATION = 1


@dataclass(frozen=True, kw_only=True)
class ModelExperimentProps:
    """Properties of a `ModelExperiment`.

    experiment: the experiment: match, weighted variants, priority, stickiness and override (see
        `constructs_ab.spec.model.Experiment`; defaults: stickiness off, override on with header
        X-Model-Variant).
    listener_arn: the HTTPS listener the rules attach to.
    target_group_arns: target group ARN of each of the experiment's variants, by variant name.
    tags: environment, owner and extra tags; `experiment.owner`, when set, replaces the owner.
    """

    experiment: Experiment
    listener_arn: str
    target_group_arns: Mapping[str, str]
    tags: BaseTags


class ModelExperiment(Construct):
    """The listener rules of one experiment.

    Children: `override_rules` (one aws_lb_listener_rule per variant, keyed by variant name, in
    variant order; empty when the override is off) and `split_rule` (the weighted forward).
    Priorities: `experiment.rule_priorities`, overrides first, then the split.
    """

    split_rule: LbListenerRule
    override_rules: dict[str, LbListenerRule]

    def __init__(self, scope: Construct, id: str, props: ModelExperimentProps) -> None:
        super().__init__(scope, id)
        experiment = props.experiment
        self.props = props
        missing = [
            w.variant.name for w in experiment.variants if w.variant.name not in props.target_group_arns
        ]
        if missing:
            raise ValueError(
                f"experiment {experiment.name}: target_group_arns has no ARN for "
                f"variant(s) {', '.join(missing)}"
            )
        tags = props.tags.with_owner(experiment.owner)
        priorities = experiment.rule_priorities
        self.override_rules = {}
        if experiment.override.enabled:
            for weighted, priority in zip(experiment.variants, priorities, strict=False):
                variant = weighted.variant
                self.override_rules[variant.name] = LbListenerRule(
                    self,
                    f"override-{variant.name}",
                    listener_arn=props.listener_arn,
                    priority=priority,
                    condition=[
                        *conditions(experiment.match),
                        LbListenerRuleCondition(
                            http_header=LbListenerRuleConditionHttpHeader(
                                http_header_name=experiment.override.header, values=[variant.name]
                            )
                        ),
                    ],
                    action=[
                        _forward(
                            [(props.target_group_arns[variant.name], 1)],
                            Stickiness(),
                        )
                    ],
                    tags=tags.with_(
                        {
                            EXPERIMENT_TAG: experiment.name,
                            AB_ROLE_TAG: OVERRIDE_ROLE,
                            VARIANT_TAG: variant.name,
                            MODEL_TAG: variant.model,
                        }
                    ),
                )
        split_tags = {
            EXPERIMENT_TAG: experiment.name,
            AB_ROLE_TAG: SPLIT_ROLE,
            MODEL_TAG: " ".join(w.variant.model for w in experiment.variants),
            VARIANT_TAG: " ".join(w.variant.name for w in experiment.variants),
        }
        paused = [w.variant.name for w in experiment.variants if w.paused and w.weight == 0]
        if paused:
            split_tags[PAUSED_VARIANTS_TAG] = " ".join(paused)
        if experiment.ramp is not None:
            split_tags[MAX_STEP_TAG] = str(experiment.ramp.effective_max_step)
        self.split_rule = LbListenerRule(
            self,
            "split",
            listener_arn=props.listener_arn,
            priority=experiment.split_priority,
            condition=conditions(experiment.match),
            action=[
                _forward(
                    [(props.target_group_arns[w.variant.name], w.weight) for w in experiment.variants],
                    experiment.stickiness,
                )
            ],
            tags=tags.with_(split_tags),
        )


def conditions(match: Match) -> list[LbListenerRuleCondition]:
    """The listener rule conditions of a match: one condition per kind (and per header), ANDed."""
    result: list[LbListenerRuleCondition] = []
    if match.paths:
        result.append(
            LbListenerRuleCondition(path_pattern=LbListenerRuleConditionPathPattern(values=list(match.paths)))
        )
    if match.hosts:
        result.append(
            LbListenerRuleCondition(host_header=LbListenerRuleConditionHostHeader(values=list(match.hosts)))
        )
    for header in match.headers:
        result.append(
            LbListenerRuleCondition(
                http_header=LbListenerRuleConditionHttpHeader(
                    http_header_name=header.name, values=list(header.values)
                )
            )
        )
    if match.query:
        result.append(
            LbListenerRuleCondition(
                query_string=[
                    LbListenerRuleConditionQueryString(key=q.key, value=q.value) for q in match.query
                ]
            )
        )
    if match.source_ips:
        result.append(
            LbListenerRuleCondition(source_ip=LbListenerRuleConditionSourceIp(values=list(match.source_ips)))
        )
    if match.methods:
        result.append(
            LbListenerRuleCondition(
                http_request_method=LbListenerRuleConditionHttpRequestMethod(values=list(match.methods))
            )
        )
    return result


def _forward(target_groups: list[tuple[str, int]], stickiness: Stickiness) -> LbListenerRuleAction:
    return LbListenerRuleAction(
        type="forward",
        forward=LbListenerRuleActionForward(
            target_group=[
                LbListenerRuleActionForwardTargetGroup(arn=arn, weight=weight)
                for arn, weight in target_groups
            ],
            stickiness=(
                LbListenerRuleActionForwardStickiness(enabled=True, duration=stickiness.duration)
                if stickiness.duration is not None
                else LbListenerRuleActionForwardStickiness(
                    enabled=False, duration=DISABLED_STICKINESS_DURATION
                )
            ),
        ),
    )
