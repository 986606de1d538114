"""An A/B experiment: its model (with its stickiness and override), rules, reading, and the checks of
its fields and its weighted split.

The reader gives a draft per experiment; `environment` resolves its variant references (see
`shared_variants`) and assigns its priority when the file leaves it out (see `priorities`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.routing.contract import DEFAULT_OVERRIDE_HEADER as DEFAULT_OVERRIDE_HEADER
from constructs_ab.routing.layout import priority_span, rule_layout
from constructs_ab.spec import formats, rules
from constructs_ab.spec.analysis import Analysis, check_analysis, read_analysis
from constructs_ab.spec.context import Checks
from constructs_ab.spec.guardrails import Guardrails, check_guardrails, read_guardrails
from constructs_ab.spec.match import Match, check_conditions, check_match, read_match
from constructs_ab.spec.names import NAME, NAME_ALLOWED
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.ramp import Ramp, check_ramp, check_ramp_split, read_ramp
from constructs_ab.spec.reader import Fields, Node, Problems
from constructs_ab.spec.tags import OWNER
from constructs_ab.spec.values import describe, show
from constructs_ab.spec.variant import WEIGHT, VariantEntry, WeightedVariant, check_entry, read_variant_entry


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
    source_ips: client CIDR blocks (IPv4 or IPv6) the override rules admit: a source-ip condition on
        each override rule, so only these clients can pin a variant. Default none. On an internet-facing
        load balancer open to every client (0.0.0.0/0 or ::/0 among its allowed client CIDRs) the
        override needs them, unless `public` (or the match has `source_ips`, which the override rules
        keep).
    public: True says the override stays open to every client of such a load balancer, on purpose:
        anyone can then pin any variant, paused ones too, with one header. Default False.
    """

    enabled: bool = True
    header: str = DEFAULT_OVERRIDE_HEADER
    source_ips: tuple[str, ...] = ()
    public: bool = False


def rule_count(variants: list[str], override: Override) -> int:
    """Listener rules of an experiment with these variants (`routing.layout`), whatever its priority."""
    return len(rule_layout(aws_limits.MIN_RULE_PRIORITY, variants, override.enabled))


def reserved_priorities(override: Override) -> int:
    """Consecutive priorities an experiment reserves from its first one (`routing.layout`): 6 with
    override rules (override rules from the first, the split 5 above), else 1."""
    return priority_span(override.enabled)


@dataclass(frozen=True, kw_only=True)
class Experiment:
    """An A/B experiment: which requests go to a weighted split between 2 to 5 variants.

    name: lowercase letters, digits and hyphens; unique in its environment.
    load_balancer: name of the load balancer (in the same environment) whose HTTPS listener gets the rules.
    match: which requests the experiment takes.
    priority: priority of the experiment's first rule, 1..50000. The override rules take `priority`,
        `priority + 1`, ... in variant order and the split `priority + 5` whatever the number of
        variants, so an experiment reserves 6 consecutive priorities (1, the split's, without override;
        see `routing.layout`). Lower numbers are evaluated first.
        When the spec leaves it out, the loader assigns one from a hash of the name (stable when other
        experiments are added) and sets `priority_explicit` to False.
    stickiness: Default off.
    override: Default enabled with header X-Model-Variant.
    variants: 2..5 weighted variants; shares are weight / sum of weights.
    ramp: Default none.
    guardrails: Default Guardrails().
    analysis: how `analyze` decides on the candidates. Default Analysis().
    auto_rollback: when a guardrail alarm of a variant other than the control goes to ALARM, a function
        (AWS Lambda) sends all of the split's traffic to the control (`constructs_ab.auto_rollback`);
        `reconcile` then writes that into the spec. Default False.
    owner: team that owns the experiment, put in the `owner` tag. Default: the environment's owner.
    """

    name: str
    load_balancer: str
    match: Match
    priority: int
    priority_explicit: bool = True
    stickiness: Stickiness = field(default_factory=Stickiness)
    override: Override = field(default_factory=Override)
    variants: tuple[WeightedVariant, ...]
    ramp: Ramp | None = None
    guardrails: Guardrails = field(default_factory=Guardrails)
    analysis: Analysis = field(default_factory=Analysis)
    auto_rollback: bool = False
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
        """Listener rules of the experiment (the rule quota counts these)."""
        return rule_count([weighted.variant.name for weighted in self.variants], self.override)

    @property
    def priority_span(self) -> int:
        """Consecutive priorities the experiment reserves, from `priority` to `split_priority`."""
        return reserved_priorities(self.override)


KEYS = rules.keys_of(Experiment, skip=("priority_explicit",))
#: An A/B experiment compares at least two variants (the upper bound is the AWS forward action's).
MIN_VARIANTS = 2
VARIANTS = rules.Items(
    item=None,
    allowed=f"an experiment has {MIN_VARIANTS} to {aws_limits.MAX_TARGET_GROUPS_PER_FORWARD} "
    "variants (a forward action lists at most 5 target groups)",
    min_items=MIN_VARIANTS,
    max_items=aws_limits.MAX_TARGET_GROUPS_PER_FORWARD,
)
LOAD_BALANCER = rules.Text(allowed="load_balancer is the name of a load balancer of this environment")
REQUIRED = rules.required_keys(
    Experiment,
    {
        "name": f"every experiment has a name; {NAME_ALLOWED}",
        "load_balancer": LOAD_BALANCER.allowed,
        "match": 'match says which requests the experiment takes, e.g. {paths: ["/abtest"]}',
        "variants": VARIANTS.allowed,
    },
    skip=("priority",),  # assigned when the file leaves it out
)
PRIORITY = rules.Integer.between("a priority", aws_limits.MIN_RULE_PRIORITY, aws_limits.MAX_RULE_PRIORITY)
RULES: dict[str, rules.Rule] = {
    "name": NAME,
    "load_balancer": LOAD_BALANCER,
    "priority": PRIORITY,
    "auto_rollback": rules.Boolean(
        allowed="auto_rollback is true (a candidate's guardrail alarm sends all traffic to the control) or "
        "false (the default)"
    ),
    "owner": OWNER,
}
STICKINESS = rules.Integer(
    low=aws_limits.MIN_STICKINESS_SECONDS,
    high=aws_limits.MAX_STICKINESS_SECONDS,
    allowed="stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number "
    "with s, m, h or d (45s, 30m, 1h, 7d)",
)
OVERRIDE_ALLOWED = (
    "override is true, false or {enabled: true|false, header: <name>, source_ips: [<CIDR>, ...], public: "
    f"true|false}} (default: on, header {DEFAULT_OVERRIDE_HEADER})"
)
OVERRIDE_SOURCE_IPS_ALLOWED = (
    'source_ips is a list of client CIDR blocks (IPv4 or IPv6) with no host bits set, e.g. ["203.0.113.0/24"]'
)
OVERRIDE_RULES: dict[str, rules.Rule] = {
    "enabled": rules.Boolean.named("enabled"),
    "header": rules.Text(
        allowed="the override header is a header name of at most "
        f"{aws_limits.MAX_HTTP_HEADER_NAME_LENGTH} letters, digits and + - . _ (it is also written in the "
        "split rule's ab-override-header tag)",
        test=formats.override_header,
    ),
    "source_ips": rules.Items(
        item=rules.Text(allowed=OVERRIDE_SOURCE_IPS_ALLOWED, test=formats.cidr),
        allowed=OVERRIDE_SOURCE_IPS_ALLOWED,
        repeated="list it once",
    ),
    "public": rules.Boolean.named("public"),
}


@dataclass(kw_only=True)
class DraftExperiment:
    """An experiment as read, before its variants are resolved and its priority assigned.

    fields: the Experiment's fields as read, but variants and priority.
    priority: the explicit priority, None when the file leaves it out (or it is wrong).
    """

    node: Node
    fields: dict[str, Any]
    priority: int | None
    entries: list[VariantEntry]

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    @property
    def load_balancer(self) -> str:
        return str(self.fields["load_balancer"])

    @property
    def priority_span(self) -> int:
        return reserved_priorities(self.fields["override"])


def read_stickiness(node: Node | None, problems: Problems) -> Stickiness:
    if node is None:
        return Stickiness()
    value = node.value
    if value is False or (isinstance(value, str) and value.strip().lower() == "off"):
        return Stickiness()
    if isinstance(value, str):
        seconds = formats.parse_duration(value)
        if seconds is None:
            problems.add(node, f"{show(value)} is not a duration; {STICKINESS.allowed}")
        elif STICKINESS.problem(seconds) is not None:
            problems.add(node, f"{show(value)} is out of range ({seconds} s); {STICKINESS.allowed}")
        else:
            return Stickiness(duration=seconds)
        return Stickiness()
    return Stickiness(duration=STICKINESS.read(node, problems))


def read_override(node: Node | None, problems: Problems) -> Override:
    if node is None:
        return Override()
    if isinstance(node.value, bool):
        return Override(enabled=node.value)
    if not isinstance(node.value, Mapping):
        problems.add(node, f"{describe(node.value)}; {OVERRIDE_ALLOWED}")
        return Override()
    fields = Fields(node, problems, what="an override", keys=rules.keys_of(Override))
    return Override(**fields.read_all(OVERRIDE_RULES, rules.defaults_of(Override)))


def read_experiment(node: Node, problems: Problems) -> DraftExperiment | None:
    fields = Fields(node, problems, what="an experiment", keys=KEYS, required=REQUIRED)
    if not fields.valid:
        return None
    values: dict[str, Any] = {}
    for key in ("name", "load_balancer"):
        values[key] = fields.read(key, RULES[key], "")
    match_node = fields.get("match")
    values["match"] = read_match(match_node, problems) if match_node is not None else Match()
    priority = fields.read("priority", PRIORITY, None)
    values["stickiness"] = read_stickiness(fields.get("stickiness"), problems)
    values["override"] = read_override(fields.get("override"), problems)
    values["ramp"] = read_ramp(fields.get("ramp"), problems)
    values["guardrails"] = read_guardrails(fields.get("guardrails"), problems)
    values["analysis"] = read_analysis(fields.get("analysis"), problems)
    values["auto_rollback"] = fields.read("auto_rollback", RULES["auto_rollback"], False)
    values["owner"] = fields.read("owner", OWNER, None)
    entries = VARIANTS.read_each(fields.get("variants"), problems, read_variant_entry)
    return DraftExperiment(node=node, fields=values, priority=priority, entries=entries)


def check_experiment(
    checks: Checks, experiment: Experiment, path: FieldPath, entries: list[FieldPath]
) -> None:
    """The fields of an experiment and of its entries (`entries`: where each is)."""
    rules.check_fields(checks, experiment, path, RULES)
    if experiment.stickiness.duration is not None:
        STICKINESS.check(checks, path.key("stickiness"), experiment.stickiness.duration)
    rules.check_fields(checks, experiment.override, path.key("override"), OVERRIDE_RULES)
    check_match(checks, experiment.match, path.key("match"))
    if experiment.ramp is not None:
        check_ramp(checks, experiment.ramp, path.key("ramp"))
    check_guardrails(checks, experiment.guardrails, path.key("guardrails"))
    check_analysis(checks, experiment.analysis, path.key("analysis"))
    VARIANTS.check(checks, path.key("variants"), experiment.variants)
    for weighted, entry in zip(experiment.variants, entries, strict=True):
        check_entry(checks, weighted, entry)


def check_split(checks: Checks, experiment: Experiment, path: FieldPath, entries: list[FieldPath]) -> None:
    """At least one positive weight, a ramp that matches the weights, and listener rules within the
    AWS quotas."""
    if experiment.variants:
        weights_sound = all(
            WEIGHT.sound(checks, entry.key("weight"), weighted.weight)
            for weighted, entry in zip(experiment.variants, entries, strict=True)
        )
        total = sum(weighted.weight for weighted in experiment.variants) if weights_sound else 0
        variants = path.key("variants")
        if weights_sound and total == 0 and not checks.dropped(variants):
            checks.error(
                variants,
                "every weight is 0, so the split sends no traffic; at least one variant needs a "
                f"weight from 1 to {aws_limits.MAX_WEIGHT}",
            )
        if experiment.ramp is not None:
            weights = [(weighted.variant.name, weighted.weight) for weighted in experiment.variants]
            check_ramp_split(
                checks, experiment.ramp, path.key("ramp"), experiment.name, weights, weights_sound
            )
    override = experiment.override
    if all(rule.problem(getattr(override, key)) is None for key, rule in OVERRIDE_RULES.items()):
        header = override.header if override.enabled else None
        ips = len(override.source_ips) if override.enabled else 0
        check_conditions(checks, experiment.match, path.key("match"), experiment.name, header, ips)


def check_override_reach(
    checks: Checks, experiment: Experiment, path: FieldPath, internal: bool, client_cidrs: tuple[str, ...]
) -> None:
    """Who can use the override rules: on an internet-facing load balancer (`internal` False) that admits
    every client (a /0 in `client_cidrs`), only the `source_ips` given, unless the match limits the
    experiment's clients or the override says `public`."""
    override = experiment.override
    where = path.key("override")
    if not override.enabled or checks.blocked(where) or checks.blocked(path.key("match")):
        return
    match_ips = experiment.match.source_ips
    if override.source_ips and match_ips:
        checks.error(
            where.key("source_ips"),
            f"experiment {experiment.name} matches on source_ips already, which its override rules keep; a rule "
            "has one source-ip condition: leave out override.source_ips, or narrow match.source_ips",
        )
        return
    if internal or not _has_world(client_cidrs) or override.public or override.source_ips:
        return
    if match_ips and not _has_world(match_ips):
        return
    checks.error(
        where,
        f"experiment {experiment.name} is on an internet-facing load balancer open to every client, where its "
        f"override rules let anyone pin any variant (paused ones too) with one header ({override.header}); give "
        "override.source_ips (the networks of those who test, e.g. [203.0.113.0/24]), or set "
        "override.public: true to keep it open on purpose, or override: false",
        at=path,
    )


def _has_world(cidrs: tuple[str, ...]) -> bool:
    """True when a CIDR list admits every client (0.0.0.0/0 or ::/0)."""
    return any(cidr.endswith("/0") for cidr in cidrs)
