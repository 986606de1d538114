"""A load balancer managed elsewhere: the experiments' rules go onto its existing HTTPS listener.

    load_balancers:
      models:
        existing_listener: {load_balancer_name: ml-serving, port: 443}   # or {arn: <listener ARN>}
        existing_rules: 3                 # rules already on the load balancer, counted against max_rules
        reserved_priorities: [1-99, 200]  # priorities they use: experiments keep off them

The stack reads the listener and its load balancer through data sources and creates only what the
experiments need: target groups, listener rules, guardrail alarms. The load balancer's own settings
(`NOT_WITH_EXISTING`) are not ours to set, so the spec refuses them. `preflight` checks the live listener
(it exists, it is HTTPS) and its live rule count against the quota.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from constructs_ab import aws_limits
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems, items_of
from constructs_ab.spec.rules import Integer, Rule, Text, check_fields, defaults_of, keys_of
from constructs_ab.spec.values import describe, show

#: The port of the listener named by load balancer name when the spec gives none: HTTPS.
DEFAULT_LISTENER_PORT = 443

LISTENER_ARN = re.compile(
    r"^arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:"
    r"listener/app/(?P<name>[A-Za-z0-9-]{1,32})/[0-9a-f]{16}/[0-9a-f]{16}$"
)
#: The AWS rule for a load balancer name (`aws_limits.NAME_PATTERN` is stricter, for the names we make).
LOAD_BALANCER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")


@dataclass(frozen=True, kw_only=True)
class ExistingListener:
    """The HTTPS listener, on a load balancer managed elsewhere, that the experiments' rules attach to.

    Give either `arn`, or `load_balancer_name` (and `port`).

    arn: the listener's ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>).
        Default None.
    load_balancer_name: the AWS name of its load balancer. Default None.
    port: the listener's port on that load balancer, with `load_balancer_name`. Default 443.
    """

    arn: str | None = None
    load_balancer_name: str | None = None
    port: int = DEFAULT_LISTENER_PORT

    @property
    def aws_load_balancer_name(self) -> str:
        """The AWS name of the load balancer: given, or the one in the listener ARN."""
        if self.load_balancer_name is not None:
            return self.load_balancer_name
        found = LISTENER_ARN.match(self.arn or "")
        return found["name"] if found else ""


def _listener_arn(value: str) -> str | None:
    return None if LISTENER_ARN.match(value) else "is not an Application Load Balancer listener ARN"


def _load_balancer_name(value: str) -> str | None:
    return None if LOAD_BALANCER_NAME.match(value) else "is not a load balancer name"


LISTENER_ALLOWED = (
    "existing_listener is {arn: <listener ARN>} or {load_balancer_name: <AWS name>, port: <port, default "
    f"{DEFAULT_LISTENER_PORT}>}}"
)
LISTENER_KEYS = keys_of(ExistingListener)
LISTENER_RULES: dict[str, Rule] = {
    "arn": Text(
        allowed="arn is a listener ARN, arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<load "
        "balancer>/<16 hex digits>/<16 hex digits>",
        test=_listener_arn,
    ),
    "load_balancer_name": Text(
        allowed="load_balancer_name is the AWS name of the load balancer: 1 to 32 letters, digits and "
        "hyphens, not starting or ending with a hyphen",
        test=_load_balancer_name,
    ),
    "port": Integer.between("port", aws_limits.MIN_PORT, aws_limits.MAX_PORT),
}
EXISTING_RULES = Integer(
    low=0,
    high=aws_limits.MAX_RULE_PRIORITY,
    allowed="existing_rules is the number of listener rules already on the load balancer (not counting "
    f"default rules), an integer from 0 to {aws_limits.MAX_RULE_PRIORITY}",
)
RESERVED_ALLOWED = (
    "reserved_priorities lists the priorities the listener's own rules use, each a priority or a range "
    f'"low-high", from {aws_limits.MIN_RULE_PRIORITY} to {aws_limits.MAX_RULE_PRIORITY}, e.g. [1-99, 200]'
)
_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
#: The load balancer's own settings, which an existing listener's load balancer already has.
NOT_WITH_EXISTING = (
    "internal",
    "idle_timeout",
    "access_logs",
    "waf",
    "deletion_protection",
    "default_action",
    "ssl_policy",
    "model_server_egress",
    "certificate_arn",
    "extra_certificates",
    "allowed_client_cidrs",
    "ip_address_type",
)
#: The fields that describe an existing listener, meaningless without one.
ONLY_WITH_EXISTING = ("existing_rules", "reserved_priorities")


class OnListener(Protocol):
    """What these checks read of a `LoadBalancer` (which imports this module)."""

    @property
    def name(self) -> str: ...

    @property
    def existing_listener(self) -> ExistingListener | None: ...

    @property
    def existing_rules(self) -> int: ...

    @property
    def reserved_priorities(self) -> tuple[tuple[int, int], ...]: ...


def read_existing_listener(node: Node | None, problems: Problems) -> ExistingListener | None:
    if node is None:
        return None
    fields = Fields(node, problems, what="existing_listener", keys=LISTENER_KEYS)
    if not fields.valid:
        return ExistingListener()
    return ExistingListener(**fields.read_all(LISTENER_RULES, defaults_of(ExistingListener)))


def _range_of(value: Any) -> tuple[int, int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, str):
        found = _RANGE.match(value)
        if found:
            return (int(found[1]), int(found[2]))
    return None


def read_reserved_priorities(node: Node | None, problems: Problems) -> tuple[tuple[int, int], ...]:
    """Each item a priority (`200`) or a range (`"1-99"`); an unreadable item is left out, reported."""
    if node is None:
        return ()
    if not isinstance(node.value, list):
        problems.add(node, f"{describe(node.value)}; {RESERVED_ALLOWED}")
        return ()
    found = []
    for item in items_of(node):
        span = _range_of(item.value)
        if span is None:
            problems.add(
                item, f"{show(item.value)} is not a priority or a range low-high; {RESERVED_ALLOWED}"
            )
        else:
            found.append(span)
    return tuple(found)


def show_range(low: int, high: int) -> str:
    """`200`, or `1-99` for a range."""
    return str(low) if low == high else f"{low}-{high}"


def check_existing(
    checks: Checks, load_balancer: OnListener, path: FieldPath, defaults: dict[str, Any]
) -> None:
    """An existing listener named one way; the load balancer's own settings left out with one; the
    existing rules and reserved priorities given only with one, in range."""
    name = load_balancer.name
    listener = load_balancer.existing_listener
    where = path.key("existing_listener")
    if listener is None:
        for key in ONLY_WITH_EXISTING:
            if getattr(load_balancer, key) != defaults[key] and checks.valid(path.key(key)):
                checks.error(
                    path.key(key),
                    f"load balancer {name}: {key} describes the rules of an existing listener, and this load "
                    f"balancer is created here; leave {key} out, or set existing_listener ({LISTENER_ALLOWED})",
                )
        return
    check_fields(checks, listener, where, LISTENER_RULES)
    if listener.arn is None and listener.load_balancer_name is None and not checks.blocked(where):
        checks.error(
            where, f"load balancer {name}: neither arn nor load_balancer_name is given; {LISTENER_ALLOWED}"
        )
    elif (
        listener.arn is not None
        and listener.load_balancer_name is not None
        and checks.valid(where.key("arn"))
    ):
        checks.error(
            where,
            f"load balancer {name}: both arn and load_balancer_name are given; {LISTENER_ALLOWED}, not both",
        )
    elif (
        listener.arn is not None
        and checks.valid(where.key("port"))
        and (checks.source is not None or listener.port != DEFAULT_LISTENER_PORT)
    ):
        checks.error(
            where.key("port"),
            f"load balancer {name}: port goes with load_balancer_name; the listener ARN names the listener "
            "already: leave port out",
        )
    for key in NOT_WITH_EXISTING:
        value, default = getattr(load_balancer, key), defaults[key]
        if key == "waf":  # its `enabled` default follows `internal`: compare what a spec sets
            value, default = (
                (value.rate_limit, value.rule_actions),
                (default.rate_limit, default.rule_actions),
            )
        if checks.given(path.key(key)) and (checks.source is not None or value != default):
            checks.error(
                path.key(key),
                f"load balancer {name}: {key} does not apply to a load balancer with an existing_listener: that "
                f"load balancer and its listener are managed elsewhere and only the experiments' target groups, "
                f"rules and alarms are created here; leave {key} out",
            )
    EXISTING_RULES.check(checks, path.key("existing_rules"), load_balancer.existing_rules)
    reserved = path.key("reserved_priorities")
    for index, (low, high) in enumerate(load_balancer.reserved_priorities):
        lowest, highest = aws_limits.MIN_RULE_PRIORITY, aws_limits.MAX_RULE_PRIORITY
        if not lowest <= low <= high <= highest and checks.valid(reserved.index(index)):
            checks.error(
                reserved.index(index),
                f"load balancer {name}: {show(show_range(low, high))} is not a priority or a rising range "
                f"from {lowest} to {highest}; {RESERVED_ALLOWED}",
            )


def reserved_clash(load_balancer: OnListener, first: int, last: int) -> tuple[int, int] | None:
    """The first reserved range of `load_balancer` that priorities `first`..`last` overlap, if any."""
    return next(
        ((low, high) for low, high in load_balancer.reserved_priorities if low <= last and first <= high),
        None,
    )
