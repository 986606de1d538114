"""Build a `TrafficModel` from Terraform JSON: cdktf output or any hand-written `*.tf.json`.

    model = load_traffic(["cdktf.out"])          # every stack under cdktf.out/stacks/*/cdk.tf.json
    model = load_traffic(["infra/"])             # the *.tf.json files of each directory, one stack each
    model = model_from_documents("prod", [doc])  # parsed JSON documents, e.g. in tests

Reads `aws_lb`/`aws_alb`, `aws_lb_listener`/`aws_alb_listener`, `aws_lb_listener_rule`/
`aws_alb_listener_rule` and `aws_lb_target_group`/`aws_alb_target_group` resources. References
`${<type>.<name>.arn}` (or `.id`) resolve to the resource; anything else (a variable, a data source, a
literal ARN) is kept as written and shown as-is. Accepts both JSON shapes Terraform allows for blocks
(an object, or a list of objects) and Checkov's normalized form (every value wrapped in a list).

Bad input raises `ReviewInputError` with one line naming the file and the problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.review.traffic import (
    Action,
    Condition,
    ConditionField,
    FixedResponseAction,
    ForwardAction,
    Listener,
    LoadBalancer,
    OtherAction,
    QueryPair,
    RedirectAction,
    Rule,
    RuleRole,
    Stack,
    Stickiness,
    TargetGroup,
    TrafficModel,
)
from constructs_ab.tagging import (
    AB_ROLE_TAG,
    EXPERIMENT_TAG,
    MAX_STEP_TAG,
    MODEL_TAG,
    PAUSED_VARIANTS_TAG,
    VARIANT_TAG,
)

#: Protocol of an ALB listener that does not set one (the AWS provider's default for ALBs).
DEFAULT_LISTENER_PROTOCOL = "HTTP"
#: Weight of a `forward.target_group` entry that does not set one (the AWS provider's default).
DEFAULT_TARGET_GROUP_WEIGHT = 1

_LOAD_BALANCER_TYPES = ("aws_lb", "aws_alb")
_LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener")
_RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
_TARGET_GROUP_TYPES = ("aws_lb_target_group", "aws_alb_target_group")

_REFERENCE = re.compile(r"^\$\{(?P<type>aws_(?:lb|alb)[a-z_]*)\.(?P<name>[A-Za-z0-9_-]+)\.(?:arn|id)\}$")
_SKIPPED_DIRECTORIES = {".terraform", "node_modules", ".git", ".venv"}


class ReviewInputError(Exception):
    """Input the review cannot read: the message is one line naming the path and the problem."""


# --- files --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _StackFiles:
    name: str
    files: tuple[Path, ...]


def load_traffic(paths: Sequence[str | Path]) -> TrafficModel:
    """Read Terraform JSON files or directories into one model.

    A directory holding `stacks/*/cdk.tf.json` (a cdktf output directory) gives one stack per
    `cdk.tf.json`; any other directory gives one stack per directory that holds `*.tf.json` files
    (Terraform reads a directory as one configuration). A file gives one stack.
    Stack names: the cdktf `stackName` metadata, else the directory name (for `cdk.tf.json` and for
    directories), else the file name without `.tf.json`/`.json`.

    Raises ReviewInputError for a missing path, invalid JSON, or no listener or listener rule at all.
    """
    if not paths:
        raise ReviewInputError("no input: give Terraform JSON files or directories")
    groups: list[_StackFiles] = []
    for raw in paths:
        groups.extend(_discover(Path(raw)))
    stacks: list[Stack] = []
    for group in groups:
        documents = [_read_json(path) for path in group.files]
        name = _stack_name(documents) or group.name
        stack = _build_stack(name, documents, tuple(str(p) for p in group.files))
        if stack.load_balancers:
            stacks.append(stack)
    if not stacks:
        where = ", ".join(str(p) for p in paths)
        raise ReviewInputError(
            f"{where}: no aws_lb_listener or aws_lb_listener_rule resources found "
            "(expected Terraform JSON such as cdktf.out/stacks/<stack>/cdk.tf.json)"
        )
    return TrafficModel(stacks=_unique_names(stacks))


def model_from_documents(name: str, documents: Iterable[Mapping[str, Any]]) -> TrafficModel:
    """A model of one stack from parsed Terraform JSON documents (no file access, no errors for an
    empty configuration: the stack then has no load balancers)."""
    return TrafficModel(stacks=(_build_stack(name, list(documents), ()),))


def _discover(path: Path) -> list[_StackFiles]:
    if not path.exists():
        raise ReviewInputError(f"{path}: no such file or directory")
    if path.is_file():
        return [_StackFiles(name=_file_stack_name(path), files=(path,))]
    cdktf_stacks = sorted(path.glob("stacks/*/cdk.tf.json"))
    if cdktf_stacks:
        return [_StackFiles(name=file.parent.name, files=(file,)) for file in cdktf_stacks]
    by_directory: dict[Path, list[Path]] = {}
    for file in sorted(path.rglob("*.tf.json")):
        if _SKIPPED_DIRECTORIES.intersection(file.relative_to(path).parts[:-1]):
            continue
        by_directory.setdefault(file.parent, []).append(file)
    if not by_directory:
        raise ReviewInputError(f"{path}: no Terraform JSON files (*.tf.json) found in this directory")
    return [
        _StackFiles(name=directory.resolve().name, files=tuple(files))
        for directory, files in sorted(by_directory.items())
    ]


def _file_stack_name(path: Path) -> str:
    if path.name == "cdk.tf.json":
        return path.resolve().parent.name
    for suffix in (".tf.json", ".json"):
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return path.name


def _read_json(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReviewInputError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReviewInputError(
            f"{path}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(document, dict):
        raise ReviewInputError(f"{path}: expected a JSON object at the top level (Terraform JSON)")
    return document


def _stack_name(documents: Sequence[Mapping[str, Any]]) -> str | None:
    for document in documents:
        comment = document.get("//")
        if isinstance(comment, dict):
            metadata = comment.get("metadata")
            if isinstance(metadata, dict) and isinstance(metadata.get("stackName"), str):
                return str(metadata["stackName"])
    return None


def _unique_names(stacks: list[Stack]) -> tuple[Stack, ...]:
    """Sort by name; a repeated name gets its sources appended so stacks never collide."""
    counts: dict[str, int] = {}
    for stack in stacks:
        counts[stack.name] = counts.get(stack.name, 0) + 1
    renamed = [
        Stack(name=f"{s.name} ({', '.join(s.sources)})", load_balancers=s.load_balancers, sources=s.sources)
        if counts[s.name] > 1
        else s
        for s in stacks
    ]
    return tuple(sorted(renamed, key=lambda s: s.name))


# --- Terraform JSON shapes ----------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    """Unwrap Checkov's one-element lists: `[80]` -> 80."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block as a list of objects, whether written as an object or a list of objects."""
    value = _scalar(value) if not isinstance(value, list) else value
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        out: list[dict[str, Any]] = []
        for item in value:
            out.extend(_blocks(item) if isinstance(item, list) else [item] if isinstance(item, dict) else [])
        return out
    return []


def _strings(value: Any) -> tuple[str, ...]:
    """A list of values (or a single value) as strings."""
    if value is None:
        return ()
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_strings(item))
        return tuple(out)
    return (str(value),)


def _text(value: Any) -> str | None:
    value = _scalar(value)
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _int(value: Any) -> int | None:
    value = _scalar(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def _bool(value: Any) -> bool | None:
    value = _scalar(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _literal_name(value: Any) -> str | None:
    text = _text(value)
    return text if text and "${" not in text else None


def _tags(body: Mapping[str, Any]) -> dict[str, str]:
    tags = _scalar(body.get("tags"))
    if not isinstance(tags, dict):
        return {}
    return {str(k): str(_scalar(v)) for k, v in tags.items() if _text(v) is not None}


def _construct_path(body: Mapping[str, Any]) -> str | None:
    comment = body.get("//")
    if isinstance(comment, dict) and isinstance(comment.get("metadata"), dict):
        path = comment["metadata"].get("path")
        return str(path) if isinstance(path, str) else None
    return None


def _resources(documents: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(type, name, body) of every resource; both `{"type": {"name": {...}}}` and list forms."""
    for document in documents:
        for block in _blocks(document.get("resource")):
            for resource_type, named in block.items():
                for entry in _blocks(named):
                    for name, body in entry.items():
                        bodies = _blocks(body)
                        if bodies:
                            yield resource_type, str(name), bodies[0]


# --- building the model -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Index:
    """Terraform addresses by their reference key (`aws_lb_target_group.x`, `aws_alb_*` folded in)."""

    addresses: dict[tuple[str, str], str]

    @staticmethod
    def family(resource_type: str) -> str:
        return resource_type.replace("aws_alb", "aws_lb", 1)

    def resolve(self, reference: Any, family: str) -> str | None:
        text = _text(reference)
        if text is None:
            return None
        match = _REFERENCE.match(text.strip())
        if match is None or self.family(match["type"]) != family:
            return None
        return self.addresses.get((family, match["name"]))


def _build_stack(name: str, documents: Sequence[Mapping[str, Any]], sources: tuple[str, ...]) -> Stack:
    resources = list(_resources(documents))
    index = _Index(addresses={(_Index.family(t), n): f"{t}.{n}" for t, n, _ in resources})
    target_groups: dict[str, TargetGroup] = {}
    for resource_type, resource_name, body in resources:
        if resource_type in _TARGET_GROUP_TYPES:
            address = f"{resource_type}.{resource_name}"
            tags = _tags(body)
            prefix = _literal_name(body.get("name_prefix"))
            target_groups[address] = TargetGroup(
                address=address,
                name=_literal_name(body.get("name")) or (f"{prefix}*" if prefix else resource_name),
                variant=tags.get(VARIANT_TAG),
                model=tags.get(MODEL_TAG),
            )
    actions = _ActionReader(index=index, target_groups=target_groups)

    rules_by_listener: dict[str, list[Rule]] = {}
    for resource_type, resource_name, body in resources:
        if resource_type in _RULE_TYPES:
            reference = body.get("listener_arn")
            listener = index.resolve(reference, "aws_lb_listener") or _text(reference) or "(no listener_arn)"
            rules_by_listener.setdefault(listener, []).append(
                _rule(f"{resource_type}.{resource_name}", body, actions)
            )

    listeners_by_balancer: dict[str, list[Listener]] = {}
    known_listeners: set[str] = set()
    for resource_type, resource_name, body in resources:
        if resource_type in _LISTENER_TYPES:
            address = f"{resource_type}.{resource_name}"
            known_listeners.add(address)
            reference = body.get("load_balancer_arn")
            balancer = index.resolve(reference, "aws_lb") or _text(reference) or "(no load_balancer_arn)"
            listeners_by_balancer.setdefault(balancer, []).append(
                Listener(
                    address=address,
                    port=_int(body.get("port")),
                    protocol=(_text(body.get("protocol")) or DEFAULT_LISTENER_PROTOCOL).upper(),
                    ssl_policy=_text(body.get("ssl_policy")),
                    rules=Listener.ordered(rules_by_listener.get(address, ())),
                    default_action=actions.read(body.get("default_action")),
                )
            )
    for listener_reference, rules in rules_by_listener.items():
        if listener_reference not in known_listeners:
            # Rules on a listener outside this configuration: shown under the reference as written.
            listeners_by_balancer.setdefault("(listener not in this configuration)", []).append(
                Listener(address=listener_reference, rules=Listener.ordered(rules))
            )

    balancer_bodies = {f"{t}.{n}": body for t, n, body in resources if t in _LOAD_BALANCER_TYPES}
    balancers: list[LoadBalancer] = []
    for address in set(balancer_bodies) | set(listeners_by_balancer):
        body = balancer_bodies.get(address, {})
        listeners = sorted(
            listeners_by_balancer.get(address, ()),
            key=lambda listener: (listener.port is None, listener.port or 0, listener.address),
        )
        if not listeners:
            continue
        balancers.append(
            LoadBalancer(
                address=address,
                name=_literal_name(body.get("name")) or address,
                listeners=tuple(listeners),
                internal=_bool(body.get("internal")),
            )
        )
    balancers.sort(key=lambda b: (b.name, b.address))
    return Stack(name=name, load_balancers=tuple(balancers), sources=sources)


def _rule(address: str, body: Mapping[str, Any], actions: _ActionReader) -> Rule:
    tags = _tags(body)
    role_tag = tags.get(AB_ROLE_TAG, "")
    role = (
        RuleRole(role_tag) if role_tag in (RuleRole.SPLIT.value, RuleRole.OVERRIDE.value) else RuleRole.OTHER
    )
    return Rule(
        address=address,
        priority=_int(body.get("priority")),
        conditions=_conditions(body.get("condition")),
        action=actions.read(body.get("action")) or OtherAction(action_type="(no action)"),
        experiment=tags.get(EXPERIMENT_TAG) or None,
        role=role,
        variants=tuple(tags.get(VARIANT_TAG, "").split()),
        paused_variants=tuple(tags.get(PAUSED_VARIANTS_TAG, "").split()),
        max_step=_points(tags.get(MAX_STEP_TAG)),
        construct_path=_construct_path(body),
    )


def _points(value: object) -> float | None:
    """A percentage-point tag value, or None when absent or not a number from 0 to 100."""
    try:
        points = float(str(value))
    except ValueError:
        return None
    return points if 0 <= points <= 100 else None


_VALUE_CONDITIONS = {
    "path_pattern": ConditionField.PATH_PATTERN,
    "host_header": ConditionField.HOST_HEADER,
    "http_request_method": ConditionField.HTTP_REQUEST_METHOD,
    "source_ip": ConditionField.SOURCE_IP,
}
_LEGACY_FIELDS = {field.value: field for field in ConditionField}


def _conditions(raw: Any) -> tuple[Condition, ...]:
    """Every condition block, in the order written; each kind in the block is one Condition."""
    out: list[Condition] = []
    for block in _blocks(raw):
        legacy_field = _text(block.get("field"))
        if legacy_field in _LEGACY_FIELDS:  # the old `field`/`values` form
            out.append(Condition(field=_LEGACY_FIELDS[legacy_field], values=_strings(block.get("values"))))
            continue
        for key, field in _VALUE_CONDITIONS.items():
            for inner in _blocks(block.get(key)):
                out.append(Condition(field=field, values=_strings(inner.get("values"))))
        for inner in _blocks(block.get("http_header")):
            out.append(
                Condition(
                    field=ConditionField.HTTP_HEADER,
                    header_name=_text(inner.get("http_header_name")) or "?",
                    values=_strings(inner.get("values")),
                )
            )
        pairs = tuple(
            QueryPair(key=_text(inner.get("key")), value=_text(inner.get("value")) or "")
            for inner in _blocks(block.get("query_string"))
        )
        if pairs:
            out.append(Condition(field=ConditionField.QUERY_STRING, query=pairs))
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class _ActionReader:
    index: _Index
    target_groups: dict[str, TargetGroup]

    def read(self, raw: Any) -> Action | None:
        """The final action of an `action`/`default_action` list (by `order`, then position)."""
        blocks = _blocks(raw)
        if not blocks:
            return None

        def order(item: tuple[int, dict[str, Any]]) -> tuple[float, int]:
            value = _int(item[1].get("order"))
            return (math.inf if value is None else value, item[0])

        _, last = sorted(enumerate(blocks), key=order)[-1]
        return self._action(last)

    def target_group(self, reference: Any) -> TargetGroup:
        address = self.index.resolve(reference, "aws_lb_target_group")
        if address is not None and address in self.target_groups:
            return self.target_groups[address]
        text = _text(reference) or "(no arn)"
        return TargetGroup(address=text, name=text)

    def _action(self, block: Mapping[str, Any]) -> Action:
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
                    stickiness = Stickiness(
                        enabled=bool(_bool(sticky[0].get("enabled"))),
                        duration=_int(sticky[0].get("duration")),
                    )
                return ForwardAction.weighted(
                    [self.target_group(entry.get("arn")) for entry in entries], weights, stickiness=stickiness
                )
            if block.get("target_group_arn") is not None:
                return ForwardAction.weighted([self.target_group(block.get("target_group_arn"))], [1])
            return OtherAction(action_type="forward (no target group)")
        if action_type == "redirect":
            redirect = (_blocks(block.get("redirect")) or [{}])[0]
            return RedirectAction(
                status_code=_text(redirect.get("status_code")) or "?",
                protocol=_text(redirect.get("protocol")),
                port=_text(redirect.get("port")),
                host=_text(redirect.get("host")),
                path=_text(redirect.get("path")),
                query=_text(redirect.get("query")),
            )
        if action_type == "fixed-response":
            fixed = (_blocks(block.get("fixed_response")) or [{}])[0]
            return FixedResponseAction(
                status_code=_text(fixed.get("status_code")) or "?",
                content_type=_text(fixed.get("content_type")),
            )
        return OtherAction(action_type=action_type)
