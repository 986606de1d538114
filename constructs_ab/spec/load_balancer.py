"""A load balancer (with its access logs; its WAF, default action and egress have modules of their own):
its model, rules, reading, and the checks of its fields."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, TypeVar

from constructs_ab import aws_limits, aws_names
from constructs_ab.spec import formats
from constructs_ab.spec.certificates import CERTIFICATE
from constructs_ab.spec.context import Checks
from constructs_ab.spec.default_action import DefaultAction, check_forward, read_default_action
from constructs_ab.spec.egress import ModelServerEgress, check_egress, read_egress
from constructs_ab.spec.existing_listener import (
    EXISTING_RULES,
    ExistingListener,
    check_existing,
    read_existing_listener,
    read_reserved_priorities,
)
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.rules import Boolean, Integer, Items, Rule, Text, check_fields, defaults_of, keys_of
from constructs_ab.spec.state import S3_BUCKET_ALLOWED
from constructs_ab.spec.variant import Choice
from constructs_ab.spec.waf import Waf, check_waf, read_waf

#: TLS policy of the HTTPS listener: TLS 1.3 with TLS 1.2 fallback and forward secrecy only.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#: Idle timeout of a load balancer, seconds. AWS uses 60, too short for streamed inference.
DEFAULT_IDLE_TIMEOUT_SECONDS = 300


#: Client ranges that admit every address: an internal load balancer does not inherit them.
WORLD_CIDRS = ("0.0.0.0/0", "::/0")


class IpAddressType(enum.StrEnum):
    """The addresses a load balancer has: IPv4 only, or IPv4 and IPv6 (its subnets need IPv6 ranges)."""

    IPV4 = "ipv4"
    DUALSTACK = "dualstack"


@dataclass(frozen=True, kw_only=True)
class AccessLogs:
    """Access logs of a load balancer.

    bucket: existing S3 bucket name to write to. Default None: a bucket is created with encryption,
        versioning, no public access and the bucket policy that ALB log delivery needs.
    prefix: key prefix in the bucket. Default: the load balancer's AWS name, `<environment>-<name>`.
    """

    bucket: str | None = None
    prefix: str | None = None


@dataclass(frozen=True, kw_only=True)
class LoadBalancer:
    """An Application Load Balancer with its HTTPS listener, HTTP redirect and security groups.

    name: lowercase letters, digits and hyphens; unique in its environment. The AWS name is
        `<environment>-<name>`, at most 32 characters.
    internal: True for an internal load balancer. Default False (public).
    idle_timeout: seconds, 1..4000. Default 300.
    access_logs: Default: a bucket is created.
    waf: Default: enabled on a public load balancer, off on an internal one.
    deletion_protection: Default True.
    max_rules: rule quota of the account for this load balancer, at least 100. Default 100.
    default_action: Default fixed 404.
    ssl_policy: Default ELBSecurityPolicy-TLS13-1-2-2021-06.
    model_server_egress: where the model servers behind it may connect to. Default: TCP 443 to anywhere.
    certificate_arn: ACM certificate of the HTTPS listener (its default certificate). Default None: the
        environment's `certificate_arn`.
    extra_certificates: more ACM certificates on the HTTPS listener, chosen by the name the client asks
        for (SNI), at most 25. Default none.
    allowed_client_cidrs: IPv4 (and, when dual-stack, IPv6) CIDRs admitted on ports 443 and 80. Default
        None: the environment's `allowed_client_cidrs`; an internal load balancer leaves out 0.0.0.0/0 and
        ::/0 from them (see `client_cidrs`).
    ip_address_type: ipv4, or dualstack for IPv4 and IPv6 clients. Default ipv4.
    existing_listener: the HTTPS listener of a load balancer managed elsewhere that the experiments' rules
        go onto (`spec.existing_listener`); none of the fields above but `max_rules` applies then. Default
        None: the load balancer, its listeners and security groups are created.
    existing_rules: with `existing_listener`, the listener rules already on that load balancer (not
        counting default rules), counted against `max_rules`. Default 0.
    reserved_priorities: with `existing_listener`, the (low, high) priority ranges its own rules use;
        explicit experiment priorities may not overlap them, assigned ones skip them. Default none.
    """

    name: str
    internal: bool = False
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT_SECONDS
    access_logs: AccessLogs = field(default_factory=AccessLogs)
    waf: Waf = field(default_factory=Waf)
    deletion_protection: bool = True
    max_rules: int = aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER
    default_action: DefaultAction = field(default_factory=DefaultAction)
    ssl_policy: str = DEFAULT_SSL_POLICY
    model_server_egress: ModelServerEgress = field(default_factory=ModelServerEgress)
    certificate_arn: str | None = None
    extra_certificates: tuple[str, ...] = ()
    allowed_client_cidrs: tuple[str, ...] | None = None
    ip_address_type: IpAddressType = IpAddressType.IPV4
    existing_listener: ExistingListener | None = None
    existing_rules: int = 0
    reserved_priorities: tuple[tuple[int, int], ...] = ()

    @property
    def existing(self) -> bool:
        """True when the experiments go onto an existing listener (nothing of the load balancer is ours)."""
        return self.existing_listener is not None

    def aws_name(self, environment: str) -> str:
        """Its AWS name: `<environment>-<name>` (`aws_names.load_balancer_name`), or, with an existing
        listener, the name of that listener's load balancer."""
        if self.existing_listener is not None:
            return self.existing_listener.aws_load_balancer_name
        return aws_names.load_balancer_name(environment, self.name)

    def certificate(self, environment_certificate: str) -> str:
        """The HTTPS listener's default certificate: its own, else the environment's."""
        return self.certificate_arn if self.certificate_arn is not None else environment_certificate

    def client_cidrs(self, environment_cidrs: tuple[str, ...]) -> tuple[str, ...]:
        """The client ranges admitted: its own list, else the environment's, without 0.0.0.0/0 and ::/0
        for an internal load balancer (a public one beside it may need them; an internal one serves the
        VPC and its peers). Empty when an internal load balancer inherits only those (validation refuses
        that)."""
        if self.allowed_client_cidrs is not None:
            return self.allowed_client_cidrs
        if not self.internal:
            return environment_cidrs
        return tuple(cidr for cidr in environment_cidrs if cidr not in WORLD_CIDRS)


def _modern_tls(value: str) -> str | None:
    modern = (
        "ELBSecurityPolicy-TLS13-1-2-",
        "ELBSecurityPolicy-TLS13-1-3-",
        "ELBSecurityPolicy-FS-1-2-",
        "ELBSecurityPolicy-TLS-1-2-",
    )
    return None if value.startswith(modern) else "is not a TLS 1.2+ policy"


def _prefix(value: str) -> str | None:
    if value.startswith("/") or value.endswith("/"):
        return "starts or ends with /"
    return "contains AWSLogs" if "AWSLogs" in value else None


def _client_cidr(value: str) -> str | None:
    return formats.cidr(value)


CLIENT_CIDRS_ALLOWED = (
    "allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, and IPv6 ones on a dual-stack load "
    "balancer, e.g. [10.0.0.0/8] or [0.0.0.0/0, ::/0]"
)
EXTRA_CERTIFICATES_ALLOWED = (
    "extra_certificates lists ACM certificate ARNs served by name (SNI) besides certificate_arn, at most "
    f"{aws_limits.MAX_EXTRA_CERTIFICATES_PER_LOAD_BALANCER}"
)
KEYS = keys_of(LoadBalancer, skip=("name",))
DEFAULTS = defaults_of(LoadBalancer)
#: The plain fields, in the order they are read.
RULES: dict[str, Rule] = {
    "internal": Boolean.named("internal"),
    "idle_timeout": Integer.between(
        "idle_timeout", aws_limits.MIN_IDLE_TIMEOUT_SECONDS, aws_limits.MAX_IDLE_TIMEOUT_SECONDS, "seconds"
    ),
    "deletion_protection": Boolean.named("deletion_protection"),
    "max_rules": Integer(
        low=aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER,
        high=aws_limits.MAX_RULE_PRIORITY,
        allowed="max_rules is the rule quota your account was granted, an integer from "
        f"{aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER} (the AWS default) to {aws_limits.MAX_RULE_PRIORITY}",
    ),
    "ssl_policy": Text(
        allowed="ssl_policy is an ELB security policy that allows TLS 1.2 and newer only, e.g. "
        f"{DEFAULT_SSL_POLICY}, ELBSecurityPolicy-TLS13-1-3-2021-06 or ELBSecurityPolicy-FS-1-2-Res-2020-10",
        test=_modern_tls,
    ),
    "certificate_arn": CERTIFICATE,
    "extra_certificates": Items(
        item=Text(allowed=EXTRA_CERTIFICATES_ALLOWED, test=formats.certificate_arn),
        allowed=EXTRA_CERTIFICATES_ALLOWED,
        max_items=aws_limits.MAX_EXTRA_CERTIFICATES_PER_LOAD_BALANCER,
        repeated="list it once",
    ),
    "allowed_client_cidrs": Items(
        item=Text(allowed=CLIENT_CIDRS_ALLOWED, test=_client_cidr),
        allowed=CLIENT_CIDRS_ALLOWED,
        min_items=1,
        repeated="list it once",
    ),
    "ip_address_type": Choice(
        allowed="ip_address_type is ipv4 or dualstack (IPv4 and IPv6 clients)",
        choices=IpAddressType,
        wrong="is not an IP address type",
    ),
}
ACCESS_LOGS_RULES: dict[str, Rule] = {
    "bucket": Text(
        allowed=f"bucket is an existing bucket for the logs; {S3_BUCKET_ALLOWED}", test=formats.s3_bucket
    ),
    "prefix": Text(
        allowed='prefix is a key prefix without a leading or trailing / and without "AWSLogs"', test=_prefix
    ),
}
T = TypeVar("T")


def _read_part(
    node: Node | None, problems: Problems, what: str, cls: type[T], rules: dict[str, Rule], **defaults: Any
) -> T:
    """Access logs or WAF settings: a map of plain fields."""
    if node is None:
        return cls(**defaults)
    fields = Fields(node, problems, what=what, keys=keys_of(cls))
    return cls(**fields.read_all(rules, {**defaults_of(cls), **defaults}))


def read_load_balancer(node: Node, name: str, problems: Problems) -> LoadBalancer:
    if node.value is None:  # `models:` with nothing under it: every default
        node = Node({}, node.path, node.line, node.lines)
    fields = Fields(node, problems, what="a load balancer", keys=KEYS)

    def plain(*keys: str) -> dict[str, Any]:
        return {key: fields.read(key, RULES[key], DEFAULTS[key]) for key in keys}

    existing = read_existing_listener(fields.get("existing_listener"), problems)
    settings = plain("internal", "idle_timeout")
    access_logs = _read_part(
        fields.get("access_logs"), problems, "access_logs", AccessLogs, ACCESS_LOGS_RULES
    )
    waf = read_waf(fields.get("waf"), problems, enabled=not settings["internal"] and existing is None)
    settings |= plain(
        "deletion_protection",
        "max_rules",
        "ssl_policy",
        "certificate_arn",
        "extra_certificates",
        "allowed_client_cidrs",
        "ip_address_type",
    )
    return LoadBalancer(
        name=name,
        access_logs=access_logs,
        waf=waf,
        default_action=read_default_action(fields.get("default_action"), problems),
        model_server_egress=read_egress(fields.get("model_server_egress"), problems),
        existing_listener=existing,
        existing_rules=fields.read("existing_rules", EXISTING_RULES, 0),
        reserved_priorities=read_reserved_priorities(fields.get("reserved_priorities"), problems),
        **settings,
    )


def check_load_balancer(checks: Checks, load_balancer: LoadBalancer, path: FieldPath) -> None:
    check_fields(checks, load_balancer, path, RULES)
    check_fields(checks, load_balancer.access_logs, path.key("access_logs"), ACCESS_LOGS_RULES)
    check_waf(checks, load_balancer.waf, path.key("waf"))
    check_egress(checks, load_balancer.model_server_egress, path.key("model_server_egress"))
    check_existing(checks, load_balancer, path, DEFAULTS)
    check_forward(checks, load_balancer.default_action, path.key("default_action"))
