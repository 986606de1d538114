"""One test per validation rule: a valid spec with one field changed gives exactly one problem, with this
exact path and message.

Each row: (field changed, as a dotted path with list indexes; new value or DELETE; expected problem path;
expected message).
"""

from __future__ import annotations

from typing import Any

import pytest

from constructs_ab.spec.waf import SETTABLE_RULES

from .spec_builders import DELETE, ENV, EXP, LB, base_spec, changed, problems_of

RULES: list[tuple[str, Any, str, str]] = [
    ("version", 2, "version", "2 is not a supported version; this tool reads version: 1"),
    ("version", True, "version", "true is not a supported version; this tool reads version: 1"),
    ("version", DELETE, "version", "missing; write version: 1 at the top of the spec"),
    (
        "environments",
        {},
        "environments",
        "no environment is given; environments maps an environment name (e.g. staging, prod) to its settings",
    ),
    (
        "environments.prod.region",
        "eu-west1",
        ENV + ".region",
        '"eu-west1" is not an AWS region; region is an AWS region such as eu-west-1',
    ),
    (
        "environments.prod.region",
        DELETE,
        ENV + ".region",
        "missing; region is an AWS region such as eu-west-1",
    ),
    (
        "environments.prod.vpc_id",
        "vpc-12",
        ENV + ".vpc_id",
        '"vpc-12" is not a VPC id; vpc_id is vpc- and 8 or 17 hexadecimal digits, e.g. vpc-0a1b2c3d4e5f67890',
    ),
    (
        "environments.prod.subnet_ids",
        ["subnet-0a1b2c3d4e5f60001"],
        ENV + ".subnet_ids",
        "1 item given; subnet_ids lists at least 2 subnet ids (subnet- and 8 or 17 hexadecimal digits) in different Availability Zones",
    ),
    (
        "environments.prod.subnet_ids.1",
        "sub-1",
        ENV + ".subnet_ids[1]",
        '"sub-1" is not a subnet id; subnet_ids lists at least 2 subnet ids (subnet- and 8 or 17 hexadecimal digits) in different Availability Zones',
    ),
    (
        "environments.prod.certificate_arn",
        "arn:aws:iam::123456789012:server-certificate/x",
        ENV + ".certificate_arn",
        '"arn:aws:iam::123456789012:server-certificate/x" is not an ACM certificate ARN; certificate_arn is an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>',
    ),
    (
        "environments.prod.certificate_arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        ENV + ".certificate_arn",
        "the certificate is in region us-east-1, not in eu-west-1; a load balancer needs an ACM certificate of its own region",
    ),
    (
        "environments.prod.allowed_client_cidrs",
        ["10.0.0.1/8"],
        ENV + ".allowed_client_cidrs[0]",
        '"10.0.0.1/8" has host bits set (the network is 10.0.0.0/8); allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] (0.0.0.0/0 for a public API)',
    ),
    (
        "environments.prod.allowed_client_cidrs",
        ["10.0.0.1"],
        ENV + ".allowed_client_cidrs[0]",
        '"10.0.0.1" has no prefix length; allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] (0.0.0.0/0 for a public API)',
    ),
    (
        "environments.prod.allowed_client_cidrs",
        ["::/0"],
        ENV + ".allowed_client_cidrs[0]",
        '"::/0" is not an IPv4 CIDR block; allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] (0.0.0.0/0 for a public API)',
    ),
    (
        "environments.prod.allowed_client_cidrs",
        [],
        ENV + ".allowed_client_cidrs",
        "0 items given; allowed_client_cidrs lists IPv4 CIDR blocks with no host bits set, e.g. [10.0.0.0/8] (0.0.0.0/0 for a public API)",
    ),
    (
        "environments.prod.owner",
        "a#b",
        ENV + ".owner",
        '"a#b" has a character not allowed in a tag; owner is a team name of at most 256 tag characters (letters, digits, spaces and _ . : / = + - @)',
    ),
    (
        "environments.prod.tags",
        {"aws:x": "y"},
        ENV + ".tags.aws:x",
        'the key "aws:x" starts with aws:; a tag key is 1 to 128 characters (letters, digits, spaces and _ . : / = + - @), not starting with aws:',
    ),
    (
        "environments.prod.tags",
        {"owner": "y"},
        ENV + ".tags.owner",
        'the key "owner" is set by constructs_ab on every resource; remove it (tags environment, owner, experiment, variant, model, ab-role, paused-variants, ab-max-step, ab-override-header are reserved; set owner with the owner field)',
    ),
    (
        "environments.prod.tags",
        {"k": 5},
        ENV + ".tags.k",
        "5 is an integer; a tag value is text of at most 256 characters (letters, digits, spaces and _ . : / = + - @; quote numbers)",
    ),
    (
        "environments.prod.tags",
        {"k": "a" * 257},
        ENV + ".tags.k",
        '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is 257 characters long; a tag value is text of at most 256 characters (letters, digits, spaces and _ . : / = + - @; quote numbers)',
    ),
    (
        "environments.prod.regoin",
        "x",
        ENV + ".regoin",
        '"regoin" is not a known key; did you mean "region"? An environment has the keys region, vpc_id, subnet_ids, certificate_arn, allowed_client_cidrs, owner, tags, state, alarm_topic_per_experiment, stacks, load_balancers, experiments',
    ),
    (
        "environments.prod.state",
        {"bucket": "Bad_Bucket", "key": "k"},
        ENV + ".state.bucket",
        '"Bad_Bucket" is not an S3 bucket name; bucket is the S3 bucket of the Terraform state; an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens',
    ),
    (
        "environments.prod.state",
        {"bucket": "state-bucket"},
        ENV + ".state.key",
        "missing; key is the state object's key, e.g. ab-models/prod.tfstate",
    ),
    (
        "environments.prod.load_balancers.public",
        {"idle_timeout": 0},
        LB + ".idle_timeout",
        "0 is out of range; idle_timeout is an integer from 1 to 4000 (seconds)",
    ),
    (
        "environments.prod.load_balancers.public",
        {"idle_timeout": 4001},
        LB + ".idle_timeout",
        "4001 is out of range; idle_timeout is an integer from 1 to 4000 (seconds)",
    ),
    (
        "environments.prod.load_balancers.public",
        {"internal": "yes"},
        LB + ".internal",
        '"yes" is text; internal is true or false',
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rate_limit": 9}},
        LB + ".waf.rate_limit",
        "9 is out of range; rate_limit is an integer from 10 to 2000000000 (requests per 5 minutes from one client IP)",
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rule_actions": {"CrossSiteScripting_Body": "block"}}},
        LB + ".waf.rule_actions.CrossSiteScripting_Body",
        '"CrossSiteScripting_Body" is not a managed rule whose action can be set; did you mean '
        '"CrossSiteScripting_BODY"? rules: ' + ", ".join(SETTABLE_RULES),
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rule_actions": {"NoUserAgent_HEADER": "allow"}}},
        LB + ".waf.rule_actions.NoUserAgent_HEADER",
        '"allow" is not a rule action; a rule action is count or block',
    ),
    (
        "environments.prod.load_balancers.public",
        {"waf": {"rule_actions": ["NoUserAgent_HEADER"]}},
        LB + ".waf.rule_actions",
        "a list is given; rule_actions is a map from a managed rule's name to count or block, e.g. "
        "{CrossSiteScripting_BODY: block}",
    ),
    (
        "environments.prod.load_balancers.public",
        {"max_rules": 99},
        LB + ".max_rules",
        "99 is out of range; max_rules is the rule quota your account was granted, an integer from 100 (the AWS default) to 50000",
    ),
    (
        "environments.prod.load_balancers.public",
        {"default_action": "fixed-403"},
        LB + ".default_action",
        '"fixed-403" is not a default action; default_action is fixed-404 or {forward: <variant>}',
    ),
    (
        "environments.prod.load_balancers.public",
        {"default_action": {"forward": "c"}},
        LB + ".default_action.forward",
        '"c" is not a variant of an experiment on load balancer public; default_action forwards to one of: a, b',
    ),
    (
        "environments.prod.load_balancers.public",
        {"ssl_policy": "ELBSecurityPolicy-2016-08"},
        LB + ".ssl_policy",
        '"ELBSecurityPolicy-2016-08" is not a TLS 1.2+ policy; ssl_policy is an ELB security policy that allows TLS 1.2 and newer only, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06 or ELBSecurityPolicy-FS-1-2-Res-2020-10',
    ),
    (
        "environments.prod.load_balancers.public",
        {"access_logs": {"prefix": "/logs"}},
        LB + ".access_logs.prefix",
        '"/logs" starts or ends with /; prefix is a key prefix without a leading or trailing / and without "AWSLogs"',
    ),
    (
        "environments.prod.load_balancers.Public",
        {},
        ENV + ".load_balancers.Public",
        'the load balancer name "Public" is not a valid name; a name is lowercase letters, digits and hyphens, not starting or ending with a hyphen',
    ),
    (
        "environments.prod.experiments.0.name",
        "Exp_1",
        ENV + ".experiments[0] (Exp_1).name",
        '"Exp_1" is not a valid name; a name is lowercase letters, digits and hyphens, not starting or ending with a hyphen',
    ),
    (
        "environments.prod.experiments.0.load_balancer",
        "pubic",
        EXP + ".load_balancer",
        '"pubic" is not a load balancer of environment prod; did you mean "public"? load balancers: public',
    ),
    (
        "environments.prod.experiments.0.priority",
        0,
        EXP + ".priority",
        "0 is out of range; a priority is an integer from 1 to 50000",
    ),
    (
        "environments.prod.experiments.0.priority",
        49999,
        EXP + ".priority",
        "49999 is too high: experiment exp reserves 6 priorities (49999-50004: its override rules from 49999, the split at 50004); priorities go up to 50000, so give it at most 49995",
    ),
    (
        "environments.prod.experiments.0.priority",
        "100",
        EXP + ".priority",
        '"100" is text; a priority is an integer from 1 to 50000',
    ),
    (
        "environments.prod.experiments.0.match",
        {},
        EXP + ".match",
        "the match is empty; give at least one of paths, hosts, headers, query, source_ips or methods (an experiment without conditions would take every request)",
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["abtest"]},
        EXP + ".match.paths[0]",
        '"abtest" does not start with /; paths is a list of path patterns starting with / of at most 128 characters (A-Z a-z 0-9 _ - . $ / ~ " \' @ : + &, wildcards * and ?), e.g. ["/abtest", "/abtest/*"]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["/" + "a" * 128]},
        EXP + ".match.paths[0]",
        '"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is 129 characters long; paths is a list of path patterns starting with / of at most 128 characters (A-Z a-z 0-9 _ - . $ / ~ " \' @ : + &, wildcards * and ?), e.g. ["/abtest", "/abtest/*"]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["/a b"]},
        EXP + ".match.paths[0]",
        '"/a b" has a character not allowed in a path pattern; paths is a list of path patterns starting with / of at most 128 characters (A-Z a-z 0-9 _ - . $ / ~ " \' @ : + &, wildcards * and ?), e.g. ["/abtest", "/abtest/*"]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"hosts": ["localhost"]},
        EXP + ".match.hosts[0]",
        '"localhost" is not a host name; hosts is a list of host names of at most 128 characters (letters, digits, - . and wildcards * ?), e.g. ["api.example.com"]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"methods": ["post"]},
        EXP + ".match.methods[0]",
        '"post" is not an HTTP method; methods is a list of HTTP methods: uppercase letters, - and _, at most 40 characters, e.g. [POST]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"source_ips": ["10.0.0.1/8"]},
        EXP + ".match.source_ips[0]",
        '"10.0.0.1/8" has host bits set (the network is 10.0.0.0/8); source_ips is a list of CIDR blocks with no host bits set, e.g. ["10.0.0.0/8"]',
    ),
    (
        "environments.prod.experiments.0.match",
        {"headers": {"X Bad": "v"}},
        EXP + '.match.headers["X Bad"]',
        '"X Bad" is not a valid HTTP header name; a header name is at most 40 token characters (letters, digits, !#$%&\'*+-.^_`|~)',
    ),
    (
        "environments.prod.experiments.0.match",
        {"headers": {"X-Model-Variant": "v"}},
        EXP + ".match.headers.X-Model-Variant",
        '"X-Model-Variant" is also the override header; the override rules add their own condition on it: match on another header, or change override.header',
    ),
    (
        "environments.prod.experiments.0.match",
        {"query": {"v": 1}},
        EXP + ".match.query.v",
        '1 is an integer; a query key or value is text of at most 128 printable ASCII characters (quote numbers: "1")',
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["/a", "/b", "/c", "/d", "/e"]},
        EXP + ".match",
        "the rules of experiment exp have 6 condition values (5 in match + 1 for the override header); a rule has at most 5 condition values (AWS quota): remove values, use wildcards, or turn the override off",
    ),
    (
        "environments.prod.experiments.0.match",
        {"paths": ["/a*", "/b*", "/c*"], "hosts": ["*.x.com", "?.y.com"]},
        EXP + ".match",
        "the rules of experiment exp have 6 condition values (5 in match + 1 for the override header); a rule has at most 5 condition values (AWS quota): remove values, use wildcards, or turn the override off",
    ),
    (
        "environments.prod.experiments.0.stickiness",
        0,
        EXP + ".stickiness",
        "0 is out of range; stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with s, m, h or d (45s, 30m, 1h, 7d)",
    ),
    (
        "environments.prod.experiments.0.stickiness",
        604801,
        EXP + ".stickiness",
        "604801 is out of range; stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with s, m, h or d (45s, 30m, 1h, 7d)",
    ),
    (
        "environments.prod.experiments.0.stickiness",
        "8d",
        EXP + ".stickiness",
        '"8d" is out of range (691200 s); stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with s, m, h or d (45s, 30m, 1h, 7d)',
    ),
    (
        "environments.prod.experiments.0.stickiness",
        "2w",
        EXP + ".stickiness",
        '"2w" is not a duration; stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with s, m, h or d (45s, 30m, 1h, 7d)',
    ),
    (
        "environments.prod.experiments.0.stickiness",
        True,
        EXP + ".stickiness",
        "true is a boolean; stickiness is off (or false), or a duration from 1 second to 7 days: seconds (3600) or a number with s, m, h or d (45s, 30m, 1h, 7d)",
    ),
    (
        "environments.prod.experiments.0.override",
        "yes",
        EXP + ".override",
        '"yes" is text; override is true, false or {enabled: true|false, header: <name>, source_ips: [<CIDR>, ...], public: true|false} (default: on, header X-Model-Variant)',
    ),
    (
        "environments.prod.experiments.0.override",
        {"header": "X Variant"},
        EXP + ".override.header",
        '"X Variant" is not a valid HTTP header name; the override header is a header name of at most 40 letters, digits and + - . _ (it is also written in the split rule\'s ab-override-header tag)',
    ),
    (
        "environments.prod.experiments.0.override",
        {"header": "X-Variant!"},
        EXP + ".override.header",
        '"X-Variant!" has a character a tag value cannot hold; the override header is a header name of at most 40 letters, digits and + - . _ (it is also written in the split rule\'s ab-override-header tag)',
    ),
    (
        "environments.prod.experiments.0.variants",
        [{"name": "a", "model": "m:1", "weight": 1}],
        EXP + ".variants",
        "1 item given; an experiment has 2 to 5 variants (a forward action lists at most 5 target groups)",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        1000,
        EXP + ".variants[1] (b).weight",
        "1000 is out of range; a weight is an integer from 0 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        -1,
        EXP + ".variants[1] (b).weight",
        "-1 is out of range; a weight is an integer from 0 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        True,
        EXP + ".variants[1] (b).weight",
        "true is a boolean; a weight is an integer from 0 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        20.5,
        EXP + ".variants[1] (b).weight",
        "20.5 is a decimal number; a weight is an integer from 0 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        0,
        EXP + ".variants[1] (b).weight",
        "0 takes no traffic but the variant is not paused; mark it `paused: true` to keep it at weight 0, or give it a weight from 1 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.paused",
        True,
        EXP + ".variants[1] (b).weight",
        "20 sends traffic to a paused variant; a paused variant has weight 0 (or remove `paused: true`)",
    ),
    (
        "environments.prod.experiments.0.variants.1.weight",
        DELETE,
        EXP + ".variants[1] (b).weight",
        "missing; a weight is an integer from 0 to 999",
    ),
    (
        "environments.prod.experiments.0.variants.1.name",
        "a-very-long-variant-name-for-tg",
        EXP + ".variants[1] (a-very-long-variant-name-for-tg).name",
        '"a-very-long-variant-name-for-tg" makes "prod-a-very-long-variant-name-for-tg", 36 characters long; <environment>-<variant> has at most 32 characters (its first 25 and a hash of the target group\'s settings name the target group): shorten the variant or environment name',
    ),
    (
        "environments.prod.experiments.0.variants.1.model",
        "m",
        EXP + ".variants[1] (b).model",
        '"m" is not <id>:<version>; model is {id: <model id>, version: <version>} or the text "<id>:<version>"; id and version are letters, digits and . _ / + = @ -',
    ),
    (
        "environments.prod.experiments.0.variants.1.model",
        {"id": "m", "version": 2.0},
        EXP + ".variants[1] (b).model.version",
        '2.0 is a decimal number; version is text, e.g. "1.4.2" (quote numbers: 2.0 would read as a number); letters, digits and . _ / + = @ -',
    ),
    (
        "environments.prod.experiments.0.variants.1.model",
        {"id": "m x", "version": "2"},
        EXP + ".variants[1] (b).model.id",
        '"m x" has a character that is not allowed; id is the model\'s name, e.g. sentiment; letters, digits and . _ / + = @ -',
    ),
    (
        "environments.prod.experiments.0.variants.1.port",
        0,
        EXP + ".variants[1] (b).port",
        "0 is out of range; a port is an integer from 1 to 65535",
    ),
    (
        "environments.prod.experiments.0.variants.1.protocol",
        "http",
        EXP + ".variants[1] (b).protocol",
        '"http" is not a protocol; protocol is HTTP or HTTPS (from the load balancer to the servers)',
    ),
    (
        "environments.prod.experiments.0.variants.1.target_type",
        "lambda",
        EXP + ".variants[1] (b).target_type",
        '"lambda" is not a target type; target_type is instance or ip',
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"interval": 4},
        EXP + ".variants[1] (b).health_check.interval",
        "4 is out of range; interval is an integer from 5 to 300 (seconds)",
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"interval": 10, "timeout": 10},
        EXP + ".variants[1] (b).health_check.timeout",
        "a timeout of 10 s is not less than the interval of 10 s; timeout is an integer from 2 to 120 (seconds), less than the interval",
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"timeout": 121},
        EXP + ".variants[1] (b).health_check.timeout",
        "121 is out of range; timeout is an integer from 2 to 120 (seconds), less than the interval",
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"healthy_threshold": 11},
        EXP + ".variants[1] (b).health_check.healthy_threshold",
        "11 is out of range; healthy_threshold is an integer from 2 to 10 (consecutive checks)",
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"unhealthy_threshold": 1},
        EXP + ".variants[1] (b).health_check.unhealthy_threshold",
        "1 is out of range; unhealthy_threshold is an integer from 2 to 10 (consecutive checks)",
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"path": "health"},
        EXP + ".variants[1] (b).health_check.path",
        '"health" does not start with /; a health check path starts with / and has at most 1024 characters, e.g. /health',
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"matcher": "200-"},
        EXP + ".variants[1] (b).health_check.matcher",
        '"200-" is not a list or range of HTTP codes; a matcher is HTTP codes from 200 to 499 as "200", "200,204" or "200-299"',
    ),
    (
        "environments.prod.experiments.0.variants.1.health_check",
        {"matcher": "199"},
        EXP + ".variants[1] (b).health_check.matcher",
        '"199" has a code out of range; a matcher is HTTP codes from 200 to 499 as "200", "200,204" or "200-299"',
    ),
    (
        "environments.prod.experiments.0.variants.1.slow_start",
        10,
        EXP + ".variants[1] (b).slow_start",
        "10 is out of range; slow_start is 0 (off) or an integer from 30 to 900 (seconds)",
    ),
    (
        "environments.prod.experiments.0.variants.1.slow_start",
        901,
        EXP + ".variants[1] (b).slow_start",
        "901 is out of range; slow_start is 0 (off) or an integer from 30 to 900 (seconds)",
    ),
    (
        "environments.prod.experiments.0.variants.1.deregistration_delay",
        3601,
        EXP + ".variants[1] (b).deregistration_delay",
        "3601 is out of range; deregistration_delay is an integer from 0 to 3600 (seconds)",
    ),
    (
        "environments.prod.experiments.0.variants.1.targets",
        ["i-0123456789abcdef0"],
        EXP + ".variants[1] (b).targets[0]",
        '"i-0123456789abcdef0" is not an IPv4 address; with target_type ip, a target is a private IPv4 address, e.g. 10.0.1.15',
    ),
    (
        "environments.prod.experiments.0.variants.1.targets",
        ["8.8.8.8"],
        EXP + ".variants[1] (b).targets[0]",
        '"8.8.8.8" is not a private IPv4 address; with target_type ip, a target is a private IPv4 address, e.g. 10.0.1.15',
    ),
    (
        "environments.prod.experiments.0.variants.1.targets",
        [{"id": "10.0.0.5", "port": 70000}],
        EXP + ".variants[1] (b).targets[0].port",
        "70000 is out of range; a port is an integer from 1 to 65535",
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "c", "stages": [20]},
        EXP + ".ramp.candidate",
        '"c" is not a variant of experiment exp; candidate is one of its variants: a, b',
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [0, 20]},
        EXP + ".ramp.stages[0]",
        "0 is out of range; stages is a non-empty list of strictly increasing percentages from 1 to 100, e.g. [1, 5, 25, 50]",
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 5]},
        EXP + ".ramp.stages[1]",
        "5 is not more than the stage before it (5); stages is a non-empty list of strictly increasing percentages from 1 to 100, e.g. [1, 5, 25, 50]",
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": 2},
        EXP + ".ramp.stage",
        "2 is out of range; stage is the index of the current stage in stages, from -1 (not started) to 1",
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": 1},
        EXP + ".ramp.stage",
        "1 says b gets 50% (stage 1 of [5, 50]) but its weight 20 of 100 gives it 20%; run `python -m constructs_ab promote exp` or `rollback exp` to move a stage, or `set-weights exp ...`, which set the weights and the stage together",
    ),
    (
        "environments.prod.experiments.0.ramp",
        {"candidate": "b", "stages": [5, 50], "stage": -1},
        EXP + ".ramp.stage",
        "-1 says b gets 0% (the ramp has not started) but its weight 20 of 100 gives it 20%; run `python -m constructs_ab promote exp` or `rollback exp` to move a stage, or `set-weights exp ...`, which set the weights and the stage together",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"error_rate_percent": 0},
        EXP + ".guardrails.error_rate_percent",
        "0 is out of range; error_rate_percent is a number more than 0 and at most 100 (percent)",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"p99_latency_seconds": -1},
        EXP + ".guardrails.p99_latency_seconds",
        "-1 is out of range; p99_latency_seconds is a number of seconds more than 0 and at most 4000",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"period": 90},
        EXP + ".guardrails.period",
        "90 is not a multiple of 60; period is a multiple of 60 seconds from 60 to 86400 (load balancer metrics arrive every minute)",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"period": 3600, "evaluation_periods": 25},
        EXP + ".guardrails.evaluation_periods",
        "25 is out of range; evaluation_periods is an integer from 1 to 24 (period x evaluation_periods is at most one day)",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"period": 86400},
        EXP + ".guardrails.period",
        "86400 seconds x the default 5 evaluation periods is more than one day; give evaluation_periods from 1 to 1 "
        "too, or a shorter period",
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"alarm_email": "oncall"},
        EXP + ".guardrails.alarm_email",
        '"oncall" is not an email address; alarm_email is an email address, e.g. ml-oncall@example.com',
    ),
    (
        "environments.prod.experiments.0.guardrails",
        {"min_healthy_hosts": 0},
        EXP + ".guardrails.min_healthy_hosts",
        "0 is out of range; min_healthy_hosts is an integer from 1 to 1000",
    ),
]


def test_the_base_spec_is_valid() -> None:
    assert problems_of(base_spec()) == []


@pytest.mark.parametrize(
    ("where", "value", "path", "message"), RULES, ids=[f"{r[0]}={r[1]!r}"[:80] for r in RULES]
)
def test_rejects_invalid_field(where: str, value: Any, path: str, message: str) -> None:
    # GIVEN a valid spec with one field made invalid
    spec = changed(base_spec(), where, value)
    # WHEN it is loaded THEN exactly that problem is reported
    assert problems_of(spec) == [(path, message)]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("environments.prod.experiments.0.stickiness", "off"),
        ("environments.prod.experiments.0.stickiness", False),
        ("environments.prod.experiments.0.stickiness", 1),
        ("environments.prod.experiments.0.stickiness", 604800),
        ("environments.prod.experiments.0.stickiness", "7d"),
        ("environments.prod.experiments.0.variants.1.weight", 999),
        ("environments.prod.experiments.0.variants.1.slow_start", 0),
        ("environments.prod.experiments.0.variants.1.slow_start", 30),
        ("environments.prod.experiments.0.variants.1.model", "m:2.0"),
        (
            "environments.prod.experiments.0.variants.1.health_check",
            {"matcher": "200-299", "interval": 300, "timeout": 120},
        ),
        ("environments.prod.experiments.0.variants.1.health_check", {"matcher": "200,204"}),
        (
            "environments.prod.experiments.0.variants.1.targets",
            ["10.0.0.5", {"id": "10.0.0.6", "port": 9000}],
        ),
        ("environments.prod.experiments.0.priority", 49995),
        ("environments.prod.experiments.0.override", False),
        ("environments.prod.experiments.0.match", {"paths": ["/a", "/b", "/c", "/d", "/e"]}),
        ("environments.prod.load_balancers.public", {"idle_timeout": 4000, "max_rules": 200}),
        ("environments.prod.load_balancers.public", {"waf": {"rate_limit": 10}}),
        (
            "environments.prod.load_balancers.public",
            {"waf": {"rule_actions": {"CrossSiteScripting_BODY": "block", "AnonymousIPList": "count"}}},
        ),
        ("environments.prod.load_balancers.public", {"default_action": {"forward": "b"}}),
        ("environments.prod.load_balancers.public", None),
    ],
)
def test_accepts_boundary_value(where: str, value: Any) -> None:
    spec = changed(base_spec(), where, value)
    if where.endswith(".match"):  # 5 values fit only without the override rule's header value
        spec = changed(spec, "environments.prod.experiments.0.override", False)
    assert problems_of(spec) == []
