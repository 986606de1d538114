"""Which variant is the control, and which are the candidates compared with it.

- With a ramp: the control is the variant with the largest live weight that is not the ramp's
  candidate (the first such in the spec's order on a tie): the fleet the candidate is taking traffic
  from. Without a ramp: the first variant of the spec that takes traffic.
- The candidates are every other variant that takes traffic (live weight above 0), the ramp's candidate
  among them. A paused variant (weight 0) is neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Roles:
    """control: None when no variant can be the control; reason: how it was chosen (or why none was)."""

    control: str | None
    candidates: tuple[str, ...]
    reason: str


def choose_roles(weights: Sequence[tuple[str, int]], ramp_candidate: str | None = None) -> Roles:
    """`weights`: (variant, live weight) in the spec's order."""
    live = [(name, weight) for name, weight in weights if weight > 0]
    if ramp_candidate is not None:
        others = [(name, weight) for name, weight in live if name != ramp_candidate]
        if not others:
            return Roles(
                control=None,
                candidates=tuple(name for name, _ in live),
                reason=f"no variant besides the ramp candidate {ramp_candidate} takes traffic",
            )
        control = max(others, key=lambda pair: pair[1])[0]  # max keeps the first of equal weights
        reason = f"the largest weight besides the ramp candidate {ramp_candidate}"
    else:
        if not live:
            return Roles(control=None, candidates=(), reason="no variant takes traffic")
        control = live[0][0]
        reason = "the experiment's first variant that takes traffic (no ramp)"
    return Roles(
        control=control, candidates=tuple(name for name, _ in live if name != control), reason=reason
    )
