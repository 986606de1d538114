"""A model variant: one model server fleet behind the load balancer, as one target group."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cdktf import TerraformResourceLifecycle
from constructs import Construct

from constructs_ab import aws_limits as limits
from constructs_ab import aws_names
from constructs_ab.prop_checks import PropProblems
from constructs_ab.provider import LbTargetGroup, LbTargetGroupAttachment, LbTargetGroupHealthCheck
from constructs_ab.routing.contract import EXPERIMENT_TAG, MODEL_TAG, VARIANT_TAG, join_names
from constructs_ab.spec.model import HealthCheck, Variant
from constructs_ab.tagging import BaseTags


@dataclass(frozen=True, kw_only=True)
class ModelVariantProps:
    """Properties of a `ModelVariant`.

    variant: the fleet: name, model, port, protocol, target type, health check, slow start,
        deregistration delay and static targets (see `constructs_ab.spec.model.Variant` for their
        defaults: port 8080, HTTP, target type ip, health check GET /health expecting 200 every 15 s,
        slow start 60 s, deregistration delay 30 s, no static targets).
    vpc_id: VPC of the model servers.
    tags: environment, owner and extra tags.
    experiments: names of the experiments that route to this variant, put space-separated in the
        `experiment` tag. Default: none (no `experiment` tag).
    name: AWS target group name, at most 32 characters. Default: `aws_names.target_group_name`,
        `<tags.environment>-<variant.name>` (its first 25 characters), `-` and 6 hexadecimal digits of a
        hash of the settings AWS cannot change in place (port, protocol, target type, VPC), e.g.
        `prod-sentiment-a-1f0c9e`: a change of one of them makes a new target group under a new name,
        created before the old one is deleted. With a fixed `name`, such a change fails (the new group
        cannot take the old one's name while it exists): keep the default.

    Checked against the AWS limits when the construct is made (`check`).

    See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html
    """

    variant: Variant
    vpc_id: str
    tags: BaseTags
    experiments: tuple[str, ...] = ()
    name: str | None = None

    @property
    def target_group_name(self) -> str:
        if self.name is not None:
            return self.name
        variant = self.variant
        return aws_names.target_group_name(
            self.tags.environment,
            variant.name,
            port=variant.port,
            protocol=variant.protocol,
            target_type=variant.target_type,
            vpc_id=self.vpc_id,
        )

    def check(self) -> None:
        """Raise ValueError naming each prop that breaks an AWS limit, one line per problem."""
        problems = PropProblems(type(self).__name__)
        variant = self.variant
        problems.text("vpc_id", self.vpc_id, 64, "a VPC id")
        if problems.text("variant.name", variant.name, limits.MAX_TAG_VALUE_LENGTH, "a variant name"):
            problems.tag_value("variant.name", variant.name, "the variant name")
        problems.tag_value("variant.model_id", variant.model, "the model (`<model_id>:<model_version>`)")
        field = "name" if self.name is not None else "variant.name"
        problems.name(field, self.target_group_name, limits.MAX_TARGET_GROUP_NAME_LENGTH, "target group name")
        port = f"a port is an integer from {limits.MIN_PORT} to {limits.MAX_PORT}"
        problems.integer_in("variant.port", variant.port, limits.MIN_PORT, limits.MAX_PORT, port)
        _check_health(problems, variant.health_check)
        if variant.slow_start != 0:
            problems.integer_in(
                "variant.slow_start",
                variant.slow_start,
                limits.MIN_SLOW_START_SECONDS,
                limits.MAX_SLOW_START_SECONDS,
                f"slow start is 0 (off) or {limits.MIN_SLOW_START_SECONDS} to {limits.MAX_SLOW_START_SECONDS} s",
            )
        problems.integer_in(
            "variant.deregistration_delay",
            variant.deregistration_delay,
            limits.MIN_DEREGISTRATION_DELAY_SECONDS,
            limits.MAX_DEREGISTRATION_DELAY_SECONDS,
            f"a deregistration delay is {limits.MIN_DEREGISTRATION_DELAY_SECONDS} to "
            f"{limits.MAX_DEREGISTRATION_DELAY_SECONDS} s",
        )
        for index, target in enumerate(variant.targets):
            problems.text(f"variant.targets[{index}].id", target.id, 256, "a target id")
            if target.port is not None:
                problems.integer_in(
                    f"variant.targets[{index}].port", target.port, limits.MIN_PORT, limits.MAX_PORT, port
                )
        for index, experiment in enumerate(self.experiments):
            if " " in experiment or not experiment:
                problems.add(f"experiments[{index}]", f"{experiment!r} is not an experiment name (no spaces)")
            else:
                problems.tag_value(f"experiments[{index}]", experiment, "an experiment name")
        listed = join_names(self.experiments)
        if len(listed) > limits.MAX_TAG_VALUE_LENGTH:
            problems.add(
                "experiments",
                f"the `experiment` tag would list them in {len(listed)} characters; a tag value has at most "
                f"{limits.MAX_TAG_VALUE_LENGTH}: shorten the experiment names or split the variant",
            )
        problems.raise_if_any()


class ModelVariant(Construct):
    """A target group for one model variant, with a health check fit for model servers.

    Children: `target_group` (aws_lb_target_group) and `attachments` (one
    aws_lb_target_group_attachment per static target and port, keyed by `attachment_key`: the target id,
    then `<id>-<port>` for the same target on another port, so one server can be registered on two ports).

    The target group is `create_before_destroy`: when it is replaced (a new port, say) or removed,
    Terraform first creates the new one (under its new name) and updates the rules that forward to the
    old one, and deletes the old one last, when no rule uses it any more. Without it, Terraform would
    delete the group first, which AWS refuses while a rule forwards to it (ResourceInUse).
    """

    target_group: LbTargetGroup
    attachments: dict[str, LbTargetGroupAttachment]

    def __init__(self, scope: Construct, id: str, props: ModelVariantProps) -> None:
        props.check()
        super().__init__(scope, id)
        variant = props.variant
        self.props = props
        health = variant.health_check
        self.target_group = LbTargetGroup(
            self,
            "target-group",
            name=props.target_group_name,
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
                    **({EXPERIMENT_TAG: join_names(props.experiments)} if props.experiments else {}),
                    VARIANT_TAG: variant.name,
                    MODEL_TAG: variant.model,
                }
            ),
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self.attachments = {}
        listed: set[str] = set()
        for target in variant.targets:
            port = target.port if target.port is not None else variant.port
            key = attachment_key(target.id, port, first=target.id not in listed)
            listed.add(target.id)
            self.attachments[key] = LbTargetGroupAttachment(
                self,
                f"target-{key}",
                target_group_arn=self.target_group.arn,
                target_id=target.id,
                port=port,
            )

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


def attachment_key(target_id: str, port: int, *, first: bool) -> str:
    """The key (and construct id, after `target-`) of a target's attachment: the target id for its first
    listing, `<id>-<port>` for the same target listed again on another port. A target listed once keeps
    the id it had before a target could be listed on two ports, so no existing attachment is replaced."""
    return target_id if first else f"{target_id}-{port}"


def _check_health(problems: PropProblems, health: HealthCheck) -> None:
    field = "variant.health_check"
    interval = health.interval
    problems.integer_in(
        f"{field}.interval",
        interval,
        limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS,
        limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS,
        f"an interval is {limits.MIN_HEALTH_CHECK_INTERVAL_SECONDS} to "
        f"{limits.MAX_HEALTH_CHECK_INTERVAL_SECONDS} s",
    )
    timeout_allowed = (
        f"a timeout is {limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS} to {limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS} s "
        "and less than the interval"
    )
    if (
        problems.integer_in(
            f"{field}.timeout",
            health.timeout,
            limits.MIN_HEALTH_CHECK_TIMEOUT_SECONDS,
            limits.MAX_HEALTH_CHECK_TIMEOUT_SECONDS,
            timeout_allowed,
        )
        and isinstance(interval, int)
        and health.timeout >= interval
    ):
        problems.add(
            f"{field}.timeout",
            f"{health.timeout} is not less than the interval {interval}; {timeout_allowed}",
        )
    for name in ("healthy_threshold", "unhealthy_threshold"):
        problems.integer_in(
            f"{field}.{name}",
            getattr(health, name),
            limits.MIN_HEALTH_CHECK_THRESHOLD,
            limits.MAX_HEALTH_CHECK_THRESHOLD,
            f"a threshold is {limits.MIN_HEALTH_CHECK_THRESHOLD} to {limits.MAX_HEALTH_CHECK_THRESHOLD}",
        )
    if problems.text(
        f"{field}.path", health.path, limits.MAX_HEALTH_CHECK_PATH_LENGTH, "a health check path"
    ):
        if not health.path.startswith("/"):
            problems.add(f"{field}.path", f"{health.path!r} does not start with /; a health check path does")
    if not _matcher_ok(health.matcher):
        problems.add(
            f"{field}.matcher",
            f"{health.matcher!r} is not a matcher; a matcher is HTTP codes from {limits.MIN_MATCHER_CODE} to "
            f"{limits.MAX_MATCHER_CODE}: a code, codes separated by commas, or a range (200, 200,204, 200-299)",
        )


def _matcher_ok(matcher: object) -> bool:
    """An HTTP health check matcher: codes 200..499, `200`, `200,204` or `200-299`."""
    if not isinstance(matcher, str) or not matcher:
        return False
    for part in matcher.split(","):
        low, _, high = part.partition("-")
        codes = [low, high] if high else [low]
        if not all(
            code.isdigit() and limits.MIN_MATCHER_CODE <= int(code) <= limits.MAX_MATCHER_CODE
            for code in codes
        ):
            return False
        if high and int(low) > int(high):
            return False
    return True
