"""The environments of examples/ab-experiments.yaml, built by hand from the model dataclasses.

The construct tests do not depend on the spec loader: these objects say what the loader should
produce for the example (stickiness 1h = 3600 s, 1d = 86400 s; the priorities the spec leaves out are
the ones the loader derived from the names when this was written: 30690 and 18700).
"""

from __future__ import annotations

from constructs_ab.spec.model import (
    DefaultAction,
    DefaultActionKind,
    Environment,
    Experiment,
    Guardrails,
    HealthCheck,
    LoadBalancer,
    Match,
    Ramp,
    RemoteState,
    Stickiness,
    Variant,
    Waf,
    WeightedVariant,
)

HOUR = 3600
DAY = 86400
ONCALL = "ml-oncall@example.com"  # every experiment's alarm_email: the guardrail alarms notify someone


def staging() -> Environment:
    a = Variant(name="sentiment-a", model_id="sentiment", model_version="1.4.2", port=8080)
    b = Variant(name="sentiment-b", model_id="sentiment", model_version="2.0.0-rc1", port=8080)
    return Environment(
        name="staging",
        region="eu-west-1",
        vpc_id="vpc-0a1b2c3d4e5f67890",
        subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        allowed_client_cidrs=("10.0.0.0/8",),
        owner="ml-platform",
        tags=(("cost-center", "ml-research"),),
        # The loader turns the WAF off on an internal load balancer unless the spec turns it on.
        load_balancers=(
            LoadBalancer(name="models", internal=True, idle_timeout=300, waf=Waf(enabled=False)),
        ),
        experiments=(
            Experiment(
                name="sentiment-abtest",
                load_balancer="models",
                match=Match(paths=("/abtest", "/abtest/*")),
                stickiness=Stickiness(duration=HOUR),
                variants=(WeightedVariant(variant=a, weight=80), WeightedVariant(variant=b, weight=20)),
                ramp=Ramp(candidate="sentiment-b", stages=(5, 20, 50), stage=1),
                guardrails=Guardrails(alarm_email=ONCALL),
                priority=30690,
                priority_explicit=False,
            ),
        ),
    )


def llm_variant(name: str, model_id: str, version: str, health: HealthCheck) -> Variant:
    """A chat model fleet of the example: port 8000, 300 s warm-up, 120 s for long generations to end."""
    return Variant(
        name=name,
        model_id=model_id,
        model_version=version,
        port=8000,
        health_check=health,
        slow_start=300,
        deregistration_delay=120,
    )


def prod() -> Environment:
    health = HealthCheck(path="/health", matcher="200", interval=15, timeout=5)
    a = Variant(
        name="sentiment-a",
        model_id="sentiment",
        model_version="1.4.2",
        port=8080,
        health_check=health,
        slow_start=120,
    )
    b = Variant(
        name="sentiment-b",
        model_id="sentiment",
        model_version="2.0.0",
        port=8080,
        health_check=health,
        slow_start=120,
    )
    llama = llm_variant(
        "llama-8b",
        "llama-3.1-8b-instruct",
        "2024-07",
        HealthCheck(path="/health", interval=10, timeout=5, healthy_threshold=2, unhealthy_threshold=2),
    )
    mistral = llm_variant(
        "mistral-7b", "mistral-7b-instruct", "v0.3", HealthCheck(path="/health", interval=10, timeout=5)
    )
    qwen = llm_variant(
        "qwen-7b", "qwen2.5-7b-instruct", "2024-09", HealthCheck(path="/health", interval=10, timeout=5)
    )
    return Environment(
        name="prod",
        region="eu-west-1",
        vpc_id="vpc-0f9e8d7c6b5a43210",
        subnet_ids=("subnet-0f9e8d7c6b5a40001", "subnet-0f9e8d7c6b5a40002", "subnet-0f9e8d7c6b5a40003"),
        certificate_arn="arn:aws:acm:eu-west-1:210987654321:certificate/66666666-7777-8888-9999-000000000000",
        allowed_client_cidrs=("0.0.0.0/0",),
        owner="ml-platform",
        state=RemoteState(bucket="acme-terraform-state", key="ab-models/prod.tfstate", region="eu-west-1"),
        tags=(("cost-center", "ml-serving"),),
        load_balancers=(
            LoadBalancer(
                name="public",
                internal=False,
                idle_timeout=300,
                waf=Waf(rate_limit=2000),
                default_action=DefaultAction(kind=DefaultActionKind.FORWARD, variant="sentiment-a"),
            ),
        ),
        experiments=(
            Experiment(
                name="sentiment-abtest",
                load_balancer="public",
                priority=100,
                match=Match(paths=("/abtest", "/abtest/*")),
                stickiness=Stickiness(duration=HOUR),
                variants=(WeightedVariant(variant=a, weight=80), WeightedVariant(variant=b, weight=20)),
                ramp=Ramp(candidate="sentiment-b", stages=(5, 20, 50, 100), stage=1),
                guardrails=Guardrails(error_rate_percent=2.0, p99_latency_seconds=1.5, alarm_email=ONCALL),
            ),
            Experiment(
                name="chat-llm",
                load_balancer="public",
                priority=18700,
                priority_explicit=False,
                match=Match(paths=("/v1/chat/*",), hosts=("api.example.com",), methods=("POST",)),
                stickiness=Stickiness(duration=DAY),
                variants=(
                    WeightedVariant(variant=llama, weight=60),
                    WeightedVariant(variant=mistral, weight=30),
                    WeightedVariant(variant=qwen, weight=10),
                ),
                guardrails=Guardrails(alarm_email=ONCALL),
            ),
        ),
    )
