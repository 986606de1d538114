"""Where an experiment's rules go: their keys and priorities, decided here and nowhere else.

An experiment with first priority P and override rules on has one override rule per variant, in variant
order, at P, P+1, ..., then its split rule at the next number; without override rules, only the split at
P. A lower number is evaluated first, so a request that names a variant in the override header is pinned
before the split can send it elsewhere.

A rule's key is its construct id inside the experiment (`override-<variant>`, `split`): it ends up in
the Terraform resource address, so changing it replaces live rules.

The spec (priority clashes and quotas), the routing model and therefore the constructs, the rollout and
the reviews all take the layout from `rule_layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SPLIT_KEY = "split"
OVERRIDE_KEY_PREFIX = "override-"


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


def rule_layout(priority: int, variants: Sequence[str], override: bool) -> tuple[RuleSlot, ...]:
    """The rules of an experiment in evaluation order: override rules (when `override`), then the split.

    priority: the experiment's first priority.
    variants: its variant names, in order.
    """
    slots = [
        RuleSlot(key=f"{OVERRIDE_KEY_PREFIX}{variant}", priority=priority + index, variant=variant)
        for index, variant in enumerate(variants if override else ())
    ]
    slots.append(RuleSlot(key=SPLIT_KEY, priority=priority + len(slots)))
    return tuple(slots)
