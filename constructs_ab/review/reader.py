"""Build a `TrafficModel` from Terraform JSON: cdktf output or any hand-written `*.tf.json`.

    model = load_traffic(["cdktf.out"])          # every stack under cdktf.out/stacks/*/cdk.tf.json
    model = load_traffic(["infra/"])             # the *.tf.json files of each directory, one stack each
    model = model_from_documents("prod", [doc])  # parsed JSON documents, e.g. in tests

Reads `aws_lb`, `aws_lb_listener`, `aws_lb_listener_rule` and `aws_lb_target_group` resources (and their
`aws_alb*` aliases). Everything about reading Terraform JSON is `constructs_ab.tfjson`'s, shared with the
gate and the policies: files and stack names (`discovery`), construct paths (`cdktf`), aliases
(`resource_types`), references (`references`: `${<type>.<name>.arn}` or `.id` resolve to the resource;
anything else, a variable, a data source or a literal ARN, is kept as written and shown as is), and values
(`values`: both block shapes, Checkov's wrapping, and the one rule for integers: `80` and `"80"` are
integers, `80.0` is not, so such a weight is shown as unknown).

Bad input raises `ReviewInputError` with one line naming the file and the problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.review import traffic
from constructs_ab.routing.conditions import conditions_from_terraform
from constructs_ab.routing.contract import (
    EXPERIMENT_TAG,
    MAX_STEP_TAG,
    MODEL_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
    role_of,
)
from constructs_ab.tfjson.cdktf import construct_path
from constructs_ab.tfjson.discovery import discover
from constructs_ab.tfjson.errors import TerraformInputError
from constructs_ab.tfjson.files import NOT_TERRAFORM
from constructs_ab.tfjson.references import parse_reference
from constructs_ab.tfjson.resource_types import (
    LISTENER_TYPES,
    LOAD_BALANCER_TYPES,
    RULE_TYPES,
    TARGET_GROUP_TYPES,
    canonical,
)
from constructs_ab.tfjson.resources import Resource, resources
from constructs_ab.tfjson.values import blocks as _blocks
from constructs_ab.tfjson.values import boolean as _bool
from constructs_ab.tfjson.values import integer as _int
from constructs_ab.tfjson.values import text as _text

#: Protocol of an ALB listener that does not set one (the AWS provider's default for ALBs).
DEFAULT_LISTENER_PROTOCOL = "HTTP"
#: Weight of a `forward.target_group` entry that does not set one (the AWS provider's default).
DEFAULT_TARGET_GROUP_WEIGHT = 1

#: The review's input error is the Terraform reader's: one line naming the path and the problem.
ReviewInputError = TerraformInputError


def load_traffic(paths: Sequence[str | Path]) -> traffic.TrafficModel:
    """Read Terraform JSON files or directories into one model.

    Files and stacks as `constructs_ab.tfjson.discovery` finds them (the gate's rules): a cdktf stack file
    is one stack named by its `stackName`; the other Terraform JSON files of one directory are one stack
    named by the directory; a file named on the command line is one stack named by the file; repeated
    names are qualified by path. HCL files are not read (the review reads Terraform JSON).

    Raises ReviewInputError for a missing path, invalid JSON, a path with no Terraform JSON, or no
    listener or listener rule at all.
    """
    if not paths:
        raise ReviewInputError("no input: give Terraform JSON files or directories")
    found = discover(paths)
    for raw in paths:
        if not any(stack.json_files for stack in found if stack.argument == str(raw)):
            raise ReviewInputError(
                f"{raw}: no Terraform JSON (*.tf.json); the review reads Terraform JSON such as "
                "cdktf.out/stacks/<stack>/cdk.tf.json, not HCL"
            )
    stacks: list[traffic.Stack] = []
    for stack in found:
        documents = []
        for file in stack.json_files:
            if file.document is None:
                raise ReviewInputError(f"{file.path}: {NOT_TERRAFORM}")
            documents.append(file.document)
        if not documents:
            continue
        built = _build_stack(stack.name, documents, tuple(str(file.path) for file in stack.json_files))
        if built.load_balancers:
            stacks.append(built)
    if not stacks:
        where = ", ".join(str(p) for p in paths)
        raise ReviewInputError(
            f"{where}: no aws_lb_listener or aws_lb_listener_rule resources found "
            "(expected Terraform JSON such as cdktf.out/stacks/<stack>/cdk.tf.json)"
        )
    return traffic.TrafficModel(stacks=tuple(sorted(stacks, key=lambda stack: stack.name)))


def model_from_documents(name: str, documents: Iterable[Mapping[str, Any]]) -> traffic.TrafficModel:
    """A model of one stack from parsed Terraform JSON documents (no file access, no errors for an
    empty configuration: the stack then has no load balancers)."""
    return traffic.TrafficModel(stacks=(_build_stack(name, list(documents), ()),))


def _literal_name(value: Any) -> str | None:
    text = _text(value)
    return text if text and "${" not in text else None


# --- building the model -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Index:
    """Terraform addresses by canonical type and name (`aws_alb_*` folded into `aws_lb_*`)."""

    addresses: dict[tuple[str, str], str]

    def resolve(self, value: Any, family: str) -> str | None:
        """The address of the `family` resource that `value` references by `.arn` or `.id`, else None (a data
        source, a variable, a literal ARN)."""
        reference = parse_reference(_text(value))
        if (
            reference is None
            or reference.data
            or reference.attribute not in ("arn", "id")
            or canonical(reference.type) != family
        ):
            return None
        return self.addresses.get((family, reference.name))


def _build_stack(
    name: str, documents: Sequence[Mapping[str, Any]], sources: tuple[str, ...]
) -> traffic.Stack:
    found: list[Resource] = list(resources(documents))
    index = _Index(addresses={(r.canonical_type, r.name): r.address for r in found})
    target_groups: dict[str, traffic.TargetGroup] = {}
    for resource in found:
        if resource.type in TARGET_GROUP_TYPES:
            address, body, resource_name = resource.address, resource.body, resource.name
            tags = resource.tags
            prefix = _literal_name(body.get("name_prefix"))
            target_groups[address] = traffic.TargetGroup(
                address=address,
                name=_literal_name(body.get("name")) or (f"{prefix}*" if prefix else resource_name),
                variant=tags.get(VARIANT_TAG),
                model=tags.get(MODEL_TAG),
            )
    actions = _ActionReader(index=index, target_groups=target_groups)

    rules_by_listener: dict[str, list[traffic.Rule]] = {}
    for resource in found:
        if resource.type in RULE_TYPES:
            reference = resource.body.get("listener_arn")
            listener = index.resolve(reference, "aws_lb_listener") or _text(reference) or "(no listener_arn)"
            rules_by_listener.setdefault(listener, []).append(_rule(resource, actions))

    listeners_by_balancer: dict[str, list[traffic.Listener]] = {}
    known_listeners: set[str] = set()
    for resource in found:
        if resource.type in LISTENER_TYPES:
            address, body = resource.address, resource.body
            known_listeners.add(address)
            reference = body.get("load_balancer_arn")
            balancer = index.resolve(reference, "aws_lb") or _text(reference) or "(no load_balancer_arn)"
            listeners_by_balancer.setdefault(balancer, []).append(
                traffic.Listener(
                    address=address,
                    port=_int(body.get("port")),
                    protocol=(_text(body.get("protocol")) or DEFAULT_LISTENER_PROTOCOL).upper(),
                    ssl_policy=_text(body.get("ssl_policy")),
                    rules=traffic.Listener.ordered(rules_by_listener.get(address, ())),
                    default_action=actions.read(body.get("default_action")),
                )
            )
    for listener_reference, rules in rules_by_listener.items():
        if listener_reference not in known_listeners:
            # Rules on a listener outside this configuration: shown under the reference as written.
            listeners_by_balancer.setdefault("(listener not in this configuration)", []).append(
                traffic.Listener(address=listener_reference, rules=traffic.Listener.ordered(rules))
            )

    balancer_bodies = {r.address: r.body for r in found if r.type in LOAD_BALANCER_TYPES}
    balancers: list[traffic.LoadBalancer] = []
    for address in set(balancer_bodies) | set(listeners_by_balancer):
        body = balancer_bodies.get(address, {})
        listeners = sorted(
            listeners_by_balancer.get(address, ()),
            key=lambda listener: (listener.port is None, listener.port or 0, listener.address),
        )
        if not listeners:
            continue
        balancers.append(
            traffic.LoadBalancer(
                address=address,
                name=_literal_name(body.get("name")) or address,
                listeners=tuple(listeners),
                internal=_bool(body.get("internal")),
            )
        )
    balancers.sort(key=lambda b: (b.name, b.address))
    return traffic.Stack(name=name, load_balancers=tuple(balancers), sources=sources)


def _rule(resource: Resource, actions: _ActionReader) -> traffic.Rule:
    address, body, tags = resource.address, resource.body, resource.tags
    paused = tuple(tags.get(PAUSED_VARIANTS_TAG, "").split())
    action = actions.read(body.get("action")) or traffic.OtherAction(action_type="(no action)")
    if isinstance(action, traffic.ForwardAction) and paused:
        action = action.with_paused([actions.variant_group(name) for name in paused])
    return traffic.Rule(
        address=address,
        priority=_int(body.get("priority")),
        conditions=conditions_from_terraform(body.get("condition")),
        action=action,
        experiment=tags.get(EXPERIMENT_TAG) or None,
        role=role_of(tags),
        variants=tuple(tags.get(VARIANT_TAG, "").split()),
        paused_variants=paused,
        max_step=_points(tags.get(MAX_STEP_TAG)),
        construct_path=construct_path(body),
    )


def _points(value: object) -> float | None:
    """A percentage-point tag value, or None when absent or not a number from 0 to 100."""
    try:
        points = float(str(value))
    except ValueError:
        return None
    return points if 0 <= points <= 100 else None


@dataclass(frozen=True, kw_only=True)
class _ActionReader:
    index: _Index
    target_groups: dict[str, traffic.TargetGroup]

    def variant_group(self, variant: str) -> traffic.TargetGroup:
        """The target group tagged with `variant` (a paused variant, which the split does not forward to);
        a placeholder named after the variant when the configuration has none."""
        found = [group for group in self.target_groups.values() if group.variant == variant]
        if len(found) == 1:
            return found[0]
        return traffic.TargetGroup(address=f"(paused variant {variant})", name=variant, variant=variant)

    def read(self, raw: Any) -> traffic.Action | None:
        """The final action of an `action`/`default_action` list (by `order`, then position)."""
        blocks = _blocks(raw)
        if not blocks:
            return None

        def order(item: tuple[int, dict[str, Any]]) -> tuple[float, int]:
            value = _int(item[1].get("order"))
            return (math.inf if value is None else value, item[0])

        _, last = sorted(enumerate(blocks), key=order)[-1]
        return self._action(last)

    def target_group(self, reference: Any) -> traffic.TargetGroup:
        address = self.index.resolve(reference, "aws_lb_target_group")
        if address is not None and address in self.target_groups:
            return self.target_groups[address]
        text = _text(reference) or "(no arn)"
        return traffic.TargetGroup(address=text, name=text)

    def _action(self, block: Mapping[str, Any]) -> traffic.Action:
        action_type = _text(block.get("type")) or "(no type)"
        if action_type == "forward":
            forward = _blocks(block.get("forward"))
            if forward:
                entries = _blocks(forward[0].get("target_group"))
                weights = [
                    DEFAULT_TARGET_GROUP_WEIGHT if entry.get("weight") is None else _int(entry.get("weight"))
                    for entry in entries
                ]
                sticky = _blocks(forward[0].get("stickiness"))
                stickiness = None
                if sticky:
                    stickiness = traffic.Stickiness(
                        enabled=bool(_bool(sticky[0].get("enabled"))),
                        duration=_int(sticky[0].get("duration")),
                    )
                return traffic.ForwardAction.weighted(
                    [self.target_group(entry.get("arn")) for entry in entries], weights, stickiness=stickiness
                )
            if block.get("target_group_arn") is not None:
                return traffic.ForwardAction.weighted([self.target_group(block.get("target_group_arn"))], [1])
            return traffic.OtherAction(action_type="forward (no target group)")
        if action_type == "redirect":
            redirect = (_blocks(block.get("redirect")) or [{}])[0]
            return traffic.RedirectAction(
                status_code=_text(redirect.get("status_code")) or "?",
                protocol=_text(redirect.get("protocol")),
                port=_text(redirect.get("port")),
                host=_text(redirect.get("host")),
                path=_text(redirect.get("path")),
                query=_text(redirect.get("query")),
            )
        if action_type == "fixed-response":
            fixed = (_blocks(block.get("fixed_response")) or [{}])[0]
            return traffic.FixedResponseAction(
                status_code=_text(fixed.get("status_code")) or "?",
                content_type=_text(fixed.get("content_type")),
            )
        return traffic.OtherAction(action_type=action_type)
