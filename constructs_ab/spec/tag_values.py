"""The tag values the constructs write, checked against AWS's limit before anything is synthesized.

AWS rejects a tag value over 256 characters when the resource is created or tagged, at apply time: a
plan does not see it. Most values are one name, checked where it is given, but a few are built:

- a variant's `model` tag, `<id>:<version>` (each part may have 128 characters);
- a split rule's `variant` and `model` tags, which list every variant (model) it forwards to, and its
  `paused-variants` tag (`routing.rules`);
- a shared variant's target group `experiment` tag, which lists every experiment that uses it.

This module computes them as the constructs do (through the routing model) and reports a value that does
not fit, naming the experiment or variant and the tag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_ab import aws_limits
from constructs_ab.routing.contract import EXPERIMENT_TAG, MODEL_TAG, join_names
from constructs_ab.routing.rules import ExperimentTarget, split_tags
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.values import show

if TYPE_CHECKING:
    from constructs_ab.spec.environment import Environment

LIMIT = aws_limits.MAX_TAG_VALUE_LENGTH


def _long(value: str) -> str:
    """A long value as a message shows it: its start and its length."""
    return show(value if len(value) <= 60 else value[:57] + "...")


def check_tag_values(
    checks: Checks, environment: Environment, experiments: list[FieldPath], entries: list[list[FieldPath]]
) -> None:
    """Every built tag value of the environment fits AWS's 256 characters (`experiments`, `entries`: where
    each experiment and variant entry is)."""
    for experiment, path in zip(environment.experiments, experiments, strict=True):
        if checks.blocked(path) or any(len(w.variant.model) > LIMIT for w in experiment.variants):
            continue  # its rules cannot be computed from values already reported wrong
        targets = tuple(
            ExperimentTarget(variant=w.variant.name, model=w.variant.model, weight=w.weight, paused=w.paused)
            for w in experiment.variants
        )
        tags = split_tags(
            experiment.name,
            targets,
            max_step=experiment.ramp.effective_max_step if experiment.ramp is not None else None,
            override_header=experiment.override.header if experiment.override.enabled else None,
        )
        for key, value in tags.items():
            if len(value) > LIMIT:
                checks.error(
                    path.key("variants"),
                    f"the split rule's `{key}` tag would be {len(value)} characters ({_long(value)}: it lists "
                    f"every variant the split forwards to, or pauses), and AWS allows {LIMIT} in a tag value: "
                    "shorten the variant names or the model ids and versions",
                )
    _check_target_groups(checks, environment, entries)


def _check_target_groups(checks: Checks, environment: Environment, entries: list[list[FieldPath]]) -> None:
    """A variant's `model` tag, and a shared variant's target group `experiment` tag, which lists every
    experiment that uses it (`entries`: where each variant entry is)."""
    users: dict[str, list[str]] = {}
    where: dict[str, FieldPath] = {}
    models: dict[str, tuple[str, FieldPath]] = {}
    for i, experiment in enumerate(environment.experiments):
        for j, weighted in enumerate(experiment.variants):
            name = weighted.variant.name
            if not name:
                continue
            if experiment.name not in users.setdefault(name, []):
                users[name].append(experiment.name)
            if checks.defines(environment.name, (i, j), first_use=name not in where):
                where.setdefault(name, entries[i][j])
                models.setdefault(name, (weighted.variant.model, entries[i][j]))
    for name, (model, entry) in models.items():
        if len(model) > LIMIT:
            checks.error(
                entry.key("model"),
                f"the model {_long(model)} is {len(model)} characters as <id>:<version>, the value of the "
                f"`{MODEL_TAG}` tag of variant {show(name)}, and AWS allows {LIMIT} in a tag value: shorten the "
                "id or the version",
                at=entry,
            )
    for name, names in users.items():
        value = join_names(names)
        if len(value) > LIMIT and name in where:
            checks.error(
                where[name],
                f"variant {show(name)} is in {len(names)} experiments, and its target group's `{EXPERIMENT_TAG}` "
                f"tag, which lists them, would be {len(value)} characters; AWS allows {LIMIT} in a tag value: "
                "shorten the experiment names, or define a second variant for some of the experiments",
            )
