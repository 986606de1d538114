"""A WAFv2 web ACL for a public model load balancer: AWS managed rules plus a per-IP rate limit.

Model inference is expensive, so the first rule blocks any client IP that sends more than
`rate_limit` requests in 5 minutes. Then the AWS managed rule groups: the Amazon IP reputation list,
anonymous IPs (Tor, anonymizing proxies), the common rule set (OWASP-style protections) and known
bad inputs (Log4j and similar exploits).
Requests are logged to an encrypted CloudWatch log group, with the Authorization header redacted.

See: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
and  https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs import Construct

from constructs_ab import aws_names
from constructs_ab import provider as aws
from constructs_ab.account_context import AccountContext
from constructs_ab.encryption_key import cloudwatch_logs_key
from constructs_ab.spec.model import DEFAULT_WAF_RATE_LIMIT, Waf
from constructs_ab.tagging import BaseTags

#: AWS managed rule groups, in evaluation order after the rate limit.
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesAnonymousIpList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
#: (rule group, rule) pairs switched to count only by default (`spec.waf.DEFAULT_COUNT_RULES`): the common
#: rule set's body rules (size over 8 KB, cross-site scripting, file inclusion, EC2 metadata requests in a
#: body: prompts often look like that) and its NoUserAgent rule (some SDK clients send none), and
#: HostingProviderIPList (API clients that run in a cloud).
DEFAULT_COUNT_ONLY_RULES = Waf().count_only_rules
#: WAF requires the log group name to start with this.
WAF_LOG_GROUP_PREFIX = aws_names.WAF_LOG_GROUP_PREFIX
#: Rate-based rules count requests over this window, seconds.
RATE_WINDOW_SECONDS = 300


@dataclass(frozen=True, kw_only=True)
class ModelWebAclProps:
    """Properties of a `ModelWebAcl`.

    name: the web ACL name, e.g. the load balancer name; also the metric name prefix.
    resource_arn: ARN of the load balancer the web ACL is associated with.
    tags: environment, owner and extra tags.
    rate_limit: requests per 5 minutes from one client IP before it is blocked, 10..2,000,000,000.
        Default 2000.
    count_only_rules: (rule group, rule) pairs of the managed rule groups that only count instead
        of blocking. Default `DEFAULT_COUNT_ONLY_RULES`: the common rule set's body rules and
        NoUserAgent_HEADER, and HostingProviderIPList of the anonymous IP list (`Waf.count_only_rules`
        gives the pairs of a spec's `waf.rule_actions`).
    log_retention_days: days the WAF logs are kept in CloudWatch Logs. Default 365.
    """

    name: str
    resource_arn: str
    tags: BaseTags
    rate_limit: int = DEFAULT_WAF_RATE_LIMIT
    count_only_rules: tuple[tuple[str, str], ...] = DEFAULT_COUNT_ONLY_RULES
    log_retention_days: int = 365


def _visibility(metric_name: str) -> aws.Wafv2WebAclRuleVisibilityConfig:
    return aws.Wafv2WebAclRuleVisibilityConfig(
        cloudwatch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=metric_name
    )


class ModelWebAcl(Construct):
    """A regional WAFv2 web ACL associated with a load balancer, with logging.

    Children: `web_acl`, `association`, `log_key` (KMS key of the log group), `log_group`,
    `logging`.
    """

    web_acl: aws.Wafv2WebAcl

    def __init__(self, scope: Construct, id: str, props: ModelWebAclProps) -> None:
        super().__init__(scope, id)
        tags = props.tags.as_dict()
        rules = [
            aws.Wafv2WebAclRule(
                name="rate-limit-per-ip",
                priority=0,
                action=aws.Wafv2WebAclRuleAction(block=aws.Wafv2WebAclRuleActionBlock()),
                statement=_rate_based_statement(props.rate_limit),
                visibility_config=_visibility(f"{props.name}-rate-limit-per-ip"),
            )
        ]
        for priority, group in enumerate(MANAGED_RULE_GROUPS, start=1):
            count_only = tuple(rule for owner, rule in props.count_only_rules if owner == group)
            rules.append(
                aws.Wafv2WebAclRule(
                    name=group,
                    priority=priority,
                    override_action=aws.Wafv2WebAclRuleOverrideAction(
                        none=aws.Wafv2WebAclRuleOverrideActionNone()
                    ),
                    statement=_managed_rule_group_statement(group, count_only),
                    visibility_config=_visibility(f"{props.name}-{group}"),
                )
            )
        self.web_acl = aws.Wafv2WebAcl(
            self,
            "web-acl",
            name=aws_names.web_acl_name(props.name),
            description=f"Rate limit and AWS managed rules for load balancer {props.name}",
            scope="REGIONAL",
            default_action=aws.Wafv2WebAclDefaultAction(allow=aws.Wafv2WebAclDefaultActionAllow()),
            rule=rules,
            visibility_config=aws.Wafv2WebAclVisibilityConfig(
                cloudwatch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=props.name
            ),
            tags=tags,
        )
        self.association = aws.Wafv2WebAclAssociation(
            self, "association", resource_arn=props.resource_arn, web_acl_arn=self.web_acl.arn
        )

        log_group_name = aws_names.waf_log_group_name(props.name)
        self.log_key = cloudwatch_logs_key(
            self,
            "log-key",
            description=f"Encrypts the WAF logs of {props.name}",
            sid="CloudWatchLogsEncryptsWafLogs",
            log_groups=AccountContext.of(self).log_group_arn(log_group_name),
            tags=tags,
        )
        self.log_group = aws.CloudwatchLogGroup(
            self,
            "log-group",
            name=log_group_name,
            retention_in_days=props.log_retention_days,
            kms_key_id=self.log_key.arn,
            tags=tags,
        )
        self.logging = aws.Wafv2WebAclLoggingConfiguration(
            self,
            "logging",
            resource_arn=self.web_acl.arn,
            log_destination_configs=[self.log_group.arn],
            redacted_fields=[
                aws.Wafv2WebAclLoggingConfigurationRedactedFields(
                    single_header=aws.Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader(
                        name="authorization"
                    )
                )
            ],
        )


def _rate_based_statement(limit: int) -> dict[str, Any]:
    # The provider bindings type `statement` as Any (the block nests too deep to generate), so it is
    # given in Terraform's own shape.
    return {
        "rate_based_statement": {
            "limit": limit,
            "aggregate_key_type": "IP",
            "evaluation_window_sec": RATE_WINDOW_SECONDS,
        }
    }


def _managed_rule_group_statement(name: str, count_only: tuple[str, ...]) -> dict[str, Any]:
    statement: dict[str, Any] = {"name": name, "vendor_name": "AWS"}
    if count_only:
        statement["rule_action_override"] = [
            {"name": rule, "action_to_use": {"count": {}}} for rule in count_only
        ]
    return {"managed_rule_group_statement": statement}
