"""A model load balancer: an Application Load Balancer that is secure by default.

An HTTPS listener with a modern TLS policy (experiments attach their rules to it), an HTTP listener
that only redirects to HTTPS, security groups for the clients and the model servers, access logs to
a bucket created securely unless one is given, a WAFv2 web ACL on public load balancers, deletion
protection and `drop_invalid_header_fields`.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cdktf import ITerraformDependable
from constructs import Construct

from constructs_ab import aws_limits as limits
from constructs_ab.access_logs_bucket import AccessLogsBucket, AccessLogsBucketProps
from constructs_ab.load_balancer_references import LoadBalancerReferences
from constructs_ab.prop_checks import PropProblems
from constructs_ab.provider import (
    Lb,
    LbAccessLogs,
    LbListener,
    LbListenerCertificate,
    LbListenerDefaultAction,
    LbListenerDefaultActionFixedResponse,
    LbListenerDefaultActionRedirect,
)
from constructs_ab.security_groups import (
    HTTP_PORT,
    HTTPS_PORT,
    LoadBalancerSecurityGroups,
    LoadBalancerSecurityGroupsProps,
)
from constructs_ab.spec.model import (
    DEFAULT_IDLE_TIMEOUT_SECONDS,
    DEFAULT_SSL_POLICY,
    AccessLogs,
    IpAddressType,
    ModelServerEgress,
    Waf,
)
from constructs_ab.spec.waf import ACTION_ALLOWED, ACTIONS, SETTABLE_RULES, unknown_rule
from constructs_ab.tagging import BaseTags
from constructs_ab.web_acl import ModelWebAcl, ModelWebAclProps

#: Body of the fixed 404 response for requests no rule takes.
NOT_FOUND_BODY = json.dumps({"error": "not found", "message": "no model route matches this request"})


@dataclass(frozen=True, kw_only=True)
class ListenerDefault:
    """What the HTTPS listener does with a request no listener rule takes.

    Build it with `ListenerDefault.fixed_404()` (the default) or `ListenerDefault.forward(arn)`.

    target_group_arn: forward everything to this target group. Default None: a fixed response.
    status_code: status of the fixed response. Default "404".
    content_type: content type of the fixed response. Default "application/json".
    message_body: body of the fixed response, at most 1024 bytes. Default a JSON "not found" object.
    """

    target_group_arn: str | None = None
    status_code: str = "404"
    content_type: str = "application/json"
    message_body: str = NOT_FOUND_BODY

    @staticmethod
    def fixed_404() -> ListenerDefault:
        """Answer 404 with a small JSON body."""
        return ListenerDefault()

    @staticmethod
    def forward(target_group_arn: str) -> ListenerDefault:
        """Send all remaining traffic to one target group."""
        return ListenerDefault(target_group_arn=target_group_arn)


@dataclass(frozen=True, kw_only=True)
class ModelLoadBalancerProps:
    """Properties of a `ModelLoadBalancer`.

    name: AWS load balancer name, at most 32 characters, e.g. `<environment>-<load balancer>`; it also
        names the security groups, the web ACL and the access logs bucket.
    vpc_id: VPC of the load balancer and of the model servers.
    subnet_ids: subnets of the load balancer, at least 2 in different availability zones.
    certificate_arn: ACM certificate of the HTTPS listener (its default certificate).
    allowed_client_cidrs: CIDRs admitted on ports 443 and 80; nothing else reaches the load balancer. IPv6
        ones admit IPv6 clients only with `ip_address_type=IpAddressType.DUALSTACK` (the spec refuses them
        on an IPv4 load balancer).
    tags: environment, owner and extra tags.
    model_server_ports: ports of the model servers (the variants' ports); the load balancer may send
        traffic to the model server security group on these ports only. Default (8080,).
    internal: True for an internal load balancer. Default False (internet-facing).
    idle_timeout: seconds, 1..4000. Default 300 (the AWS default of 60 is short for streamed tokens).
    deletion_protection: Default True.
    ssl_policy: TLS policy of the HTTPS listener. Default ELBSecurityPolicy-TLS13-1-2-2021-06.
    default_action: Default `ListenerDefault.fixed_404()`.
    access_logs: `AccessLogs(bucket=None)` creates a secure bucket; `AccessLogs(bucket="name")`
        writes to an existing bucket (which must allow ALB log delivery). Default: a bucket is created,
        prefix = `name`.
    waf: the web ACL. Default None: `Waf()` (AWS managed rules, 2000 requests per 5 minutes per IP) on
        an internet-facing load balancer, no web ACL on an internal one. `Waf(enabled=False)` turns
        it off; a `Waf` given for an internal load balancer turns it on.
    region: AWS Region of the load balancer, which decides whom the created log bucket lets write
        (see `AccessLogsBucketProps.region`). Default None: both the service principal and the
        Region's ELB account.
    model_server_egress: where the model servers may connect to (the egress of the model-server security
        group). Default: TCP 443 to anywhere (0.0.0.0/0 and ::/0).
    extra_certificate_arns: more ACM certificates of the HTTPS listener, served by the name the client
        asks for (SNI), one `aws_lb_listener_certificate` each; at most 25. Default none.
    ip_address_type: IPv4 only, or dual-stack (IPv4 and IPv6; the subnets need IPv6 ranges). Default
        IPv4.

    Checked against the AWS limits when the construct is made (`check`).
    """

    name: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    certificate_arn: str
    allowed_client_cidrs: tuple[str, ...]
    tags: BaseTags
    model_server_ports: tuple[int, ...] = (8080,)
    internal: bool = False
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT_SECONDS
    deletion_protection: bool = True
    ssl_policy: str = DEFAULT_SSL_POLICY
    default_action: ListenerDefault = field(default_factory=ListenerDefault.fixed_404)
    access_logs: AccessLogs = field(default_factory=AccessLogs)
    waf: Waf | None = None
    region: str | None = None
    model_server_egress: ModelServerEgress = field(default_factory=ModelServerEgress)
    extra_certificate_arns: tuple[str, ...] = ()
    ip_address_type: IpAddressType = IpAddressType.IPV4

    @property
    def effective_waf(self) -> Waf | None:
        """The web ACL settings that apply, None when there is no web ACL."""
        waf = self.waf if self.waf is not None else (None if self.internal else Waf())
        return waf if waf is not None and waf.enabled else None

    def check(self) -> None:
        """Raise ValueError naming each prop that breaks an AWS limit, one line per problem."""
        problems = PropProblems(type(self).__name__)
        if problems.name("name", self.name, limits.MAX_LOAD_BALANCER_NAME_LENGTH, "load balancer name"):
            if self.name.startswith(limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX):
                problems.add(
                    "name",
                    f"{self.name!r} starts with {limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX!r}, which AWS reserves",
                )
        problems.text("vpc_id", self.vpc_id, 64, "a VPC id")
        problems.text("certificate_arn", self.certificate_arn, 2048, "a certificate ARN")
        if len(self.subnet_ids) < limits.MIN_SUBNETS_PER_LOAD_BALANCER:
            problems.add(
                "subnet_ids",
                f"{len(self.subnet_ids)} subnet(s); a load balancer needs at least "
                f"{limits.MIN_SUBNETS_PER_LOAD_BALANCER}, in different Availability Zones",
            )
        for index, cidr in enumerate(self.allowed_client_cidrs):
            problems.cidr(f"allowed_client_cidrs[{index}]", cidr, "an allowed client range")
        extra = self.extra_certificate_arns
        if len(extra) > limits.MAX_EXTRA_CERTIFICATES_PER_LOAD_BALANCER:
            problems.add(
                "extra_certificate_arns",
                f"{len(extra)} certificates; a load balancer has at most "
                f"{limits.MAX_EXTRA_CERTIFICATES_PER_LOAD_BALANCER} besides its default one (AWS quota)",
            )
        for index, arn in enumerate(extra):
            if problems.text(f"extra_certificate_arns[{index}]", arn, 2048, "a certificate ARN") and (
                arn == self.certificate_arn or arn in extra[:index]
            ):
                problems.add(
                    f"extra_certificate_arns[{index}]",
                    f"{arn!r} is listed twice (or is certificate_arn); list each certificate once",
                )
        for index, port in enumerate(self.model_server_ports):
            problems.integer_in(
                f"model_server_ports[{index}]",
                port,
                limits.MIN_PORT,
                limits.MAX_PORT,
                f"a port is an integer from {limits.MIN_PORT} to {limits.MAX_PORT}",
            )
        problems.integer_in(
            "idle_timeout",
            self.idle_timeout,
            limits.MIN_IDLE_TIMEOUT_SECONDS,
            limits.MAX_IDLE_TIMEOUT_SECONDS,
            f"an idle timeout is {limits.MIN_IDLE_TIMEOUT_SECONDS} to {limits.MAX_IDLE_TIMEOUT_SECONDS} s",
        )
        waf = self.effective_waf
        if waf is not None:
            problems.integer_in(
                "waf.rate_limit",
                waf.rate_limit,
                limits.MIN_WAF_RATE_LIMIT,
                limits.MAX_WAF_RATE_LIMIT,
                f"a rate limit is {limits.MIN_WAF_RATE_LIMIT} to {limits.MAX_WAF_RATE_LIMIT} requests per 5 minutes",
            )
            for rule, action in waf.rule_actions:
                if rule not in SETTABLE_RULES:
                    problems.add(f"waf.rule_actions.{rule}", unknown_rule(rule))
                elif action not in ACTIONS:
                    problems.add(
                        f"waf.rule_actions.{rule}", f"{action!r} is not a rule action; {ACTION_ALLOWED}"
                    )
        problems.raise_if_any()


class ModelLoadBalancer(Construct, LoadBalancerReferences):
    """An Application Load Balancer for model variants, secure by default (`dns_name`, `arn_suffix` and
    `https_listener_arn`: see `LoadBalancerReferences`).

    Children: `security_groups` (`LoadBalancerSecurityGroups`), `access_logs_bucket`
    (`AccessLogsBucket`, None when a bucket is given), `load_balancer` (aws_lb), `https_listener`,
    `http_listener` (aws_lb_listener), `extra_certificates` (aws_lb_listener_certificate by certificate
    ARN, construct id `sni-<certificate id>`) and `web_acl` (`ModelWebAcl`, None when off).
    """

    load_balancer: Lb
    https_listener: LbListener
    http_listener: LbListener
    extra_certificates: dict[str, LbListenerCertificate]
    security_groups: LoadBalancerSecurityGroups
    access_logs_bucket: AccessLogsBucket | None
    web_acl: ModelWebAcl | None

    def __init__(self, scope: Construct, id: str, props: ModelLoadBalancerProps) -> None:
        props.check()
        super().__init__(scope, id)
        self.props = props
        tags = props.tags.as_dict()
        self.security_groups = LoadBalancerSecurityGroups(
            self,
            "security-groups",
            LoadBalancerSecurityGroupsProps(
                name=props.name,
                vpc_id=props.vpc_id,
                allowed_client_cidrs=props.allowed_client_cidrs,
                model_server_ports=props.model_server_ports,
                tags=props.tags,
                model_server_egress=props.model_server_egress,
            ),
        )
        log_prefix = props.access_logs.prefix if props.access_logs.prefix is not None else props.name
        if props.access_logs.bucket is None:
            self.access_logs_bucket = AccessLogsBucket(
                self,
                "access-logs",
                AccessLogsBucketProps(
                    name=props.name, log_prefix=log_prefix, tags=props.tags, region=props.region
                ),
            )
            log_bucket = self.access_logs_bucket.bucket_name
            # ALB checks that it may write to the bucket when logging is turned on.
            depends_on: list[ITerraformDependable] | None = [self.access_logs_bucket.policy]
        else:
            self.access_logs_bucket = None
            log_bucket = props.access_logs.bucket
            depends_on = None
        self.load_balancer = Lb(
            self,
            "alb",
            name=props.name,
            load_balancer_type="application",
            internal=props.internal,
            # Only when dual-stack: AWS's default is ipv4, and IPv4 stacks synthesize as before.
            ip_address_type=(
                props.ip_address_type.value if props.ip_address_type is IpAddressType.DUALSTACK else None
            ),
            subnets=list(props.subnet_ids),
            security_groups=[self.security_groups.load_balancer.id],
            idle_timeout=props.idle_timeout,
            enable_deletion_protection=props.deletion_protection,
            drop_invalid_header_fields=True,
            access_logs=LbAccessLogs(bucket=log_bucket, prefix=log_prefix, enabled=True),
            depends_on=depends_on,
            tags=tags,
        )
        self.https_listener = LbListener(
            self,
            "https",
            load_balancer_arn=self.load_balancer.arn,
            port=HTTPS_PORT,
            protocol="HTTPS",
            ssl_policy=props.ssl_policy,
            certificate_arn=props.certificate_arn,
            default_action=[_default_action(props.default_action)],
            tags=tags,
        )
        self.extra_certificates = {
            arn: LbListenerCertificate(
                self,
                f"sni-{arn.rsplit('/', 1)[-1]}",
                listener_arn=self.https_listener.arn,
                certificate_arn=arn,
            )
            for arn in props.extra_certificate_arns
        }
        self.http_listener = LbListener(
            self,
            "http",
            load_balancer_arn=self.load_balancer.arn,
            port=HTTP_PORT,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect=LbListenerDefaultActionRedirect(
                        protocol="HTTPS", port=str(HTTPS_PORT), status_code="HTTP_301"
                    ),
                )
            ],
            tags=tags,
        )
        waf = props.effective_waf
        self.web_acl = (
            ModelWebAcl(
                self,
                "waf",
                ModelWebAclProps(
                    name=props.name,
                    resource_arn=self.load_balancer.arn,
                    rate_limit=waf.rate_limit,
                    count_only_rules=waf.count_only_rules,
                    tags=props.tags,
                ),
            )
            if waf is not None
            else None
        )


def _default_action(default: ListenerDefault) -> LbListenerDefaultAction:
    if default.target_group_arn is not None:
        return LbListenerDefaultAction(type="forward", target_group_arn=default.target_group_arn)
    return LbListenerDefaultAction(
        type="fixed-response",
        fixed_response=LbListenerDefaultActionFixedResponse(
            content_type=default.content_type,
            message_body=default.message_body,
            status_code=default.status_code,
        ),
    )
