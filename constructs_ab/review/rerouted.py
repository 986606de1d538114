"""Requests a new rule order sends to another experiment: the traffic diff's REROUTED risk.

The routing model finds them (`routing.reordering.rerouted`: rules whose order flipped and that share a
request, evaluated on both sides); here they become `requests-rerouted` changes, one per pair of
experiments (the plainest request kept), on the rule that now takes the requests. Requests that stay with
the same experiment (its override rule or its split) are not reported.

Pure Python: no cdktf, jsii or spec import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from constructs_ab.review.changes import ChangeKind, ChangeLog, Placed, Risk, RiskKind
from constructs_ab.review.traffic import Listener, Rule
from constructs_ab.routing.reordering import ListedRule, rerouted
from constructs_ab.routing.request import Request


def log_reroutes(log: ChangeLog, old: Placed, new: Placed, identity: Callable[[Rule], Hashable]) -> None:
    """Add a risky change for each experiment whose requests the new rule order of one listener (`old`
    before, `new` after) sends to another experiment; `identity` names a rule alike on both sides."""
    before = {identity(rule): rule for rule in Listener.ordered(old.listener.rules)}
    after = {identity(rule): rule for rule in Listener.ordered(new.listener.rules)}
    by_owners: dict[tuple[str | None, str | None], tuple[Rule | None, Rule | None, Request]] = {}
    for moved in rerouted(
        [ListedRule(key=key, conditions=rule.conditions) for key, rule in before.items()],
        [ListedRule(key=key, conditions=rule.conditions) for key, rule in after.items()],
    ):
        was = before[moved.before] if moved.before is not None else None
        now = after[moved.after] if moved.after is not None else None
        owners = (_owner(was), _owner(now))
        if owners[0] == owners[1]:
            continue  # the same experiment takes the request (its override rule or split)
        known = by_owners.get(owners)
        if known is None or len(moved.request.headers) < len(known[2].headers):
            by_owners[owners] = (was, now, moved.request)  # the plainest request per pair of owners
    for was, now, found in by_owners.values():
        request = found.describe()
        went, goes = _destination(was), _destination(now)
        log.add(
            new,
            now,
            ChangeKind.REQUESTS_REROUTED,
            None,
            went,
            goes,
            f"a request such as {request} went to {went}, now goes to {goes}",
            risks=(
                Risk(
                    kind=RiskKind.REROUTED,
                    reason=f"the new rule order sends requests such as {request} to another experiment",
                ),
            ),
        )


def _owner(rule: Rule | None) -> str | None:
    """Who takes a request: the rule's experiment, else the rule itself; None for the default action."""
    if rule is None:
        return None
    return rule.experiment or f"{rule.address} {rule.label}"


def _destination(rule: Rule | None) -> str:
    """`embeddings (priority 9572)`, `priority 10`, or `the default action`."""
    if rule is None:
        return "the default action"
    if rule.experiment:
        return f"{rule.label} (priority {rule.priority})"
    return rule.label
