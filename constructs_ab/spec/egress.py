"""Where the model servers may connect to: the egress of a load balancer's model-server security group.

A security group made by Terraform has no egress rule at all (the provider removes AWS's default "all
traffic out"), so a task or instance with only that group could not pull its image, fetch its weights or
ship its logs. The model servers get HTTPS out: by default to anywhere (0.0.0.0/0 and ::/0, TCP 443
only), or only to the destinations the spec names (the VPC endpoints' security groups, the prefix lists
of gateway endpoints such as S3's, CIDR blocks). DNS to the VPC's resolver is not filtered by security
groups and needs no rule.

See: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Integer, Items, Rule, Text, check_fields, defaults_of, keys_of
from constructs_ab.spec.values import describe

#: Port the model servers reach out on by default: HTTPS.
DEFAULT_EGRESS_PORTS = (443,)
#: Destinations when the spec names none: every IPv4 and IPv6 address.
ANYWHERE = ("0.0.0.0/0", "::/0")


@dataclass(frozen=True, kw_only=True)
class ModelServerEgress:
    """Egress of the model-server security group: TCP on `ports` to the destinations given.

    ports: TCP ports, 1..65535, each once. Default (443,).
    cidrs: IPv4 or IPv6 CIDR blocks. Default none.
    prefix_lists: managed prefix list ids (`pl-` and 8 or 17 hexadecimal digits), e.g. the S3 gateway
        endpoint's. Default none.
    security_groups: security group ids (`sg-` and 8 or 17 hexadecimal digits), e.g. the one of the
        interface VPC endpoints (ECR, CloudWatch Logs, STS). Default none.

    With no destination at all, the servers reach `ports` anywhere (`ANYWHERE`: 0.0.0.0/0 and ::/0).
    """

    ports: tuple[int, ...] = DEFAULT_EGRESS_PORTS
    cidrs: tuple[str, ...] = ()
    prefix_lists: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()

    @property
    def destinations(self) -> tuple[tuple[str, str], ...]:
        """(kind, value) of every destination: `cidr`, `prefix_list` or `security_group`; anywhere when none
        is given."""
        given = (
            *(("cidr", c) for c in self.cidrs),
            *(("prefix_list", p) for p in self.prefix_lists),
            *(("security_group", g) for g in self.security_groups),
        )
        return given or tuple(("cidr", c) for c in ANYWHERE)


def _prefix_list(value: str) -> str | None:
    return None if formats.PREFIX_LIST_ID.match(value) else "is not a prefix list id"


def _security_group(value: str) -> str | None:
    return None if formats.SECURITY_GROUP_ID.match(value) else "is not a security group id"


_PORT = Integer.between("a port", aws_limits.MIN_PORT, aws_limits.MAX_PORT)
_CIDRS = "cidrs is a list of IPv4 or IPv6 CIDR blocks with no host bits set, e.g. [10.0.0.0/16]"
_PREFIX_LISTS = "prefix_lists is a list of prefix list ids, pl- and 8 or 17 hexadecimal digits"
_SECURITY_GROUPS = "security_groups is a list of security group ids, sg- and 8 or 17 hexadecimal digits"
RULES: dict[str, Rule] = {
    "ports": Items(
        item=_PORT,
        allowed=f"ports is a list of TCP ports; {_PORT.allowed}",
        min_items=1,
        repeated="list it once",
    ),
    "cidrs": Items(item=Text(allowed=_CIDRS, test=formats.cidr), allowed=_CIDRS, repeated="list it once"),
    "prefix_lists": Items(
        item=Text(allowed=_PREFIX_LISTS, test=_prefix_list), allowed=_PREFIX_LISTS, repeated="list it once"
    ),
    "security_groups": Items(
        item=Text(allowed=_SECURITY_GROUPS, test=_security_group),
        allowed=_SECURITY_GROUPS,
        repeated="list it once",
    ),
}
ALLOWED = (
    "model_server_egress is {ports: [443], cidrs: [...], prefix_lists: [pl-...], security_groups: [sg-...]} "
    "(default: port 443 to anywhere)"
)


def read_egress(node: Node | None, problems: Problems) -> ModelServerEgress:
    if node is None:
        return ModelServerEgress()
    if not isinstance(node.value, Mapping):
        problems.add(node, f"{describe(node.value)}; {ALLOWED}")
        return ModelServerEgress()
    fields = Fields(node, problems, what="model_server_egress", keys=keys_of(ModelServerEgress))
    return ModelServerEgress(**fields.read_all(RULES, defaults_of(ModelServerEgress)))


def check_egress(checks: Checks, egress: ModelServerEgress, path: FieldPath) -> None:
    check_fields(checks, egress, path, RULES)
