"""The staged rollout of a candidate variant: its model, rules, reading, and the check that the current
stage matches the weights."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Integer, Items, Rule, Text, check_fields, keys_of, required_keys
from constructs_ab.spec.values import show, suggestion


@dataclass(frozen=True, kw_only=True)
class Ramp:
    """Staged rollout of a candidate variant.

    candidate: the variant being ramped up.
    stages: the candidate's share at each stage, percent, strictly increasing, 1..100, e.g. (1, 5, 25, 50).
    stage: index of the current stage in `stages`, 0-based; -1 means not started (candidate at 0%).
    max_step: largest share jump, percentage points, that a pull request may make without being flagged.
        Default: the largest step between consecutive stages, counting the step from 0 to the first.
    """

    candidate: str
    stages: tuple[int, ...]
    stage: int = 0
    max_step: int | None = None

    @property
    def effective_max_step(self) -> int:
        points = (0, *self.stages)
        return (
            self.max_step if self.max_step is not None else max(b - a for a, b in itertools.pairwise(points))
        )


STAGES_ALLOWED = (
    "stages is a non-empty list of strictly increasing percentages from 1 to 100, e.g. [1, 5, 25, 50]"
)


@dataclass(frozen=True, kw_only=True)
class _Stages(Items):
    def after(self, value: Any, before: list[Any]) -> str | None:
        if before and value <= before[-1]:
            return f"{value} is not more than the stage before it ({before[-1]}); {self.allowed}"
        return None


CANDIDATE = Text(allowed="candidate is the name of one of the experiment's variants")
RULES: dict[str, Rule] = {
    "candidate": CANDIDATE,
    "stages": _Stages(
        item=Integer(low=1, high=100, allowed=STAGES_ALLOWED), allowed=STAGES_ALLOWED, min_items=1
    ),
    "max_step": Integer.between("max_step", 1, 100, "percentage points"),
}
KEYS = keys_of(Ramp)
REQUIRED = required_keys(
    Ramp,
    {"candidate": CANDIDATE.allowed, "stages": "stages is a list of percentages, e.g. [1, 5, 25, 50]"},
)


def stage_rule(count: int, bounded: bool = True) -> Integer:
    """The index of a stage among `count` stages, or -1; no upper bound when the stages are not known."""
    last = max(count - 1, 0)
    return Integer(
        low=-1,
        high=last if bounded else None,
        allowed=f"stage is the index of the current stage in stages, from -1 (not started) to {last}",
    )


def read_ramp(node: Node | None, problems: Problems) -> Ramp | None:
    if node is None:
        return None
    fields = Fields(node, problems, what="a ramp", keys=KEYS, required=REQUIRED)
    candidate = fields.read("candidate", CANDIDATE, "")
    stages = fields.read("stages", RULES["stages"], ())
    stages_known = fields.has("stages") and not problems.under(fields.path("stages"))
    stage = fields.read("stage", stage_rule(len(stages), stages_known), 0)
    max_step = fields.read("max_step", RULES["max_step"], None)
    stages = stages or (100,)
    return Ramp(candidate=candidate, stages=stages, stage=min(stage, len(stages) - 1), max_step=max_step)


def _sound(checks: Checks, ramp: Ramp, path: FieldPath) -> bool:
    rules = {**RULES, "stage": stage_rule(len(ramp.stages))}
    return not checks.blocked(path) and all(
        rule.problem(getattr(ramp, key)) is None
        for key, rule in rules.items()
        if getattr(ramp, key) is not None
    )


def check_ramp(checks: Checks, ramp: Ramp, path: FieldPath) -> None:
    check_fields(checks, ramp, path, RULES)
    stage_rule(len(ramp.stages)).check(checks, path.key("stage"), ramp.stage)


def check_ramp_split(
    checks: Checks,
    ramp: Ramp,
    path: FieldPath,
    experiment: str,
    weights: Sequence[tuple[str, int]],
    weights_sound: bool,
) -> None:
    """A candidate that is one of the experiment's variants (`weights`: name and weight of each), and a
    current stage that gives the candidate the share its weight gives it."""
    if not _sound(checks, ramp, path):
        return
    names = [name for name, _ in weights]
    if ramp.candidate not in names:
        checks.error(
            path.key("candidate"),
            f"{show(ramp.candidate)} is not a variant of experiment {experiment}; candidate "
            f"is one of its variants: {suggestion(ramp.candidate, names)}{', '.join(names)}",
        )
        return
    if not weights_sound:
        return
    total = sum(weight for _, weight in weights)
    if total == 0:
        return
    weight = next(weight for name, weight in weights if name == ramp.candidate)
    share = (200 * weight + total) // (2 * total)  # weight / total in percent, rounded half up
    expected = ramp.stages[ramp.stage] if ramp.stage >= 0 else 0
    if share != expected:
        stage_text = (
            f"stage {ramp.stage} of {list(ramp.stages)}" if ramp.stage >= 0 else "the ramp has not started"
        )
        checks.error(
            path.key("stage"),
            f"{ramp.stage} says {ramp.candidate} gets {expected}% ({stage_text}) but its weight "
            f"{weight} of {total} gives it {share}%; run `python -m constructs_ab promote {experiment}` or "
            f"`rollback {experiment}` to move a stage, or `set-weights {experiment} ...`, which set the "
            "weights and the stage together",
            at=path,
        )
