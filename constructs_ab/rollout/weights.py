"""Weights that give a ramp candidate an exact traffic share, keeping the other variants' proportions.

Weights are chosen on a 0..100 scale, so after a promote or rollback each weight reads as the variant's
percentage (80/20 -> 50/50). When that scale would round a variant that has traffic down to weight 0
(which would silently pause it), the scale grows to 200, 300, ... 900; the candidate's share stays exact
on every scale, so it always rounds to the stage percent whatever rounding the validator uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from constructs_ab import aws_limits

#: Total weight of a rescaled split: weights read as percentages.
PERCENT_SCALE = 100
#: Largest multiple of the percent scale tried; 9 * 99 = 891 stays within the 999 weight limit.
MAX_SCALE_FACTOR = (aws_limits.MAX_WEIGHT + 1) // PERCENT_SCALE - 1


@dataclass(frozen=True, kw_only=True)
class ShareWeights:
    """New weights for every variant, in variant order, and how they were chosen.

    weights: variant name -> weight, integers 0..999.
    equal_split: True when the other variants all had weight 0 (for example after the candidate held
        100%), so there were no proportions to keep and they now share the rest equally.
    """

    weights: dict[str, int]
    equal_split: bool = False


def split_proportionally(total: int, weights: Sequence[int]) -> list[int]:
    """Split the integer `total` in proportion to `weights` (largest remainder, ties to the earlier one).

    When every weight is 0 the total is split equally.
    """
    if not weights:
        return []
    basis = list(weights) if sum(weights) > 0 else [1] * len(weights)
    basis_sum = sum(basis)
    floors = [total * w // basis_sum for w in basis]
    remainders = [total * w % basis_sum for w in basis]
    leftover = total - sum(floors)
    order = sorted(range(len(basis)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors


def weights_for_share(current: Mapping[str, int], candidate: str, percent: int) -> ShareWeights:
    """Weights that give `candidate` exactly `percent` % of the traffic (0..100).

    The other variants share the rest in proportion to their `current` weights; one at weight 0 stays
    at 0. At 100 % every other variant gets weight 0. `current` keeps the variants' order.
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be 0..100, got {percent}")
    others = [name for name in current if name != candidate]
    other_weights = [current[name] for name in others]
    if percent == 100:
        return ShareWeights(weights={name: PERCENT_SCALE if name == candidate else 0 for name in current})
    equal_split = bool(others) and sum(other_weights) == 0
    for factor in range(1, MAX_SCALE_FACTOR + 1):
        scale = PERCENT_SCALE * factor
        rest = split_proportionally((100 - percent) * factor, other_weights)
        starved = any(old > 0 and new == 0 for old, new in zip(other_weights, rest, strict=True))
        if not starved or factor == MAX_SCALE_FACTOR:
            break
    if starved:
        rest = _lift_starved(other_weights, rest)
    weights = {name: (percent * scale // 100 if name == candidate else 0) for name in current}
    weights.update(zip(others, rest, strict=True))
    return ShareWeights(weights=weights, equal_split=equal_split)


def _lift_starved(old: Sequence[int], new: Sequence[int]) -> list[int]:
    """Give weight 1 to every variant that had traffic but rounded to 0, taken from the largest one."""
    lifted = list(new)
    for i, (before, after) in enumerate(zip(old, new, strict=True)):
        if before > 0 and after == 0:
            largest = max(range(len(lifted)), key=lambda j: lifted[j])
            lifted[largest] -= 1
            lifted[i] = 1
    return lifted
