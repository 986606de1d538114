"""ModelLoadBalancer: ALB, listeners, default actions, security groups, access logs and the web ACL."""

from __future__ import annotations

import dataclasses
import json

import pytest
from cdktf import TerraformStack

from constructs_ab.load_balancer import (
    NOT_FOUND_BODY,
    ListenerDefault,
    ModelLoadBalancer,
    ModelLoadBalancerProps,
)
from constructs_ab.spec.model import AccessLogs, Waf, WafRuleAction
from constructs_ab.spec.waf import SETTABLE_RULES
from constructs_ab.tagging import BaseTags

from .synth_helpers import Doc, empty_stack, logical_id, ref, resource, resources, synth

TAGS = BaseTags(environment="prod", owner="ml-platform", extra=(("cost-center", "ml-serving"),))
CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
FORWARD_TO = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-a/73e2d6bc24d8a067"


def props(name: str, **options: object) -> ModelLoadBalancerProps:
    return ModelLoadBalancerProps(
        name=name,
        vpc_id="vpc-1",
        subnet_ids=("subnet-1", "subnet-2"),
        certificate_arn=CERT,
        allowed_client_cidrs=("203.0.113.0/24", "2001:db8::/32"),
        tags=TAGS,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def doc() -> Doc:
    # GIVEN a public load balancer with every default, an internal one with every option changed,
    # a public one with the WAF turned off and an internal one with a WAF asked for
    def build(stack: TerraformStack) -> None:
        ModelLoadBalancer(stack, "lb-public", props("prod-public", model_server_ports=(8080, 8000, 8080)))
        ModelLoadBalancer(
            stack,
            "lb-internal",
            props(
                "prod-internal",
                internal=True,
                idle_timeout=900,
                deletion_protection=False,
                ssl_policy="ELBSecurityPolicy-TLS13-1-3-2021-06",
                default_action=ListenerDefault.forward(FORWARD_TO),
                access_logs=AccessLogs(bucket="central-alb-logs", prefix="models"),
            ),
        )
        ModelLoadBalancer(stack, "lb-nowaf", props("prod-nowaf", waf=Waf(enabled=False)))
        ModelLoadBalancer(
            stack,
            "lb-internal-waf",
            props(
                "prod-internal-waf",
                internal=True,
                waf=Waf(
                    rate_limit=500,
                    rule_actions=(
                        ("CrossSiteScripting_BODY", WafRuleAction.BLOCK),
                        ("UserAgent_BadBots_HEADER", WafRuleAction.COUNT),
                        ("AnonymousIPList", WafRuleAction.COUNT),
                    ),
                ),
            ),
        )

    return synth(build)


def alb(doc: Doc, lb: str) -> Doc:
    return resource(doc, "aws_lb", f"{lb}/alb")


def test_public_alb_is_secure_by_default(doc: Doc) -> None:
    public = alb(doc, "lb-public")
    assert public["name"] == "prod-public"
    assert public["load_balancer_type"] == "application"
    assert public["internal"] is False
    assert public["enable_deletion_protection"] is True
    assert public["drop_invalid_header_fields"] is True
    assert public["idle_timeout"] == 300
    assert public["subnets"] == ["subnet-1", "subnet-2"]
    assert public["security_groups"] == [
        ref(doc, "aws_security_group", "lb-public/security-groups/load-balancer", "id")
    ]
    assert public["tags"] == {"cost-center": "ml-serving", "environment": "prod", "owner": "ml-platform"}


def test_options_reach_the_alb(doc: Doc) -> None:
    internal = alb(doc, "lb-internal")
    assert (internal["internal"], internal["idle_timeout"], internal["enable_deletion_protection"]) == (
        True,
        900,
        False,
    )
    assert internal["drop_invalid_header_fields"] is True


def test_https_listener_uses_the_tls13_policy_and_the_certificate(doc: Doc) -> None:
    https = resource(doc, "aws_lb_listener", "lb-public/https")
    assert (https["port"], https["protocol"]) == (443, "HTTPS")
    assert https["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["certificate_arn"] == CERT
    assert https["load_balancer_arn"] == ref(doc, "aws_lb", "lb-public/alb", "arn")
    assert (
        resource(doc, "aws_lb_listener", "lb-internal/https")["ssl_policy"]
        == "ELBSecurityPolicy-TLS13-1-3-2021-06"
    )


def test_http_listener_only_redirects_to_https(doc: Doc) -> None:
    http = resource(doc, "aws_lb_listener", "lb-public/http")
    assert (http["port"], http["protocol"]) == (80, "HTTP")
    assert http["default_action"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}
    ]


def test_default_action_is_a_fixed_json_404(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener", "lb-public/https")["default_action"] == [
        {
            "type": "fixed-response",
            "fixed_response": {
                "status_code": "404",
                "content_type": "application/json",
                "message_body": NOT_FOUND_BODY,
            },
        }
    ]
    assert json.loads(NOT_FOUND_BODY)["error"] == "not found"


def test_default_action_can_forward_to_a_target_group(doc: Doc) -> None:
    assert resource(doc, "aws_lb_listener", "lb-internal/https")["default_action"] == [
        {"type": "forward", "target_group_arn": FORWARD_TO}
    ]


def test_clients_reach_only_443_and_80_from_the_allowed_cidrs(doc: Doc) -> None:
    lb_sg = ref(doc, "aws_security_group", "lb-public/security-groups/load-balancer", "id")
    ingress = [
        r
        for r in resources(doc, "aws_vpc_security_group_ingress_rule").values()
        if r["security_group_id"] == lb_sg
    ]
    assert sorted(
        (r["from_port"], r["to_port"], r.get("cidr_ipv4", ""), r.get("cidr_ipv6", "")) for r in ingress
    ) == [
        (80, 80, "", "2001:db8::/32"),
        (80, 80, "203.0.113.0/24", ""),
        (443, 443, "", "2001:db8::/32"),
        (443, 443, "203.0.113.0/24", ""),
    ]
    assert all(r["ip_protocol"] == "tcp" and r["description"] for r in ingress)


def test_load_balancer_sends_only_to_the_model_servers_on_the_variant_ports(doc: Doc) -> None:
    lb_sg = ref(doc, "aws_security_group", "lb-public/security-groups/load-balancer", "id")
    servers_sg = ref(doc, "aws_security_group", "lb-public/security-groups/model-servers", "id")
    egress = [
        r
        for r in resources(doc, "aws_vpc_security_group_egress_rule").values()
        if r["security_group_id"] == lb_sg
    ]
    assert sorted((r["from_port"], r["to_port"], r["referenced_security_group_id"]) for r in egress) == [
        (8000, 8000, servers_sg),
        (8080, 8080, servers_sg),
    ]
    assert not any("cidr_ipv4" in r or "cidr_ipv6" in r for r in egress)
    server_ingress = [
        r
        for r in resources(doc, "aws_vpc_security_group_ingress_rule").values()
        if r["security_group_id"] == servers_sg
    ]
    assert sorted((r["from_port"], r["referenced_security_group_id"]) for r in server_ingress) == [
        (8000, lb_sg),
        (8080, lb_sg),
    ]


def test_security_groups_have_descriptions_and_no_inline_rules(doc: Doc) -> None:
    groups = resources(doc, "aws_security_group")
    assert len(groups) == 8  # two per load balancer
    assert all(g["description"] and "ingress" not in g and "egress" not in g for g in groups.values())
    assert resource(doc, "aws_security_group", "lb-public/security-groups/model-servers")["name"] == (
        "prod-public-model-servers"
    )


def test_access_logs_go_to_a_created_bucket_by_default(doc: Doc) -> None:
    bucket_id = ref(doc, "aws_s3_bucket", "lb-public/access-logs/bucket", "id")
    assert alb(doc, "lb-public")["access_logs"] == {
        "bucket": bucket_id,
        "prefix": "prod-public",
        "enabled": True,
    }
    policy_id = logical_id(doc, "aws_s3_bucket_policy", "lb-public/access-logs/policy")
    assert alb(doc, "lb-public")["depends_on"] == [f"aws_s3_bucket_policy.{policy_id}"]
    bucket = resource(doc, "aws_s3_bucket", "lb-public/access-logs/bucket")
    assert bucket["bucket_prefix"] == "prod-public-logs-"
    assert bucket["force_destroy"] is False


def test_created_log_bucket_is_encrypted_private_versioned_and_expires_logs(doc: Doc) -> None:
    path = "lb-public/access-logs"
    encryption = resource(doc, "aws_s3_bucket_server_side_encryption_configuration", f"{path}/encryption")
    assert encryption["rule"] == [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]
    assert resource(doc, "aws_s3_bucket_versioning", f"{path}/versioning")["versioning_configuration"] == {
        "status": "Enabled"
    }
    block = resource(doc, "aws_s3_bucket_public_access_block", f"{path}/public-access-block")
    assert all(
        block[k] is True
        for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    assert resource(doc, "aws_s3_bucket_ownership_controls", f"{path}/ownership-controls")["rule"] == {
        "object_ownership": "BucketOwnerEnforced"
    }
    (rule,) = resource(doc, "aws_s3_bucket_lifecycle_configuration", f"{path}/lifecycle")["rule"]
    assert rule["status"] == "Enabled"
    assert rule["expiration"] == [{"days": 90}]
    assert rule["noncurrent_version_expiration"] == [{"noncurrent_days": 30}]
    assert rule["abort_incomplete_multipart_upload"] == [{"days_after_initiation": 7}]


def test_log_bucket_policy_lets_only_alb_log_delivery_write_and_denies_plain_http(doc: Doc) -> None:
    document = doc["data"]["aws_iam_policy_document"]
    (policy,) = [p for key, p in document.items() if key.startswith("lb-public_access-logs_")]
    allow, deny = policy["statement"]
    bucket_arn = ref(doc, "aws_s3_bucket", "lb-public/access-logs/bucket", "arn")
    assert allow["effect"] == "Allow"
    (elb_account_id,) = [
        key
        for key in doc["data"]["aws_elb_service_account"]
        if key.startswith("lb-public_access-logs_elb-account_")
    ]
    elb_account = "${data.aws_elb_service_account." + elb_account_id + ".arn}"
    assert allow["principals"] == [
        {"type": "Service", "identifiers": ["logdelivery.elasticloadbalancing.amazonaws.com"]},
        {"type": "AWS", "identifiers": [elb_account]},
    ]
    assert allow["actions"] == ["s3:PutObject"]
    (resource_arn,) = allow["resources"]
    assert resource_arn.startswith(f"{bucket_arn}/prod-public/AWSLogs/${{data.aws_caller_identity.")
    assert deny["effect"] == "Deny"
    assert deny["condition"] == [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]
    assert deny["resources"] == [bucket_arn, f"{bucket_arn}/*"]


def log_writers(doc: Doc, construct: str) -> list[dict[str, object]]:
    document = doc["data"]["aws_iam_policy_document"]
    (policy,) = [p for key, p in document.items() if key.startswith(f"{construct}_access-logs_")]
    return policy["statement"][0]["principals"]


@pytest.fixture(scope="module")
def regional_doc() -> Doc:
    # GIVEN load balancers in a Region opened before August 2022 and in a newer one
    def build(stack: TerraformStack) -> None:
        ModelLoadBalancer(stack, "lb-old-region", props("prod-old-region", region="eu-west-1"))
        ModelLoadBalancer(stack, "lb-new-region", props("prod-new-region", region="mx-central-1"))

    return synth(build)


def test_log_bucket_in_a_region_opened_before_august_2022_lets_the_regions_elb_account_write(
    regional_doc: Doc,
) -> None:
    assert [p["type"] for p in log_writers(regional_doc, "lb-old-region")] == ["Service", "AWS"]


def test_log_bucket_in_a_newer_region_lets_only_the_log_delivery_service_write(regional_doc: Doc) -> None:
    assert log_writers(regional_doc, "lb-new-region") == [
        {"type": "Service", "identifiers": ["logdelivery.elasticloadbalancing.amazonaws.com"]}
    ]
    elb_accounts = regional_doc["data"].get("aws_elb_service_account", {})
    assert [key for key in elb_accounts if key.startswith("lb-new-region_")] == []


def test_a_given_log_bucket_is_used_and_no_bucket_is_created(doc: Doc) -> None:
    assert alb(doc, "lb-internal")["access_logs"] == {
        "bucket": "central-alb-logs",
        "prefix": "models",
        "enabled": True,
    }
    assert not any(key.startswith("lb-internal_") for key in resources(doc, "aws_s3_bucket"))
    assert "depends_on" not in alb(doc, "lb-internal")


def web_acls(doc: Doc) -> dict[str, Doc]:
    return {key.split("_")[0]: acl for key, acl in resources(doc, "aws_wafv2_web_acl").items()}


def test_waf_protects_public_load_balancers_only_unless_asked(doc: Doc) -> None:
    # THEN the default public one and the internal one that asked for it have a web ACL
    assert sorted(web_acls(doc)) == ["lb-internal-waf", "lb-public"]
    associations = resources(doc, "aws_wafv2_web_acl_association")
    assert sorted(a["resource_arn"] for a in associations.values()) == sorted(
        [ref(doc, "aws_lb", "lb-public/alb", "arn"), ref(doc, "aws_lb", "lb-internal-waf/alb", "arn")]
    )


def test_web_acl_rate_limits_per_ip_then_applies_aws_managed_rules(doc: Doc) -> None:
    acl = web_acls(doc)["lb-public"]
    assert acl["scope"] == "REGIONAL"
    assert acl["default_action"] == {"allow": {}}
    rate, *managed = acl["rule"]
    assert rate["statement"] == {
        "rate_based_statement": {"limit": 2000, "aggregate_key_type": "IP", "evaluation_window_sec": 300}
    }
    assert rate["action"] == {"block": {}}
    assert [r["statement"]["managed_rule_group_statement"]["name"] for r in managed] == [
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ]
    assert [r["priority"] for r in acl["rule"]] == [0, 1, 2, 3, 4]
    assert all(r["override_action"] == {"none": {}} for r in managed)
    assert all(r["visibility_config"]["cloudwatch_metrics_enabled"] is True for r in acl["rule"])
    # prompts look like scripts and paths, some SDKs send no User-Agent: those rules only count
    common = managed[2]["statement"]["managed_rule_group_statement"]
    assert common["rule_action_override"] == [
        {"name": rule, "action_to_use": {"count": {}}}
        for rule in (
            "NoUserAgent_HEADER",
            "SizeRestrictions_BODY",
            "EC2MetaDataSSRF_BODY",
            "GenericLFI_BODY",
            "GenericRFI_BODY",
            "CrossSiteScripting_BODY",
        )
    ]
    anonymous = managed[1]["statement"]["managed_rule_group_statement"]
    assert anonymous["rule_action_override"] == [
        {"name": "HostingProviderIPList", "action_to_use": {"count": {}}}
    ]
    assert "rule_action_override" not in managed[0]["statement"]["managed_rule_group_statement"]
    assert "rule_action_override" not in managed[3]["statement"]["managed_rule_group_statement"]
    assert web_acls(doc)["lb-internal-waf"]["rule"][0]["statement"]["rate_based_statement"]["limit"] == 500


def test_each_managed_rule_action_is_set_per_rule(doc: Doc) -> None:
    # GIVEN waf.rule_actions: CrossSiteScripting_BODY blocks, UserAgent_BadBots_HEADER and AnonymousIPList count
    _, _, anonymous, common, _ = web_acls(doc)["lb-internal-waf"]["rule"]
    overrides = {
        group["statement"]["managed_rule_group_statement"]["name"]: [
            o["name"] for o in group["statement"]["managed_rule_group_statement"]["rule_action_override"]
        ]
        for group in (anonymous, common)
    }
    # THEN the other defaults still count, in AWS's order; the blocked one is left to the group's block
    assert overrides == {
        "AWSManagedRulesAnonymousIpList": ["AnonymousIPList", "HostingProviderIPList"],
        "AWSManagedRulesCommonRuleSet": [
            "NoUserAgent_HEADER",
            "UserAgent_BadBots_HEADER",
            "SizeRestrictions_BODY",
            "EC2MetaDataSSRF_BODY",
            "GenericLFI_BODY",
            "GenericRFI_BODY",
        ],
    }


def test_web_acl_logs_to_an_encrypted_log_group_with_authorization_redacted(doc: Doc) -> None:
    logging = resource(doc, "aws_wafv2_web_acl_logging_configuration", "lb-public/waf/logging")
    assert logging["resource_arn"] == ref(doc, "aws_wafv2_web_acl", "lb-public/waf/web-acl", "arn")
    assert logging["log_destination_configs"] == [
        ref(doc, "aws_cloudwatch_log_group", "lb-public/waf/log-group", "arn")
    ]
    assert logging["redacted_fields"] == [{"single_header": {"name": "authorization"}}]
    group = resource(doc, "aws_cloudwatch_log_group", "lb-public/waf/log-group")
    assert group["name"] == "aws-waf-logs-prod-public"
    assert group["retention_in_days"] == 365
    assert group["kms_key_id"] == ref(doc, "aws_kms_key", "lb-public/waf/log-key", "arn")
    key = resource(doc, "aws_kms_key", "lb-public/waf/log-key")
    assert key["enable_key_rotation"] is True
    statements = json.loads(key["policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["AccountAdministersKey", "CloudWatchLogsEncryptsWafLogs"]


LOAD_BALANCER_FAILS = [
    (
        "a name over 32 characters",
        {"name": "prod-" + "x" * 28},
        "ModelLoadBalancerProps.name: 'prod-" + "x" * 28 + "' is not a valid load balancer name; a load "
        "balancer name is 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        "a name starting with internal-",
        {"name": "internal-models"},
        "ModelLoadBalancerProps.name: 'internal-models' starts with 'internal-', which AWS reserves",
    ),
    (
        "one subnet",
        {"subnet_ids": ("subnet-1",)},
        "ModelLoadBalancerProps.subnet_ids: 1 subnet(s); a load balancer needs at least 2, in different "
        "Availability Zones",
    ),
    (
        "an idle timeout over 4000 s",
        {"idle_timeout": 4001},
        "ModelLoadBalancerProps.idle_timeout: 4001 is out of range; an idle timeout is 1 to 4000 s",
    ),
    (
        "a client range that is not a CIDR",
        {"allowed_client_cidrs": ("10.0.0.0/8", "everyone")},
        "ModelLoadBalancerProps.allowed_client_cidrs[1]: 'everyone' is not a CIDR; an allowed client range is "
        "a CIDR, e.g. 10.0.0.0/8",
    ),
    (
        "a model server port 0",
        {"model_server_ports": (0,)},
        "ModelLoadBalancerProps.model_server_ports[0]: 0 is out of range; a port is an integer from 1 to 65535",
    ),
    (
        "a WAF rate limit under 10",
        {"waf": Waf(rate_limit=5)},
        "ModelLoadBalancerProps.waf.rate_limit: 5 is out of range; a rate limit is 10 to 2000000000 requests "
        "per 5 minutes",
    ),
    (
        "a WAF rule that is not a settable managed rule",
        {"waf": Waf(rule_actions=(("CrossSiteScripting_Body", WafRuleAction.BLOCK),))},
        'ModelLoadBalancerProps.waf.rule_actions.CrossSiteScripting_Body: "CrossSiteScripting_Body" is not a '
        'managed rule whose action can be set; did you mean "CrossSiteScripting_BODY"? rules: '
        + ", ".join(SETTABLE_RULES),
    ),
]


@pytest.mark.parametrize(
    ("case", "changes", "message"), LOAD_BALANCER_FAILS, ids=[f[0] for f in LOAD_BALANCER_FAILS]
)
def test_fails_at_construction_naming_the_prop(case: str, changes: dict[str, object], message: str) -> None:
    stack = empty_stack()
    with pytest.raises(ValueError) as raised:
        ModelLoadBalancer(stack, "lb-public", dataclasses.replace(props("prod-public"), **changes))  # type: ignore[arg-type]
    assert str(raised.value) == message
    assert stack.node.children == []
