"""A model variant: one model server fleet behind the load balancer, as one target group."""

from __future__ import annotations

import functools

from dataclasses import dataclass

from constructs import Construct

from constructs_ab.provider import LbTargetGroup, LbTargetGroupAttachment, LbTargetGroupHealthCheck
from constructs_ab.spec.model import Variant
from constructs_ab.tagging import EXPERIMENT_TAG, MODEL_TAG, VARIANT_TAG, BaseTags


@dataclass(frozen=True, kw_only=True)
class ModelVariantProps:
    """Properties of a `ModelVariant`.

    variant: the fleet: name, model, port, protocol, target type, health check, slow start,
        deregistration delay and static targets (see `constructs_ab.spec.model.Variant` for their
        defaults: port 8080, HTTP, target type ip, health check GET /health expecting 200 every 15 s,
        slow start 60 s, deregistration delay 30 s, no static targets).
    vpc_id: VPC of the model servers.
    tags: environment, owner and extra tags. The target group name is `<tags.environment>-<variant.name>`.
    experiments: names of the experiments that route to this variant, put space-separated in the
        `experiment` tag. Default: none (no `experiment` tag).
    name: AWS target group name, at most 32 characters. Default: `<tags.environment>-<variant.name>`.

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html
    """

    variant: Variant
    vpc_id: str
    tags: BaseTags
    experiments: tuple[str, ...] = ()
    name: str | None = None


class ModelVariant(Construct):
    """A target group for one model variant, with a health check fit for model servers.

    Children: `target_group` (aws_lb_target_group) and `attachments` (one
    aws_lb_target_group_attachment per static target, keyed by target id).
    """

    target_group: LbTargetGroup
    attachments: dict[str, LbTargetGroupAttachment]

    def __init__(self, scope: Construct, id: str, props: ModelVariantProps) -> None:
        super().__init__(scope, id)
        variant = props.variant
        self.props = props
        health = variant.health_check
        self.target_group = LbTargetGroup(
            self,
            "target-group",
            name=props.name or f"{props.tags.environment}-{variant.name}",
            vpc_id=props.vpc_id,
            port=variant.port,
            protocol=variant.protocol.value,
            target_type=variant.target_type.value,
            slow_start=variant.slow_start,
            deregistration_delay=str(variant.deregistration_delay),
            health_check=LbTargetGroupHealthCheck(
                enabled=True,
                path=health.path,
                matcher=health.matcher,
                interval=health.interval,
                timeout=health.timeout,
                healthy_threshold=health.healthy_threshold,
                unhealthy_threshold=health.unhealthy_threshold,
                protocol=variant.protocol.value,
                port="traffic-port",
            ),
            tags=props.tags.with_(
                {
                    **({EXPERIMENT_TAG: " ".join(props.experiments)} if props.experiments else {}),
                    VARIANT_TAG: variant.name,
                    MODEL_TAG: variant.model,
                }
            ),
        )
        self.attachments = {
            target.id: LbTargetGroupAttachment(
                self,
                f"target-{target.id}",
                target_group_arn=self.target_group.arn,
                target_id=target.id,
                port=target.port if target.port is not None else variant.port,
            )
            for target in variant.targets
        }

    @property
    def name(self) -> str:
        """The variant name (not the AWS target group name)."""
        return self.props.variant.name

    @functools.cached_property
    def arn(self) -> str:
        """ARN of the target group (a Terraform reference; read from jsii once)."""
        return self.target_group.arn

    @functools.cached_property
    def arn_suffix(self) -> str:
        """The target group's ARN suffix, the `TargetGroup` dimension of its CloudWatch metrics."""
        return self.target_group.arn_suffix
