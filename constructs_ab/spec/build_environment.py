"""Reading one environment: its settings, load balancers and experiments, then every check that spans
several of them (shared variants, priorities, quotas per load balancer, default actions, ramps and the
AWS names derived from spec names).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.build_experiment import (
    NAME_ALLOWED,
    DraftExperiment,
    VariantEntry,
    read_experiment,
)
from constructs_ab.spec.model import (
    DEFAULT_SSL_POLICY,
    AccessLogs,
    DefaultAction,
    DefaultActionKind,
    Environment,
    Experiment,
    LoadBalancer,
    RemoteState,
    Variant,
    Waf,
    WeightedVariant,
)
from constructs_ab.spec.priorities import PriorityRequest, assign_priorities
from constructs_ab.spec.reader import (
    Fields,
    Node,
    Problems,
    child_of_map,
    describe,
    read_list,
    read_text,
    show,
    suggestion,
)

ENVIRONMENT_KEYS = (
    "region",
    "vpc_id",
    "subnet_ids",
    "certificate_arn",
    "allowed_client_cidrs",
    "owner",
    "tags",
    "state",
    "load_balancers",
    "experiments",
)
LOAD_BALANCER_KEYS = (
    "internal",
    "idle_timeout",
    "access_logs",
    "waf",
    "deletion_protection",
    "max_rules",
    "default_action",
    "ssl_policy",
)
REGION_ALLOWED = "region is an AWS region such as eu-west-1"
OWNER_ALLOWED = (
    f"owner is a team name of at most {aws_limits.MAX_TAG_VALUE_LENGTH} tag characters (letters, digits, "
    "spaces and _ . : / = + - @)"
)
SSL_POLICY_ALLOWED = (
    f"ssl_policy is an ELB security policy that allows TLS 1.2 and newer only, e.g. {DEFAULT_SSL_POLICY}, "
    "ELBSecurityPolicy-TLS13-1-3-2021-06 or ELBSecurityPolicy-FS-1-2-Res-2020-10"
)
S3_BUCKET_ALLOWED = "an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens"
#: User tags leave room for the tags the constructs add themselves.
MAX_USER_TAGS = aws_limits.MAX_TAGS_PER_RESOURCE - len(formats.RESERVED_TAG_KEYS)


def _modern_tls(value: str) -> str | None:
    modern = (
        "ELBSecurityPolicy-TLS13-1-2-",
        "ELBSecurityPolicy-TLS13-1-3-",
        "ELBSecurityPolicy-FS-1-2-",
        "ELBSecurityPolicy-TLS-1-2-",
    )
    return None if value.startswith(modern) else "is not a TLS 1.2+ policy"


@dataclass(frozen=True, kw_only=True)
class DraftLoadBalancer:
    node: Node
    load_balancer: LoadBalancer
    default_action_node: Node | None


def _read_load_balancer(node: Node, name: str, problems: Problems) -> DraftLoadBalancer:
    if node.value is None:  # `models:` with nothing under it: every default
        node = Node({}, node.path, node.line)
    fields = Fields(node, problems, what="a load balancer", keys=LOAD_BALANCER_KEYS)
    default = LoadBalancer(name=name)
    internal = fields.boolean("internal", default.internal, allowed="internal is true or false")
    idle_timeout = fields.integer(
        "idle_timeout",
        default.idle_timeout,
        low=aws_limits.MIN_IDLE_TIMEOUT_SECONDS,
        high=aws_limits.MAX_IDLE_TIMEOUT_SECONDS,
        allowed=f"idle_timeout is an integer from {aws_limits.MIN_IDLE_TIMEOUT_SECONDS} to "
        f"{aws_limits.MAX_IDLE_TIMEOUT_SECONDS} (seconds)",
    )
    access_logs = AccessLogs()
    logs_node = fields.get("access_logs")
    if logs_node is not None:
        logs = Fields(logs_node, problems, what="access_logs", keys=("bucket", "prefix"))
        access_logs = AccessLogs(
            bucket=logs.optional_text(
                "bucket",
                check=formats.s3_bucket,
                allowed=f"bucket is an existing bucket for the logs; {S3_BUCKET_ALLOWED}",
            ),
            prefix=logs.optional_text(
                "prefix",
                check=lambda v: "starts or ends with /"
                if v.startswith("/") or v.endswith("/")
                else ("contains AWSLogs" if "AWSLogs" in v else None),
                allowed='prefix is a key prefix without a leading or trailing / and without "AWSLogs"',
            ),
        )
    waf = Waf(enabled=not internal)
    waf_node = fields.get("waf")
    if waf_node is not None:
        waf_fields = Fields(waf_node, problems, what="waf", keys=("enabled", "rate_limit"))
        waf = Waf(
            enabled=waf_fields.boolean("enabled", not internal, allowed="enabled is true or false"),
            rate_limit=waf_fields.integer(
                "rate_limit",
                waf.rate_limit,
                low=aws_limits.MIN_WAF_RATE_LIMIT,
                high=aws_limits.MAX_WAF_RATE_LIMIT,
                allowed=f"rate_limit is an integer from {aws_limits.MIN_WAF_RATE_LIMIT} to "
                f"{aws_limits.MAX_WAF_RATE_LIMIT} (requests per 5 minutes from one client IP)",
            ),
        )
    deletion_protection = fields.boolean(
        "deletion_protection", default.deletion_protection, allowed="deletion_protection is true or false"
    )
    max_rules = fields.integer(
        "max_rules",
        default.max_rules,
        low=aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER,
        high=aws_limits.MAX_RULE_PRIORITY,
        allowed=f"max_rules is the rule quota your account was granted, an integer from "
        f"{aws_limits.DEFAULT_RULES_PER_LOAD_BALANCER} (the AWS default) to {aws_limits.MAX_RULE_PRIORITY}",
    )
    ssl_policy = fields.text("ssl_policy", default.ssl_policy, allowed=SSL_POLICY_ALLOWED, check=_modern_tls)
    default_action = DefaultAction()
    action_node = fields.get("default_action")
    action_allowed = "default_action is fixed-404 or {forward: <variant>}"
    if action_node is not None:
        if isinstance(action_node.value, Mapping):
            action = Fields(
                action_node,
                problems,
                what="a default action",
                keys=("forward",),
                required={"forward": action_allowed},
            )
            variant = action.text(
                "forward", "", allowed="forward is the name of a variant on this load balancer"
            )
            default_action = DefaultAction(kind=DefaultActionKind.FORWARD, variant=variant or None)
        elif action_node.value != DefaultActionKind.FIXED_404.value:
            if isinstance(action_node.value, str):
                problems.add(
                    action_node, f"{show(action_node.value)} is not a default action; {action_allowed}"
                )
            else:
                problems.add(action_node, f"{describe(action_node.value)}; {action_allowed}")
    return DraftLoadBalancer(
        node=node,
        load_balancer=LoadBalancer(
            name=name,
            internal=internal,
            idle_timeout=idle_timeout,
            access_logs=access_logs,
            waf=waf,
            deletion_protection=deletion_protection,
            max_rules=max_rules,
            default_action=default_action,
            ssl_policy=ssl_policy,
        ),
        default_action_node=action_node,
    )


def _read_state(node: Node | None, region: str, problems: Problems) -> RemoteState | None:
    if node is None:
        return None
    fields = Fields(
        node,
        problems,
        what="a state backend",
        keys=("bucket", "key", "region", "use_lockfile", "dynamodb_table", "encrypt"),
        required={
            "bucket": f"bucket is the S3 bucket of the Terraform state; {S3_BUCKET_ALLOWED}",
            "key": "key is the state object's key, e.g. ab-models/prod.tfstate",
        },
    )
    return RemoteState(
        bucket=fields.text(
            "bucket",
            "",
            check=formats.s3_bucket,
            allowed=f"bucket is the S3 bucket of the Terraform state; {S3_BUCKET_ALLOWED}",
        ),
        key=fields.text(
            "key",
            "",
            check=lambda v: "is too long" if len(v) > 1024 else None,
            allowed="key is the state object's key of at most 1024 characters, e.g. ab-models/prod.tfstate",
        ),
        region=fields.text("region", region, check=formats.region, allowed=REGION_ALLOWED),
        use_lockfile=fields.boolean("use_lockfile", True, allowed="use_lockfile is true or false"),
        dynamodb_table=fields.optional_text(
            "dynamodb_table",
            check=formats.dynamodb_table,
            allowed="dynamodb_table is a DynamoDB table name: 3 to 255 letters, digits, _ . -",
        ),
        encrypt=fields.boolean("encrypt", True, allowed="encrypt is true or false"),
    )


def _read_tags(node: Node | None, problems: Problems) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    key_allowed = (
        f"a tag key is 1 to {aws_limits.MAX_TAG_KEY_LENGTH} characters (letters, digits, spaces and _ . : / = + - @), "
        f"not starting with {aws_limits.RESERVED_TAG_KEY_PREFIX}"
    )
    value_allowed = (
        f"a tag value is text of at most {aws_limits.MAX_TAG_VALUE_LENGTH} characters (letters, digits, spaces and "
        "_ . : / = + - @; quote numbers)"
    )
    if not isinstance(node.value, Mapping):
        problems.add(
            node, f"{describe(node.value)}; tags is a map from tag key to value, e.g. {{cost-center: ml}}"
        )
        return ()
    if len(node.value) > MAX_USER_TAGS:
        problems.add(
            node,
            f"{len(node.value)} tags given; at most {MAX_USER_TAGS} tags (AWS allows "
            f"{aws_limits.MAX_TAGS_PER_RESOURCE} per resource and {len(formats.RESERVED_TAG_KEYS)} are set "
            "by constructs_ab)",
        )
    tags = []
    for key in node.value:
        if not isinstance(key, str):
            problems.add(node, f"the tag key {show(key)} is not text; {key_allowed}")
            continue
        value_node = child_of_map(node, key)
        wrong = formats.tag_text(aws_limits.MAX_TAG_KEY_LENGTH)(key)
        if key.lower().startswith(aws_limits.RESERVED_TAG_KEY_PREFIX):
            wrong = f"starts with {aws_limits.RESERVED_TAG_KEY_PREFIX}"
        if wrong:
            problems.add(value_node, f"the key {show(key)} {wrong}; {key_allowed}")
            continue
        if key in formats.RESERVED_TAG_KEYS:
            problems.add(
                value_node,
                f"the key {show(key)} is set by constructs_ab on every resource; remove it "
                f"(tags {', '.join(formats.RESERVED_TAG_KEYS)} are reserved; set owner with the owner field)",
            )
            continue
        if value_node.value == "" or value_node.value is None:
            tags.append((key, ""))
            continue
        value = read_text(
            value_node,
            problems,
            allowed=value_allowed,
            check=formats.tag_text(aws_limits.MAX_TAG_VALUE_LENGTH),
        )
        if value is not None:
            tags.append((key, value))
    return tuple(tags)


def read_environment(node: Node, name: str, problems: Problems) -> Environment | None:
    fields = Fields(
        node,
        problems,
        what="an environment",
        keys=ENVIRONMENT_KEYS,
        required={
            "region": REGION_ALLOWED,
            "vpc_id": "vpc_id is the VPC of the load balancers, e.g. vpc-0a1b2c3d4e5f67890",
            "subnet_ids": f"subnet_ids lists at least {aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER} subnets in different "
            "Availability Zones",
            "certificate_arn": "certificate_arn is the ACM certificate of the HTTPS listeners",
            "allowed_client_cidrs": "allowed_client_cidrs lists the client CIDR blocks admitted, e.g. [10.0.0.0/8]",
            "owner": OWNER_ALLOWED,
            "load_balancers": "load_balancers maps a name to a load balancer, e.g. {public: {internal: false}}",
        },
    )
    if not fields.valid:
        return None
    region = fields.text("region", "", allowed=REGION_ALLOWED, check=formats.region)
    vpc_id = fields.text(
        "vpc_id",
        "",
        check=formats.vpc_id,
        allowed="vpc_id is vpc- and 8 or 17 hexadecimal digits, e.g. vpc-0a1b2c3d4e5f67890",
    )
    subnet_ids = _unique_texts(
        fields,
        "subnet_ids",
        check=formats.subnet_id,
        min_items=aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER,
        allowed=f"subnet_ids lists at least {aws_limits.MIN_SUBNETS_PER_LOAD_BALANCER} subnet ids (subnet- and 8 "
        "or 17 hexadecimal digits) in different Availability Zones",
    )
    certificate_arn = fields.text(
        "certificate_arn",
        "",
        check=formats.certificate_arn,
        allowed="certificate_arn is an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>",
    )
    found = formats.ACM_CERTIFICATE_ARN.match(certificate_arn)
    if found and region and found["region"] != region:
        problems.add(
            fields.get("certificate_arn") or node,
            f"the certificate is in region {found['region']}, not in {region}; a load balancer needs an ACM "
            "certificate of its own region",
        )
    cidrs = _unique_texts(
        fields,
        "allowed_client_cidrs",
        check=lambda v: formats.cidr(v, ipv4_only=True),
        min_items=1,
        allowed="allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] "
        "(0.0.0.0/0 for a public API)",
    )
    owner = fields.text(
        "owner", "", allowed=OWNER_ALLOWED, check=formats.tag_text(aws_limits.MAX_TAG_VALUE_LENGTH)
    )
    tags = _read_tags(fields.get("tags"), problems)
    state = _read_state(fields.get("state"), region, problems)

    load_balancers: dict[str, DraftLoadBalancer] = {}
    lbs_node = fields.get("load_balancers")
    if lbs_node is not None:
        if not isinstance(lbs_node.value, Mapping) or not lbs_node.value:
            problems.add(
                lbs_node,
                f"{describe(lbs_node.value) if lbs_node.value else 'no load balancer is given'}; "
                "load_balancers maps a name to a load balancer, e.g. {public: {internal: false}}",
            )
        else:
            for lb_name in lbs_node.value:
                lb_node = child_of_map(lbs_node, lb_name) if isinstance(lb_name, str) else lbs_node
                if not isinstance(lb_name, str) or formats.spec_name(lb_name):
                    problems.add(
                        lb_node, f"the load balancer name {show(lb_name)} is not a valid name; {NAME_ALLOWED}"
                    )
                    continue
                _check_derived_name(
                    problems,
                    lb_node,
                    name,
                    lb_name,
                    "load balancer",
                    aws_limits.MAX_LOAD_BALANCER_NAME_LENGTH,
                )
                load_balancers[lb_name] = _read_load_balancer(lb_node, lb_name, problems)

    drafts: list[DraftExperiment] = []
    experiments_node = fields.get("experiments")
    if experiments_node is not None and experiments_node.value is not None:
        for item in read_list(experiments_node, problems, allowed="experiments is a list of experiments"):
            draft = read_experiment(item, problems)
            if draft is not None:
                drafts.append(draft)

    experiments = _resolve(name, owner, drafts, load_balancers, problems)
    _check_load_balancers(load_balancers, experiments, problems)
    return Environment(
        name=name,
        region=region,
        vpc_id=vpc_id,
        subnet_ids=subnet_ids,
        certificate_arn=certificate_arn,
        allowed_client_cidrs=cidrs,
        owner=owner,
        load_balancers=tuple(lb.load_balancer for lb in load_balancers.values()),
        experiments=tuple(experiments),
        state=state,
        tags=tags,
    )


def _unique_texts(
    fields: Fields, key: str, *, check: object, min_items: int, allowed: str
) -> tuple[str, ...]:
    node = fields.get(key)
    if node is None:
        return ()
    values: dict[str, int] = {}
    for item in read_list(node, fields.problems, allowed=allowed, min_items=min_items):
        value = read_text(item, fields.problems, allowed=allowed, check=check)  # type: ignore[arg-type]
        if value is None:
            continue
        if value in values:
            fields.problems.add(
                item, f"{show(value)} is listed twice (first at line {values[value]}); list it once"
            )
            continue
        values[value] = item.line or 0
    return tuple(values)


def _check_derived_name(
    problems: Problems, node: Node, environment: str, name: str, kind: str, limit: int
) -> None:
    """`<environment>-<name>` is the AWS name; it must fit AWS's length and alphabet."""
    aws_name = f"{environment}-{name}"
    if len(aws_name) > limit:
        problems.add(
            node,
            f"{show(name)} makes the {kind} name {show(aws_name)}, {len(aws_name)} characters long; "
            f"a {kind} name (<environment>-<name>) has at most {limit} characters: shorten the "
            f"{kind} or environment name",
        )
    elif not formats.AWS_NAME.match(aws_name):
        problems.add(
            node,
            f"{show(name)} makes the {kind} name {show(aws_name)}, which AWS does not accept; {NAME_ALLOWED}",
        )
    elif kind == "load balancer" and aws_name.startswith(aws_limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX):
        problems.add(
            node,
            f"{show(name)} makes the load balancer name {show(aws_name)}; a load balancer name may not "
            f"start with {aws_limits.LOAD_BALANCER_NAME_FORBIDDEN_PREFIX}: rename the environment",
        )


def _resolve(
    environment: str,
    owner: str,
    drafts: list[DraftExperiment],
    load_balancers: dict[str, DraftLoadBalancer],
    problems: Problems,
) -> list[Experiment]:
    """Experiments with their variants resolved, priorities assigned and cross-experiment checks done."""
    # Names of experiments, unique per environment.
    first_experiment: dict[str, DraftExperiment] = {}
    for draft in drafts:
        if not draft.name:
            continue
        if draft.name in first_experiment:
            problems.add(
                draft.node.path.key("name"),
                f"{show(draft.name)} is already the name of an experiment (line "
                f"{first_experiment[draft.name].node.line}); experiment names are unique per environment",
                draft.node.line,
            )
        else:
            first_experiment[draft.name] = draft

    # The load balancer each experiment names.
    for draft in drafts:
        if draft.load_balancer and draft.load_balancer not in load_balancers and draft.load_balancer_node:
            names = list(load_balancers)
            problems.add(
                draft.load_balancer_node,
                f"{show(draft.load_balancer)} is not a load balancer of environment {environment}; "
                f"{suggestion(draft.load_balancer, names)}load balancers: {', '.join(names) or '(none)'}",
            )

    # Variant definitions: once per environment.
    definitions: dict[str, tuple[VariantEntry, DraftExperiment]] = {}
    for draft in drafts:
        for entry in draft.entries:
            if entry.definition is None or not entry.name:
                continue
            if entry.name in definitions:
                first, first_draft = definitions[entry.name]
                problems.add(
                    entry.node.path.key("model"),
                    f"variant {show(entry.name)} is already defined in experiment {first_draft.name} "
                    f"(line {first.node.line}); define a variant once per environment and share it by "
                    "listing only its name, weight and paused in other experiments",
                    entry.node.line,
                )
            else:
                definitions[entry.name] = (entry, draft)
    _check_variants(environment, drafts, definitions, problems)

    # Shared variants: one target group, so one load balancer.
    variant_lb: dict[str, tuple[str, DraftExperiment]] = {}
    for draft in drafts:
        for entry in draft.entries:
            if not entry.name or draft.load_balancer not in load_balancers:
                continue
            if entry.name in variant_lb and variant_lb[entry.name][0] != draft.load_balancer:
                other_lb, other = variant_lb[entry.name]
                problems.add(
                    entry.node,
                    f"variant {show(entry.name)} is used on load balancer {draft.load_balancer} "
                    f"here and on {other_lb} by experiment {other.name}; a variant is one target group, which "
                    "serves one load balancer: put both experiments on one load balancer or define a "
                    "second variant",
                )
            else:
                variant_lb.setdefault(entry.name, (draft.load_balancer, draft))

    placeholder = Variant(name="-", model_id="-", model_version="-")
    for draft in drafts:
        _check_split(draft, problems)
        _check_conditions(draft, problems)
    priorities = _assign_priorities(drafts, load_balancers, problems)
    experiments = []
    for draft, priority in zip(drafts, priorities):
        variants = tuple(
            WeightedVariant(
                variant=definitions[e.name][0].definition if e.name in definitions else placeholder,  # type: ignore[arg-type]
                weight=e.weight,
                paused=e.paused,
            )
            for e in draft.entries
        )
        experiments.append(
            Experiment(
                name=draft.name,
                load_balancer=draft.load_balancer,
                match=draft.match,
                variants=variants,
                priority=priority or aws_limits.MIN_RULE_PRIORITY,
                priority_explicit=draft.priority is not None,
                stickiness=draft.stickiness,
                override=draft.override,
                ramp=draft.ramp,
                guardrails=draft.guardrails,
                owner=draft.owner or owner,
            )
        )
    return experiments


def _check_variants(
    environment: str,
    drafts: list[DraftExperiment],
    definitions: dict[str, tuple[VariantEntry, DraftExperiment]],
    problems: Problems,
) -> None:
    defined = list(definitions)
    for draft in drafts:
        seen: dict[str, VariantEntry] = {}
        for entry in draft.entries:
            if not entry.name:
                continue
            if entry.name in seen:
                problems.add(
                    entry.node.path.key("name"),
                    f"{show(entry.name)} is already a variant of this experiment (line "
                    f"{seen[entry.name].node.line}); list each variant once",
                    entry.node.line,
                )
                continue
            seen[entry.name] = entry
            if entry.definition is None and entry.name not in definitions:
                problems.add(
                    entry.node.path.key("name"),
                    f"{show(entry.name)} is not a variant defined in environment {environment}; "
                    f"{suggestion(entry.name, defined)}define it here with model: {{id, version}} (and its "
                    "port, health_check, ...), or name a variant defined in another experiment: "
                    f"{', '.join(defined) or '(none)'}",
                    entry.node.line,
                )
            if entry.definition is not None:
                _check_derived_name(
                    problems,
                    Node(entry.name, entry.node.path.key("name"), entry.node.line),
                    environment,
                    entry.name,
                    "target group",
                    aws_limits.MAX_TARGET_GROUP_NAME_LENGTH,
                )


def _check_split(draft: DraftExperiment, problems: Problems) -> None:
    """At least one positive weight, and a ramp that matches the weights."""
    variants_node = draft.variants_node
    if variants_node is None or not draft.entries:
        return
    weights_valid = not any(problems.under(e.node.path.key("weight")) for e in draft.entries)
    total = sum(e.weight for e in draft.entries)
    if weights_valid and total == 0 and len(draft.entries) == len(variants_node.value or []):
        problems.add(
            variants_node,
            "every weight is 0, so the split sends no traffic; at least one variant needs a "
            f"weight from 1 to {aws_limits.MAX_WEIGHT}",
        )
    ramp, ramp_node = draft.ramp, draft.ramp_node
    if ramp is None or ramp_node is None or problems.under(ramp_node.path):
        return
    names = [e.name for e in draft.entries]
    candidate_node = Node(ramp.candidate, ramp_node.path.key("candidate"), ramp_node.line)
    try:
        candidate_node = Node(
            ramp.candidate, ramp_node.path.key("candidate"), ramp_node.value.lc.value("candidate")[0] + 1
        )
    except (AttributeError, KeyError, TypeError):
        pass
    if ramp.candidate not in names:
        problems.add(
            candidate_node,
            f"{show(ramp.candidate)} is not a variant of experiment {draft.name}; candidate "
            f"is one of its variants: {suggestion(ramp.candidate, names)}{', '.join(names)}",
        )
        return
    if not weights_valid or total == 0:
        return
    weight = next(e.weight for e in draft.entries if e.name == ramp.candidate)
    share = (200 * weight + total) // (2 * total)  # weight / total in percent, rounded half up
    expected = ramp.stages[ramp.stage] if ramp.stage >= 0 else 0
    if share != expected:
        stage_text = (
            f"stage {ramp.stage} of {list(ramp.stages)}" if ramp.stage >= 0 else "the ramp has not started"
        )
        problems.add(
            ramp_node.path.key("stage"),
            f"{ramp.stage} says {ramp.candidate} gets {expected}% ({stage_text}) but its weight "
            f"{weight} of {total} gives it {share}%; run `python -m constructs_ab promote {draft.name}` or "
            f"`rollback {draft.name}` to move a stage, or `set-weights {draft.name} ...`, which set the "
            "weights and the stage together",
            ramp_node.line,
        )


def _check_conditions(draft: DraftExperiment, problems: Problems) -> None:
    """Condition values and wildcards per rule, the override rules included."""
    match = draft.match
    if not isinstance(draft.node.value, Mapping) or "match" not in draft.node.value:
        return
    node = child_of_map(draft.node, "match")
    if problems.under(node.path):
        return
    extra = 1 if draft.override.enabled else 0
    values = match.condition_values + extra
    if values > aws_limits.MAX_CONDITION_VALUES_PER_RULE:
        counted = f"{match.condition_values} in match + 1 for the override header" if extra else "in match"
        problems.add(
            node,
            f"the rules of experiment {draft.name} have {values} condition values ({counted}); "
            f"a rule has at most {aws_limits.MAX_CONDITION_VALUES_PER_RULE} condition values (AWS quota): "
            "remove values, use wildcards, or turn the override off",
        )
    texts = [
        *match.paths,
        *match.hosts,
        *(v for h in match.headers for v in h.values),
        *(q.value for q in match.query),
        *(q.key for q in match.query if q.key),
    ]
    wildcards = sum(formats.wildcards(t) for t in texts)
    if wildcards > aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE:
        problems.add(
            node,
            f"the rules of experiment {draft.name} have {wildcards} wildcards (* and ?); a rule has at "
            f"most {aws_limits.MAX_CONDITION_WILDCARDS_PER_RULE} wildcards (AWS quota)",
        )
    for header in match.headers:
        if draft.override.enabled and header.name.lower() == draft.override.header.lower():
            problems.add(
                node.path.key("headers").key(header.name),
                f"{show(header.name)} is also the override header; the override rules add their own "
                "condition on it: match on another header, or change override.header",
                node.line,
            )


def _assign_priorities(
    drafts: list[DraftExperiment], known_load_balancers: Collection[str], problems: Problems
) -> list[int | None]:
    """Explicit priorities checked for range and clashes; the others assigned (see `priorities`)."""
    result: list[int | None] = [None] * len(drafts)
    by_lb: dict[str, list[int]] = {}
    for index, draft in enumerate(drafts):
        by_lb.setdefault(draft.load_balancer, []).append(index)
    for lb, indexes in by_lb.items():
        explicit: list[tuple[int, int, DraftExperiment]] = []
        for index in indexes:
            draft = drafts[index]
            if draft.priority is None or lb not in known_load_balancers:
                continue
            last = draft.priority + draft.rule_count - 1
            if last > aws_limits.MAX_RULE_PRIORITY and draft.priority_node is not None:
                problems.add(
                    draft.priority_node,
                    f"{draft.priority} is too high: experiment {draft.name} uses {draft.rule_count} "
                    f"priorities ({draft.priority}-{last}); priorities go up to {aws_limits.MAX_RULE_PRIORITY}, "
                    f"so give it at most {aws_limits.MAX_RULE_PRIORITY - draft.rule_count + 1}",
                )
            for low, high, other in explicit:
                if draft.priority <= high and last >= low and draft.priority_node is not None:
                    problems.add(
                        draft.priority_node,
                        f"priority clash on load balancer {lb}: experiment {draft.name} uses priorities "
                        f"{_span(draft.priority, last)} and experiment {other.name} uses {_span(low, high)}; "
                        "an experiment uses one priority per variant for its override rules plus one for "
                        f"the split: give {draft.name} a priority from {high + 1} or leave it out to have "
                        "one assigned",
                    )
                    break
            explicit.append((draft.priority, last, draft))
        requests = [
            PriorityRequest(name=drafts[i].name, rule_count=drafts[i].rule_count, priority=drafts[i].priority)
            for i in indexes
        ]
        for index, priority in zip(indexes, assign_priorities(requests)):
            result[index] = priority
            if priority is None and lb in known_load_balancers:
                problems.add(
                    drafts[index].node,
                    f"no free block of priorities is left on load balancer {lb} for "
                    f"experiment {drafts[index].name}; give it an explicit priority",
                )
    return result


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def _check_load_balancers(
    load_balancers: dict[str, DraftLoadBalancer], experiments: list[Experiment], problems: Problems
) -> None:
    """The rule and target group quotas of each load balancer, and its default action's variant."""
    for name, draft_lb in load_balancers.items():
        lb = draft_lb.load_balancer
        on_lb = [e for e in experiments if e.load_balancer == name]
        rules = sum(e.rule_count for e in on_lb)
        if rules > lb.max_rules:
            problems.add(
                draft_lb.node,
                f"load balancer {name} needs {rules} rules for its {len(on_lb)} experiments (override rules "
                f"included) but its rule quota is {lb.max_rules}; move experiments to another load balancer, "
                "turn overrides off, or set max_rules to the quota your account was granted",
            )
        variant_names = list(
            dict.fromkeys(w.variant.name for e in on_lb for w in e.variants if w.variant.name != "-")
        )
        if len(variant_names) > aws_limits.MAX_TARGET_GROUPS_PER_LOAD_BALANCER:
            problems.add(
                draft_lb.node,
                f"load balancer {name} has {len(variant_names)} variants (target groups); a load balancer "
                f"serves at most {aws_limits.MAX_TARGET_GROUPS_PER_LOAD_BALANCER} target groups (AWS quota, "
                "not adjustable): move experiments to another load balancer",
            )
        action = lb.default_action
        if (
            action.kind is DefaultActionKind.FORWARD
            and action.variant
            and draft_lb.default_action_node is not None
        ):
            if action.variant not in variant_names:
                node = draft_lb.default_action_node
                problems.add(
                    node.path.key("forward"),
                    f"{show(action.variant)} is not a variant of an experiment on load balancer {name}; "
                    f"{suggestion(action.variant, variant_names)}default_action forwards to one of: "
                    f"{', '.join(variant_names) or '(no variants on it)'}",
                    node.line,
                )
