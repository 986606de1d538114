"""The default action of a load balancer's HTTPS listener (`default_action`): what it does with a request
no experiment takes. Its model, rules, reading and checks, among them of the variant a forward names.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Text
from constructs_ab.spec.values import describe, listing, show, suggestion


class DefaultActionKind(enum.StrEnum):
    FIXED_404 = "fixed-404"
    FORWARD = "forward"


@dataclass(frozen=True, kw_only=True)
class DefaultAction:
    """What the HTTPS listener does with a request no experiment takes.

    kind: fixed-404 (a fixed JSON 404 response) or forward. Default fixed-404.
    variant: with forward, the variant that gets the traffic.
    """

    kind: DefaultActionKind = DefaultActionKind.FIXED_404
    variant: str | None = None


DEFAULT_ACTION_ALLOWED = "default_action is fixed-404 or {forward: <variant>}"
FORWARD = Text(allowed="forward is the name of a variant on this load balancer")


def read_default_action(node: Node | None, problems: Problems) -> DefaultAction:
    if node is None:
        return DefaultAction()
    if isinstance(node.value, Mapping):
        required = {"forward": DEFAULT_ACTION_ALLOWED}
        action = Fields(node, problems, what="a default action", keys=("forward",), required=required)
        variant = action.read("forward", FORWARD, "")
        return DefaultAction(kind=DefaultActionKind.FORWARD, variant=variant or None)
    if node.value != DefaultActionKind.FIXED_404.value:
        if isinstance(node.value, str):
            problems.add(node, f"{show(node.value)} is not a default action; {DEFAULT_ACTION_ALLOWED}")
        else:
            problems.add(node, f"{describe(node.value)}; {DEFAULT_ACTION_ALLOWED}")
    return DefaultAction()


def check_forward(checks: Checks, action: DefaultAction, path: FieldPath) -> None:
    """Its own fields: a forward names a variant (`path`: the default action's)."""
    forward = path.key("forward")
    if action.kind is DefaultActionKind.FORWARD and checks.valid(forward):
        if action.variant is None:
            checks.error(forward, f"missing; {DEFAULT_ACTION_ALLOWED}")
        else:
            FORWARD.check(checks, forward, action.variant)


def check_default_action(
    checks: Checks,
    action: DefaultAction,
    load_balancer: str,
    path: FieldPath,
    variants: Mapping[str, list[str]],
) -> None:
    """A forward goes to a variant of an experiment on load balancer `load_balancer` (`path`: its path;
    `variants`: each variant on it, with the experiments it is in), which earns a warning: unmatched
    traffic skews its metrics."""
    where = path.key("default_action")
    forward = where.key("forward")
    if action.kind is not DefaultActionKind.FORWARD or not action.variant or not checks.valid(forward):
        return
    names = list(variants)
    if action.variant not in variants:
        checks.error(
            forward,
            f"{show(action.variant)} is not a variant of an experiment on load balancer {load_balancer}; "
            f"{suggestion(action.variant, names)}default_action forwards to one of: "
            f"{listing(names, '(no variants on it)')}",
            at=where,
        )
        return
    experiments = ", ".join(variants[action.variant])
    checks.warning(
        forward,
        f"the default action forwards to a variant that is in an experiment ({show(action.variant)}, in "
        f"{experiments}): unmatched traffic mixes into that variant's metrics and alarms, skewing the "
        "comparison; default_action: fixed-404 (the default) keeps unmatched traffic out of the experiments",
        at=where,
    )
