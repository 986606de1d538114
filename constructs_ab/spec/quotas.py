"""The quotas of a load balancer that its experiments together must fit: listener rules and target
groups."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from constructs_ab import aws_limits
from constructs_ab.spec.context import Checks
from constructs_ab.spec.existing_listener import EXISTING_RULES
from constructs_ab.spec.experiment import Experiment
from constructs_ab.spec.load_balancer import RULES, LoadBalancer
from constructs_ab.spec.paths import FieldPath


def check_quotas(
    checks: Checks,
    load_balancer: LoadBalancer,
    path: FieldPath,
    experiments: Sequence[Experiment],
    variants: Collection[str],
) -> None:
    """The rules of the `experiments` on the load balancer, with the `existing_rules` already on an existing
    listener's, within its rule quota (`max_rules`), and its
    `variants` (target groups) within the AWS quota."""
    name = load_balancer.name
    rules = sum(experiment.rule_count for experiment in experiments)
    quota_known = RULES["max_rules"].problem(load_balancer.max_rules) is None  # else reported at max_rules
    existing = (
        load_balancer.existing_rules if EXISTING_RULES.problem(load_balancer.existing_rules) is None else 0
    )
    if quota_known and existing and rules + existing > load_balancer.max_rules:
        checks.error(
            path,
            f"load balancer {name} needs {rules} rules for its {len(experiments)} experiments (override rules "
            f"included) + {existing} existing_rules already on it = {rules + existing}, but its rule quota is "
            f"{load_balancer.max_rules}; move experiments to another load balancer, turn overrides off, or set "
            "max_rules to the quota your account was granted",
        )
    elif quota_known and rules > load_balancer.max_rules:
        checks.error(
            path,
            f"load balancer {name} needs {rules} rules for its {len(experiments)} experiments (override rules "
            f"included) but its rule quota is {load_balancer.max_rules}; move experiments to another load "
            "balancer, turn overrides off, or set max_rules to the quota your account was granted",
        )
    if len(variants) > aws_limits.MAX_TARGET_GROUPS_PER_LOAD_BALANCER:
        checks.error(
            path,
            f"load balancer {name} has {len(variants)} variants (target groups); a load balancer "
            f"serves at most {aws_limits.MAX_TARGET_GROUPS_PER_LOAD_BALANCER} target groups (AWS quota, "
            "not adjustable): move experiments to another load balancer",
        )
