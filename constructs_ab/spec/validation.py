"""The checks of a spec's model objects, whether built in Python or read from a file.

`validate(spec)` runs every check that needs no file: field rules (the same as the reader's), and the
checks that span fields, experiments and load balancers. The loader runs the same checks after
reading, with what the reader knows of the file (lines, its own problems), so both report the same
problems, with the same paths and messages.
"""

from __future__ import annotations

from constructs_ab.spec.account_names import check_account_names
from constructs_ab.spec.client_access import check_client_access
from constructs_ab.spec.context import ROOT, Checks, SourceMap
from constructs_ab.spec.default_action import check_default_action
from constructs_ab.spec.environment import Environment, Spec, check_references, check_settings
from constructs_ab.spec.errors import Problem
from constructs_ab.spec.experiment import check_experiment, check_override_reach, check_split
from constructs_ab.spec.load_balancer import check_load_balancer
from constructs_ab.spec.names import (
    check_environment_names,
    check_experiment_names,
    check_load_balancer_names,
)
from constructs_ab.spec.priorities import check_priorities
from constructs_ab.spec.quotas import check_quotas
from constructs_ab.spec.shadowing import check_shadowing
from constructs_ab.spec.shared_variants import check_shared_variants, defined_names, variants_on
from constructs_ab.spec.stacks_checks import check_split_alarms, check_stack_names
from constructs_ab.spec.tag_values import check_tag_values

ENVIRONMENTS_ALLOWED = "environments maps an environment name (e.g. staging, prod) to its settings"


def validate(spec: Spec) -> list[Problem]:
    """Every problem of `spec`, errors and warnings (see `Problem.severity`), in the order found.

    Paths are those a spec file would have (`environments.prod.experiments[0] (chat).variants[1] (b)`);
    lines are None. Messages are those of `parse_spec`, but for lines they would cite.
    """
    return check_spec(spec)


def check_spec(spec: Spec, source: SourceMap | None = None) -> list[Problem]:
    """The problems of `spec`; `source`: what the reader knows of the file it came from."""
    checks = Checks(source)
    environments = ROOT.key("environments")
    if not spec.environments and checks.valid(environments):
        checks.error(environments, f"no environment is given; {ENVIRONMENTS_ALLOWED}")
    check_environment_names(checks, [environment.name for environment in spec.environments])
    for environment in spec.environments:
        _check_environment(checks, environment)
    check_account_names(checks, spec)
    check_stack_names(checks, spec)
    check_split_alarms(checks, spec)
    return checks.problems


def _check_environment(checks: Checks, environment: Environment) -> None:
    name = environment.name
    check_settings(checks, environment, checks.environment(name))
    check_load_balancer_names(checks, name, [lb.name for lb in environment.load_balancers])
    for load_balancer in environment.load_balancers:
        path = checks.load_balancer(name, load_balancer.name)
        check_load_balancer(checks, load_balancer, path)
        if not load_balancer.existing:  # an existing one's certificates and clients are not ours
            check_client_access(checks, environment, load_balancer, path)
    experiments = [checks.experiment(name, i, e.name) for i, e in enumerate(environment.experiments)]
    entries = [
        [checks.entry(name, path, (i, j), w.variant.name) for j, w in enumerate(experiment.variants)]
        for i, (experiment, path) in enumerate(zip(environment.experiments, experiments, strict=True))
    ]
    for experiment, path, paths in zip(environment.experiments, experiments, entries, strict=True):
        check_experiment(checks, experiment, path, paths)
    check_experiment_names(checks, [e.name for e in environment.experiments], experiments)
    check_references(checks, environment, experiments)
    check_shared_variants(checks, environment, experiments, entries)
    by_name = {load_balancer.name: load_balancer for load_balancer in environment.load_balancers}
    for experiment, path, paths in zip(environment.experiments, experiments, entries, strict=True):
        check_split(checks, experiment, path, paths)
        if experiment.load_balancer in by_name and not by_name[experiment.load_balancer].existing:
            load_balancer = by_name[experiment.load_balancer]
            check_override_reach(  # the load balancer's own client ranges, else the environment's
                checks,
                experiment,
                path,
                load_balancer.internal,
                load_balancer.client_cidrs(environment.allowed_client_cidrs),
            )
    check_priorities(checks, environment, experiments)
    check_tag_values(checks, environment, experiments, entries)
    check_shadowing(checks, environment, experiments)
    defined = defined_names(checks, environment)
    for load_balancer in environment.load_balancers:
        path = checks.load_balancer(name, load_balancer.name)
        on_it = [e for e in environment.experiments if e.load_balancer == load_balancer.name]
        variants = variants_on(environment, load_balancer.name, defined)
        check_quotas(checks, load_balancer, path, on_it, variants)
        check_default_action(checks, load_balancer.default_action, load_balancer.name, path, variants)
