"""Deterministic rule priorities for experiments that do not give one.

The rule, per load balancer (priorities are unique per HTTPS listener, and each load balancer has one):

1. Priorities from `FIRST_AUTO_PRIORITY` (1000) to 50000 are cut into aligned blocks of `BLOCK_SIZE`
   (10): 1000-1009, 1010-1019, ... An experiment reserves at most 6 consecutive priorities (5 override
   rules and the split, `routing.layout`), so one block always holds it. Priorities below 1000 are left for explicit ones, so an
   experiment that must be evaluated before the others can be given a low number by hand.
2. An experiment's preferred block is `zlib.crc32(name) % number_of_blocks`: it depends only on its own
   name, not on the other experiments or on their order.
3. Experiments are placed in the order they are declared. Each takes its preferred block if that block
   overlaps no explicit priority range on the load balancer, none of its `reserved_priorities` (the
   rules of an existing listener) and no block taken by an experiment declared before it; otherwise the
   next free block, wrapping around at the end.

So adding an experiment at the end of the list, or one with an explicit priority outside the blocks
already taken, never moves an existing experiment: its rules keep their priorities and the deploy
changes nothing for live traffic. The order of evaluation among auto-assigned experiments follows the
hash; experiments whose matches overlap should be given explicit priorities.

The checks, on any model: an experiment's reserved priorities end by 50000, no two experiments on one
load balancer reserve the same priority, and none is in the load balancer's `reserved_priorities`.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from constructs_ab import aws_limits
from constructs_ab.routing.layout import OVERRIDE_SPAN, SPLIT_OFFSET
from constructs_ab.spec.context import Checks
from constructs_ab.spec.existing_listener import reserved_clash, show_range
from constructs_ab.spec.experiment import PRIORITY
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Problems

if TYPE_CHECKING:
    from constructs_ab.spec.environment import Environment
    from constructs_ab.spec.experiment import DraftExperiment
    from constructs_ab.spec.load_balancer import LoadBalancer

#: Size of an auto-assigned priority block; an experiment reserves at most 6 priorities.
BLOCK_SIZE = 10
#: First priority used for auto-assigned blocks; lower ones are left for explicit priorities.
FIRST_AUTO_PRIORITY = 1000
#: How many priorities an experiment reserves, as the messages say it.
SPAN_RULE = (
    f"an experiment with override rules reserves {OVERRIDE_SPAN} priorities (its override rules from its "
    f"priority, the split {SPLIT_OFFSET} above it), one without"
)
#: Number of blocks available: 1000-1009 up to 49990-49999.
BLOCK_COUNT = (aws_limits.MAX_RULE_PRIORITY - FIRST_AUTO_PRIORITY + 1) // BLOCK_SIZE


@dataclass(frozen=True, kw_only=True)
class PriorityRequest:
    """One experiment on a load balancer, in declaration order.

    name: the experiment's name (the hash input).
    span: consecutive priorities it reserves (6 with the override on, else 1; `routing.layout`).
    priority: its explicit priority, or None to assign one.
    """

    name: str
    span: int
    priority: int | None = None


def preferred_block(name: str) -> int:
    """Index of the block an experiment called `name` gets when it is free."""
    return zlib.crc32(name.encode("utf-8")) % BLOCK_COUNT


def assign_priorities(
    requests: Sequence[PriorityRequest], reserved: Sequence[tuple[int, int]] = ()
) -> list[int | None]:
    """The first priority of each experiment, in the order given; explicit ones are kept as they are;
    assigned blocks keep off the `reserved` (low, high) ranges (an existing listener's own rules).

    An entry is None when no free block is left (only with thousands of experiments on one load balancer,
    far beyond its rule quota). Linear in the number of experiments: taken priorities are marked in one
    array, so a block is checked in constant time.
    """
    taken = bytearray(aws_limits.MAX_RULE_PRIORITY + 2)
    for low, high in reserved:
        low, high = max(low, 0), min(high, aws_limits.MAX_RULE_PRIORITY)
        taken[low : high + 1] = b"\x01" * max(high - low + 1, 0)
    for request in requests:
        if request.priority is not None:
            low = max(request.priority, 0)
            high = min(request.priority + request.span - 1, aws_limits.MAX_RULE_PRIORITY)
            taken[low : high + 1] = b"\x01" * max(high - low + 1, 0)
    result: list[int | None] = []
    for request in requests:
        if request.priority is not None:
            result.append(request.priority)
            continue
        span = -(-max(request.span, 1) // BLOCK_SIZE) * BLOCK_SIZE
        start_block = preferred_block(request.name)
        chosen = None
        for step in range(BLOCK_COUNT):
            start = FIRST_AUTO_PRIORITY + ((start_block + step) % BLOCK_COUNT) * BLOCK_SIZE
            end = start + span - 1
            if end > aws_limits.MAX_RULE_PRIORITY:
                continue
            if not any(taken[start : end + 1]):
                chosen = start
                taken[start : end + 1] = b"\x01" * span
                break
        result.append(chosen)
    return result


def assign_draft_priorities(
    drafts: Sequence[DraftExperiment], known_load_balancers: Mapping[str, LoadBalancer], problems: Problems
) -> list[int | None]:
    """The first priority of each experiment read, per load balancer: explicit ones kept, the others
    assigned (off the load balancer's `reserved_priorities`); an experiment left without one (no free
    block) is a problem."""
    result: list[int | None] = [None] * len(drafts)
    by_lb: dict[str, list[int]] = {}
    for index, draft in enumerate(drafts):
        by_lb.setdefault(draft.load_balancer, []).append(index)
    for lb, indexes in by_lb.items():
        requests = [
            PriorityRequest(name=drafts[i].name, span=drafts[i].priority_span, priority=drafts[i].priority)
            for i in indexes
        ]
        known = known_load_balancers.get(lb)
        reserved = known.reserved_priorities if known is not None else ()
        for index, priority in zip(indexes, assign_priorities(requests, reserved), strict=True):
            result[index] = priority
            if priority is None and lb in known_load_balancers:
                problems.add(
                    drafts[index].node,
                    f"no free block of priorities is left on load balancer {lb} for "
                    f"experiment {drafts[index].name}; give it an explicit priority",
                )
    return result


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def check_priorities(checks: Checks, environment: Environment, experiments: list[FieldPath]) -> None:
    """Priorities given (`experiments`: where each experiment is) fit below 50000 and do not clash with
    an experiment declared before on the same load balancer."""
    known = {load_balancer.name: load_balancer for load_balancer in environment.load_balancers}
    taken: dict[str, dict[int, tuple[int, int, int, str]]] = {}  # lb -> priority -> first user
    for index, (experiment, path) in enumerate(zip(environment.experiments, experiments, strict=True)):
        where = path.key("priority")
        if experiment.load_balancer not in known or not checks.valid(where):
            continue
        if not PRIORITY.sound(checks, where, experiment.priority):
            continue
        first, count = experiment.priority, experiment.priority_span
        last = first + count - 1
        if last > aws_limits.MAX_RULE_PRIORITY:
            checks.error(
                where,
                f"{first} is too high: experiment {experiment.name} reserves {count} "
                f"priorities ({first}-{last}: its override rules from {first}, the split at {last}); "
                f"priorities go up to {aws_limits.MAX_RULE_PRIORITY}, "
                f"so give it at most {aws_limits.MAX_RULE_PRIORITY - count + 1}",
            )
        reserved = reserved_clash(known[experiment.load_balancer], first, last)
        if reserved is not None:
            checks.error(
                where,
                f"priority clash on load balancer {experiment.load_balancer}: experiment {experiment.name} "
                f"reserves priorities {_span(first, last)}, and the existing listener's own rules use "
                f"{show_range(*reserved)} (reserved_priorities); {SPAN_RULE}: give {experiment.name} a priority "
                "outside reserved_priorities or leave it out to have one assigned",
            )
        owners = taken.setdefault(experiment.load_balancer, {})
        # The first experiment declared before this one whose range overlaps it: for each priority, the
        # first experiment that used it is kept, so the earliest of those over the range is that one.
        clash = min((owners[p] for p in range(first, last + 1) if p in owners), default=None)
        if clash is not None:
            _, low, high, other = clash
            checks.error(
                where,
                f"priority clash on load balancer {experiment.load_balancer}: experiment {experiment.name} "
                f"reserves priorities {_span(first, last)} and experiment {other} reserves "
                f"{_span(low, high)}; {SPAN_RULE}: give {experiment.name} a priority from {high + 1} "
                "or leave it out to have one assigned",
            )
        for priority in range(first, last + 1):
            owners.setdefault(priority, (index, first, last, experiment.name))
