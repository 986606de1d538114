"""The WAF of a load balancer: its model (rate limit, the action of each managed rule the spec may set),
rules, reading and checks.

AWS's managed rule groups block what looks like an attack on a web application. Model inference is not
one: a prompt is often a long body that quotes code, HTML or file paths, and some SDK clients send no
User-Agent. So the common rule set's body rules (body size over 8 KB, cross-site scripting, local and
remote file inclusion, EC2 metadata requests in the body), its NoUserAgent rule and the anonymous IP
list's hosting-provider rule (API clients that run in a cloud) only count by default: WAF records and
labels the requests they match and lets them through. Each rule of the common rule set and of the
anonymous IP list can be set to `count` or `block` in the spec (`waf.rule_actions`).

See: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
and  https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from constructs_ab import aws_limits
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems, child_of_map
from constructs_ab.spec.rules import Boolean, Integer, Rule, check_fields, defaults_of
from constructs_ab.spec.values import describe, listing, show, suggestion

#: Requests per 5 minutes from one client IP before the WAF rate rule blocks it.
DEFAULT_WAF_RATE_LIMIT = 2000

COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
ANONYMOUS_IP_LIST = "AWSManagedRulesAnonymousIpList"


class WafRuleAction(enum.StrEnum):
    """What a managed rule does with a request it matches: `block` it (AWS's action for every rule here)
    or only `count` it (WAF records and labels the request and lets it through)."""

    COUNT = "count"
    BLOCK = "block"


#: The managed rules whose action the spec may set, each with its rule group, in AWS's documentation order.
SETTABLE_RULES: dict[str, str] = {
    **{
        rule: COMMON_RULE_SET
        for rule in (
            "NoUserAgent_HEADER",
            "UserAgent_BadBots_HEADER",
            "SizeRestrictions_QUERYSTRING",
            "SizeRestrictions_Cookie_HEADER",
            "SizeRestrictions_BODY",
            "SizeRestrictions_URIPATH",
            "EC2MetaDataSSRF_BODY",
            "EC2MetaDataSSRF_COOKIE",
            "EC2MetaDataSSRF_URIPATH",
            "EC2MetaDataSSRF_QUERYARGUMENTS",
            "GenericLFI_QUERYARGUMENTS",
            "GenericLFI_URIPATH",
            "GenericLFI_BODY",
            "RestrictedExtensions_URIPATH",
            "RestrictedExtensions_QUERYARGUMENTS",
            "GenericRFI_QUERYARGUMENTS",
            "GenericRFI_BODY",
            "GenericRFI_URIPATH",
            "CrossSiteScripting_COOKIE",
            "CrossSiteScripting_QUERYARGUMENTS",
            "CrossSiteScripting_BODY",
            "CrossSiteScripting_URIPATH",
        )
    },
    "AnonymousIPList": ANONYMOUS_IP_LIST,
    "HostingProviderIPList": ANONYMOUS_IP_LIST,
}
#: The rules that only count unless the spec says `block`: the common rule set's body rules and its
#: NoUserAgent rule (prompts and SDK clients), the hosting-provider IP list (clients that run in a cloud).
DEFAULT_COUNT_RULES = (
    "NoUserAgent_HEADER",
    "SizeRestrictions_BODY",
    "EC2MetaDataSSRF_BODY",
    "GenericLFI_BODY",
    "GenericRFI_BODY",
    "CrossSiteScripting_BODY",
    "HostingProviderIPList",
)
ACTIONS = frozenset(action.value for action in WafRuleAction)
RULE_ACTIONS_ALLOWED = "rule_actions is a map from a managed rule's name to count or block, e.g. {CrossSiteScripting_BODY: block}"
ACTION_ALLOWED = "a rule action is count or block"


@dataclass(frozen=True, kw_only=True)
class Waf:
    """WAFv2 web ACL with AWS managed rules and a per-IP rate limit.

    enabled: Default True. The spec loader turns it off for an internal load balancer whose spec does not
        set `waf.enabled` (an internal load balancer is not reachable from the internet).
    rate_limit: requests per 5 minutes from one IP before it is blocked, 10..2000000000. Default 2000.
    rule_actions: (rule, action) for the managed rules set in the spec, each a key of `SETTABLE_RULES`.
        Default none: the rules of `DEFAULT_COUNT_RULES` count, every other rule blocks.
    """

    enabled: bool = True
    rate_limit: int = DEFAULT_WAF_RATE_LIMIT
    rule_actions: tuple[tuple[str, WafRuleAction], ...] = ()

    def action_of(self, rule: str) -> WafRuleAction:
        """What rule `rule` does: as the spec sets it, else count for `DEFAULT_COUNT_RULES`, else block."""
        given = dict(self.rule_actions)
        if rule in given:
            return WafRuleAction(given[rule])
        return WafRuleAction.COUNT if rule in DEFAULT_COUNT_RULES else WafRuleAction.BLOCK

    @property
    def count_only_rules(self) -> tuple[tuple[str, str], ...]:
        """(rule group, rule) of every rule that only counts, in `SETTABLE_RULES` order."""
        return tuple(
            (group, rule)
            for rule, group in SETTABLE_RULES.items()
            if self.action_of(rule) is WafRuleAction.COUNT
        )


#: The plain fields, in the order they are read.
RULES: dict[str, Rule] = {
    "enabled": Boolean.named("enabled"),
    "rate_limit": Integer.between(
        "rate_limit",
        aws_limits.MIN_WAF_RATE_LIMIT,
        aws_limits.MAX_WAF_RATE_LIMIT,
        "requests per 5 minutes from one client IP",
    ),
}
KEYS = ("enabled", "rate_limit", "rule_actions")


def unknown_rule(rule: str) -> str:
    """The message for a rule name that is not in `SETTABLE_RULES`."""
    return (
        f"{show(rule)} is not a managed rule whose action can be set; {suggestion(rule, list(SETTABLE_RULES))}"
        f"rules: {listing(SETTABLE_RULES)}"
    )


def _read_action(node: Node, problems: Problems) -> WafRuleAction | None:
    if isinstance(node.value, str) and node.value in ACTIONS:
        return WafRuleAction(node.value)
    what = f"{show(node.value)} is not a rule action" if isinstance(node.value, str) else describe(node.value)
    problems.add(node, f"{what}; {ACTION_ALLOWED}")
    return None


def _read_rule_actions(node: Node | None, problems: Problems) -> tuple[tuple[str, WafRuleAction], ...]:
    if node is None:
        return ()
    if not isinstance(node.value, Mapping):
        problems.add(node, f"{describe(node.value)}; {RULE_ACTIONS_ALLOWED}")
        return ()
    found = []
    for rule in node.value:
        if not isinstance(rule, str):
            problems.add(node, f"the rule {show(rule)} is not text; {RULE_ACTIONS_ALLOWED}")
            continue
        value = child_of_map(node, rule)
        if rule not in SETTABLE_RULES:
            problems.add(value, unknown_rule(rule))
            continue
        action = _read_action(value, problems)
        if action is not None:
            found.append((rule, action))
    return tuple(found)


def read_waf(node: Node | None, problems: Problems, *, enabled: bool) -> Waf:
    """The `waf` map of a load balancer; `enabled`: the default of `enabled` (off on an internal one)."""
    if node is None:
        return Waf(enabled=enabled)
    fields = Fields(node, problems, what="waf", keys=KEYS)
    plain = fields.read_all(RULES, {**defaults_of(Waf), "enabled": enabled})
    return Waf(**plain, rule_actions=_read_rule_actions(fields.get("rule_actions"), problems))


def check_waf(checks: Checks, waf: Waf, path: FieldPath) -> None:
    """The fields of `waf` (a spec built in Python too): plain fields in range, each rule of
    `rule_actions` settable, set once, to count or block."""
    check_fields(checks, waf, path, RULES)
    seen: set[str] = set()
    for rule, action in waf.rule_actions:
        where = path.key("rule_actions").key(rule)
        if rule not in SETTABLE_RULES:
            checks.error(where, unknown_rule(rule))
        elif rule in seen:
            checks.error(where, f"rule {rule} is set twice; set each rule once")
        elif action not in ACTIONS:
            checks.error(where, f"{show(action)} is not a rule action; {ACTION_ALLOWED}")
        seen.add(rule)
