"""The validated experiment spec: frozen, typed values with documented defaults and units.

These objects are what the spec loader produces after validation and what the constructs consume.
They import nothing from cdktf, so they can be built and checked instantly, and a user can also
construct them directly in Python without a spec file.

Every default below is the value used when the spec file leaves the field out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from constructs_ab import aws_limits
from constructs_ab.routing.contract import DEFAULT_OVERRIDE_HEADER as DEFAULT_OVERRIDE_HEADER
from constructs_ab.routing.layout import rule_layout

#: TLS policy of the HTTPS listener: TLS 1.3 with TLS 1.2 fallback and forward secrecy only.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#: Idle timeout of a load balancer, seconds. AWS uses 60, too short for streamed inference.
DEFAULT_IDLE_TIMEOUT_SECONDS = 300
#: Requests per 5 minutes from one client IP before the WAF rate rule blocks it.
DEFAULT_WAF_RATE_LIMIT = 2000


class Protocol(enum.StrEnum):
    """Protocol between the load balancer and a model server."""

    HTTP = "HTTP"
    HTTPS = "HTTPS"


class TargetType(enum.StrEnum):
    """How targets are registered in a target group: by instance id or by IP address."""

    INSTANCE = "instance"
    IP = "ip"


@dataclass(frozen=True, kw_only=True)
class HealthCheck:
    """Health check of a model server fleet.

    path: HTTP path probed on the traffic port. Default "/health".
    matcher: HTTP codes counted as healthy, "200", "200,204" or "200-299" (codes 200..499). Default "200".
    interval: seconds between probes, 5..300. Default 15.
    timeout: seconds to wait for an answer, 2..120 and less than `interval`. Default 5.
    healthy_threshold: consecutive successes before a target takes traffic, 2..10. Default 2.
    unhealthy_threshold: consecutive failures before a target stops taking traffic, 2..10. Default 3.

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
    """

    path: str = "/health"
    matcher: str = "200"
    interval: int = 15
    timeout: int = 5
    healthy_threshold: int = 2
    unhealthy_threshold: int = 3


@dataclass(frozen=True, kw_only=True)
class Target:
    """A static target registered in a variant's target group.

    id: an instance id (`i-...`) for target type instance; for target type ip, a private IPv4 address
        (10/8, 172.16/12, 192.168/16 or 100.64/10), as AWS requires for IP targets in a VPC.
    port: port the target listens on. Default: the variant's port.
    """

    id: str
    port: int | None = None


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
class HeaderMatch:
    """Match requests whose HTTP header `name` has one of `values` (* and ? wildcards allowed)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class QueryMatch:
    """Match requests with query parameter `key=value`; key None matches the value under any key."""

    key: str | None
    value: str


@dataclass(frozen=True, kw_only=True)
class Match:
    """Which requests an experiment takes: all given condition kinds must match (AND); within one kind,
    any value matches (OR). At least one condition is required.

    paths: path patterns, e.g. "/abtest" and "/abtest/*". Default none.
    hosts: host header patterns, e.g. "api.example.com". Default none.
    headers: HTTP header conditions. Default none.
    query: query string conditions. Default none.
    source_ips: client CIDRs, e.g. "10.0.0.0/8". Default none.
    methods: HTTP methods, e.g. "POST". Default none.

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
    """

    paths: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    headers: tuple[HeaderMatch, ...] = ()
    query: tuple[QueryMatch, ...] = ()
    source_ips: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()

    @property
    def condition_values(self) -> int:
        """Number of condition values the rule uses (the AWS quota is 5 per rule)."""
        return (
            len(self.paths)
            + len(self.hosts)
            + sum(len(h.values) for h in self.headers)
            + len(self.query)
            + len(self.source_ips)
            + len(self.methods)
        )


@dataclass(frozen=True, kw_only=True)
class Stickiness:
    """Group stickiness of the weighted split: a client stays on its variant for `duration` seconds.

    duration: seconds, 1..604800, or None for off. Default None (off).
    """

    duration: int | None = None

    @property
    def enabled(self) -> bool:
        return self.duration is not None


@dataclass(frozen=True, kw_only=True)
class Override:
    """Force-variant override for QA: a request with header `header: <variant>` goes 100% to that
    variant, through one rule per variant evaluated before the split.

    enabled: Default True.
    header: Default "X-Model-Variant".
    """

    enabled: bool = True
    header: str = DEFAULT_OVERRIDE_HEADER


@dataclass(frozen=True, kw_only=True)
class Ramp:
    """Staged rollout of a candidate variant.

    candidate: the variant being ramped up.
    stages: the candidate's share at each stage, percent, strictly increasing, 1..100, e.g. (1, 5, 25, 50).
    stage: index of the current stage in `stages`, 0-based; -1 means not started (candidate at 0%).
    max_step: largest share jump, percentage points, that a pull request may make without being flagged.
        Default: the largest step between consecutive stages, counting the step from 0 to the first.
    """

    candidate: str
    stages: tuple[int, ...]
    stage: int = 0
    max_step: int | None = None

    @property
    def effective_max_step(self) -> int:
        points = (0, *self.stages)
        return self.max_step if self.max_step is not None else max(b - a for a, b in zip(points, points[1:]))


@dataclass(frozen=True, kw_only=True)
class Guardrails:
    """Per-variant CloudWatch alarms and the experiment dashboard.

    error_rate_percent: alarm when target 5xx / requests exceeds this, percent. Default 5.
    p99_latency_seconds: alarm when target response time p99 exceeds this, seconds. Default 2.
    min_healthy_hosts: alarm when healthy hosts fall below this. Default 1.
    period: seconds per evaluation period. Default 60.
    evaluation_periods: periods that must breach before the alarm fires. Default 5.
    alarm_email: address subscribed to the experiment's SNS topic. Default: no subscription.
    """

    error_rate_percent: float = 5.0
    p99_latency_seconds: float = 2.0
    min_healthy_hosts: int = 1
    period: int = 60
    evaluation_periods: int = 5
    alarm_email: str | None = None


@dataclass(frozen=True, kw_only=True)
class Experiment:
    """An A/B experiment: which requests go to a weighted split between 2 to 5 variants.

    name: lowercase letters, digits and hyphens; unique in its environment.
    load_balancer: name of the load balancer (in the same environment) whose HTTPS listener gets the rules.
    match: which requests the experiment takes.
    variants: 2..5 weighted variants; shares are weight / sum of weights.
    priority: priority of the experiment's first rule, 1..50000. The override rules take `priority`,
        `priority + 1`, ... in variant order and the split takes the next number, so an experiment uses
        `len(variants) + 1` consecutive priorities (1 without override). Lower numbers are evaluated first.
        When the spec leaves it out, the loader assigns one from a hash of the name (stable when other
        experiments are added) and sets `priority_explicit` to False.
    stickiness: Default off.
    override: Default enabled with header X-Model-Variant.
    ramp: Default none.
    guardrails: Default Guardrails().
    owner: team that owns the experiment, put in the `owner` tag. Default: the environment's owner.
    """

    name: str
    load_balancer: str
    match: Match
    variants: tuple[WeightedVariant, ...]
    priority: int
    priority_explicit: bool = True
    stickiness: Stickiness = field(default_factory=Stickiness)
    override: Override = field(default_factory=Override)
    ramp: Ramp | None = None
    guardrails: Guardrails = field(default_factory=Guardrails)
    owner: str | None = None

    @property
    def rule_priorities(self) -> tuple[int, ...]:
        """Priorities used by this experiment: the override rules first, then the split (`routing.layout`)."""
        names = [weighted.variant.name for weighted in self.variants]
        return tuple(slot.priority for slot in rule_layout(self.priority, names, self.override.enabled))

    @property
    def split_priority(self) -> int:
        return self.rule_priorities[-1]

    @property
    def rule_count(self) -> int:
        return len(self.rule_priorities)


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
class Waf:
    """WAFv2 web ACL with AWS managed rules and a per-IP rate limit.

    enabled: Default True. The spec loader turns it off for an internal load balancer whose spec does not
        set `waf.enabled` (an internal load balancer is not reachable from the internet).
    rate_limit: requests per 5 minutes from one IP before it is blocked, 10..2000000000. Default 2000.
    """

    enabled: bool = True
    rate_limit: int = DEFAULT_WAF_RATE_LIMIT


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


@dataclass(frozen=True, kw_only=True)
class RemoteState:
    """S3 backend for the Terraform state, with locking.

    bucket, key, region: where the state lives. Default region: the environment's region.
    use_lockfile: S3-native locking (Terraform 1.10+). Default True.
    dynamodb_table: DynamoDB lock table, for older Terraform. Default none.
    encrypt: Default True.
    """

    bucket: str
    key: str
    region: str
    use_lockfile: bool = True
    dynamodb_table: str | None = None
    encrypt: bool = True


@dataclass(frozen=True, kw_only=True)
class Environment:
    """One deployment environment: one Terraform stack.

    name: e.g. "staging" or "prod"; lowercase letters, digits and hyphens.
    region: AWS region, e.g. "eu-west-1".
    vpc_id, subnet_ids: where the load balancers live (at least 2 subnets in different zones).
    certificate_arn: ACM certificate of the HTTPS listeners.
    allowed_client_cidrs: CIDRs admitted on ports 443 and 80 of the load balancers.
    owner: team put in the `owner` tag of every resource.
    state: Default: local state.
    tags: extra tags on every resource. Default none.
    """

    name: str
    region: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    certificate_arn: str
    allowed_client_cidrs: tuple[str, ...]
    owner: str
    load_balancers: tuple[LoadBalancer, ...]
    experiments: tuple[Experiment, ...]
    state: RemoteState | None = None
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def variants(self) -> tuple[Variant, ...]:
        """Every distinct variant of the environment, in first-use order (shared ones once)."""
        seen: dict[str, Variant] = {}
        for experiment in self.experiments:
            for weighted in experiment.variants:
                seen.setdefault(weighted.variant.name, weighted.variant)
        return tuple(seen.values())

    def load_balancer(self, name: str) -> LoadBalancer:
        return next(lb for lb in self.load_balancers if lb.name == name)


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A whole spec file: one or more environments."""

    environments: tuple[Environment, ...]
