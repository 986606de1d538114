"""What a promote, rollback or set-weights does to one experiment: new weights, paused flags and stage.

Pure functions of the validated Spec: nothing here reads or writes a file. A plan is applied to the spec
file's text by `yaml_patch`, then the result is validated again by the spec loader before it is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from constructs_ab import aws_limits
from constructs_ab.cli.kit.did_you_mean import did_you_mean
from constructs_ab.rollout.command import RolloutCommand
from constructs_ab.rollout.errors import RolloutError
from constructs_ab.rollout.share import format_percent, share_percent
from constructs_ab.rollout.weights import weights_for_share
from constructs_ab.spec.model import Environment, Experiment, Ramp

#: Stage index of a ramp that has not started: the candidate takes 0 %.
NOT_STARTED = -1


@dataclass(frozen=True, kw_only=True)
class VariantChange:
    """One variant's weight and paused flag before and after the step (paused: weight 0 on purpose)."""

    name: str
    weight_before: int
    weight_after: int
    paused_before: bool
    paused_after: bool

    @property
    def changed(self) -> bool:
        return (self.weight_before, self.paused_before) != (self.weight_after, self.paused_after)


@dataclass(frozen=True, kw_only=True)
class RolloutPlan:
    """The change one rollout command makes to one experiment of one environment.

    variants: every variant of the experiment, in spec order.
    stage_before, stage_after: the ramp's stage index (-1: not started); None when there is no ramp.
    notes: lines for the user about choices made (variants paused or unpaused, equal split).
    """

    command: RolloutCommand
    environment: str
    experiment: str
    variants: tuple[VariantChange, ...]
    ramp: Ramp | None = None
    stage_before: int | None = None
    stage_after: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.stage_before != self.stage_after or any(v.changed for v in self.variants)


def describe_stage(ramp: Ramp, stage: int) -> str:
    """`stage 1 (20%)`, or `stage -1 (0%, not started)`."""
    if stage == NOT_STARTED:
        return f"stage {NOT_STARTED} (0%, not started)"
    return f"stage {stage} ({ramp.stages[stage]}%)"


def _where(environment: Environment, experiment: Experiment) -> str:
    return f"experiment {experiment.name!r} ({environment.name})"


def _stage_percent(ramp: Ramp, stage: int) -> int:
    return 0 if stage == NOT_STARTED else ramp.stages[stage]


def _require_ramp(environment: Environment, experiment: Experiment) -> Ramp:
    if experiment.ramp is None:
        raise RolloutError(
            [
                f"{_where(environment, experiment)} has no ramp; add "
                f"`ramp: {{candidate: <variant>, stages: [...], stage: -1}}` to it, or use set-weights"
            ]
        )
    return experiment.ramp


def plan_promote(environment: Environment, experiment: Experiment) -> RolloutPlan:
    """Move the ramp candidate to the next stage; the other variants share the rest in proportion.

    At 100 % the other variants are paused at weight 0. Refused at the last stage and without a ramp.
    """
    ramp = _require_ramp(environment, experiment)
    if ramp.stage >= len(ramp.stages) - 1:
        stages = ", ".join(str(s) for s in ramp.stages)
        raise RolloutError(
            [
                f"{_where(environment, experiment)} is at its last ramp stage, "
                f"{describe_stage(ramp, ramp.stage)} of stages [{stages}]; nothing to promote"
            ]
        )
    return _plan_stage(RolloutCommand.PROMOTE, environment, experiment, ramp, ramp.stage + 1)


def plan_rollback(environment: Environment, experiment: Experiment) -> RolloutPlan:
    """Move the ramp candidate back one stage; from stage 0 to -1 it is paused at weight 0.

    Refused at stage -1 and without a ramp.
    """
    ramp = _require_ramp(environment, experiment)
    if ramp.stage <= NOT_STARTED:
        raise RolloutError(
            [
                f"{_where(environment, experiment)} is at {describe_stage(ramp, ramp.stage)}: "
                f"the candidate {ramp.candidate!r} takes no traffic; nothing to roll back"
            ]
        )
    return _plan_stage(RolloutCommand.ROLLBACK, environment, experiment, ramp, ramp.stage - 1)


def _plan_stage(
    command: RolloutCommand, environment: Environment, experiment: Experiment, ramp: Ramp, stage: int
) -> RolloutPlan:
    percent = _stage_percent(ramp, stage)
    current = {wv.variant.name: wv.weight for wv in experiment.variants}
    chosen = weights_for_share(current, ramp.candidate, percent)
    changes = tuple(
        VariantChange(
            name=wv.variant.name,
            weight_before=wv.weight,
            weight_after=chosen.weights[wv.variant.name],
            paused_before=wv.paused,
            paused_after=chosen.weights[wv.variant.name] == 0,
        )
        for wv in experiment.variants
    )
    others = [c for c in changes if c.name != ramp.candidate]
    notes: list[str] = []
    if percent == 100:
        newly_paused = [c.name for c in others if not c.paused_before]
        if newly_paused:
            notes.append(
                f"paused {', '.join(newly_paused)} at weight 0: "
                f"the candidate {ramp.candidate!r} takes all traffic"
            )
    elif chosen.equal_split:
        unpaused = [c.name for c in others if c.paused_before]
        notes.append(
            f"{', '.join(c.name for c in others)} had weight 0, so there was no proportion to keep: "
            f"they share the other {100 - percent}% equally"
            + (f" (unpaused {', '.join(unpaused)})" if unpaused else "")
        )
    if percent == 0:
        notes.append(f"paused the candidate {ramp.candidate!r} at weight 0 (ramp not started)")
    return RolloutPlan(
        command=command,
        environment=environment.name,
        experiment=experiment.name,
        variants=changes,
        ramp=ramp,
        stage_before=ramp.stage,
        stage_after=stage,
        notes=tuple(notes),
    )


_ASSIGNMENT = re.compile(r"^(?P<name>[^=\s]+)=(?P<weight>.*)$")


def plan_set_weights(
    environment: Environment, experiment: Experiment, assignments: Sequence[str]
) -> RolloutPlan:
    """Set every variant's weight from `NAME=WEIGHT` assignments (each variant exactly once).

    Weight 0 pauses a variant, a positive weight unpauses it. With a ramp, the candidate's share must be
    one of the stages (the stage follows it) or 0 with weight 0 (stage -1). All problems are reported
    at once.
    """
    where = _where(environment, experiment)
    names = [wv.variant.name for wv in experiment.variants]
    problems: list[str] = []
    weights: dict[str, int] = {}
    seen: set[str] = set()
    for text in assignments:
        match = _ASSIGNMENT.match(text)
        if match is None:
            problems.append(f"{text!r} is not NAME=WEIGHT, e.g. {names[0]}=70")
            continue
        name, raw = match["name"], match["weight"]
        if name not in names:
            problems.append(
                f"{where} has no variant {name!r}{did_you_mean(name, names)} (variants: {', '.join(names)})"
            )
        elif name in seen:
            problems.append(f"variant {name!r} is named twice; name each variant exactly once")
        seen.add(name)
        if not re.fullmatch(r"[0-9]+", raw):
            problems.append(
                f"variant {name!r} weight {raw!r} is not a whole number; "
                f"a weight is an integer from {aws_limits.MIN_WEIGHT} to {aws_limits.MAX_WEIGHT}"
            )
        elif not aws_limits.MIN_WEIGHT <= int(raw) <= aws_limits.MAX_WEIGHT:
            problems.append(
                f"variant {name!r} weight {int(raw)} is out of range; "
                f"a weight is an integer from {aws_limits.MIN_WEIGHT} to {aws_limits.MAX_WEIGHT}"
            )
        elif name in names:
            weights.setdefault(name, int(raw))
    missing = [name for name in names if name not in seen]
    if missing:
        problems.append(
            f"no weight for {', '.join(repr(m) for m in missing)} of {where}; "
            f"name every variant exactly once: {' '.join(f'{n}=<weight>' for n in names)}"
        )
    if problems:
        raise RolloutError(problems)
    total = sum(weights.values())
    if total == 0:
        raise RolloutError([f"every weight of {where} is 0; at least one weight must be positive"])

    ramp = experiment.ramp
    stage_after: int | None = None
    if ramp is not None:
        stage_after = _stage_for_weights(where, ramp, weights)
    changes = tuple(
        VariantChange(
            name=wv.variant.name,
            weight_before=wv.weight,
            weight_after=weights[wv.variant.name],
            paused_before=wv.paused,
            paused_after=weights[wv.variant.name] == 0,
        )
        for wv in experiment.variants
    )
    paused = [c.name for c in changes if c.paused_after and not c.paused_before]
    unpaused = [c.name for c in changes if c.paused_before and not c.paused_after]
    notes = []
    if paused:
        notes.append(f"paused {', '.join(paused)} at weight 0")
    if unpaused:
        notes.append(f"unpaused {', '.join(unpaused)}")
    return RolloutPlan(
        command=RolloutCommand.SET_WEIGHTS,
        environment=environment.name,
        experiment=experiment.name,
        variants=changes,
        ramp=ramp,
        stage_before=None if ramp is None else ramp.stage,
        stage_after=stage_after,
        notes=tuple(notes),
    )


def _stage_for_weights(where: str, ramp: Ramp, weights: dict[str, int]) -> int:
    """The ramp stage the candidate's new share corresponds to, or RolloutError naming the allowed ones."""
    weight = weights[ramp.candidate]
    total = sum(weights.values())
    if weight == 0:
        return NOT_STARTED
    share = Fraction(weight * 100, total)
    percent = share_percent(weight, total)
    if percent in ramp.stages:
        return ramp.stages.index(percent)
    allowed = ", ".join(f"{s}%" for s in ramp.stages)
    if percent == 0:
        reason = ", which rounds to 0%; to stop the candidate give it weight 0 (stage -1)"
    else:
        reason = (
            f"; with a ramp the candidate's share must be one of its stages {allowed}, or 0% with weight 0 "
            f"(stage -1); use promote or rollback to move between stages"
        )
    raise RolloutError(
        [
            f"the ramp candidate {ramp.candidate!r} of {where} "
            f"would get {format_percent(share)} "
            f"(weight {weight} of {total}){reason}"
        ]
    )
