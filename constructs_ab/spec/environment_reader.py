"""Reading an environment from a spec file: its settings, load balancers and experiments, with its shared
variants resolved (`shared_variants`) and the priorities left out assigned (`priorities`).

The model (`Environment`) and the checks of its own settings are in `environment`; the checks that span
its parts run on the model (`validation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec.context import SourceMap
from constructs_ab.spec.environment import (
    EXPERIMENTS,
    KEYS,
    LOAD_BALANCERS_ALLOWED,
    REQUIRED,
    RULES,
    Environment,
)
from constructs_ab.spec.experiment import DraftExperiment, Experiment, read_experiment
from constructs_ab.spec.load_balancer import LoadBalancer, read_load_balancer
from constructs_ab.spec.names import named_nodes
from constructs_ab.spec.priorities import assign_draft_priorities
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import fallbacks_of
from constructs_ab.spec.shared_variants import resolve
from constructs_ab.spec.state import read_state
from constructs_ab.spec.tags import read_tags
from constructs_ab.spec.values import describe


def _read_load_balancers(node: Node | None, problems: Problems) -> dict[str, LoadBalancer]:
    if node is None:
        return {}
    entries = named_nodes(node, problems, "load balancer", LOAD_BALANCERS_ALLOWED, describe)
    return {name: read_load_balancer(child, name, problems) for name, child in entries}


def _build_experiments(
    environment: str,
    owner: str,
    drafts: list[DraftExperiment],
    load_balancers: Mapping[str, LoadBalancer],
    problems: Problems,
    source: SourceMap,
) -> tuple[Experiment, ...]:
    """Experiments with their variants resolved and priorities assigned; where each came from is
    recorded in `source`."""
    variants = resolve(environment, drafts, problems, source)
    priorities = assign_draft_priorities(drafts, load_balancers, problems)
    experiments = []
    for index, (draft, weighted, priority) in enumerate(zip(drafts, variants, priorities, strict=True)):
        source.experiments[(environment, index)] = draft.node.path
        for position, entry in enumerate(draft.entries):
            source.entries[(environment, index, position)] = entry.node.path
        fields = {**draft.fields, "owner": draft.fields["owner"] or owner}
        experiments.append(
            Experiment(
                **fields,
                variants=weighted,
                priority=priority or aws_limits.MIN_RULE_PRIORITY,
                priority_explicit=draft.priority is not None,
            )
        )
    return tuple(experiments)


def read_environment(node: Node, name: str, problems: Problems, source: SourceMap) -> Environment | None:
    fields = Fields(node, problems, what="an environment", keys=KEYS, required=REQUIRED)
    if not fields.valid:
        return None
    settings: dict[str, Any] = fields.read_all(RULES, fallbacks_of(Environment, RULES))
    tags = read_tags(fields.get("tags"), problems)
    state = read_state(fields.get("state"), settings["region"], problems)
    load_balancers = _read_load_balancers(fields.get("load_balancers"), problems)
    drafts = []
    experiments_node = fields.get("experiments")
    if experiments_node is not None and experiments_node.value is not None:
        for item in EXPERIMENTS.nodes(experiments_node, problems):
            draft = read_experiment(item, problems)
            if draft is not None:
                drafts.append(draft)
    return Environment(
        name=name,
        **settings,
        tags=tags,
        state=state,
        load_balancers=tuple(load_balancers.values()),
        experiments=_build_experiments(name, settings["owner"], drafts, load_balancers, problems, source),
    )
