"""The environments of examples/ab-experiments.yaml, built by hand from the model dataclasses.

The construct tests do not depend on the spec loader: these objects say what the loader should
produce for the example (stickiness 1h = 3600 s, 1d = 86400 s; chat-llm's priority is given here
explicitly, where the loader would derive it from the name).
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
        load_balancers=(LoadBalancer(name="models", internal=True, idle_timeout=300),),
        experiments=(
            Experiment(
                name="sentiment-abtest",
                load_balancer="models",
                match=Match(paths=("/abtest", "/abtest/*")),
                stickiness=Stickiness(duration=HOUR),
                variants=(WeightedVariant(variant=a, weight=80), WeightedVariant(variant=b, weight=20)),
                ramp=Ramp(candidate="sentiment-b", stages=(5, 20, 50), stage=1),
                priority=1000,
                priority_explicit=False,
            ),
        ),
    )


def prod() -> Environment:
    health = HealthCheck(path="/health", matcher="200", interval=15, timeout=5)
    a = Variant(
        name="sentiment-a", model_id="sentiment", model_version="1.4.2", port=8080,
        health_check=health, slow_start=120,
    )
    b = Variant(
        name="sentiment-b", model_id="sentiment", model_version="2.0.0", port=8080,
        health_check=health, slow_start=120,
    )
    llm = dict(port=8000, slow_start=300, deregistration_delay=120)
    llama = Variant(
        name="llama-8b", model_id="llama-3.1-8b-instruct", model_version="2024-07",
        health_check=HealthCheck(path="/health", interval=10, timeout=5, healthy_threshold=2, unhealthy_threshold=2),
        **llm,  # type: ignore[arg-type]
    )
    mistral = Variant(
        name="mistral-7b", model_id="mistral-7b-instruct", model_version="v0.3",
        health_check=HealthCheck(path="/health", interval=10, timeout=5), **llm,  # type: ignore[arg-type]
    )
    qwen = Variant(
        name="qwen-7b", model_id="qwen2.5-7b-instruct", model_version="2024-09",
        health_check=HealthCheck(path="/health", interval=10, timeout=5), **llm,  # type: ignore[arg-type]
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
                guardrails=Guardrails(error_rate_percent=2, p99_latency_seconds=1.5),
            ),
            Experiment(
                name="chat-llm",
                load_balancer="public",
                priority=200,
                priority_explicit=False,
                match=Match(paths=("/v1/chat/*",), hosts=("api.example.com",), methods=("POST",)),
                stickiness=Stickiness(duration=DAY),
                variants=(
                    WeightedVariant(variant=llama, weight=60),
                    WeightedVariant(variant=mistral, weight=30),
                    WeightedVariant(variant=qwen, weight=10),
                ),
            ),
        ),
    )
