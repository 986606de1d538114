"""Variants shared by experiments: a variant is defined once per environment and is one target group.

In a file, one item defines a variant (with `model`) and items of other experiments list it by name;
`resolve` turns those references into the defined `Variant`. The checks then hold for any model: each
variant listed once per experiment, one definition per name, one load balancer per variant.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from constructs_ab.spec.context import Checks, SourceMap
from constructs_ab.spec.names import target_group_name_problem
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Problems
from constructs_ab.spec.values import noted_line, show, suggestion
from constructs_ab.spec.variant import Variant, WeightedVariant, check_variant

if TYPE_CHECKING:
    from constructs_ab.spec.environment import Environment
    from constructs_ab.spec.experiment import DraftExperiment


def resolve(
    environment: str, drafts: list[DraftExperiment], problems: Problems, source: SourceMap
) -> list[tuple[WeightedVariant, ...]]:
    """The weighted variants of each experiment: an item with `model` holds its own definition, a
    reference the first definition of its name; every second definition of a name and every reference
    to an undefined variant is a problem. The defining items are recorded in `source`."""
    definitions: dict[str, tuple[Variant, DraftExperiment, int | None]] = {}
    for index, draft in enumerate(drafts):
        for position, entry in enumerate(draft.entries):
            if entry.definition is None:
                continue
            source.defining.add((environment, index, position))
            if not entry.name:
                continue
            if entry.name in definitions:
                _, first, line = definitions[entry.name]
                problems.add(
                    entry.node.path.key("model"),
                    f"variant {show(entry.name)} is already defined in experiment {first.name}{noted_line(line)}; "
                    "define a variant once per environment and share it by listing only its name, weight and "
                    "paused in other experiments",
                    entry.node.line,
                )
            else:
                definitions[entry.name] = (entry.definition, draft, entry.node.line)
    defined = list(definitions)
    for draft in drafts:
        seen: set[str] = set()
        for entry in draft.entries:
            if entry.name and entry.name not in seen and entry.name not in definitions:
                problems.add(
                    entry.node.path.key("name"),
                    f"{show(entry.name)} is not a variant defined in environment {environment}; "
                    f"{suggestion(entry.name, defined)}define it here with model: {{id, version}} (and its "
                    "port, health_check, ...), or name a variant defined in another experiment: "
                    f"{', '.join(defined) or '(none)'}",
                    entry.node.line,
                )
            seen.add(entry.name)
    placeholder = Variant(name="", model_id="", model_version="")
    return [
        tuple(
            WeightedVariant(
                variant=entry.definition
                or (definitions[entry.name][0] if entry.name in definitions else None)
                or dataclasses.replace(placeholder, name=entry.name),
                weight=entry.weight,
                paused=entry.paused,
            )
            for entry in draft.entries
        )
        for draft in drafts
    ]


def defined_names(checks: Checks, environment: Environment) -> set[str]:
    """The names of the variants defined in an environment (a file's references to an undefined variant
    name none)."""
    return {
        weighted.variant.name
        for i, experiment in enumerate(environment.experiments)
        for j, weighted in enumerate(experiment.variants)
        if weighted.variant.name and checks.defines(environment.name, (i, j), first_use=True)
    }


def variants_on(environment: Environment, load_balancer: str, defined: set[str]) -> dict[str, list[str]]:
    """Each variant of the experiments on `load_balancer` that is `defined`, with the experiments it is in."""
    found: dict[str, list[str]] = {}
    for experiment in environment.experiments:
        if experiment.load_balancer != load_balancer:
            continue
        for weighted in experiment.variants:
            name = weighted.variant.name
            if name in defined and experiment.name not in found.setdefault(name, []):
                found[name].append(experiment.name)
    return found


def check_shared_variants(
    checks: Checks, environment: Environment, experiments: list[FieldPath], entries: list[list[FieldPath]]
) -> None:
    """Each variant listed once per experiment; each variant checked where it is defined; one variant
    per name; a shared variant on one load balancer (`experiments`, `entries`: where each is)."""
    for experiment, paths in zip(environment.experiments, entries, strict=True):
        seen: dict[str, FieldPath] = {}
        for weighted, path in zip(experiment.variants, paths, strict=True):
            name = weighted.variant.name
            if name in seen:
                checks.error(
                    path.key("name"),
                    f"{show(name)} is already a variant of this experiment{noted_line(checks.line(seen[name]))}; "
                    "list each variant once",
                    at=path,
                )
            elif name:
                seen[name] = path
    _check_definitions(checks, environment, entries)
    _check_one_load_balancer(checks, environment, entries)


def _check_definitions(checks: Checks, environment: Environment, entries: list[list[FieldPath]]) -> None:
    """Each variant at the entry that defines it, and every other entry of its name the same variant."""
    first: dict[str, tuple[Variant, str]] = {}
    for i, (experiment, paths) in enumerate(zip(environment.experiments, entries, strict=True)):
        for j, (weighted, path) in enumerate(zip(experiment.variants, paths, strict=True)):
            variant, name = weighted.variant, weighted.variant.name
            if checks.defines(environment.name, (i, j), first_use=name not in first):
                check_variant(checks, variant, path)
                wrong = target_group_name_problem(environment.name, name) if name else None
                if wrong and checks.valid(path.key("name")):
                    checks.error(path.key("name"), wrong, at=path)
                first.setdefault(name, (variant, experiment.name))
            elif name and name in first and variant != first[name][0]:
                checks.error(
                    path,
                    f"variant {show(name)} differs from the variant {show(name)} of experiment {first[name][1]}; "
                    "a variant is one target group, defined once per environment: use the same Variant in "
                    "both experiments, or give this one another name",
                )


def _check_one_load_balancer(
    checks: Checks, environment: Environment, entries: list[list[FieldPath]]
) -> None:
    """A variant is one target group, which serves one load balancer."""
    known = {load_balancer.name for load_balancer in environment.load_balancers}
    variant_lb: dict[str, tuple[str, str]] = {}
    for experiment, paths in zip(environment.experiments, entries, strict=True):
        if experiment.load_balancer not in known:
            continue
        for weighted, path in zip(experiment.variants, paths, strict=True):
            name = weighted.variant.name
            if not name:
                continue
            if name in variant_lb and variant_lb[name][0] != experiment.load_balancer:
                other_lb, other = variant_lb[name]
                checks.error(
                    path,
                    f"variant {show(name)} is used on load balancer {experiment.load_balancer} "
                    f"here and on {other_lb} by experiment {other}; a variant is one target group, which "
                    "serves one load balancer: put both experiments on one load balancer or define a "
                    "second variant",
                )
            else:
                variant_lb.setdefault(name, (experiment.load_balancer, experiment.name))
