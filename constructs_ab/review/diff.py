"""What a change does to live traffic: compare two `TrafficModel`s rule by rule.

    diff = diff_traffic(base, head, max_step=25)
    print(diff_render.render(diff, "text"))   # or "markdown" (a pull request comment) or "json"
    if diff.risky: ...

(Rendering lives in `diff_render`; the result's types in `changes`, the comparison of a forward action
in `forward_diff`; this module imports no renderer.)

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
- REMOVED_WITH_TRAFFIC: a rule (or its listener) that forwarded traffic is removed;
- REROUTED: a new rule order (a priority change) sends some requests to another experiment (or another
  untagged rule, or the default action): a `requests-rerouted` change on the rule that now takes them,
  with a request both rules match (`rerouted`, from the routing model's `routing.reordering`).

Pure Python: no cdktf, jsii or spec import.
"""

from __future__ import annotations

from constructs_ab.review.changes import (
    DEFAULT_MAX_STEP_POINTS,
    Change,
    ChangeKind,
    ChangeLog,
    Placed,
    Risk,
    RiskKind,
    TrafficDiff,
    scope_of,
)
from constructs_ab.review.forward_diff import compare_forwards
from constructs_ab.review.rerouted import log_reroutes
from constructs_ab.review.traffic import (
    Action,
    ForwardAction,
    Rule,
    RuleRole,
    Stack,
    TrafficModel,
    format_percent,
)


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


def _rule_identity(rule: Rule) -> tuple[object, ...]:
    if rule.experiment:
        forced = rule.variants if rule.role is RuleRole.OVERRIDE else ()
        return ("tagged", rule.experiment, rule.role.value, forced)
    return ("untagged", rule.priority, rule.conditions)


def _forwards_traffic(action: Action | None) -> bool:
    return isinstance(action, ForwardAction) and action.takes_traffic


class _StackDiff:
    """Changes within one pair of stacks (either side may be missing)."""

    def __init__(self, base: Stack | None, head: Stack | None, max_step: float | None) -> None:
        stack = head or base
        self.stack_name = stack.name if stack else ""
        self.max_step = max_step
        self.base = self._listeners(base)
        self.head = self._listeners(head)
        self.log = ChangeLog(self.stack_name)

    @staticmethod
    def _listeners(stack: Stack | None) -> dict[tuple[str, str], Placed]:
        if stack is None:
            return {}
        return {
            (balancer.address, listener.address): Placed(balancer=balancer, listener=listener)
            for balancer in stack.load_balancers
            for listener in balancer.listeners
        }

    def changes(self) -> list[Change]:
        for key in sorted(set(self.base) | set(self.head)):
            old, new = self.base.get(key), self.head.get(key)
            if old is not None and new is not None:
                self._listener_changes(old, new)
            elif old is not None:
                self.log.add(
                    old,
                    None,
                    ChangeKind.LISTENER_REMOVED,
                    None,
                    old.listener.label,
                    None,
                    f"listener {old.listener.label} removed",
                )
            elif new is not None:
                self.log.add(
                    new,
                    None,
                    ChangeKind.LISTENER_ADDED,
                    None,
                    None,
                    new.listener.label,
                    f"listener {new.listener.label} added",
                )
        self._rule_changes()
        for key in sorted(set(self.base) & set(self.head)):
            log_reroutes(self.log, self.base[key], self.head[key], _rule_identity)
        return self.log.changes

    # --- listeners ------------------------------------------------------------------------------

    def _listener_changes(self, old: Placed, new: Placed) -> None:
        if old.listener.protocol != new.listener.protocol:
            carried = [r for r in new.listener.rules if _forwards_traffic(r.action)]
            risks = _off_https(old, new, bool(carried), f"{len(carried)} forwarding rule(s) now on a")
            self.log.add(
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
            self.log.add(
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
                self.log.add(
                    placed,
                    rule,
                    ChangeKind.RULE_REMOVED,
                    None,
                    rule.action.describe(),
                    None,
                    f"rule {scope_of(rule)} removed (was: {rule.action.describe()})",
                    risks=risks,
                )
        for key in added:
            placed, rule = head_rules[key]
            where = f" at priority {rule.priority}" if rule.priority is not None else ""
            self.log.add(
                placed,
                rule,
                ChangeKind.RULE_ADDED,
                None,
                None,
                rule.action.describe(),
                f"rule {scope_of(rule)} added{where}: {rule.action.describe()}",
            )

    def _moved(self, old: tuple[Placed, Rule], new: tuple[Placed, Rule]) -> None:
        old_placed, _ = old
        new_placed, new_rule = new
        before = f"{old_placed.balancer.name} {old_placed.listener.label}"
        after = f"{new_placed.balancer.name} {new_placed.listener.label}"
        forwards = _forwards_traffic(new_rule.action)
        risks = _off_https(old_placed, new_placed, forwards, "moved from an HTTPS listener to a")
        self.log.add(
            new_placed,
            new_rule,
            ChangeKind.RULE_MOVED,
            None,
            before,
            after,
            f"rule {scope_of(new_rule)} moved from {before} to {after}",
            risks=risks,
        )

    def _compare_rules(self, old: tuple[Placed, Rule], new: tuple[Placed, Rule]) -> None:
        (_, before), (placed, after) = old, new
        scope = scope_of(after)
        if before.priority != after.priority:
            self.log.add(
                placed,
                after,
                ChangeKind.PRIORITY_CHANGED,
                None,
                str(before.priority),
                str(after.priority),
                f"{scope}: priority {before.priority} -> {after.priority}",
            )
        if before.conditions != after.conditions:
            self.log.add(
                placed,
                after,
                ChangeKind.CONDITIONS_CHANGED,
                None,
                before.describe_conditions(),
                after.describe_conditions(),
                f"{after.label}: conditions {before.describe_conditions()} -> {after.describe_conditions()}",
            )
        if isinstance(before.action, ForwardAction) and isinstance(after.action, ForwardAction):
            step = self._step_for(before, after)
            compare_forwards(self.log, placed, after, before.action, after.action, step)
        elif before.action.describe() != after.action.describe():
            self.log.add(
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


def _off_https(old: Placed, new: Placed, forwards: bool, what: str) -> tuple[Risk, ...]:
    """The OFF_HTTPS risk when traffic that `forwards` leaves an HTTPS listener for one that is not:
    `<what> <protocol> listener`; none otherwise."""
    if not (old.listener.is_https and not new.listener.is_https and forwards):
        return ()
    return (Risk(kind=RiskKind.OFF_HTTPS, reason=f"{what} {new.listener.protocol or 'unknown'} listener"),)
