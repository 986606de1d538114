"""Experiments that take each other's requests on one load balancer, found by the routing model's
analysis (`constructs_ab.routing.overlap`) on the rules each experiment becomes.

- **Shadowed** (an error): every request of a rule of experiment B is taken first by a rule of another
  experiment A with a lower priority. For B's split, B gets no traffic at all: `/v1/*` at priority 3700
  takes every request of `/v1/embeddings` at 9572. An override rule of B can be shadowed alone (A matches
  on B's override header).
- **Overlapping** (a warning): some requests of B go to A, evaluated first, and some stay with B; the
  warning gives a request that both match. An experiment evaluated first whose requests all match the later
  one too (`/v1/embeddings` before `/v1/*`: carving a subset out of a wider match) is the usual way to
  route a subset elsewhere and is not reported. Only requests that send each header and query key once
  are looked for.

The override rules of A take only requests carrying A's override header, and every such request matches
A's split as well: the split of A is what takes B's requests, so splits are compared with splits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from constructs_ab.routing.overlap import candidate_pairs, covers, satisfiable, shadowing, shared_request
from constructs_ab.routing.rules import RoutedRule
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath

if TYPE_CHECKING:
    from constructs_ab.spec.environment import Environment
    from constructs_ab.spec.experiment import Experiment


@dataclass(frozen=True, kw_only=True)
class _Placed:
    """An experiment on a load balancer, with the rules it becomes."""

    experiment: Experiment
    path: FieldPath
    rules: tuple[RoutedRule, ...]

    @property
    def split(self) -> RoutedRule:
        return self.rules[-1]

    @property
    def first_priority(self) -> int:
        return self.rules[0].priority

    @property
    def priorities(self) -> str:
        """`priorities 100-102`, or `priority 100` for one rule."""
        first, last = self.rules[0].priority, self.rules[-1].priority
        return f"priority {first}" if first == last else f"priorities {first}-{last}"


def check_shadowing(checks: Checks, environment: Environment, experiments: list[FieldPath]) -> None:
    """On each load balancer, experiments whose rules an earlier experiment's rules shadow (errors) or
    partly overlap (warnings). Experiments with an error of their own are left out."""
    # Imported here: `routing.from_spec` imports the spec's model, and may be the first module imported.
    from constructs_ab.routing.from_spec import rules_of

    by_load_balancer: dict[str, list[_Placed]] = {}
    for experiment, path in zip(environment.experiments, experiments, strict=True):
        if checks.blocked(path) or not experiment.match.condition_values:
            continue
        placed = _Placed(experiment=experiment, path=path, rules=rules_of(experiment))
        by_load_balancer.setdefault(experiment.load_balancer, []).append(placed)
    for on_load_balancer in by_load_balancer.values():
        _check_load_balancer(checks, on_load_balancer)


def _check_load_balancer(checks: Checks, experiments: list[_Placed]) -> None:
    rules = sorted(
        ((rule, placed) for placed in experiments for rule in placed.rules),
        key=lambda found: found[0].priority,
    )
    shadowed = shadowing([rule.conditions for rule, _ in rules])
    reported: set[str] = set()
    for later, earlier in sorted(shadowed.items()):
        rule, placed = rules[later]
        first_rule, first = rules[earlier]
        if first is placed or placed.experiment.name in reported:
            continue  # a rule of the same experiment cannot take the experiment's own requests wrongly
        if rule is not placed.split and _shadowed(shadowed, rules, placed.split, placed):
            continue  # reported with the split
        reported.add(placed.experiment.name)
        name = placed.experiment.name
        what, outcome = (
            (f"every request of experiment {name} ({placed.priorities})", f"{name} would get no traffic")
            if rule is placed.split
            else (
                f"every request of the override rule for variant {rule.variants[0]} of experiment {name} "
                f"(priority {rule.priority})",
                f"the header would never force {rule.variants[0]}",
            )
        )
        checks.error(
            placed.path,
            f"on load balancer {placed.experiment.load_balancer}'s HTTPS listener, {what} is taken first by experiment {first.experiment.name} ({first.priorities}): its "
            f"{_role(first_rule, first)} matches {describe_conditions(first_rule)}, which includes "
            f"{describe_conditions(rule)}; {outcome}: give {name} priorities below {first.first_priority} "
            f"(before {first.experiment.name}), or make the matches disjoint",
        )
    _warn_overlaps(checks, experiments, reported)


def _shadowed(
    shadowed: dict[int, int], rules: Sequence[tuple[RoutedRule, _Placed]], rule: RoutedRule, placed: _Placed
) -> bool:
    index = next(i for i, (found, _) in enumerate(rules) if found is rule)
    return index in shadowed and rules[shadowed[index]][1] is not placed


def _role(rule: RoutedRule, placed: _Placed) -> str:
    return "split rule" if rule is placed.split else f"override rule for variant {rule.variants[0]}"


def describe_conditions(rule: RoutedRule) -> str:
    """The conditions of a rule as in messages: `path /v1/*; method POST`."""
    return "; ".join(condition.describe() for condition in rule.conditions)


def _warn_overlaps(checks: Checks, experiments: list[_Placed], reported: set[str]) -> None:
    ordered = sorted(experiments, key=lambda placed: placed.first_priority)
    splits = [placed.split.conditions for placed in ordered]
    warned: set[str] = set()
    for earlier, later in sorted(candidate_pairs(splits)):
        first, then = ordered[earlier], ordered[later]
        name = then.experiment.name
        if name in reported or name in warned or not satisfiable(then.split.conditions):
            continue
        if covers(splits[earlier], splits[later]) or covers(splits[later], splits[earlier]):
            continue  # shadowed (an error above), or a subset carved out of a wider match on purpose
        request = shared_request(splits[earlier], splits[later])
        if request is None:
            continue
        warned.add(name)
        checks.warning(
            then.path,
            f"on load balancer {then.experiment.load_balancer}'s HTTPS listener, experiment {name} "
            f"({then.priorities}) shares requests with experiment {first.experiment.name} "
            f"({first.priorities}, evaluated first): a request such as {request.describe()} matches both and "
            f"goes to {first.experiment.name}; make the matches disjoint, or give the experiment that should "
            "take such requests the lower priorities",
        )
