"""The traffic model: how an Application Load Balancer routes requests, as frozen, typed values.

A `TrafficModel` holds stacks -> load balancers -> listeners -> rules (in evaluation order) -> one
action per rule. It is built from Terraform JSON by `constructs_ab.review.reader`, and can also be
built directly in Python (the rollout commands build one from a spec to print a diff):

    split = ForwardAction.weighted(
        [
            TargetGroup(address="aws_lb_target_group.a", name="sentiment-a", variant="sentiment-a",
                        model="sentiment:1.4.2"),
            TargetGroup(address="aws_lb_target_group.b", name="sentiment-b", variant="sentiment-b",
                        model="sentiment:2.0.0-rc1"),
        ],
        [80, 20],
        stickiness=Stickiness(enabled=True, duration=3600),
    )
    rule = Rule(address="aws_lb_listener_rule.split", priority=103,
                conditions=(Condition.path_patterns("/abtest", "/abtest/*"),), action=split,
                experiment="sentiment-abtest", role=RuleRole.SPLIT)
    listener = Listener(address="aws_lb_listener.https", port=443, protocol="HTTPS",
                        rules=Listener.ordered((rule,)), default_action=FixedResponseAction(status_code="404"))
    model = TrafficModel(stacks=(Stack(name="prod", load_balancers=(
        LoadBalancer(address="aws_lb.public", name="prod-public", listeners=(listener,)),)),))

Conditions, their kinds and the rule roles are the routing model's (`constructs_ab.routing`), re-exported
here. This module is pure Python: it never imports cdktf, jsii or the spec package.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from constructs_ab.routing.conditions import Condition as Condition
from constructs_ab.routing.conditions import ConditionField as ConditionField
from constructs_ab.routing.conditions import QueryPair as QueryPair
from constructs_ab.routing.contract import RuleRole as RuleRole

#: Protocol of a listener that terminates TLS; weighted splits belong on such a listener.
HTTPS = "HTTPS"


@dataclass(frozen=True, kw_only=True)
class TargetGroup:
    """A target group as the rules reference it.

    address: the Terraform address (`aws_lb_target_group.sentiment_a`), or the reference or ARN
        exactly as written when it does not resolve to a target group in the configuration.
    name: the target group's `name`; else its `name_prefix` followed by `*`; else its Terraform
        resource name; for an unresolved reference, the reference as written.
    variant: the `variant` tag. Default None (untagged or unresolved).
    model: the `model` tag, `<id>:<version>`. Default None.
    """

    address: str
    name: str
    variant: str | None = None
    model: str | None = None

    @property
    def label(self) -> str:
        """The variant when tagged, else the name: what reports show."""
        return self.variant or self.name


@dataclass(frozen=True, kw_only=True)
class WeightedTarget:
    """One target group of a forward action, with its weight and traffic share.

    weight: integer 0..999, or None when the weight is not a literal (e.g. `${var.weight}`).
    share: weight / sum of the forward's weights, a fraction 0..1; None when any weight of the forward
        is unknown or all are 0. Build forwards with `ForwardAction.weighted` to get it computed.
    """

    target_group: TargetGroup
    weight: int | None
    share: float | None

    @property
    def percent(self) -> str:
        """The share as shown in reports: `80.0%`, or `?` when unknown."""
        return format_percent(self.share)


@dataclass(frozen=True, kw_only=True)
class Stickiness:
    """Group stickiness of a forward action.

    enabled: True when a client stays on the target group it was first sent to.
    duration: seconds (1..604800) when enabled; None when off or not given.
    """

    enabled: bool
    duration: int | None = None

    def describe(self) -> str:
        if not self.enabled:
            return "off"
        return f"on, {self.duration} s" if self.duration is not None else "on"


@dataclass(frozen=True, kw_only=True)
class ForwardAction:
    """Forward to one or more weighted target groups (type `forward`).

    targets: the target groups in the order the configuration lists them.
    stickiness: the declared group stickiness; None when the configuration does not declare it
        (AWS then keeps it off).
    """

    targets: tuple[WeightedTarget, ...]
    stickiness: Stickiness | None = None

    @classmethod
    def weighted(
        cls,
        target_groups: Sequence[TargetGroup],
        weights: Sequence[int | None],
        *,
        stickiness: Stickiness | None = None,
    ) -> ForwardAction:
        """A forward with shares computed as weight / sum of weights (None if unknown or sum 0)."""
        if len(target_groups) != len(weights):
            raise ValueError("one weight per target group is required")
        known = [w for w in weights if w is not None]
        total = sum(known) if len(known) == len(weights) else 0
        targets = tuple(
            WeightedTarget(
                target_group=group,
                weight=weight,
                share=(weight / total) if total > 0 and weight is not None else None,
            )
            for group, weight in zip(target_groups, weights, strict=True)
        )
        return cls(targets=targets, stickiness=stickiness)

    def with_paused(self, paused: Sequence[TargetGroup]) -> ForwardAction:
        """This forward with `paused` target groups added at weight 0 (those not in it already): a split
        leaves its paused variants out of its forward and names them in its `paused-variants` tag, and
        reports and diffs show them at 0%."""
        present = {target.target_group.label for target in self.targets}
        added = [group for group in paused if group.label not in present]
        if not added:
            return self
        return ForwardAction.weighted(
            [*(t.target_group for t in self.targets), *added],
            [*(t.weight for t in self.targets), *(0 for _ in added)],
            stickiness=self.stickiness,
        )

    @property
    def type(self) -> str:
        return "forward"

    @property
    def takes_traffic(self) -> bool:
        """True unless every weight is a known 0."""
        return any(t.weight is None or t.weight > 0 for t in self.targets)

    def describe(self) -> str:
        parts = [f"{t.target_group.label} {t.percent}" for t in self.targets]
        text = "forward to " + ", ".join(parts)
        if self.stickiness is not None:
            text += f" (stickiness {self.stickiness.describe()})"
        return text


@dataclass(frozen=True, kw_only=True)
class RedirectAction:
    """Redirect (type `redirect`). Each part is as configured; None where left out (AWS keeps the
    request's value, `#{protocol}` and so on).

    status_code: `HTTP_301` or `HTTP_302`.
    """

    status_code: str
    protocol: str | None = None
    port: str | None = None
    host: str | None = None
    path: str | None = None
    query: str | None = None

    @property
    def type(self) -> str:
        return "redirect"

    def describe(self) -> str:
        target = ""
        if self.protocol is not None:
            target += self.protocol
        if self.host is not None:
            target += ("://" if target else "") + self.host
        if self.port is not None:
            target += f":{self.port}"
        if self.path is not None:
            target += self.path
        return f"redirect to {target or 'same URL'} ({self.status_code})"


@dataclass(frozen=True, kw_only=True)
class FixedResponseAction:
    """Fixed response (type `fixed-response`).

    status_code: the HTTP status, e.g. "404".
    content_type: Default None (not given).
    """

    status_code: str
    content_type: str | None = None

    @property
    def type(self) -> str:
        return "fixed-response"

    def describe(self) -> str:
        return f"fixed response {self.status_code}"


@dataclass(frozen=True, kw_only=True)
class OtherAction:
    """An action this tool does not model (or that is not literal): shown by its type.

    action_type: the configured `type`, e.g. `authenticate-oidc`, or the raw value.
    """

    action_type: str

    @property
    def type(self) -> str:
        return self.action_type

    def describe(self) -> str:
        return self.action_type


#: The final action of a rule or a listener's default action.
Action = ForwardAction | RedirectAction | FixedResponseAction | OtherAction


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A listener rule.

    address: Terraform address, e.g. `aws_lb_listener_rule.sentiment_abtest_split`.
    priority: 1..50000; None when not set (AWS then appends the rule after the others).
    conditions: all must match (AND).
    action: the final action (forward, redirect, fixed response); authentication steps are not modelled.
    experiment: the `experiment` tag. Default None.
    role: from the `ab-role` tag. Default OTHER.
    variants: the `variant` tag split on spaces (a split's variants in order, an override's forced
        variant). Default empty.
    paused_variants: the `paused-variants` tag split on spaces. Default empty.
    max_step: the `ab-max-step` tag: the experiment's ramp step, percentage points, the largest share
        change the traffic diff accepts without flagging it. Default None (no ramp declared).
    construct_path: the cdktf construct path from the `//` metadata. Default None (not cdktf output).
    """

    address: str
    priority: int | None
    conditions: tuple[Condition, ...]
    action: Action
    experiment: str | None = None
    role: RuleRole = RuleRole.OTHER
    variants: tuple[str, ...] = ()
    paused_variants: tuple[str, ...] = ()
    max_step: float | None = None
    construct_path: str | None = None

    @property
    def label(self) -> str:
        """How reports name the rule: `sentiment-abtest`, `sentiment-abtest override sentiment-b`, or
        `priority 10` when untagged."""
        if self.experiment:
            if self.role is RuleRole.OVERRIDE:
                return f"{self.experiment} override {' '.join(self.variants)}".rstrip()
            return self.experiment
        return f"priority {self.priority}" if self.priority is not None else self.address

    def describe_conditions(self) -> str:
        """`path /abtest, /abtest/*; header X-Model-Variant: b`, or `(none)`."""
        return "; ".join(c.describe() for c in self.conditions) or "(none)"

    def short_conditions(self) -> str:
        """The path patterns when the rule has any (`/abtest, /abtest/*`), else all conditions."""
        paths = [v for c in self.conditions if c.field is ConditionField.PATH_PATTERN for v in c.values]
        return ", ".join(paths) if paths else self.describe_conditions()


def _priority_key(rule: Rule) -> tuple[int, int, str]:
    return (0 if rule.priority is not None else 1, rule.priority or 0, rule.address)


@dataclass(frozen=True, kw_only=True)
class Listener:
    """A listener with its rules in evaluation order.

    address: Terraform address, e.g. `aws_lb_listener.https`, or the reference as written when rules
        point at a listener that is not in the configuration.
    port: e.g. 443; None when not literal or unknown.
    protocol: e.g. "HTTPS"; None when not known.
    ssl_policy: Default None.
    rules: ordered by ascending priority (rules without a priority last, then by address): build with
        `Listener.ordered(rules)`.
    default_action: what happens when no rule matches; None when unknown.
    """

    address: str
    port: int | None = None
    protocol: str | None = None
    ssl_policy: str | None = None
    rules: tuple[Rule, ...] = ()
    default_action: Action | None = None

    @staticmethod
    def ordered(rules: Iterable[Rule]) -> tuple[Rule, ...]:
        """Rules in AWS evaluation order: lowest priority number first."""
        return tuple(sorted(rules, key=_priority_key))

    @property
    def is_https(self) -> bool:
        return self.protocol == HTTPS

    @property
    def label(self) -> str:
        """`HTTPS:443`, or the address when protocol and port are unknown."""
        if self.protocol is None and self.port is None:
            return self.address
        return f"{self.protocol or '?'}:{self.port if self.port is not None else '?'}"


@dataclass(frozen=True, kw_only=True)
class LoadBalancer:
    """A load balancer and its listeners (sorted by port, then address).

    address: Terraform address, e.g. `aws_lb.public`, or the reference as written when listeners point
        at a load balancer that is not in the configuration.
    name: the `name` when literal, else the address.
    internal: Default None (not given; AWS then makes it internet-facing).
    """

    address: str
    name: str
    listeners: tuple[Listener, ...] = ()
    internal: bool | None = None


@dataclass(frozen=True, kw_only=True)
class Stack:
    """One Terraform configuration: a cdktf stack, or the *.tf.json files of one directory.

    name: the cdktf stack name, else the directory or file name.
    sources: the files read, as given on the command line (relative paths stay relative).
    """

    name: str
    load_balancers: tuple[LoadBalancer, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RuleLocation:
    """A rule with where it lives, as yielded by `TrafficModel.rules()`."""

    stack: Stack
    load_balancer: LoadBalancer
    listener: Listener
    rule: Rule


@dataclass(frozen=True, kw_only=True)
class TrafficModel:
    """Everything the load balancers of one or more configurations do with traffic.

    stacks: sorted by name.
    """

    stacks: tuple[Stack, ...] = field(default=())

    def listeners(self) -> Iterator[tuple[Stack, LoadBalancer, Listener]]:
        for stack in self.stacks:
            for balancer in stack.load_balancers:
                for listener in balancer.listeners:
                    yield stack, balancer, listener

    def rules(self) -> Iterator[RuleLocation]:
        for stack, balancer, listener in self.listeners():
            for rule in listener.rules:
                yield RuleLocation(stack=stack, load_balancer=balancer, listener=listener, rule=rule)


def format_percent(share: float | None) -> str:
    """A share (fraction 0..1) as reports show it: `80.0%`, `33.3%`; `?` when unknown."""
    return "?" if share is None else f"{share * 100:.1f}%"
