"""Where an experiment's rules go: their keys, priorities and Terraform names, decided here and nowhere else.

The layout is chosen so that every ordinary change of an experiment is one `terraform apply` in which
no request meets a half-changed listener:

1. **The split sits at a fixed offset.** An experiment with first priority P and override rules on
   reserves `OVERRIDE_SPAN` (6) priorities, P to P+5: the override rule of the variant at position i
   (0..4) at P+i, and the split at P+5 whatever the number of variants. Without override rules it uses
   P alone, for the split. Adding or removing a variant therefore never moves the split: its weights
   change in place, in one atomic ModifyRule, and an override rule only ever takes a priority that is
   free or its own.
2. **A rule's Terraform name is its listener and its priority** (`rule_resource_name`), not the
   experiment or the variant: the name and the priority are a bijection per listener, so Terraform never
   creates a rule at a priority that another of its resources still holds (AWS's PriorityInUse). Renaming
   an experiment that keeps its priorities, reordering variants or moving an override rule to another
   variant updates rules in place.
3. **Order** (written by the constructs, see `constructs_ab.experiment`): the split depends on the
   experiment's override rules, so a new variant's override rule exists before the split sends it
   traffic; rules and target groups are `create_before_destroy`, so Terraform updates the split (and any
   rule) that stops using a target group or an override rule before deleting it; and each listener has an
   anchor that depends on all its rules, so rules at new priorities (a renamed experiment with an assigned
   priority) are created before the rules they replace are deleted.

A rule's key (`override-<variant>`, `split`) is its construct id inside the experiment: it names the
rule in the gate's output (`prod/experiment-sentiment-abtest/split`), not in Terraform.

The spec (priority clashes, the highest first priority, quotas), the routing model and therefore the
constructs, the rollout and the reviews all take the layout from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SPLIT_KEY = "split"
OVERRIDE_KEY_PREFIX = "override-"
#: Override rules of an experiment: one per variant position, at most 5 (a forward's target groups).
MAX_OVERRIDE_RULES = 5
#: Priorities an experiment with override rules reserves: P..P+4 for the override rules, P+5 the split.
OVERRIDE_SPAN = MAX_OVERRIDE_RULES + 1
#: Offset of the split from the experiment's first priority, with override rules on.
SPLIT_OFFSET = MAX_OVERRIDE_RULES


@dataclass(frozen=True, kw_only=True)
class RuleSlot:
    """One rule of an experiment: its key and its priority.

    key: `override-<variant>` or `split`.
    priority: 1..50000 for a valid experiment.
    variant: the forced variant of an override rule; None for the split.
    """

    key: str
    priority: int
    variant: str | None = None


def priority_span(override: bool) -> int:
    """Consecutive priorities an experiment reserves from its first one: 6 with override rules, else 1."""
    return OVERRIDE_SPAN if override else 1


def split_priority(priority: int, override: bool) -> int:
    """The split's priority for an experiment whose first priority is `priority`."""
    return priority + SPLIT_OFFSET if override else priority


def rule_layout(priority: int, variants: Sequence[str], override: bool) -> tuple[RuleSlot, ...]:
    """The rules of an experiment in evaluation order: override rules (when `override`), then the split.

    priority: the experiment's first priority.
    variants: its variant names, in order (at most 5 get an override rule: a forward lists at most 5).
    """
    slots = [
        RuleSlot(key=f"{OVERRIDE_KEY_PREFIX}{variant}", priority=priority + index, variant=variant)
        for index, variant in enumerate(variants[:MAX_OVERRIDE_RULES] if override else ())
    ]
    slots.append(RuleSlot(key=SPLIT_KEY, priority=split_priority(priority, override)))
    return tuple(slots)


def rule_resource_name(listener_key: str, priority: int) -> str:
    """The Terraform resource name of the rule at `priority` on the listener `listener_key` (unique per
    stack, e.g. the load balancer's construct id `lb-public`): `lb-public_rule-105`."""
    return f"{listener_key}_rule-{priority}"


def rules_anchor_name(listener_key: str) -> str:
    """The Terraform resource name of the listener's rule anchor (see point 3 above): `lb-public_rules`."""
    return f"{listener_key}_rules"
