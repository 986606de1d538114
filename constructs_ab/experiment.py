"""An A/B experiment on a listener: the weighted split rule and the force-variant override rules.

The rules come from the routing model (`constructs_ab.routing.rules.ExperimentRouting.rules()`); this
construct only writes each as an `aws_lb_listener_rule`. The split rule forwards the experiment's
requests to its targets by weight (share = weight / sum of weights) with explicit group stickiness. With
an override header, one rule per variant, evaluated before the split (lower priority numbers), sends
requests that carry `<override header>: <variant>` to that variant only.

    ModelExperiment(stack, "experiment-abtest", ModelExperimentProps(
        experiment="abtest",
        listener_arn=load_balancer.https_listener_arn,
        priority=100,
        conditions=(Condition.path_patterns("/abtest", "/abtest/*"),),
        targets=(
            ModelExperimentTarget(variant="model-a", model="sentiment:1.4.2", weight=80,
                                  target_group_arn=model_a.arn),
            ModelExperimentTarget(variant="model-b", model="sentiment:2.0.0", weight=20,
                                  target_group_arn=model_b.arn),
        ),
        stickiness=3600,
        tags=tags,
    ))

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cdktf import TerraformResourceLifecycle
from constructs import Construct

from constructs_ab import provider as aws
from constructs_ab.prop_checks import PropProblems
from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.contract import DEFAULT_OVERRIDE_HEADER, RuleRole
from constructs_ab.routing.layout import rule_resource_name
from constructs_ab.routing.rules import ExperimentRouting, ExperimentTarget, RoutedRule
from constructs_ab.tagging import BaseTags

#: A Terraform resource name: a letter or underscore, then letters, digits, underscores and hyphens.
_TERRAFORM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, kw_only=True)
class ModelExperimentTarget(ExperimentTarget):
    """One variant of the split (`variant`, `model`, `weight`, `paused`: see `ExperimentTarget`), with its
    target group.

    target_group_arn: its target group, e.g. `ModelVariant.arn`.
    """

    target_group_arn: str


@dataclass(frozen=True, kw_only=True)
class ModelExperimentProps:
    """Properties of a `ModelExperiment`. Checked against the AWS limits when the construct is made.

    experiment: the experiment name (tag `experiment` of every rule).
    listener_arn: the HTTPS listener the rules attach to.
    priority: priority of the first rule, 1..50000. The override rules take `priority`, `priority + 1`,
        ... in target order and the split `priority + 5` (without override rules: `priority`); see
        `constructs_ab.routing.layout`.
    conditions: which requests the experiment takes, ANDed, at least one; build them with the
        `Condition` factories, e.g. `Condition.path_patterns("/abtest", "/abtest/*")`. The rules list
        them in the canonical order. At most 5 condition values and 5 wildcards per rule (the override
        header counts as one value).
    targets: the weighted variants, 1..5, at least one weight positive.
    tags: environment, owner and extra tags, put on every rule under the contract tags.
    stickiness: group stickiness of the split, seconds, 1..604800. Default None (off, written as
        `enabled = false`).
    override_header: header whose value forces a variant, through one override rule per target.
        Default "X-Model-Variant"; None: no override rules.
    max_step: the ramp's largest accepted share change, percentage points, 1..100, written in the
        split's `ab-max-step` tag for the traffic diff. Default None (no ramp).
    override_source_ips: client CIDR blocks the override rules admit (a source-ip condition on each); on
        an internet-facing load balancer, without them any client can pin any variant with one header.
        Default none.
    listener_key: names the rules in Terraform by their listener and priority,
        `<listener_key>_rule-<priority>` (`routing.layout.rule_resource_name`): unique per stack, e.g.
        the load balancer's construct id (`lb-public`). Then a rule keeps its Terraform name, and is
        updated in place, whatever experiment or variant takes its priority, and Terraform never
        creates a rule at a priority that one of its rules still holds. Default None: cdktf's names
        from the construct path (which change with the experiment and variant names).
    """

    experiment: str
    listener_arn: str
    priority: int
    conditions: tuple[Condition, ...]
    targets: tuple[ModelExperimentTarget, ...]
    tags: BaseTags
    stickiness: int | None = None
    override_header: str | None = DEFAULT_OVERRIDE_HEADER
    max_step: int | None = None
    override_source_ips: tuple[str, ...] = ()
    listener_key: str | None = None

    @classmethod
    def from_routing(
        cls,
        routing: ExperimentRouting,
        *,
        listener_arn: str,
        target_group_arns: Mapping[str, str],
        tags: BaseTags,
        listener_key: str | None = None,
    ) -> ModelExperimentProps:
        """Props for a routing model, with the target group ARN of each variant (by variant name).

        Raises ValueError naming the variants that have no ARN.
        """
        missing = [t.variant for t in routing.targets if t.variant not in target_group_arns]
        if missing:
            raise ValueError(
                f"{cls.__name__}.targets: experiment {routing.experiment}: target_group_arns has no ARN for "
                f"variant(s) {', '.join(missing)}"
            )
        return cls(
            experiment=routing.experiment,
            listener_arn=listener_arn,
            priority=routing.priority,
            conditions=routing.conditions,
            targets=tuple(
                ModelExperimentTarget(
                    variant=t.variant,
                    model=t.model,
                    weight=t.weight,
                    target_group_arn=target_group_arns[t.variant],
                    paused=t.paused,
                )
                for t in routing.targets
            ),
            tags=tags,
            stickiness=routing.stickiness,
            override_header=routing.override_header,
            max_step=routing.max_step,
            override_source_ips=routing.override_source_ips,
            listener_key=listener_key,
        )

    @property
    def routing(self) -> ExperimentRouting:
        """These props as the routing model (the target group ARNs left out)."""
        return ExperimentRouting(
            experiment=self.experiment,
            priority=self.priority,
            conditions=self.conditions,
            targets=tuple(
                ExperimentTarget(variant=t.variant, model=t.model, weight=t.weight, paused=t.paused)
                for t in self.targets
            ),
            stickiness=self.stickiness,
            override_header=self.override_header,
            max_step=self.max_step,
            override_source_ips=self.override_source_ips,
        )

    def check(self) -> None:
        """Raise ValueError naming each prop that breaks an AWS limit, one line per problem."""
        problems = PropProblems(type(self).__name__)
        problems.text("listener_arn", self.listener_arn, 2048, "a listener ARN")
        if self.listener_key is not None and not _TERRAFORM_NAME.match(self.listener_key):
            problems.add(
                "listener_key",
                f"{self.listener_key!r} cannot start a Terraform resource name; it is a letter or _, then "
                "letters, digits, _ and -",
            )
        for index, target in enumerate(self.targets):
            problems.text(f"targets[{index}].target_group_arn", target.target_group_arn, 2048, "an ARN")
        self.routing.check(problems)
        problems.raise_if_any()


class ModelExperiment(Construct):
    """The listener rules of one experiment, as the routing model lays them out.

    Children: one aws_lb_listener_rule per routed rule, with the rule's key as construct id:
    `override-<variant>` (in target order; none without override header) then `split`. Also reachable
    as `rules` (by key), `override_rules` (by variant) and `split_rule`.

    Order (see `constructs_ab.routing.layout`): the split depends on the override rules, so a new
    variant's override rule exists before the split sends it traffic; every rule is
    `create_before_destroy`, so a rule that Terraform deletes (a removed variant's override rule, the
    rules a renamed experiment leaves) goes only after the resources that depended on it were updated:
    the split, and the listener's rule anchor (`ListenerRulesAnchor`), which waits for every new rule.

    Raises ValueError, naming the prop, when the props break an AWS limit.
    """

    rules: dict[str, aws.LbListenerRule]
    override_rules: dict[str, aws.LbListenerRule]
    split_rule: aws.LbListenerRule

    def __init__(self, scope: Construct, id: str, props: ModelExperimentProps) -> None:
        props.check()
        super().__init__(scope, id)
        self.props = props
        arns = {target.variant: target.target_group_arn for target in props.targets}
        self.rules = {}
        self.override_rules = {}
        for rule in props.routing.rules():
            overrides = list(self.override_rules.values())
            resource = aws.LbListenerRule(
                self,
                rule.key,
                listener_arn=props.listener_arn,
                priority=rule.priority,
                condition=[_condition(condition) for condition in rule.conditions],
                action=[_forward(rule, arns)],
                tags=props.tags.with_(rule.tags),
                depends_on=overrides if rule.role is RuleRole.SPLIT and overrides else None,
                lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
            )
            if props.listener_key is not None:
                resource.override_logical_id(rule_resource_name(props.listener_key, rule.priority))
            self.rules[rule.key] = resource
            if rule.role is RuleRole.OVERRIDE:
                self.override_rules[rule.variants[0]] = resource
            else:
                self.split_rule = resource


def _condition(condition: Condition) -> aws.LbListenerRuleCondition:
    """The provider's typed condition for a routed one, built from its Terraform block."""
    ((block, body),) = condition.to_terraform().items()
    struct = aws.listener_rule_condition_struct(block)
    value: Any = [struct(**item) for item in body] if isinstance(body, list) else struct(**body)
    return aws.LbListenerRuleCondition(**{block: value})


def _forward(rule: RoutedRule, arns: Mapping[str, str]) -> aws.LbListenerRuleAction:
    stickiness = rule.stickiness_to_terraform()
    return aws.LbListenerRuleAction(
        type="forward",
        forward=aws.LbListenerRuleActionForward(
            target_group=[
                aws.LbListenerRuleActionForwardTargetGroup(arn=arns[target.variant], weight=target.weight)
                for target in rule.targets
            ],
            stickiness=aws.LbListenerRuleActionForwardStickiness(
                enabled=stickiness.enabled, duration=stickiness.duration
            ),
        ),
    )
