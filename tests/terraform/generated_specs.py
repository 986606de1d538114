"""Specs built for the Terraform tests, beyond the example: the most of everything the spec allows.

`every_option(variants, load_balancers)` builds one environment with `load_balancers` load balancers
(2 to 4: public with WAF, access logs in a given bucket, a forward default action, its own certificate and
one served by name (SNI), dual-stack with IPv4 and IPv6 clients; private with WAF turned on; internal ones
with WAF off and deletion protection off; the internal ones with their own client ranges) and experiments that use every option
between them: `variants` variants (2 to 5) with a paused one, a ramp and a custom override header; the
override off with stickiness off and every match kind (header, query with and without a key, source IP,
method); static IP and instance targets; HTTPS to the servers; a shared variant; an experiment owner and
alarm e-mail. A second environment keeps every default and an S3 state with a DynamoDB lock table.
"""

from __future__ import annotations

from typing import Any

VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2", "subnet-0123456789abcdef3"]
CERTIFICATE = "arn:aws:acm:{region}:123456789012:certificate/00000000-0000-0000-0000-000000000000"
OWN_CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-0000-0000-0000-000000000000"
SNI_CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/22222222-0000-0000-0000-000000000000"


def every_option(
    variants: int = 5, load_balancers: int = 3, stacks: dict[str, str] | None = None
) -> dict[str, Any]:
    """A spec (as YAML data) with `variants` variants in its main split and `load_balancers` LBs.
    stacks: the `stacks` setting of environments by name (default: left out, `one`)."""
    assert 2 <= variants <= 5 and 2 <= load_balancers <= 4
    names = [f"model-{letter}" for letter in "abcde"[:variants]]
    candidate = names[-1]
    # The candidate takes 20% (ramp stage 0); the first variant is paused; the rest share 80%.
    others = names[1:-1]
    weights = {name: 0 for name in names}
    weights[candidate] = 20
    for index, name in enumerate(others or [names[0]]):
        weights[name] = 80 // len(others or [names[0]]) + (
            80 % len(others or [names[0]]) if index == 0 else 0
        )
    lbs: dict[str, Any] = {
        "public": {
            "internal": False,
            "idle_timeout": 120,
            "waf": {"rate_limit": 500},
            "access_logs": {"bucket": "full-alb-access-logs", "prefix": "edge"},
            "default_action": {"forward": names[1] if others else names[0]},
            "ssl_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10",
            "max_rules": 200,
            "certificate_arn": OWN_CERTIFICATE,
            "extra_certificates": [SNI_CERTIFICATE],
            "ip_address_type": "dualstack",
            "allowed_client_cidrs": ["0.0.0.0/0", "::/0"],
        },
        # internal: the environment's 0.0.0.0/0 is not inherited, so it lists its own ranges
        "private": {
            "internal": True,
            "waf": {"enabled": True, "rate_limit": 10000},
            "allowed_client_cidrs": ["10.0.0.0/8"],
        },
    }
    for index in range(load_balancers - 2):
        lbs[f"batch{index + 1}"] = {
            "internal": True,
            "deletion_protection": False,
            "default_action": "fixed-404",
            "allowed_client_cidrs": ["10.0.0.0/8", "172.16.0.0/12"],
        }
    main_variants = [
        {
            "name": name,
            "model": {"id": "ranker", "version": f"{index + 1}.0"},
            "weight": weights[name],
            **({"paused": True} if weights[name] == 0 else {}),
            "port": 8080 + index,
            "health_check": {"path": "/ready", "matcher": "200-299", "interval": 10, "timeout": 3},
            "slow_start": 0 if index == 0 else 30 * (index + 1),
            "deregistration_delay": 60,
        }
        for index, name in enumerate(names)
    ]
    experiments: list[dict[str, Any]] = [
        {
            "name": "ranking",
            "load_balancer": "public",
            "priority": 100,
            "match": {"paths": ["/v1/rank", "/v1/rank/*"], "hosts": ["api.example.com"]},
            "stickiness": "7d",
            "override": {"header": "X-Force-Model", "source_ips": ["203.0.113.0/24"]},  # QA's network
            "ramp": {"candidate": candidate, "stages": [20, 50, 100], "stage": 0, "max_step": 30},
            "guardrails": {
                "error_rate_percent": 1.5,
                "p99_latency_seconds": 0.8,
                "min_healthy_hosts": 2,
                "period": 120,
                "evaluation_periods": 3,
                "alarm_email": "ml-oncall@example.com",
            },
            "owner": "ranking-team",
            "variants": main_variants,
        },
        {
            "name": "ranking-shadow",
            "load_balancer": "public",
            "match": {"paths": ["/v2/rank"]},
            "override": {"public": True},  # open to every client on purpose
            "variants": [
                {"name": names[-1], "weight": 50},
                {"name": "shadow", "model": "ranker:shadow-1", "weight": 50},
            ],
        },
        {
            "name": "tenants",
            "load_balancer": "private",
            "priority": 200,
            "override": False,
            "stickiness": "off",
            "match": {
                "headers": {"X-Tenant": "gold"},
                "query": [{"key": "mode", "value": "fast"}, {"value": "beta"}],
                "source_ips": ["10.0.0.0/8"],
                "methods": ["POST"],
            },
            "variants": [
                {
                    "name": "tenant-a",
                    "model": {"id": "tenant-model", "version": "7"},
                    "weight": 1,
                    "protocol": "HTTPS",
                    "port": 8443,
                    "health_check": {"path": "/health", "matcher": "200,204", "healthy_threshold": 3},
                    "targets": [{"id": "10.0.1.10"}, {"id": "10.0.1.11", "port": 9443}],
                },
                {
                    "name": "tenant-b",
                    "model": {"id": "tenant-model", "version": "8"},
                    "weight": 999,
                    "protocol": "HTTPS",
                    "port": 8443,
                },
            ],
        },
    ]
    for index in range(load_balancers - 2):
        lb = f"batch{index + 1}"
        experiments.append(
            {
                "name": f"batch{index + 1}-embeddings",
                "load_balancer": lb,
                "match": {"paths": [f"/batch{index + 1}/embed"], "methods": ["POST", "PUT"]},
                "stickiness": 45,
                "variants": [
                    {
                        "name": f"{lb}-embed-a",
                        "model": {"id": "embedder", "version": "3"},
                        "weight": 70,
                        "target_type": "instance",
                        "targets": [{"id": "i-0123456789abcdef0"}],
                    },
                    {"name": f"{lb}-embed-b", "model": "embedder:4", "weight": 30, "target_type": "instance"},
                ],
            }
        )
    spec: dict[str, Any] = {
        "version": 1,
        "environments": {
            "full": {
                "region": "eu-west-1",
                "vpc_id": VPC,
                "subnet_ids": SUBNETS,
                "certificate_arn": CERTIFICATE.format(region="eu-west-1"),
                "allowed_client_cidrs": ["0.0.0.0/0"],
                "owner": "ml-platform",
                "tags": {"cost-center": "ml", "data-class": ""},
                "state": {
                    "bucket": "full-terraform-state",
                    "key": "ab/full.tfstate",
                    "region": "eu-central-1",
                    "use_lockfile": False,
                    "dynamodb_table": "terraform-locks",
                    "encrypt": True,
                },
                "alarm_topic_per_experiment": True,
                "load_balancers": lbs,
                "experiments": experiments,
            },
            "defaults": {
                "region": "us-east-1",
                "vpc_id": VPC,
                "subnet_ids": SUBNETS[:2],
                "certificate_arn": CERTIFICATE.format(region="us-east-1"),
                "allowed_client_cidrs": ["10.0.0.0/8"],
                "owner": "ml-platform",
                "state": {"bucket": "defaults-terraform-state", "key": "ab/defaults.tfstate"},
                "load_balancers": {"models": None},
                "experiments": [
                    {
                        "name": "plain",
                        "load_balancer": "models",
                        "match": {"paths": ["/plain"]},
                        "variants": [
                            {"name": "plain-a", "model": "plain:1", "weight": 50},
                            {"name": "plain-b", "model": "plain:2", "weight": 50},
                        ],
                    }
                ],
            },
        },
    }
    for name, layout in (stacks or {}).items():
        spec["environments"][name]["stacks"] = layout
    return spec
