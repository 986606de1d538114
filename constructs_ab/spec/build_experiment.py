"""Reading one experiment of the spec: its match, split, stickiness, override, ramp and guardrails.

Variants are read here as entries: a definition (it has `model`) or a reference to a variant defined
elsewhere in the environment (only `name`, `weight` and `paused`). `build_environment` resolves the
references, assigns priorities and builds the final `Experiment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.model import (
    DEFAULT_OVERRIDE_HEADER,
    Guardrails,
    HeaderMatch,
    HealthCheck,
    Match,
    Override,
    Protocol,
    QueryMatch,
    Ramp,
    Stickiness,
    Target,
    TargetType,
    Variant,
)
from constructs_ab.spec.reader import (
    Fields,
    Node,
    Problems,
    child_of_map,
    describe,
    items_of,
    read_int,
    read_list,
    read_text,
    show,
)

EXPERIMENT_KEYS = (
    "name",
    "load_balancer",
    "match",
    "priority",
    "stickiness",
    "override",
    "variants",
    "ramp",
    "guardrails",
    "owner",
)
VARIANT_KEYS = (
    "name",
    "model",
    "weight",
    "paused",
    "port",
    "protocol",
    "target_type",
    "health_check",
    "slow_start",
    "deregistration_delay",
    "targets",
)
REFERENCE_KEYS = ("name", "weight", "paused")
MATCH_KEYS = ("paths", "hosts", "headers", "query", "source_ips", "methods")

NAME_ALLOWED = formats.SPEC_NAME_ALLOWED
WEIGHT_ALLOWED = f"a weight is an integer from {aws_limits.MIN_WEIGHT} to {aws_limits.MAX_WEIGHT}"
PORT_ALLOWED = f"a port is an integer from {aws_limits.MIN_PORT} to {aws_limits.MAX_PORT}"
#: An A/B experiment compares at least two variants (the upper bound is the AWS forward action's).
MIN_VARIANTS = 2
VARIANTS_ALLOWED = (
    f"an experiment has {MIN_VARIANTS} to {aws_limits.MAX_TARGET_GROUPS_PER_FORWARD} "
    "variants (a forward action lists at most 5 target groups)"
)
STICKINESS_ALLOWED = (
    "stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with "
    "s, m, h or d (45s, 30m, 1h, 7d)"
)
PRIORITY_ALLOWED = (
    f"a priority is an integer from {aws_limits.MIN_RULE_PRIORITY} to {aws_limits.MAX_RULE_PRIORITY}"
)


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


@dataclass(kw_only=True)
class DraftExperiment:
    """An experiment as read, before its variants are resolved and its priority assigned."""

    node: Node
    name: str
    load_balancer: str
    load_balancer_node: Node | None
    match: Match
    priority: int | None
    priority_node: Node | None
    stickiness: Stickiness
    override: Override
    ramp: Ramp | None
    ramp_node: Node | None
    guardrails: Guardrails
    owner: str | None
    entries: list[VariantEntry] = field(default_factory=list)
    variants_node: Node | None = None

    @property
    def rule_count(self) -> int:
        return len(self.entries) + 1 if self.override.enabled else 1


def read_name(fields: Fields, allowed: str = NAME_ALLOWED) -> str:
    return fields.text("name", "", allowed=allowed, check=formats.spec_name)


def _text_list(fields: Fields, key: str, *, allowed: str, check: Any) -> tuple[str, ...]:
    node = fields.get(key)
    if node is None:
        return ()
    values = []
    for item in read_list(node, fields.problems, allowed=allowed):
        value = read_text(item, fields.problems, allowed=allowed, check=check)
        if value is not None:
            values.append(value)
    return tuple(values)


def _text_or_list(node: Node, problems: Problems, *, allowed: str, check: Any) -> list[tuple[str, Node]]:
    """A value given as one text or a list of texts."""
    items = [node] if not isinstance(node.value, list) else list(items_of(node))
    values = []
    for item in items:
        value = read_text(item, problems, allowed=allowed, check=check)
        if value is not None:
            values.append((value, item))
    return values


def read_match(node: Node, problems: Problems) -> Match:
    fields = Fields(node, problems, what="a match", keys=MATCH_KEYS)
    paths = _text_list(
        fields,
        "paths",
        check=formats.path_pattern,
        allowed=f"paths is a list of path patterns starting with / of at most "
        f"{aws_limits.MAX_PATH_PATTERN_LENGTH} characters (A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + &, wildcards * and ?), "
        'e.g. ["/abtest", "/abtest/*"]',
    )
    hosts = _text_list(
        fields,
        "hosts",
        check=formats.host_pattern,
        allowed=f"hosts is a list of host names of at most {aws_limits.MAX_HOST_HEADER_LENGTH} characters "
        '(letters, digits, - . and wildcards * ?), e.g. ["api.example.com"]',
    )
    methods = _text_list(
        fields,
        "methods",
        check=formats.http_method,
        allowed=f"methods is a list of HTTP methods: uppercase letters, - and _, at most "
        f"{aws_limits.MAX_HTTP_METHOD_LENGTH} characters, e.g. [POST]",
    )
    source_ips = _text_list(
        fields,
        "source_ips",
        check=formats.cidr,
        allowed='source_ips is a list of CIDR blocks with no host bits set, e.g. ["10.0.0.0/8"]',
    )
    headers: list[HeaderMatch] = []
    headers_node = fields.get("headers")
    if headers_node is not None:
        header_value_allowed = (
            f"a header value is text of at most {aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH} printable ASCII "
            "characters (wildcards * and ?), or a list of them"
        )
        if not isinstance(headers_node.value, Mapping):
            problems.add(
                headers_node,
                f"{describe(headers_node.value)}; headers is a map from header name to a "
                "value or a list of values, e.g. {X-Client: [beta]}",
            )
        else:
            for name in headers_node.value:
                value_node = child_of_map(headers_node, name) if isinstance(name, str) else None
                if value_node is None:
                    problems.add(
                        headers_node, f"the header name {show(name)} is not text; a header name is text"
                    )
                    continue
                wrong = formats.header_name(name)
                if wrong:
                    problems.add(
                        value_node,
                        f"{show(name)} {wrong}; a header name is at most "
                        f"{aws_limits.MAX_HTTP_HEADER_NAME_LENGTH} token characters (letters, digits, "
                        "!#$%&'*+-.^_`|~)",
                    )
                    continue
                values = _text_or_list(
                    value_node,
                    problems,
                    allowed=header_value_allowed,
                    check=formats.printable(aws_limits.MAX_HTTP_HEADER_VALUE_LENGTH, "header value"),
                )
                if values:
                    headers.append(HeaderMatch(name=name, values=tuple(v for v, _ in values)))
    query = _read_query(fields.get("query"), problems)
    match = Match(
        paths=paths,
        hosts=hosts,
        headers=tuple(headers),
        query=tuple(query),
        source_ips=source_ips,
        methods=methods,
    )
    if fields.valid and not problems.under(node.path) and match.condition_values == 0:
        problems.add(
            node,
            "the match is empty; give at least one of paths, hosts, headers, query, source_ips "
            "or methods (an experiment without conditions would take every request)",
        )
    return match


def _read_query(node: Node | None, problems: Problems) -> list[QueryMatch]:
    if node is None:
        return []
    text_allowed = (
        f"a query key or value is text of at most {aws_limits.MAX_QUERY_STRING_LENGTH} printable ASCII "
        'characters (quote numbers: "1")'
    )
    check = formats.printable(aws_limits.MAX_QUERY_STRING_LENGTH, "query string")
    result: list[QueryMatch] = []
    if isinstance(node.value, Mapping):
        for key in node.value:
            if not isinstance(key, str):
                problems.add(node, f"the query key {show(key)} is not text; {text_allowed}")
                continue
            value_node = child_of_map(node, key)
            wrong = check(key)
            if wrong:
                problems.add(value_node, f"{show(key)} {wrong}; {text_allowed}")
                continue
            for value, _ in _text_or_list(value_node, problems, allowed=text_allowed, check=check):
                result.append(QueryMatch(key=key, value=value))
        return result
    if isinstance(node.value, list):
        for item in items_of(node):
            fields = Fields(
                item,
                problems,
                what="a query condition",
                keys=("key", "value"),
                required={"value": text_allowed},
            )
            key = fields.optional_text("key", allowed=text_allowed, check=check)
            value = fields.text("value", "", allowed=text_allowed, check=check)
            if value:
                result.append(QueryMatch(key=key, value=value))
        return result
    problems.add(
        node,
        f"{describe(node.value)}; query is a map from key to a value or list of values "
        "(e.g. {variant: beta}) or a list of {key, value} (key optional)",
    )
    return result


def read_stickiness(node: Node | None, problems: Problems) -> Stickiness:
    if node is None:
        return Stickiness()
    value = node.value
    if value is False or (isinstance(value, str) and value.strip().lower() == "off"):
        return Stickiness()
    if isinstance(value, str):
        seconds = formats.parse_duration(value)
        if seconds is None:
            problems.add(node, f"{show(value)} is not a duration; {STICKINESS_ALLOWED}")
            return Stickiness()
        if not aws_limits.MIN_STICKINESS_SECONDS <= seconds <= aws_limits.MAX_STICKINESS_SECONDS:
            problems.add(node, f"{show(value)} is out of range ({seconds} s); {STICKINESS_ALLOWED}")
            return Stickiness()
        return Stickiness(duration=seconds)
    seconds = read_int(
        node,
        problems,
        low=aws_limits.MIN_STICKINESS_SECONDS,
        high=aws_limits.MAX_STICKINESS_SECONDS,
        allowed=STICKINESS_ALLOWED,
    )
    return Stickiness(duration=seconds) if seconds is not None else Stickiness()


def read_override(node: Node | None, problems: Problems) -> Override:
    allowed = (
        "override is true, false or {enabled: true|false, header: <name>} (default: on, header "
        f"{DEFAULT_OVERRIDE_HEADER})"
    )
    if node is None:
        return Override()
    if isinstance(node.value, bool):
        return Override(enabled=node.value)
    if not isinstance(node.value, Mapping):
        problems.add(node, f"{describe(node.value)}; {allowed}")
        return Override()
    fields = Fields(node, problems, what="an override", keys=("enabled", "header"))
    enabled = fields.boolean("enabled", True, allowed="enabled is true or false")
    header = fields.text(
        "header",
        DEFAULT_OVERRIDE_HEADER,
        check=formats.header_name,
        allowed=f"a header name is at most {aws_limits.MAX_HTTP_HEADER_NAME_LENGTH} token characters (letters, "
        "digits, !#$%&'*+-.^_`|~)",
    )
    return Override(enabled=enabled, header=header)


def read_ramp(node: Node | None, problems: Problems) -> Ramp | None:
    if node is None:
        return None
    candidate_allowed = "candidate is the name of one of the experiment's variants"
    fields = Fields(
        node,
        problems,
        what="a ramp",
        keys=("candidate", "stages", "stage", "max_step"),
        required={
            "candidate": candidate_allowed,
            "stages": "stages is a list of percentages, e.g. [1, 5, 25, 50]",
        },
    )
    candidate = fields.text("candidate", "", allowed=candidate_allowed)
    stages_allowed = (
        "stages is a non-empty list of strictly increasing percentages from 1 to 100, e.g. [1, 5, 25, 50]"
    )
    stages: list[int] = []
    stages_node = fields.get("stages")
    if stages_node is not None:
        items = read_list(stages_node, problems, allowed=stages_allowed, min_items=1)
        for item in items:
            value = read_int(item, problems, low=1, high=100, allowed=stages_allowed)
            if value is None:
                continue
            if stages and value <= stages[-1]:
                problems.add(
                    item, f"{value} is not more than the stage before it ({stages[-1]}); {stages_allowed}"
                )
                continue
            stages.append(value)
    last = max(len(stages) - 1, 0)
    stages_valid = stages_node is not None and not problems.under(stages_node.path)
    stage = fields.integer(
        "stage",
        0,
        low=-1,
        high=last if stages_valid else None,
        allowed=f"stage is the index of the current stage in stages, from -1 (not started) to {last}",
    )
    max_step_node = fields.get("max_step")
    max_step = None
    if max_step_node is not None:
        max_step = read_int(
            max_step_node,
            problems,
            low=1,
            high=100,
            allowed="max_step is an integer from 1 to 100 (percentage points)",
        )
    if not stages:
        stages = [100]
    return Ramp(
        candidate=candidate, stages=tuple(stages), stage=min(stage, len(stages) - 1), max_step=max_step
    )


def read_guardrails(node: Node | None, problems: Problems) -> Guardrails:
    if node is None:
        return Guardrails()
    fields = Fields(
        node,
        problems,
        what="guardrails",
        keys=(
            "error_rate_percent",
            "p99_latency_seconds",
            "min_healthy_hosts",
            "period",
            "evaluation_periods",
            "alarm_email",
        ),
    )
    default = Guardrails()
    error_rate = fields.number(
        "error_rate_percent",
        default.error_rate_percent,
        low=0,
        high=100,
        low_inclusive=False,
        allowed="error_rate_percent is a number more than 0 and at most 100 (percent)",
    )
    p99 = fields.number(
        "p99_latency_seconds",
        default.p99_latency_seconds,
        low=0,
        high=aws_limits.MAX_IDLE_TIMEOUT_SECONDS,
        low_inclusive=False,
        allowed=f"p99_latency_seconds is a number of seconds more than 0 and at most "
        f"{aws_limits.MAX_IDLE_TIMEOUT_SECONDS}",
    )
    min_healthy = fields.integer(
        "min_healthy_hosts",
        default.min_healthy_hosts,
        low=1,
        high=1000,
        allowed="min_healthy_hosts is an integer from 1 to 1000",
    )
    step = aws_limits.ALB_METRIC_PERIOD_SECONDS
    period_allowed = (
        f"period is a multiple of {step} seconds from {step} to {aws_limits.MAX_ALARM_EVALUATION_SECONDS} "
        "(load balancer metrics arrive every minute)"
    )
    period = fields.integer(
        "period",
        default.period,
        low=step,
        high=aws_limits.MAX_ALARM_EVALUATION_SECONDS,
        allowed=period_allowed,
    )
    period_node = fields.get("period")
    if period_node is not None and period % step:
        problems.add(period_node, f"{period} is not a multiple of {step}; {period_allowed}")
        period = default.period
    max_periods = aws_limits.MAX_ALARM_EVALUATION_SECONDS // period
    evaluation_periods = fields.integer(
        "evaluation_periods",
        default.evaluation_periods,
        low=1,
        high=max_periods,
        allowed=f"evaluation_periods is an integer from 1 to {max_periods} (period x evaluation_periods is at "
        "most one day)",
    )
    if (
        fields.get("evaluation_periods") is None
        and period_node is not None
        and evaluation_periods > max_periods
    ):
        problems.add(
            period_node,
            f"{period} seconds x the default {evaluation_periods} evaluation periods is more "
            f"than one day; give evaluation_periods from 1 to {max_periods} too, or a shorter period",
        )
    email = fields.optional_text(
        "alarm_email",
        check=formats.email,
        allowed="alarm_email is an email address, e.g. ml-oncall@example.com",
    )
    return Guardrails(
        error_rate_percent=error_rate,
        p99_latency_seconds=p99,
        min_healthy_hosts=min_healthy,
        period=period,
        evaluation_periods=evaluation_periods,
        alarm_email=email,
    )


def read_model(node: Node | None, problems: Problems) -> tuple[str, str]:
    """A model given as {id, version} or as the text `id:version`."""
    allowed = (
        'model is {id: <model id>, version: <version>} or the text "<id>:<version>"; id and version are '
        "letters, digits and . _ / + = @ -"
    )
    if node is None:
        return "", ""
    if isinstance(node.value, str):
        model_id, colon, version = node.value.partition(":")
        if not colon or not model_id or not version:
            problems.add(node, f"{show(node.value)} is not <id>:<version>; {allowed}")
            return "", ""
        for part in (model_id, version):
            wrong = formats.model_part(part)
            if wrong:
                problems.add(node, f"{show(part)} {wrong}; {allowed}")
                return "", ""
        return model_id, version
    fields = Fields(
        node, problems, what="a model", keys=("id", "version"), required={"id": allowed, "version": allowed}
    )
    model_id = _model_part(
        fields, "id", "id is the model's name, e.g. sentiment; letters, digits and . _ / + = @ -"
    )
    version = _model_part(
        fields,
        "version",
        'version is text, e.g. "1.4.2" (quote numbers: 2.0 would read as a number); letters, digits and '
        ". _ / + = @ -",
    )
    return model_id, version


def _model_part(fields: Fields, key: str, allowed: str) -> str:
    node = fields.get(key)
    if node is not None and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        fields.problems.add(node, f"{describe(node.value)}; {allowed}")
        return ""
    return fields.text(key, "", allowed=allowed, check=formats.model_part)


def read_health_check(node: Node | None, problems: Problems) -> HealthCheck:
    default = HealthCheck()
    if node is None:
        return default
    fields = Fields(
        node,
        problems,
        what="a health check",
        keys=("path", "matcher", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"),
    )
    path = fields.text(
        "path",
        default.path,
        check=lambda v: "does not start with /"
        if not v.startswith("/")
        else (f"is {len(v)} characters long" if len(v) > aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH else None),
        allowed=f"a health check path starts with / and has at most {aws_limits.MAX_HEALTH_CHECK_PATH_LENGTH} "
        "characters, e.g. /health",
    )
    matcher_node = fields.get("matcher")
    matcher = default.matcher
    matcher_allowed = (
        f'a matcher is HTTP codes from {aws_limits.MIN_MATCHER_CODE} to {aws_limits.MAX_MATCHER_CODE} as "200", '
        '"200,204" or "200-299"'
    )
    if matcher_node is not None:
        if isinstance(matcher_node.value, int) and not isinstance(matcher_node.value, bool):
            matcher_node = Node(str(matcher_node.value), matcher_node.path, matcher_node.line)
        matcher = read_text(matcher_node, problems, allowed=matcher_allowed, check=formats.matcher) or matcher
    interval = fields.integer(
        "interval",
        default.interval,
        low=aws_limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS,
        high=aws_limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS,
        allowed=f"interval is an integer from {aws_limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS} to "
        f"{aws_limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS} (seconds)",
    )
    timeout_allowed = (
        f"timeout is an integer from {aws_limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS} to "
        f"{aws_limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS} (seconds), less than the interval"
    )
    timeout = fields.integer(
        "timeout",
        default.timeout,
        low=aws_limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS,
        high=aws_limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS,
        allowed=timeout_allowed,
    )
    timeout_node = fields.get("timeout")
    timing_valid = not any(problems.under(fields.path(key)) for key in ("interval", "timeout"))
    if timeout >= interval and timing_valid:
        where = timeout_node if timeout_node is not None else fields.get("interval") or node
        problems.add(
            where.path if where is node else where,
            f"a timeout of {timeout} s is not less than the interval of {interval} s; {timeout_allowed}",
            where.line,
        )
    thresholds = {}
    for key in ("healthy_threshold", "unhealthy_threshold"):
        thresholds[key] = fields.integer(
            key,
            getattr(default, key),
            low=aws_limits.MIN_HEALTH_CHECK_THRESHOLD,
            high=aws_limits.MAX_HEALTH_CHECK_THRESHOLD,
            allowed=f"{key} is an integer from {aws_limits.MIN_HEALTH_CHECK_THRESHOLD} to "
            f"{aws_limits.MAX_HEALTH_CHECK_THRESHOLD} (consecutive checks)",
        )
    return HealthCheck(path=path, matcher=matcher, interval=interval, timeout=timeout, **thresholds)


def read_targets(node: Node | None, problems: Problems, target_type: TargetType) -> tuple[Target, ...]:
    if node is None:
        return ()
    if target_type is TargetType.IP:
        id_allowed = "with target_type ip, a target is a private IPv4 address, e.g. 10.0.1.15"
        check = formats.ipv4_target
    else:
        id_allowed = "with target_type instance, a target is an EC2 instance id, e.g. i-0123456789abcdef0"
        check = formats.instance_id
    list_allowed = "targets is a list of target ids or {id, port} maps"
    targets: list[Target] = []
    seen: dict[tuple[str, int | None], int] = {}
    for item in read_list(node, problems, allowed=list_allowed):
        if isinstance(item.value, Mapping):
            fields = Fields(item, problems, what="a target", keys=("id", "port"), required={"id": id_allowed})
            target_id = fields.text("id", "", allowed=id_allowed, check=check)
            port_node = fields.get("port")
            port = (
                read_int(
                    port_node,
                    problems,
                    low=aws_limits.MIN_PORT,
                    high=aws_limits.MAX_PORT,
                    allowed=PORT_ALLOWED,
                )
                if port_node
                else None
            )
        else:
            target_id = read_text(item, problems, allowed=id_allowed, check=check) or ""
            port = None
        if not target_id:
            continue
        if (target_id, port) in seen:
            problems.add(
                item,
                f"{show(target_id)} is listed twice (first at line {seen[(target_id, port)]}); "
                "list each target once",
            )
            continue
        seen[(target_id, port)] = item.line or 0
        targets.append(Target(id=target_id, port=port))
    return tuple(targets)


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
        required={
            "name": f"every variant has a name; {NAME_ALLOWED}",
            "weight": WEIGHT_ALLOWED,
        },
    )
    if not fields.valid:
        return None
    name = read_name(fields)
    weight = fields.integer(
        "weight", 0, low=aws_limits.MIN_WEIGHT, high=aws_limits.MAX_WEIGHT, allowed=WEIGHT_ALLOWED
    )
    paused = fields.boolean("paused", False, allowed="paused is true or false (true allows weight 0)")
    weight_node = fields.get("weight")
    if weight_node is not None and not problems.under(weight_node.path):
        if weight == 0 and not paused:
            problems.add(
                weight_node,
                "0 takes no traffic but the variant is not paused; mark it `paused: true` "
                f"to keep it at weight 0, or give it a weight from 1 to {aws_limits.MAX_WEIGHT}",
            )
        elif weight > 0 and paused:
            problems.add(
                weight_node,
                f"{weight} sends traffic to a paused variant; a paused variant has weight 0 "
                "(or remove `paused: true`)",
            )
    definition = None
    if is_definition:
        definition = _read_variant_definition(fields, name)
    return VariantEntry(node=node, name=name, weight=weight, paused=paused, definition=definition)


def _read_variant_definition(fields: Fields, name: str) -> Variant:
    problems = fields.problems
    model_id, version = read_model(fields.get("model"), problems)
    default = Variant(name="-", model_id="-", model_version="-")
    port = fields.integer(
        "port", default.port, low=aws_limits.MIN_PORT, high=aws_limits.MAX_PORT, allowed=PORT_ALLOWED
    )
    protocol_text = fields.text(
        "protocol",
        default.protocol.value,
        allowed="protocol is HTTP or HTTPS (from the load balancer to the servers)",
        check=lambda v: None if v in Protocol.__members__ else "is not a protocol",
    )
    target_type_text = fields.text(
        "target_type",
        default.target_type.value,
        allowed="target_type is instance or ip",
        check=lambda v: None if v in {t.value for t in TargetType} else "is not a target type",
    )
    target_type = TargetType(target_type_text)
    slow_start = fields.integer(
        "slow_start",
        default.slow_start,
        low=0,
        high=aws_limits.MAX_SLOW_START_SECONDS,
        allowed=f"slow_start is 0 (off) or an integer from {aws_limits.MIN_SLOW_START_SECONDS} to "
        f"{aws_limits.MAX_SLOW_START_SECONDS} (seconds)",
    )
    slow_start_node = fields.get("slow_start")
    if slow_start_node is not None and 0 < slow_start < aws_limits.MIN_SLOW_START_SECONDS:
        problems.add(
            slow_start_node,
            f"{slow_start} is out of range; slow_start is 0 (off) or an integer from "
            f"{aws_limits.MIN_SLOW_START_SECONDS} to {aws_limits.MAX_SLOW_START_SECONDS} (seconds)",
        )
        slow_start = default.slow_start
    deregistration_delay = fields.integer(
        "deregistration_delay",
        default.deregistration_delay,
        low=aws_limits.MIN_DEREGISTRATION_DELAY_SECONDS,
        high=aws_limits.MAX_DEREGISTRATION_DELAY_SECONDS,
        allowed=f"deregistration_delay is an integer from {aws_limits.MIN_DEREGISTRATION_DELAY_SECONDS} to "
        f"{aws_limits.MAX_DEREGISTRATION_DELAY_SECONDS} (seconds)",
    )
    return Variant(
        name=name,
        model_id=model_id,
        model_version=version,
        port=port,
        protocol=Protocol(protocol_text),
        target_type=target_type,
        health_check=read_health_check(fields.get("health_check"), problems),
        slow_start=slow_start,
        deregistration_delay=deregistration_delay,
        targets=read_targets(fields.get("targets"), problems, target_type),
    )


def read_experiment(node: Node, problems: Problems) -> DraftExperiment | None:
    fields = Fields(
        node,
        problems,
        what="an experiment",
        keys=EXPERIMENT_KEYS,
        required={
            "name": f"every experiment has a name; {NAME_ALLOWED}",
            "load_balancer": "load_balancer is the name of a load balancer of this environment",
            "match": 'match says which requests the experiment takes, e.g. {paths: ["/abtest"]}',
            "variants": VARIANTS_ALLOWED,
        },
    )
    if not fields.valid:
        return None
    name = read_name(fields)
    load_balancer = fields.text(
        "load_balancer", "", allowed="load_balancer is the name of a load balancer of this environment"
    )
    match_node = fields.get("match")
    match = read_match(match_node, problems) if match_node is not None else Match()
    priority_node = fields.get("priority")
    priority = None
    if priority_node is not None:
        priority = read_int(
            priority_node,
            problems,
            low=aws_limits.MIN_RULE_PRIORITY,
            high=aws_limits.MAX_RULE_PRIORITY,
            allowed=PRIORITY_ALLOWED,
        )
    draft = DraftExperiment(
        node=node,
        name=name,
        load_balancer=load_balancer,
        load_balancer_node=fields.get("load_balancer"),
        match=match,
        priority=priority,
        priority_node=priority_node,
        stickiness=read_stickiness(fields.get("stickiness"), problems),
        override=read_override(fields.get("override"), problems),
        ramp=read_ramp(fields.get("ramp"), problems),
        ramp_node=fields.get("ramp"),
        guardrails=read_guardrails(fields.get("guardrails"), problems),
        owner=fields.optional_text(
            "owner",
            check=formats.tag_text(aws_limits.MAX_TAG_VALUE_LENGTH),
            allowed=f"owner is a team name of at most {aws_limits.MAX_TAG_VALUE_LENGTH} tag characters "
            "(letters, digits, spaces and _ . : / = + - @)",
        ),
        variants_node=fields.get("variants"),
    )
    if draft.variants_node is not None:
        for item in read_list(
            draft.variants_node,
            problems,
            allowed=VARIANTS_ALLOWED,
            min_items=MIN_VARIANTS,
            max_items=aws_limits.MAX_TARGET_GROUPS_PER_FORWARD,
        ):
            entry = read_variant_entry(item, problems)
            if entry is not None:
                draft.entries.append(entry)
    return draft
