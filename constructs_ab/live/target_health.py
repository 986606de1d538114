"""The health of a target group's targets, as DescribeTargetHealth reports it, counted per state.

States (the API's `TargetHealth.State`): `initial` (registering, first health checks), `healthy`,
`unhealthy`, `draining` (deregistering; `unhealthy.draining` counts here too, its reason is kept),
`unused` (not in use: its target group has no rule, or its Availability Zone is not enabled),
`unavailable` (health checks are off). A state this module does not know is counted under its own name.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
DRAINING = "draining"
INITIAL = "initial"
UNUSED = "unused"
UNAVAILABLE = "unavailable"
#: The states in the order reports show them.
STATES = (HEALTHY, UNHEALTHY, DRAINING, INITIAL, UNUSED, UNAVAILABLE)
_ALIASES = {"unhealthy.draining": DRAINING}


@dataclass(frozen=True, kw_only=True)
class TargetHealth:
    """One registered target.

    target: `<id>:<port>` (an IP address or instance id, and its port).
    state: one of STATES (or an unknown state as AWS named it).
    reason: e.g. `Target.ResponseCodeMismatch`; None when healthy.
    description: AWS's explanation; None when healthy.
    """

    target: str
    state: str
    reason: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class TargetHealthSummary:
    """Every target of one target group, in the order AWS lists them."""

    targets: tuple[TargetHealth, ...] = ()

    @classmethod
    def from_api(cls, descriptions: Iterable[Mapping[str, Any]]) -> TargetHealthSummary:
        """From DescribeTargetHealth's `TargetHealthDescriptions`."""
        targets = []
        for entry in descriptions:
            target = entry.get("Target", {})
            health = entry.get("TargetHealth", {})
            raw_state = str(health.get("State", UNAVAILABLE))
            port = target.get("Port")
            targets.append(
                TargetHealth(
                    target=f"{target.get('Id', '?')}:{port}"
                    if port is not None
                    else str(target.get("Id", "?")),
                    state=_ALIASES.get(raw_state, raw_state),
                    reason=health.get("Reason"),
                    description=health.get("Description"),
                )
            )
        return cls(targets=tuple(targets))

    def counts(self) -> dict[str, int]:
        """Targets per state: every state of STATES (0 when none), then any unknown state."""
        found = Counter(t.state for t in self.targets)
        return {
            **{state: found.get(state, 0) for state in STATES},
            **{s: n for s, n in found.items() if s not in STATES},
        }

    @property
    def healthy(self) -> int:
        return self.counts()[HEALTHY]

    def describe(self) -> str:
        """`2 healthy, 1 unhealthy, 1 draining` (states with targets only), or `no targets`."""
        parts = [f"{count} {state}" for state, count in self.counts().items() if count]
        return ", ".join(parts) if parts else "no targets"

    def reasons(self) -> list[str]:
        """Why targets are not healthy, counted: `1 unhealthy: Target.ResponseCodeMismatch (Health checks
        failed with these codes: [502])`."""
        found = Counter(
            (t.state, t.reason or "no reason given", t.description or "")
            for t in self.targets
            if t.state != HEALTHY
        )
        return [
            f"{count} {state}: {reason}" + (f" ({description})" if description else "")
            for (state, reason, description), count in found.items()
        ]
