"""The heading a rollout command prints above the traffic diff: the stage move and the new weights."""

from __future__ import annotations

from constructs_ab.cli.kit.output_format import OutputFormat
from constructs_ab.rollout.plan import RolloutPlan, describe_stage


def _headline(plan: RolloutPlan) -> str:
    line = f"{plan.command} {plan.experiment} ({plan.environment})"
    if plan.ramp is not None and plan.stage_before is not None and plan.stage_after is not None:
        stages = ", ".join(str(s) for s in plan.ramp.stages)
        if plan.stage_before != plan.stage_after:
            before = describe_stage(plan.ramp, plan.stage_before)
            move = f"{before} -> {describe_stage(plan.ramp, plan.stage_after)}"
        else:
            move = f"stays at {describe_stage(plan.ramp, plan.stage_after)}"
        line += f": {move} of stages [{stages}], candidate {plan.ramp.candidate}"
    return line


def _variant_rows(plan: RolloutPlan) -> list[tuple[str, str]]:
    """(variant, `weight 80 -> 50`) per variant, `paused` appended when it takes no traffic."""
    rows = []
    for change in plan.variants:
        weight = (
            f"weight {change.weight_before} -> {change.weight_after}"
            if change.weight_before != change.weight_after
            else f"weight {change.weight_after} (unchanged)"
        )
        flag = " paused" if change.paused_after else ""
        rows.append((change.name, f"{weight}{flag}"))
    return rows


def render_summary(plan: RolloutPlan, output_format: OutputFormat) -> str:
    """The heading, one line per variant and the notes, in text or markdown (`ROLLOUT_FORMATS`)."""
    if output_format is OutputFormat.MARKDOWN:
        parts = [f"### {_headline(plan).replace('->', '→')}", ""]
        parts += [f"- `{name}`: {text}" for name, text in _variant_rows(plan)]
        parts += [f"- note: {note}" for note in plan.notes]
        return "\n".join(parts) + "\n"
    lines = [_headline(plan)]
    width = max(len(name) for name, _ in _variant_rows(plan))
    lines += [f"  {name:<{width}}  {text}" for name, text in _variant_rows(plan)]
    lines += [f"  note: {note}" for note in plan.notes]
    return "\n".join(lines) + "\n"
