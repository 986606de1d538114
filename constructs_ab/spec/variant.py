"""A variant (one model server fleet, one target group) and its place in an experiment's split: their
model, rules, reading and checks.

In a file, an item of an experiment's `variants` is a definition (it has `model` and the fleet's
settings) or a reference to a variant defined in another experiment (only `name`, `weight`, `paused`);
`shared_variants` resolves the references.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.health_check import HealthCheck, check_health_check, read_health_check
from constructs_ab.spec.names import NAME, NAME_ALLOWED
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import (
    Boolean,
    Integer,
    Rule,
    Text,
    check_fields,
    defaults_of,
    keys_of,
)
from constructs_ab.spec.targets import PORT, Target, check_target_ports, check_targets, read_targets
from constructs_ab.spec.values import show


class Protocol(enum.StrEnum):
    """Protocol between the load balancer and a model server."""

    HTTP = "HTTP"
    HTTPS = "HTTPS"


class TargetType(enum.StrEnum):
    """How targets are registered in a target group: by instance id or by IP address."""

    INSTANCE = "instance"
    IP = "ip"


@dataclass(frozen=True, kw_only=True)
class Variant:
    """One model server fleet: becomes one target group.

    name: variant name, lowercase letters, digits and hyphens; unique in its environment.
    model_id: the model served, e.g. "sentiment".
    model_version: its version, e.g. "1.4.2".
    port: port the model servers listen on, 1..65535. Default 8080.
    protocol: HTTP or HTTPS from the load balancer to the servers. Default HTTP (TLS ends at the ALB).
    target_type: instance or ip. Default ip (containers, ECS/EKS pods).
    health_check: see `HealthCheck`. Default: HealthCheck().
    slow_start: seconds a new target ramps up its share while the model warms up, 0 (off) or 30..900.
        Default 60.
    deregistration_delay: seconds in-flight requests get to finish before a target leaves, 0..3600.
        Default 30.
    targets: static targets to register. Default: none (an autoscaling group or ECS registers them).

    A variant shared by several experiments is one target group; they must be on one load balancer.
    """

    name: str
    model_id: str
    model_version: str
    port: int = 8080
    protocol: Protocol = Protocol.HTTP
    target_type: TargetType = TargetType.IP
    health_check: HealthCheck = field(default_factory=HealthCheck)
    slow_start: int = 60
    deregistration_delay: int = 30
    targets: tuple[Target, ...] = ()

    @property
    def model(self) -> str:
        """The model as one string, `id:version`, as used in tags and reports."""
        return f"{self.model_id}:{self.model_version}"


@dataclass(frozen=True, kw_only=True)
class WeightedVariant:
    """One variant in an experiment's weighted split.

    weight: relative share, an integer 0..999 (AWS limit); share = weight / sum of weights.
    paused: True allows weight 0 (the variant is kept but takes no traffic). Default False.
    """

    variant: Variant
    weight: int
    paused: bool = False


@dataclass(frozen=True, kw_only=True)
class Choice(Text):
    """One of the values of an enum, read into it."""

    choices: type[enum.StrEnum]
    wrong: str

    def __post_init__(self) -> None:
        values = {choice.value for choice in self.choices}
        object.__setattr__(self, "test", lambda v: None if v in values else self.wrong)

    def convert(self, value: Any) -> Any:
        return self.choices(value)


_DEFINITION_KEYS = keys_of(Variant, rename={"model_id": "model", "model_version": "model"})
#: Keys of an item that defines a variant, and of one that lists a variant defined elsewhere.
VARIANT_KEYS = (*_DEFINITION_KEYS[:2], *keys_of(WeightedVariant, skip=("variant",)), *_DEFINITION_KEYS[2:])
REFERENCE_KEYS = ("name", *keys_of(WeightedVariant, skip=("variant",)))
DEFAULTS = defaults_of(Variant)

WEIGHT = Integer.between("a weight", aws_limits.MIN_WEIGHT, aws_limits.MAX_WEIGHT)
PAUSED = Boolean.named("paused", "true allows weight 0")
MODEL_ALLOWED = (
    'model is {id: <model id>, version: <version>} or the text "<id>:<version>"; id and version are '
    "letters, digits and . _ / + = @ -"
)
MODEL_ID = Text(
    allowed="id is the model's name, e.g. sentiment; letters, digits and . _ / + = @ -",
    test=formats.model_part,
)
MODEL_VERSION = Text(
    allowed='version is text, e.g. "1.4.2" (quote numbers: 2.0 would read as a number); letters, digits and '
    ". _ / + = @ -",
    test=formats.model_part,
)
#: The settings of a definition besides its name, model, health check and targets.
RULES: dict[str, Rule] = {
    "port": PORT,
    "protocol": Choice(
        allowed="protocol is HTTP or HTTPS (from the load balancer to the servers)",
        choices=Protocol,
        wrong="is not a protocol",
    ),
    "target_type": Choice(
        allowed="target_type is instance or ip", choices=TargetType, wrong="is not a target type"
    ),
    "slow_start": Integer(
        low=aws_limits.MIN_SLOW_START_SECONDS,
        high=aws_limits.MAX_SLOW_START_SECONDS,
        also=0,
        allowed="slow_start is 0 (off) or an integer from "
        f"{aws_limits.MIN_SLOW_START_SECONDS} to {aws_limits.MAX_SLOW_START_SECONDS} (seconds)",
    ),
    "deregistration_delay": Integer.between(
        "deregistration_delay",
        aws_limits.MIN_DEREGISTRATION_DELAY_SECONDS,
        aws_limits.MAX_DEREGISTRATION_DELAY_SECONDS,
        "seconds",
    ),
}
WEIGHTED_RULES: dict[str, Rule] = {"weight": WEIGHT, "paused": PAUSED}


@dataclass(frozen=True, kw_only=True)
class VariantEntry:
    """One item of an experiment's `variants` list, before references are resolved.

    definition: the Variant when the item defines it (it has `model`); None for a reference.
    """

    node: Node
    name: str
    weight: int
    paused: bool
    definition: Variant | None


def read_model(node: Node | None, problems: Problems) -> tuple[str, str]:
    """A model given as {id, version} or as the text `id:version`."""
    if node is None:
        return "", ""
    if isinstance(node.value, str):
        model_id, colon, version = node.value.partition(":")
        if not colon or not model_id or not version:
            problems.add(node, f"{show(node.value)} is not <id>:<version>; {MODEL_ALLOWED}")
            return "", ""
        for part in (model_id, version):
            wrong = formats.model_part(part)
            if wrong:
                problems.add(node, f"{show(part)} {wrong}; {MODEL_ALLOWED}")
                return "", ""
        return model_id, version
    fields = Fields(
        node,
        problems,
        what="a model",
        keys=("id", "version"),
        required={"id": MODEL_ALLOWED, "version": MODEL_ALLOWED},
    )
    return fields.read("id", MODEL_ID, ""), fields.read("version", MODEL_VERSION, "")


def read_variant_entry(node: Node, problems: Problems) -> VariantEntry | None:
    """A variant definition (with `model`) or a reference to a variant defined elsewhere."""
    is_definition = isinstance(node.value, Mapping) and "model" in node.value
    keys = VARIANT_KEYS if is_definition else REFERENCE_KEYS
    if isinstance(node.value, Mapping) and not is_definition:
        extra = [
            k for k in node.value if isinstance(k, str) and k in VARIANT_KEYS and k not in REFERENCE_KEYS
        ]
        if extra:
            problems.add(
                node.path.key(extra[0]),
                f"{show(extra[0])} is given without model; a variant is defined once per environment "
                "with model and its settings; another experiment that shares it lists only name, weight "
                "and paused",
                node.line,
            )
            keys = VARIANT_KEYS  # reported once above, not again as unknown keys
    fields = Fields(
        node,
        problems,
        what="a variant",
        keys=keys,
        required={"name": f"every variant has a name; {NAME_ALLOWED}", "weight": WEIGHT.allowed},
    )
    if not fields.valid:
        return None
    name = fields.read("name", NAME, "")
    weighted = fields.read_all(WEIGHTED_RULES, {"weight": 0, "paused": False})
    definition = _read_definition(fields, name) if is_definition else None
    return VariantEntry(node=node, name=name, definition=definition, **weighted)


def _read_definition(fields: Fields, name: str) -> Variant:
    model_id, version = read_model(fields.get("model"), fields.problems)
    settings = fields.read_all(RULES, DEFAULTS)
    return Variant(
        name=name,
        model_id=model_id,
        model_version=version,
        health_check=read_health_check(fields.get("health_check"), fields.problems),
        targets=read_targets(fields.get("targets"), fields.problems, settings["target_type"]),
        **settings,
    )


def check_entry(checks: Checks, weighted: WeightedVariant, path: FieldPath) -> None:
    """Weight and paused, and weight 0 exactly for a paused variant."""
    check_fields(checks, weighted, path, WEIGHTED_RULES)
    weight = path.key("weight")
    if not checks.valid(weight) or not WEIGHT.sound(checks, weight, weighted.weight):
        return
    if weighted.weight == 0 and not weighted.paused:
        checks.error(
            weight,
            "0 takes no traffic but the variant is not paused; mark it `paused: true` "
            f"to keep it at weight 0, or give it a weight from 1 to {aws_limits.MAX_WEIGHT}",
        )
    elif weighted.weight > 0 and weighted.paused is True:
        checks.error(
            weight,
            f"{weighted.weight} sends traffic to a paused variant; a paused variant has weight 0 "
            "(or remove `paused: true`)",
        )


def check_variant(checks: Checks, variant: Variant, path: FieldPath) -> None:
    """The settings of a variant, at `path`, the item that defines it."""
    NAME.check(checks, path.key("name"), variant.name)
    model = path.key("model")
    MODEL_ID.check(checks, model.key("id"), variant.model_id)
    MODEL_VERSION.check(checks, model.key("version"), variant.model_version)
    check_fields(checks, variant, path, RULES)
    check_health_check(checks, variant.health_check, path.key("health_check"))
    check_targets(checks, variant.targets, path.key("targets"), variant.target_type)
    check_target_ports(checks, variant.targets, path.key("targets"), variant.port)
