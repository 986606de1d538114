"""Names in a spec: their alphabet, their uniqueness, and the AWS names made from them.

Environments, load balancers, experiments and variants are named with lowercase letters, digits and
hyphens. The AWS names made from them come from `constructs_ab.aws_names` (a load balancer and a target
group: `<environment>-<name>`, at most 32 characters); `account_names` checks that environments deployed
to one account and Region do not make the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from constructs_ab import aws_limits, aws_names
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Node, Problems, child_of_map
from constructs_ab.spec.rules import Text
from constructs_ab.spec.values import noted_line, show

NAME_ALLOWED = formats.SPEC_NAME_ALLOWED
#: The name of an experiment or a variant (a `name` field).
NAME = Text(allowed=NAME_ALLOWED, test=formats.spec_name)


def key_name_problem(kind: str, name: object) -> str | None:
    """What is wrong with the name of an environment or load balancer, which is a map key in the file."""
    if isinstance(name, str) and not formats.spec_name(name):
        return None
    return f"the {kind} name {show(name)} is not a valid name; {NAME_ALLOWED}"


def named_nodes(
    node: Node, problems: Problems, kind: str, allowed: str, wrong_type: Callable[[Any], str]
) -> list[tuple[str, Node]]:
    """The entries of a map from a name to its settings (environments, load balancers), each with a valid
    name; an empty map, or no map (`wrong_type` says what it is), is a problem."""
    if not isinstance(node.value, Mapping) or not node.value:
        what = wrong_type(node.value) if node.value else f"no {kind} is given"
        problems.add(node, f"{what}; {allowed}")
        return []
    entries = []
    for name in node.value:
        child = child_of_map(node, name) if isinstance(name, str) else node
        wrong = key_name_problem(kind, name)
        if wrong:
            problems.add(child, wrong)
        else:
            entries.append((name, child))
    return entries


#: How the AWS name of each kind is made from the environment's and the object's names (a target group's
#: name is its stem, cut to 25 characters, and a hash: the stem is what must fit).
_MAKERS = {
    "load balancer": aws_names.load_balancer_name,
    "target group": aws_names.target_group_stem,
}


def derived_name_problem(environment: str, name: str, kind: str, limit: int) -> str | None:
    """What is wrong with the AWS name of a load balancer or target group (`kind`) made from `name`."""
    aws_name = _MAKERS[kind](environment, name)
    if len(aws_name) > limit and kind == "target group":
        return (
            f"{show(name)} makes {show(aws_name)}, {len(aws_name)} characters long; <environment>-<variant> "
            f"has at most {limit} characters (its first {aws_names.TARGET_GROUP_STEM_LENGTH} and a hash of "
            "the target group's settings name the target group): shorten the variant or environment name"
        )
    if len(aws_name) > limit:
        return (
            f"{show(name)} makes the {kind} name {show(aws_name)}, {len(aws_name)} characters long; "
            f"a {kind} name (<environment>-<name>) has at most {limit} characters: shorten the "
            f"{kind} or environment name"
        )
    if not formats.AWS_NAME.match(aws_name):
        return (
            f"{show(name)} makes the {kind} name {show(aws_name)}, which AWS does not accept; {NAME_ALLOWED}"
        )
    prefix = aws_limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX
    if kind == "load balancer" and aws_name.startswith(prefix):
        return (
            f"{show(name)} makes the load balancer name {show(aws_name)}; a load balancer name may not "
            f"start with {prefix}: rename the environment"
        )
    return None


def target_group_name_problem(environment: str, name: str) -> str | None:
    return derived_name_problem(environment, name, "target group", aws_limits.MAX_TARGET_GROUP_NAME_LENGTH)


def _twice(name: str, kind: str, scope: str) -> str:
    """A name given twice (only a spec built in Python can: in a file these names are map keys)."""
    return f"{show(name)} is already the name of {kind}; {kind.split(' ', 1)[1]} names are unique {scope}"


def check_environment_names(checks: Checks, names: Sequence[str]) -> None:
    """Environment names (the spec's, in order): valid and unique (a file cannot break either: its names
    are map keys)."""
    seen: set[str] = set()
    for name in names:
        message = key_name_problem("environment", name)
        if message is None and name in seen:
            message = _twice(name, "an environment", "in a spec")
        if message is not None:
            checks.error(checks.environment(name), message)
        seen.add(name)


def check_load_balancer_names(checks: Checks, environment: str, names: Sequence[str]) -> None:
    """The load balancer names of `environment`, in order: valid, unique, and making an AWS name that AWS
    accepts."""
    seen: set[str] = set()
    for name in names:
        message = key_name_problem("load balancer", name)
        if message is None and name in seen:
            message = _twice(name, "a load balancer", "per environment")
        if message is None:
            message = derived_name_problem(
                environment, name, "load balancer", aws_limits.MAX_LOAD_BALANCER_NAME_LENGTH
            )
        if message is not None:
            checks.error(checks.load_balancer(environment, name), message)
        seen.add(name)


def check_experiment_names(checks: Checks, names: Sequence[str], paths: list[FieldPath]) -> None:
    """The experiment names of an environment, in order, are unique (`paths`: where each experiment is)."""
    first: dict[str, FieldPath] = {}
    for name, path in zip(names, paths, strict=True):
        if not name:
            continue
        if name in first:
            checks.error(
                path.key("name"),
                f"{show(name)} is already the name of an experiment"
                f"{noted_line(checks.line(first[name]))}; experiment names are unique per environment",
                at=path,
            )
        else:
            first[name] = path
