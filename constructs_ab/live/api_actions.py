"""Listener and rule actions as the ELBv2 API returns them, read into the traffic model's actions.

A rule's actions run in `Order`; authentication steps come first and the last one is what happens to
the request, so that one is read (as the review's reader does with Terraform JSON). A forward lists its
target groups with weights in `ForwardConfig` (a single target group may come as `TargetGroupArn`
only, weight 1) and the group stickiness in `ForwardConfig.TargetGroupStickinessConfig`.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from constructs_ab.review.traffic import (
    Action,
    FixedResponseAction,
    ForwardAction,
    OtherAction,
    RedirectAction,
    Stickiness,
    TargetGroup,
)

#: Turns a target group ARN into the traffic model's TargetGroup (name and tags when known).
TargetGroupResolver = Callable[[str], TargetGroup]


def final_action(raws: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The action that ends the chain: the one with the highest `Order` (the last when none has one)."""
    actions = list(raws)
    if not actions:
        return None
    return max(enumerate(actions), key=lambda pair: (pair[1].get("Order", 0), pair[0]))[1]


def action_from_api(raws: Iterable[Mapping[str, Any]], resolve: TargetGroupResolver) -> Action | None:
    """The final action of a rule or listener; None when there is none."""
    raw = final_action(raws)
    if raw is None:
        return None
    kind = str(raw.get("Type", ""))
    if kind == "forward":
        return _forward(raw, resolve)
    if kind == "redirect":
        config = raw.get("RedirectConfig", {})
        return RedirectAction(
            status_code=str(config.get("StatusCode", "?")),
            protocol=config.get("Protocol"),
            port=config.get("Port"),
            host=config.get("Host"),
            path=config.get("Path"),
            query=config.get("Query"),
        )
    if kind == "fixed-response":
        config = raw.get("FixedResponseConfig", {})
        return FixedResponseAction(
            status_code=str(config.get("StatusCode", "?")), content_type=config.get("ContentType")
        )
    return OtherAction(action_type=kind or "unknown")


def _forward(raw: Mapping[str, Any], resolve: TargetGroupResolver) -> ForwardAction:
    config: Mapping[str, Any] = raw.get("ForwardConfig") or {}
    entries = config.get("TargetGroups") or []
    if entries:
        groups = [resolve(str(entry["TargetGroupArn"])) for entry in entries]
        weights: list[int | None] = [int(entry["Weight"]) if "Weight" in entry else 1 for entry in entries]
    else:
        groups = [resolve(str(raw.get("TargetGroupArn", "?")))]
        weights = [1]
    sticky = config.get("TargetGroupStickinessConfig")
    stickiness = None
    if sticky is not None:
        enabled = bool(sticky.get("Enabled", False))
        duration = sticky.get("DurationSeconds")
        stickiness = Stickiness(
            enabled=enabled, duration=int(duration) if enabled and duration is not None else None
        )
    return ForwardAction.weighted(groups, weights, stickiness=stickiness)
