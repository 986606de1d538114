"""What-if: where would a request go? ALB rule semantics over a `TrafficModel`.

For each listener, rules are tried by ascending priority; the first rule whose conditions all match
wins; when none matches, the listener's default action applies. A forward sends the request to each
target group with probability weight / sum of weights.

How each condition kind matches is the routing model's (`Condition.matches` in
`constructs_ab.routing.conditions`); the request is `constructs_ab.routing.request.Request`, re-exported
here. A rule without conditions matches every request.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from constructs_ab.review.traffic import (
    Action,
    ForwardAction,
    Listener,
    LoadBalancer,
    Rule,
    Stack,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.routing.request import Request as Request


@dataclass(frozen=True, kw_only=True)
class Destination:
    """A target group and the probability (0..1) that the request goes there; None when a weight is
    not known."""

    target_group: TargetGroup
    probability: float | None


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one listener does with the request.

    rule: the matching rule; None when the default action applies.
    action: the action taken; None when the listener's default action is unknown.
    """

    stack: Stack
    load_balancer: LoadBalancer
    listener: Listener
    rule: Rule | None
    action: Action | None

    @property
    def destinations(self) -> tuple[Destination, ...]:
        """For a forward, every target group with its probability (in configuration order); empty for
        other actions."""
        return destinations(self.action)


def rule_matches(rule: Rule, request: Request) -> bool:
    """True when every condition of the rule matches (a rule without conditions matches all)."""
    return all(condition.matches(request) for condition in rule.conditions)


def destinations(action: Action | None) -> tuple[Destination, ...]:
    """Probabilities of a forward (weight / sum of weights); empty for other actions."""
    if not isinstance(action, ForwardAction):
        return ()
    return tuple(Destination(target_group=t.target_group, probability=t.share) for t in action.targets)


def evaluate_listener(listener: Listener, request: Request) -> tuple[Rule | None, Action | None]:
    """The first matching rule in evaluation order and its action, else (None, default action)."""
    for rule in Listener.ordered(listener.rules):
        if rule_matches(rule, request):
            return rule, rule.action
    return None, listener.default_action


def evaluate(model: TrafficModel, request: Request) -> tuple[Outcome, ...]:
    """The outcome on every listener of the model, in model order."""
    outcomes: list[Outcome] = []
    for stack, balancer, listener in model.listeners():
        rule, action = evaluate_listener(listener, request)
        outcomes.append(
            Outcome(stack=stack, load_balancer=balancer, listener=listener, rule=rule, action=action)
        )
    return tuple(outcomes)


def probabilities(outcome: Outcome) -> Sequence[tuple[str, float | None]]:
    """(target group label, probability) pairs of an outcome, for reports and tests."""
    return [(d.target_group.label, d.probability) for d in outcome.destinations]
