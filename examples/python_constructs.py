"""Compose the constructs in your own CDKTF app, without a spec file: one internal load balancer and
the classic 80/20 experiment on /abtest, sticky for an hour, with the X-Model-Variant override.

    .venv/bin/python examples/python_constructs.py      # writes cdktf.out/stacks/models/cdk.tf.json

Each construct checks its props against the AWS limits when it is made (weights 0..999, priorities,
name lengths, ...) and raises ValueError naming the prop, e.g.
`ModelExperimentProps.targets[1].weight: 1500 is out of range; a weight is an integer from 0 to 999`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from constructs_ab import node_lazy_index  # noqa: E402

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
node_lazy_index.install()  # before cdktf starts Node: load only the provider modules used

from cdktf import App, TerraformStack  # noqa: E402

from constructs_ab.experiment import (  # noqa: E402
    ModelExperiment,
    ModelExperimentProps,
    ModelExperimentTarget,
)
from constructs_ab.load_balancer import ModelLoadBalancer, ModelLoadBalancerProps  # noqa: E402
from constructs_ab.model_variant import ModelVariant, ModelVariantProps  # noqa: E402
from constructs_ab.provider import AwsProvider  # noqa: E402
from constructs_ab.routing.conditions import Condition  # noqa: E402
from constructs_ab.spec.model import HealthCheck, Variant  # noqa: E402
from constructs_ab.tagging import BaseTags  # noqa: E402

VPC = "vpc-0a1b2c3d4e5f67890"
SUBNETS = ("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002")
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def build(stack: TerraformStack) -> ModelExperiment:
    """Add the load balancer, the two variants and the experiment to `stack`."""
    tags = BaseTags(environment="dev", owner="ml-platform")
    model_a = Variant(name="model-a", model_id="sentiment", model_version="1.4.2")
    model_b = Variant(
        name="model-b", model_id="sentiment", model_version="2.0.0", health_check=HealthCheck(path="/ready")
    )
    fleets = {
        variant.name: ModelVariant(
            stack,
            f"variant-{variant.name}",
            ModelVariantProps(variant=variant, vpc_id=VPC, tags=tags, experiments=("abtest",)),
        )
        for variant in (model_a, model_b)
    }
    load_balancer = ModelLoadBalancer(
        stack,
        "lb-models",
        ModelLoadBalancerProps(
            name="dev-models",
            vpc_id=VPC,
            subnet_ids=SUBNETS,
            certificate_arn=CERTIFICATE,
            allowed_client_cidrs=("10.0.0.0/8",),
            tags=tags,
            model_server_ports=(8080,),
            internal=True,
            region="eu-west-1",
        ),
    )
    return ModelExperiment(
        stack,
        "experiment-abtest",
        ModelExperimentProps(
            experiment="abtest",
            listener_arn=load_balancer.https_listener_arn,
            priority=100,  # override rules at 100 and 101, the split at 105 (P+5)
            conditions=(Condition.path_patterns("/abtest", "/abtest/*"),),
            targets=(
                ModelExperimentTarget(
                    variant="model-a", model=model_a.model, weight=80, target_group_arn=fleets["model-a"].arn
                ),
                ModelExperimentTarget(
                    variant="model-b", model=model_b.model, weight=20, target_group_arn=fleets["model-b"].arn
                ),
            ),
            stickiness=3600,  # seconds; None (the default) is off
            tags=tags,  # the override header is X-Model-Variant unless override_header says otherwise
        ),
    )


def main() -> None:
    app = App()
    stack = TerraformStack(app, "models")
    AwsProvider(stack, "aws", region="eu-west-1")
    build(stack)
    app.synth()


if __name__ == "__main__":
    main()
