"""Drift: the live listener rules of an environment against the routing model of its spec.

    differences = environment_drift(environment, read)   # read: elbv2_reader.read_load_balancers(...)

For each load balancer of the spec that was read, the HTTPS listener's rules are matched with the
experiments' rules (`routing.from_spec.rules_of`, what the constructs write) by the `experiment` tag and
the rule's key (`split`, `override-<variant>`, from the `ab-role` and `variant` tags), then compared field
by field: priority, conditions (values in any order), the forward's target groups (a variant's target group
is its AWS name from `aws_names`) and weights, the group stickiness and the contract tags. An expected rule
that is not there, a rule tagged with an experiment that the spec does not put there, the listener's
default action, and a load balancer that does not exist are differences too; a split rule the auto-rollback
function changed says so first (its `ab-rolled-back` tag: when, and on which alarm). Rules without an `experiment`
tag are not ours and are left out (a missing rule says when one of them holds its priority).

Pure: reads the values `elbv2_reader` built; no AWS call here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from constructs_ab import aws_names
from constructs_ab.live.api_actions import action_from_api
from constructs_ab.live.elbv2_reader import LoadBalancersRead
from constructs_ab.live.resources import LiveListener, LiveLoadBalancer, LiveRule
from constructs_ab.review.traffic import Action, FixedResponseAction, ForwardAction, TargetGroup
from constructs_ab.routing.conditions import Condition, normalized
from constructs_ab.routing.contract import (
    EXPERIMENT_TAG,
    ROLLED_BACK_TAG,
    RULE_TAG_KEYS,
    VARIANT_TAG,
    RuleRole,
    role_of,
    split_names,
)
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.routing.layout import OVERRIDE_KEY_PREFIX, SPLIT_KEY
from constructs_ab.routing.rules import RoutedRule
from constructs_ab.spec.model import DefaultActionKind, Environment, LoadBalancer

HTTPS = "HTTPS"
#: What a difference shows for a value that is not there.
ABSENT = "none"


@dataclass(frozen=True, kw_only=True)
class Difference:
    """One way the live routing differs from the spec.

    load_balancer: the AWS name, `<environment>-<name>`.
    experiment, variant: what the difference is about; None when not about one.
    rule: the rule's key (`split`, `override-<variant>`) and priority, e.g. `split rule, priority 102`;
        None for the load balancer and its listener.
    field: what differs: `weight`, `priority`, `conditions`, `stickiness`, `target group`, `rule`,
        `tag <key>`, `action`, `default action`, `HTTPS listener`, `load balancer`, `automatic rollback`.
    expected, live: the values, as text (`none` when absent).
    """

    load_balancer: str
    experiment: str | None
    variant: str | None
    rule: str | None
    field: str
    expected: str
    live: str

    def describe(self) -> str:
        """`experiment sentiment-abtest, variant sentiment-b: weight expected 20, live 35 (split rule,
        priority 102, load balancer prod-public)`."""
        subject = [f"experiment {self.experiment}"] if self.experiment else []
        if self.variant:
            subject.append(f"variant {self.variant}")
        where = [self.rule] if self.rule else []
        if subject:
            where.append(f"load balancer {self.load_balancer}")
        else:
            subject.append(f"load balancer {self.load_balancer}")
        text = f"{', '.join(subject)}: {self.field} expected {self.expected}, live {self.live}"
        return text + (f" ({', '.join(where)})" if where else "")


def environment_drift(environment: Environment, read: LoadBalancersRead) -> tuple[Difference, ...]:
    """Every difference between the environment's spec and the load balancers read (those not read, because
    not asked for, are left out; those read as missing are a difference each)."""
    found = {balancer.name: balancer for balancer in read.load_balancers}
    differences: list[Difference] = []
    for spec_lb in environment.load_balancers:
        name = spec_lb.aws_name(environment.name)
        if name in found:
            differences.extend(load_balancer_drift(environment, spec_lb, found[name]))
        elif name in read.missing:
            differences.append(
                Difference(
                    load_balancer=name,
                    experiment=None,
                    variant=None,
                    rule=None,
                    field="load balancer",
                    expected="present",
                    live="not found",
                )
            )
    return tuple(differences)


def variant_target_group_name(environment: Environment, variant: str) -> str:
    """The AWS name the constructs give the variant's target group (`aws_names.target_group_name`)."""
    settings = next((v for v in environment.variants if v.name == variant), None)
    if settings is None:
        return aws_names.target_group_stem(environment.name, variant)
    return environment.target_group_name(settings)


def https_listener(balancer: LiveLoadBalancer) -> LiveListener | None:
    """The listener the experiments' rules are on: HTTPS, port 443 first."""
    https = [listener for listener in balancer.listeners if listener.protocol == HTTPS]
    return min(https, key=lambda listener: (listener.port != 443, listener.port or 0), default=None)


def experiment_listener(spec_lb: LoadBalancer, balancer: LiveLoadBalancer) -> LiveListener | None:
    """The listener the spec's experiments go onto: its `existing_listener` (by ARN, or by port), else the
    HTTPS listener (`https_listener`)."""
    existing = spec_lb.existing_listener
    if existing is None:
        return https_listener(balancer)
    if existing.arn is not None:
        return next((listener for listener in balancer.listeners if listener.arn == existing.arn), None)
    return next((listener for listener in balancer.listeners if listener.port == existing.port), None)


def rule_key(rule: LiveRule) -> str:
    """The key the routing layout gives such a rule: `split`, `override-<variant>`, else `other-<priority>`."""
    role = role_of(rule.tags)
    variants = split_names(rule.tags.get(VARIANT_TAG))
    if role is RuleRole.SPLIT:
        return SPLIT_KEY
    if role is RuleRole.OVERRIDE and variants:
        return f"{OVERRIDE_KEY_PREFIX}{variants[0]}"
    return f"other-{rule.priority}"


class _Comparison:
    """The differences of one load balancer, collected; those added through `about(experiment, rule)` are
    about that experiment's rule."""

    def __init__(
        self,
        environment: Environment,
        balancer: LiveLoadBalancer,
        differences: list[Difference] | None = None,
        *,
        experiment: str | None = None,
        rule: str | None = None,
    ) -> None:
        self.environment = environment
        self.balancer = balancer
        self.differences: list[Difference] = [] if differences is None else differences
        self.experiment = experiment
        self.rule = rule

    def about(self, experiment: str, rule: str) -> _Comparison:
        """The same collection, for the differences of `experiment`'s `rule` (its label, see `Difference`)."""
        return _Comparison(
            self.environment, self.balancer, self.differences, experiment=experiment, rule=rule
        )

    def add(self, field: str, expected: str, live: str, *, variant: str | None = None) -> None:
        self.differences.append(
            Difference(
                load_balancer=self.balancer.name,
                experiment=self.experiment,
                variant=variant,
                rule=self.rule,
                field=field,
                expected=expected,
                live=live,
            )
        )

    def group_name(self, variant: str) -> str:
        return variant_target_group_name(self.environment, variant)

    def resolve(self, arn: str) -> TargetGroup:
        group = self.balancer.target_group(arn)
        if group is None:
            return TargetGroup(address=arn, name=arn.split("/")[-2] if arn.count("/") >= 2 else arn)
        return TargetGroup(address=arn, name=group.name, variant=group.variant, model=group.model)

    def action(self, raws: tuple[Mapping[str, Any], ...]) -> Action | None:
        return action_from_api(raws, self.resolve)


def load_balancer_drift(
    environment: Environment, spec_lb: LoadBalancer, balancer: LiveLoadBalancer
) -> list[Difference]:
    """The differences of one load balancer that exists."""
    compare = _Comparison(environment, balancer)
    listener = experiment_listener(spec_lb, balancer)
    if listener is None:
        compare.add("HTTPS listener", "present", "not found")
        return compare.differences
    if not spec_lb.existing:  # an existing listener's default action is not ours
        _default_action(compare, spec_lb, listener)
    live_by_experiment: dict[str, list[LiveRule]] = {}
    for rule in listener.rules:
        if rule.tags.get(EXPERIMENT_TAG):
            live_by_experiment.setdefault(rule.tags[EXPERIMENT_TAG], []).append(rule)
    occupants = {rule.priority: rule for rule in listener.rules}
    for experiment in environment.experiments:
        if experiment.load_balancer != spec_lb.name:
            continue
        live_rules = live_by_experiment.pop(experiment.name, [])
        for expected in rules_of(experiment):
            matches = [rule for rule in live_rules if rule_key(rule) == expected.key]
            if not matches:
                _missing(compare, expected, occupants.get(expected.priority))
                continue
            live_rules.remove(matches[0])
            _compare_rule(compare, expected, matches[0])
        for extra in live_rules:
            _extra(compare, experiment.name, extra)
    for name, rules in live_by_experiment.items():
        for extra in rules:
            _extra(compare, name, extra)
    return compare.differences


def _default_action(compare: _Comparison, spec_lb: LoadBalancer, listener: LiveListener) -> None:
    action = spec_lb.default_action
    if action.kind is DefaultActionKind.FORWARD and action.variant:
        expected = f"forward to {compare.group_name(action.variant)}"
    else:
        expected = "fixed-response 404"
    live = describe_action(compare.action(listener.default_actions))
    if live != expected:
        compare.add("default action", expected, live)


def describe_action(action: Action | None) -> str:
    """`forward to prod-a (weight 80), prod-b (weight 20)` (a single target: no weight),
    `fixed-response 404`, or the action's own description."""
    if action is None:
        return ABSENT
    if isinstance(action, ForwardAction):
        if len(action.targets) == 1:
            return f"forward to {action.targets[0].target_group.name}"
        return "forward to " + ", ".join(f"{t.target_group.name} (weight {t.weight})" for t in action.targets)
    if isinstance(action, FixedResponseAction):
        return f"fixed-response {action.status_code}"
    return action.describe()


def _rule_label(key: str, priority: int | None) -> str:
    return f"{key} rule, priority {priority}"


def _missing(compare: _Comparison, expected: RoutedRule, occupant: LiveRule | None) -> None:
    live = "not found"
    if occupant is not None:
        owner = occupant.tags.get(EXPERIMENT_TAG)
        holder = f"a rule of experiment {owner}" if owner else "a rule without our tags"
        live += f" (priority {expected.priority} holds {holder})"
    compare.about(expected.experiment, f"{expected.key} rule").add(
        "rule",
        f"priority {expected.priority}",
        live,
        variant=expected.variants[0] if expected.key != SPLIT_KEY and expected.variants else None,
    )


def _extra(compare: _Comparison, experiment: str, rule: LiveRule) -> None:
    compare.about(experiment, f"{rule_key(rule)} rule").add(
        "rule", f"{ABSENT} (not in the spec here)", f"priority {rule.priority}"
    )


def _describe_conditions(conditions: tuple[Condition, ...]) -> str:
    return "; ".join(condition.describe() for condition in conditions) or ABSENT


def _compare_rule(compare: _Comparison, expected: RoutedRule, live: LiveRule) -> None:
    compare = compare.about(expected.experiment, _rule_label(expected.key, live.priority))
    forced = expected.variants[0] if expected.key != SPLIT_KEY and expected.variants else None
    record = live.tags.get(ROLLED_BACK_TAG)
    if record is not None:  # first: it explains the differences that follow
        compare.add(
            "automatic rollback",
            ABSENT,
            f"{record} (all traffic sent to the control; `reconcile` writes it into the spec)",
        )
    if live.priority != expected.priority:
        compare.add("priority", str(expected.priority), str(live.priority))
    wanted, found = normalized(expected.conditions), normalized(live.conditions)
    if wanted != found:
        compare.add(
            "conditions",
            _describe_conditions(wanted),
            _describe_conditions(found),
            variant=forced,
        )
    for key in RULE_TAG_KEYS:
        want, have = expected.tags.get(key), live.tags.get(key)
        if want != have:
            compare.add(
                f"tag {key}",
                repr(want) if want is not None else ABSENT,
                repr(have) if have is not None else ABSENT,
                variant=forced,
            )
    action = compare.action(live.actions)
    if not isinstance(action, ForwardAction):
        compare.add("action", "forward", describe_action(action))
        return
    _compare_targets(compare, expected, action, forced)
    want_sticky = f"{expected.stickiness} s" if expected.stickiness is not None else "off"
    sticky = action.stickiness
    have_sticky = f"{sticky.duration} s" if sticky is not None and sticky.enabled else "off"
    if want_sticky != have_sticky:
        compare.add("stickiness", want_sticky, have_sticky)


def _compare_targets(
    compare: _Comparison, expected: RoutedRule, action: ForwardAction, forced: str | None
) -> None:
    """`compare`: about the rule (`_Comparison.about`)."""
    live_weights: dict[str, int | None] = {t.target_group.name: t.weight for t in action.targets}
    live_variants = {t.target_group.name: t.target_group.variant for t in action.targets}
    for target in expected.targets:
        group = compare.group_name(target.variant)
        if group not in live_weights:
            compare.add(
                "target group",
                group if forced else f"{group} (weight {target.weight})",
                "not in the forward",
                variant=target.variant,
            )
        elif forced is None and live_weights[group] != target.weight:
            compare.add(
                "weight",
                str(target.weight),
                str(live_weights[group]),
                variant=target.variant,
            )
    wanted = {compare.group_name(target.variant) for target in expected.targets}
    for group, weight in live_weights.items():
        if group not in wanted:
            compare.add(
                "target group",
                "not in the forward",
                group if forced else f"{group} (weight {weight})",
                variant=live_variants[group] or forced,
            )
