"""A spec `Experiment` as an `ExperimentRouting`: the one place the spec's fields become routing.

rules = experiment_routing(experiment).rules()
"""

from __future__ import annotations

from constructs_ab.routing.conditions import Condition, QueryPair
from constructs_ab.routing.rules import ExperimentRouting, ExperimentTarget, RoutedRule
from constructs_ab.spec.model import Experiment, Match


def conditions_of(match: Match) -> tuple[Condition, ...]:
    """The conditions of a match: one per kind given (one per header), in the canonical order."""
    conditions: list[Condition] = []
    if match.paths:
        conditions.append(Condition.path_patterns(*match.paths))
    if match.hosts:
        conditions.append(Condition.host_headers(*match.hosts))
    conditions.extend(Condition.http_header(header.name, *header.values) for header in match.headers)
    if match.query:
        conditions.append(
            Condition.query_strings(*(QueryPair(key=q.key, value=q.value) for q in match.query))
        )
    if match.source_ips:
        conditions.append(Condition.source_ips(*match.source_ips))
    if match.methods:
        conditions.append(Condition.http_request_methods(*match.methods))
    return tuple(conditions)


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
