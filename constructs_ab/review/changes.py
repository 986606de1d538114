"""The result of a traffic diff (`diff`): each `Change` with its kind and its risks, and the `ChangeLog`
that records the changes of one pair of stacks with the key of their stable order.

Pure Python: no cdktf, jsii or spec import.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from constructs_ab.review.traffic import Listener, LoadBalancer, Rule

#: Largest share change of one target group, percentage points, that is not flagged as risky when
#: the caller does not pass the spec's ramp step.
DEFAULT_MAX_STEP_POINTS = 25.0


class ChangeKind(enum.StrEnum):
    """What changed. Listed in the order reports show the changes of one rule."""

    LISTENER_ADDED = "listener-added"
    LISTENER_REMOVED = "listener-removed"
    LISTENER_PROTOCOL_CHANGED = "listener-protocol-changed"
    DEFAULT_ACTION_CHANGED = "default-action-changed"
    RULE_ADDED = "rule-added"
    RULE_REMOVED = "rule-removed"
    RULE_MOVED = "rule-moved"
    PRIORITY_CHANGED = "priority-changed"
    REQUESTS_REROUTED = "requests-rerouted"
    CONDITIONS_CHANGED = "conditions-changed"
    ACTION_CHANGED = "action-changed"
    TARGET_ADDED = "target-added"
    TARGET_REMOVED = "target-removed"
    SHARE_CHANGED = "share-changed"
    MODEL_CHANGED = "model-changed"
    STICKINESS_CHANGED = "stickiness-changed"


class RiskKind(enum.StrEnum):
    """Why a change is risky; when each is flagged: the docstring of `review.diff`."""

    SHARE_JUMP = "share-jump"
    OFF_HTTPS = "off-https"
    ZERO_TO_ALL = "zero-to-all"
    REMOVED_WITH_TRAFFIC = "removed-with-traffic"
    REROUTED = "rerouted"


@dataclass(frozen=True, kw_only=True)
class Risk:
    """A risk flag with a sentence a reviewer understands, e.g. `share jump of 30.0 points exceeds
    the ramp step of 25 points`."""

    kind: RiskKind
    reason: str


@dataclass(frozen=True, kw_only=True)
class Change:
    """One change to live traffic.

    kind: what changed.
    stack, load_balancer, listener: where (load balancer name, listener label such as `HTTPS:443`).
    rule: the rule's label (`sentiment-abtest`, `priority 10`); None for listener-level changes.
    subject: the target group (variant, else name) for target-level changes; else None.
    before, after: the old and new value as shown (`20.0%`, `on, 3600 s`, a condition list); None
        where a side does not exist (added or removed).
    before_share, after_share: shares as fractions 0..1 for target-level changes; else None.
    risks: empty unless the change is risky.
    message: the change as one line, e.g.
        `sentiment-b: 20.0% -> 50.0% on sentiment-abtest (/abtest, /abtest/*)`.
    """

    kind: ChangeKind
    stack: str
    load_balancer: str
    listener: str
    rule: str | None
    subject: str | None
    before: str | None
    after: str | None
    message: str
    before_share: float | None = None
    after_share: float | None = None
    risks: tuple[Risk, ...] = ()
    sort_key: tuple[object, ...] = ()

    @property
    def risky(self) -> bool:
        return bool(self.risks)


@dataclass(frozen=True, kw_only=True)
class TrafficDiff:
    """All changes between two traffic models, in a stable order (stack, load balancer, listener,
    rule priority, kind, subject).

    max_step: the share jump threshold given for every rule, percentage points; None when each rule's
        own ramp step (its `ab-max-step` tag) applied, else DEFAULT_MAX_STEP_POINTS.
    """

    changes: tuple[Change, ...]
    max_step: float | None = None

    @property
    def risky(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.risky)


@dataclass(frozen=True, kw_only=True)
class Placed:
    """A listener with its load balancer."""

    balancer: LoadBalancer
    listener: Listener

    @property
    def key(self) -> tuple[str, str]:
        return (self.balancer.address, self.listener.address)


def scope_of(rule: Rule) -> str:
    """A rule as changes name it: `sentiment-abtest (/abtest, /abtest/*)`."""
    return f"{rule.label} ({rule.short_conditions()})"


class ChangeLog:
    """The changes found in one pair of stacks (`stack_name`), each with its key in the diff's order."""

    def __init__(self, stack_name: str) -> None:
        self.stack_name = stack_name
        self.changes: list[Change] = []

    def add(
        self,
        placed: Placed,
        rule: Rule | None,
        kind: ChangeKind,
        subject: str | None,
        before: str | None,
        after: str | None,
        message: str,
        *,
        before_share: float | None = None,
        after_share: float | None = None,
        risks: Iterable[Risk] = (),
    ) -> None:
        order = list(ChangeKind).index(kind)
        rule_key: tuple[object, ...] = (
            (0,) if rule is None else (1, rule.priority is None, rule.priority or 0, rule.label)
        )
        self.changes.append(
            Change(
                kind=kind,
                stack=self.stack_name,
                load_balancer=placed.balancer.name,
                listener=placed.listener.label,
                rule=rule.label if rule is not None else None,
                subject=subject,
                before=before,
                after=after,
                message=message,
                before_share=before_share,
                after_share=after_share,
                risks=tuple(risks),
                sort_key=(
                    self.stack_name,
                    placed.balancer.name,
                    placed.listener.label,
                    placed.listener.address,
                    *rule_key,
                    order,
                    subject or "",
                    message,
                ),
            )
        )
