"""Static targets of a variant's target group: their model, rules, reading and checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Integer, Items, Rule, Text, keys_of, required_keys
from constructs_ab.spec.values import noted_line, show


@dataclass(frozen=True, kw_only=True)
class Target:
    """A static target registered in a variant's target group.

    id: an instance id (`i-...`) for target type instance; for target type ip, a private IPv4 address
        (10/8, 172.16/12, 192.168/16 or 100.64/10), as AWS requires for IP targets in a VPC.
    port: port the target listens on. Default: the variant's port.
    """

    id: str
    port: int | None = None


PORT = Integer.between("a port", aws_limits.MIN_PORT, aws_limits.MAX_PORT)
#: The id of a target, by target type.
IDS = {
    "ip": Text(
        allowed="with target_type ip, a target is a private IPv4 address, e.g. 10.0.1.15",
        test=formats.ipv4_target,
    ),
    "instance": Text(
        allowed="with target_type instance, a target is an EC2 instance id, e.g. i-0123456789abcdef0",
        test=formats.instance_id,
    ),
}
KEYS = keys_of(Target)


@dataclass(frozen=True, kw_only=True)
class _TargetRule(Rule):
    """A target written as its id, or as {id, port}."""

    id: Text

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, Target):
            return f"{show(value)} is not a Target; {self.id.allowed}"
        return self.id.problem(value.id) or (PORT.problem(value.port) if value.port is not None else None)

    def read(self, node: Node, problems: Problems) -> Any:
        if isinstance(node.value, Mapping):
            required = required_keys(Target, {"id": self.id.allowed})
            fields = Fields(node, problems, what="a target", keys=KEYS, required=required)
            target_id, port = fields.read("id", self.id, ""), fields.read("port", PORT, None)
        else:
            target_id, port = self.id.read(node, problems) or "", None
        return Target(id=target_id, port=port) if target_id else None

    def check(self, checks: Checks, path: FieldPath, value: Any) -> None:
        if not isinstance(value, Target):
            super().check(checks, path, value)
            return
        self.id.check(checks, path.key("id") if value.port is not None else path, value.id)
        if value.port is not None:
            PORT.check(checks, path.key("port"), value.port)


@dataclass(frozen=True, kw_only=True)
class _Targets(Items):
    def shown(self, value: Any) -> str:
        return show(value.id)


#: The targets of a variant, by target type.
TARGETS = {
    kind: _Targets(
        item=_TargetRule(id=rule),
        allowed="targets is a list of target ids or {id, port} maps",
        repeated="list each target once",
    )
    for kind, rule in IDS.items()
}


def read_targets(node: Node | None, problems: Problems, target_type: str) -> tuple[Target, ...]:
    if node is None:
        return ()
    return TARGETS[target_type].read(node, problems) or ()


def check_targets(checks: Checks, targets: tuple[Target, ...], path: FieldPath, target_type: str) -> None:
    if target_type in TARGETS:
        TARGETS[target_type].check(checks, path, targets)


def check_target_ports(checks: Checks, targets: tuple[Target, ...], path: FieldPath, port: int) -> None:
    """Each target is registered once per port: a target without a port is on the variant's `port`, so
    `10.0.1.15` and `{id: 10.0.1.15, port: 8080}` are one registration when the variant's port is 8080.
    The same target on two ports is two registrations (two model servers on one host)."""
    first: dict[tuple[str, int], FieldPath] = {}
    for index, target in enumerate(targets):
        where = path.index(index)
        if not isinstance(target, Target) or not checks.valid(where):
            continue
        effective = target.port if target.port is not None else port
        key = (target.id, effective)
        if key in first:
            checks.error(
                where,
                f"{show(target.id)} on port {effective} is listed twice"
                f"{noted_line(checks.line(first[key]), 'first at line')}; a target without a port is on the "
                f"variant's port, {port}: list each target and port once",
            )
        else:
            first[key] = where
