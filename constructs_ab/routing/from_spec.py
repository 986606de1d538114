"""A spec `Experiment` as an `ExperimentRouting`: the one place the spec's fields become routing.

rules = experiment_routing(experiment).rules()
"""

from __future__ import annotations

from constructs_ab.routing.condition_kinds import KINDS, Shape
from constructs_ab.routing.conditions import Condition, QueryPair, canonical
from constructs_ab.routing.rules import ExperimentRouting, ExperimentTarget, RoutedRule
from constructs_ab.spec.match import CONDITION_KINDS
from constructs_ab.spec.model import Experiment, Match


def conditions_of(match: Match) -> tuple[Condition, ...]:
    """The conditions of a match: one per kind given (one per header), in the canonical order. Each
    field's kind is `spec.match.CONDITION_KINDS`; nothing here names a kind."""
    conditions: list[Condition] = []
    for name, field in CONDITION_KINDS.items():
        given = getattr(match, name)
        shape = KINDS[field].shape
        if shape is Shape.HEADER:
            conditions.extend(
                Condition(field=field, header_name=header.name, values=tuple(header.values))
                for header in given
            )
        elif given and shape is Shape.QUERY:
            conditions.append(
                Condition(field=field, query=tuple(QueryPair(key=q.key, value=q.value) for q in given))
            )
        elif given:
            conditions.append(Condition(field=field, values=tuple(given)))
    return canonical(conditions)


def experiment_routing(experiment: Experiment) -> ExperimentRouting:
    """What the experiment asks of its load balancer's HTTPS listener."""
    return ExperimentRouting(
        experiment=experiment.name,
        priority=experiment.priority,
        conditions=conditions_of(experiment.match),
        targets=tuple(
            ExperimentTarget(
                variant=weighted.variant.name,
                model=weighted.variant.model,
                weight=weighted.weight,
                paused=weighted.paused,
            )
            for weighted in experiment.variants
        ),
        stickiness=experiment.stickiness.duration,
        override_header=experiment.override.header if experiment.override.enabled else None,
        override_source_ips=experiment.override.source_ips if experiment.override.enabled else (),
        max_step=experiment.ramp.effective_max_step if experiment.ramp is not None else None,
    )


def rules_of(experiment: Experiment) -> tuple[RoutedRule, ...]:
    """The experiment's listener rules in evaluation order."""
    return experiment_routing(experiment).rules()
