"""The rollout commands: the ones that change an experiment's weights in the spec.

What each does is written once, in its help (`rollout.cli`); a plan (`rollout.plan`) records the command
that made it, and `rollout.reconcile_cli` runs `rollout.cli`'s steps as `reconcile`.
"""

from __future__ import annotations

import enum


class RolloutCommand(enum.StrEnum):
    """A rollout command, by the name it is run as (`python -m constructs_ab promote ...`)."""

    PROMOTE = "promote"
    ROLLBACK = "rollback"
    SET_WEIGHTS = "set-weights"
    RECONCILE = "reconcile"
