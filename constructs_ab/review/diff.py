"""What a change does to live traffic: compare two `TrafficModel`s rule by rule.

    diff = diff_traffic(base, head, max_step=25)
    print(diff_render.render(diff, "text"))   # or "markdown" (a pull request comment) or "json"
    if diff.risky: ...

(Rendering lives in `diff_render`, which imports this module; this module imports no renderer.)

Rules are matched by identity, not by position:
- a rule tagged `experiment` (our constructs, or a user who tags the same way) is identified by its
  listener, experiment and `ab-role` (plus the forced variant for an override rule);
- an untagged rule by its listener, priority and conditions.
A rule whose identity is unmatched on its listener but found on another listener of the same stack
was moved. Stacks are matched by name; when each side holds exactly one stack they are matched
whatever their names (two files compared directly).

Risky changes (each flagged with a `RiskKind` and a reason):
- SHARE_JUMP: a target group's share of an existing rule moves by more than `max_step` percentage
  points (a target group added to or removed from an existing rule counts from or to 0%);
- OFF_HTTPS: a rule that forwards traffic moves off HTTPS (its listener's protocol changes from HTTPS,
  or the rule moves from an HTTPS listener to another);
- ZERO_TO_ALL: a target group goes from 0% (or absent) to 100% of an existing rule's traffic;
- REMOVED_WITH_TRAFFIC: a rule (or its listener) that forwarded traffic is removed.

Pure Python: no cdktf, jsii or spec import.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from constructs_ab.review.traffic import (
    Action,
    ForwardAction,
    Listener,
    LoadBalancer,
    Rule,
    RuleRole,
    Stack,
    TrafficModel,
    format_percent,
)

#: Largest share change of one target group, percentage points, that is not flagged as risky when
#: the caller does not pass the spec's ramp step.
DEFAULT_MAX_STEP_POINTS = 25.0

#: Floating point slack when comparing shares, as a fraction (shares are weight / sum).
_EPSILON = 1e-9


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
    CONDITIONS_CHANGED = "conditions-changed"
    ACTION_CHANGED = "action-changed"
    TARGET_ADDED = "target-added"
    TARGET_REMOVED = "target-removed"
    SHARE_CHANGED = "share-changed"
    MODEL_CHANGED = "model-changed"
    STICKINESS_CHANGED = "stickiness-changed"


class RiskKind(enum.StrEnum):
    """Why a change is risky; see the module docstring."""

    SHARE_JUMP = "share-jump"
    OFF_HTTPS = "off-https"
    ZERO_TO_ALL = "zero-to-all"
    REMOVED_WITH_TRAFFIC = "removed-with-traffic"


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

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def diff_traffic(base: TrafficModel, head: TrafficModel, *, max_step: float | None = None) -> TrafficDiff:
    """Compare `base` (before the change) with `head` (after it).

    max_step: percentage points; a share moving by more than this is flagged SHARE_JUMP. Default None:
        each rule's ramp step (`Rule.max_step`, the smaller of base and head when both declare one),
        else DEFAULT_MAX_STEP_POINTS (25).
    """
    changes: list[Change] = []
    for base_stack, head_stack in _pair_stacks(base.stacks, head.stacks):
        changes.extend(_StackDiff(base_stack, head_stack, max_step).changes())
    changes.sort(key=lambda change: change.sort_key)
    return TrafficDiff(changes=tuple(changes), max_step=max_step)


# --- matching -----------------------------------------------------------------------------------


def _pair_stacks(base: tuple[Stack, ...], head: tuple[Stack, ...]) -> list[tuple[Stack | None, Stack | None]]:
    if len(base) == 1 and len(head) == 1:
        return [(base[0], head[0])]
    base_by_name = {stack.name: stack for stack in base}
    head_by_name = {stack.name: stack for stack in head}
    names = sorted(set(base_by_name) | set(head_by_name))
    return [(base_by_name.get(name), head_by_name.get(name)) for name in names]


@dataclass(frozen=True, kw_only=True)
class _Placed:
    """A listener with its load balancer."""

    balancer: LoadBalancer
    listener: Listener

    @property
    def key(self) -> tuple[str, str]:
        return (self.balancer.address, self.listener.address)


def _rule_identity(rule: Rule) -> tuple[object, ...]:
    if rule.experiment:
        forced = rule.variants if rule.role is RuleRole.OVERRIDE else ()
        return ("tagged", rule.experiment, rule.role.value, forced)
    return ("untagged", rule.priority, rule.conditions)


def _forwards_traffic(action: Action | None) -> bool:
    return isinstance(action, ForwardAction) and action.takes_traffic


def _scope(rule: Rule) -> str:
    return f"{rule.label} ({rule.short_conditions()})"


class _StackDiff:
    """Changes within one pair of stacks (either side may be missing)."""

    def __init__(self, base: Stack | None, head: Stack | None, max_step: float | None) -> None:
        stack = head or base
        self.stack_name = stack.name if stack else ""
        self.max_step = max_step
        self.base = self._listeners(base)
        self.head = self._listeners(head)
        self.out: list[Change] = []

    @staticmethod
    def _listeners(stack: Stack | None) -> dict[tuple[str, str], _Placed]:
        if stack is None:
            return {}
        return {
            (balancer.address, listener.address): _Placed(balancer=balancer, listener=listener)
            for balancer in stack.load_balancers
            for listener in balancer.listeners
        }

    def changes(self) -> list[Change]:
        for key in sorted(set(self.base) | set(self.head)):
            old, new = self.base.get(key), self.head.get(key)
            if old is not None and new is not None:
                self._listener_changes(old, new)
            elif old is not None:
                self._add(
                    old,
                    None,
                    ChangeKind.LISTENER_REMOVED,
                    None,
                    old.listener.label,
                    None,
                    f"listener {old.listener.label} removed",
                )
            elif new is not None:
                self._add(
                    new,
                    None,
                    ChangeKind.LISTENER_ADDED,
                    None,
                    None,
                    new.listener.label,
                    f"listener {new.listener.label} added",
                )
        self._rule_changes()
        return self.out

    # --- listeners ------------------------------------------------------------------------------

    def _listener_changes(self, old: _Placed, new: _Placed) -> None:
        if old.listener.protocol != new.listener.protocol:
            risks: tuple[Risk, ...] = ()
            carried = [r for r in new.listener.rules if _forwards_traffic(r.action)]
            if old.listener.is_https and not new.listener.is_https and carried:
                risks = (
                    Risk(
                        kind=RiskKind.OFF_HTTPS,
                        reason=f"{len(carried)} forwarding rule(s) now on a "
                        f"{new.listener.protocol or 'unknown'} listener",
                    ),
                )
            self._add(
                new,
                None,
                ChangeKind.LISTENER_PROTOCOL_CHANGED,
                None,
                str(old.listener.protocol),
                str(new.listener.protocol),
                f"listener {old.listener.label}: protocol {old.listener.protocol} -> {new.listener.protocol}",
                risks=risks,
            )
        before = old.listener.default_action.describe() if old.listener.default_action else "unknown"
        after = new.listener.default_action.describe() if new.listener.default_action else "unknown"
        if before != after:
            self._add(
                new,
                None,
                ChangeKind.DEFAULT_ACTION_CHANGED,
                None,
                before,
                after,
                f"default action of {new.listener.label}: {before} -> {after}",
            )

    # --- rules ----------------------------------------------------------------------------------

    def _rule_changes(self) -> None:
        base_rules = {
            (key, _rule_identity(r)): (placed, r)
            for key, placed in self.base.items()
            for r in placed.listener.rules
        }
        head_rules = {
            (key, _rule_identity(r)): (placed, r)
            for key, placed in self.head.items()
            for r in placed.listener.rules
        }
        removed = [k for k in base_rules if k not in head_rules]
        added = [k for k in head_rules if k not in base_rules]
        for key in base_rules.keys() & head_rules.keys():
            self._compare_rules(base_rules[key], head_rules[key])
        # A rule whose identity left one listener and appeared on another was moved.
        added_by_identity: dict[tuple[object, ...], list[tuple[tuple[str, str], tuple[object, ...]]]] = {}
        for key in sorted(added, key=repr):
            added_by_identity.setdefault(key[1], []).append(key)
        for key in sorted(removed, key=repr):
            candidates = added_by_identity.get(key[1])
            if candidates:
                target = candidates.pop(0)
                added.remove(target)
                self._moved(base_rules[key], head_rules[target])
                self._compare_rules(base_rules[key], head_rules[target])
            else:
                placed, rule = base_rules[key]
                risks: tuple[Risk, ...] = ()
                if _forwards_traffic(rule.action):
                    risks = (
                        Risk(
                            kind=RiskKind.REMOVED_WITH_TRAFFIC,
                            reason="the rule forwarded traffic; its requests now fall through "
                            "to the next rule or the default action",
                        ),
                    )
                self._add(
                    placed,
                    rule,
                    ChangeKind.RULE_REMOVED,
                    None,
                    rule.action.describe(),
                    None,
                    f"rule {_scope(rule)} removed (was: {rule.action.describe()})",
                    risks=risks,
                )
        for key in added:
            placed, rule = head_rules[key]
            where = f" at priority {rule.priority}" if rule.priority is not None else ""
            self._add(
                placed,
                rule,
                ChangeKind.RULE_ADDED,
                None,
                None,
                rule.action.describe(),
                f"rule {_scope(rule)} added{where}: {rule.action.describe()}",
            )

    def _moved(self, old: tuple[_Placed, Rule], new: tuple[_Placed, Rule]) -> None:
        old_placed, _ = old
        new_placed, new_rule = new
        before = f"{old_placed.balancer.name} {old_placed.listener.label}"
        after = f"{new_placed.balancer.name} {new_placed.listener.label}"
        risks: tuple[Risk, ...] = ()
        if (
            old_placed.listener.is_https
            and not new_placed.listener.is_https
            and _forwards_traffic(new_rule.action)
        ):
            risks = (
                Risk(
                    kind=RiskKind.OFF_HTTPS,
                    reason=f"moved from an HTTPS listener to a "
                    f"{new_placed.listener.protocol or 'unknown'} listener",
                ),
            )
        self._add(
            new_placed,
            new_rule,
            ChangeKind.RULE_MOVED,
            None,
            before,
            after,
            f"rule {_scope(new_rule)} moved from {before} to {after}",
            risks=risks,
        )

    def _compare_rules(self, old: tuple[_Placed, Rule], new: tuple[_Placed, Rule]) -> None:
        (_, before), (placed, after) = old, new
        scope = _scope(after)
        if before.priority != after.priority:
            self._add(
                placed,
                after,
                ChangeKind.PRIORITY_CHANGED,
                None,
                str(before.priority),
                str(after.priority),
                f"{scope}: priority {before.priority} -> {after.priority}",
            )
        if before.conditions != after.conditions:
            self._add(
                placed,
                after,
                ChangeKind.CONDITIONS_CHANGED,
                None,
                before.describe_conditions(),
                after.describe_conditions(),
                f"{after.label}: conditions {before.describe_conditions()} -> {after.describe_conditions()}",
            )
        if isinstance(before.action, ForwardAction) and isinstance(after.action, ForwardAction):
            self._compare_forwards(placed, after, before.action, after.action, self._step_for(before, after))
        elif before.action.describe() != after.action.describe():
            self._add(
                placed,
                after,
                ChangeKind.ACTION_CHANGED,
                None,
                before.action.describe(),
                after.action.describe(),
                f"{scope}: action {before.action.describe()} -> {after.action.describe()}",
            )

    def _step_for(self, before: Rule, after: Rule) -> float:
        """The share jump threshold for one rule: the one given, else its ramp step, else the default."""
        if self.max_step is not None:
            return self.max_step
        declared = [rule.max_step for rule in (before, after) if rule.max_step is not None]
        return min(declared) if declared else DEFAULT_MAX_STEP_POINTS

    def _compare_forwards(
        self, placed: _Placed, rule: Rule, old: ForwardAction, new: ForwardAction, max_step: float
    ) -> None:
        scope = _scope(rule)
        old_targets = {t.target_group.label: t for t in old.targets}
        new_targets = {t.target_group.label: t for t in new.targets}
        for label in sorted(old_targets.keys() | new_targets.keys()):
            was, now = old_targets.get(label), new_targets.get(label)
            before_share = was.share if was is not None else 0.0
            after_share = now.share if now is not None else 0.0
            risks = self._share_risks(before_share, after_share, max_step)
            if was is None and now is not None:
                self._add(
                    placed,
                    rule,
                    ChangeKind.TARGET_ADDED,
                    label,
                    None,
                    now.percent,
                    f"{label} added at {now.percent} on {scope}",
                    before_share=None,
                    after_share=now.share,
                    risks=risks,
                )
            elif now is None and was is not None:
                self._add(
                    placed,
                    rule,
                    ChangeKind.TARGET_REMOVED,
                    label,
                    was.percent,
                    None,
                    f"{label} removed from {scope} (was {was.percent})",
                    before_share=was.share,
                    after_share=None,
                    risks=risks,
                )
            elif was is not None and now is not None:
                if not _same_share(was.share, now.share):
                    self._add(
                        placed,
                        rule,
                        ChangeKind.SHARE_CHANGED,
                        label,
                        was.percent,
                        now.percent,
                        f"{label}: {was.percent} -> {now.percent} on {scope}",
                        before_share=was.share,
                        after_share=now.share,
                        risks=risks,
                    )
                if was.target_group.model != now.target_group.model:
                    self._add(
                        placed,
                        rule,
                        ChangeKind.MODEL_CHANGED,
                        label,
                        was.target_group.model,
                        now.target_group.model,
                        f"{label}: model {was.target_group.model} -> {now.target_group.model} on {scope}",
                    )
        old_sticky = old.stickiness.describe() if old.stickiness else "not declared"
        new_sticky = new.stickiness.describe() if new.stickiness else "not declared"
        if old_sticky != new_sticky:
            self._add(
                placed,
                rule,
                ChangeKind.STICKINESS_CHANGED,
                None,
                old_sticky,
                new_sticky,
                f"{scope}: stickiness {old_sticky} -> {new_sticky}",
            )

    @staticmethod
    def _share_risks(before: float | None, after: float | None, max_step: float) -> tuple[Risk, ...]:
        if before is None or after is None:
            return ()
        risks: list[Risk] = []
        jump = abs(after - before) * 100
        if jump > max_step + _EPSILON * 100:
            risks.append(
                Risk(
                    kind=RiskKind.SHARE_JUMP,
                    reason=f"share jump of {jump:.1f} points exceeds the ramp step of {max_step:g} points",
                )
            )
        if before <= _EPSILON and after >= 1 - _EPSILON:
            risks.append(Risk(kind=RiskKind.ZERO_TO_ALL, reason="goes from 0% to all of the rule's traffic"))
        return tuple(risks)

    # --- output ---------------------------------------------------------------------------------

    def _add(
        self,
        placed: _Placed,
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
        self.out.append(
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


def _same_share(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= _EPSILON


__all__ = [
    "DEFAULT_MAX_STEP_POINTS",
    "Change",
    "ChangeKind",
    "Risk",
    "RiskKind",
    "TrafficDiff",
    "diff_traffic",
    "format_percent",
]
