"""A load balancer managed elsewhere, read, not created: the experiments' rules go onto its HTTPS listener.

Only data sources: `data.aws_lb_listener` and `data.aws_lb` (for the load balancer's ARN suffix, the
dimension of the guardrail alarms' metrics). Nothing of the load balancer, its listeners or its security
groups is created, changed or destroyed by the stack; the experiments' target groups, listener rules and
alarms are made by their own constructs, as on a load balancer the stack creates.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from constructs_ab import aws_limits as limits
from constructs_ab.load_balancer_references import LoadBalancerReferences
from constructs_ab.prop_checks import PropProblems
from constructs_ab.provider import DataAwsLb, DataAwsLbListener
from constructs_ab.spec.load_balancer import LoadBalancer

#: The listener port when the load balancer is named and no port is given: HTTPS.
DEFAULT_PORT = 443


@dataclass(frozen=True, kw_only=True)
class ExistingLoadBalancerProps:
    """Properties of an `ExistingLoadBalancer`: its listener by `listener_arn`, or by `load_balancer_name`
    and `port`.

    listener_arn: ARN of the HTTPS listener. Default None.
    load_balancer_name: AWS name of the load balancer. Default None.
    port: port of the listener on it, with `load_balancer_name`. Default 443.

    Checked when the construct is made (`check`): exactly one of `listener_arn` and `load_balancer_name`.
    """

    listener_arn: str | None = None
    load_balancer_name: str | None = None
    port: int = DEFAULT_PORT

    def check(self) -> None:
        """Raise ValueError naming each prop that is wrong, one line per problem."""
        problems = PropProblems(type(self).__name__)
        if (self.listener_arn is None) == (self.load_balancer_name is None):
            problems.add(
                "listener_arn",
                "give either listener_arn, or load_balancer_name (and port), exactly one of them",
            )
        if self.listener_arn is not None:
            problems.text("listener_arn", self.listener_arn, 2048, "a listener ARN")
        if self.load_balancer_name is not None:
            problems.name(
                "load_balancer_name",
                self.load_balancer_name,
                limits.MAX_LOAD_BALANCER_NAME_LENGTH,
                "load balancer name",
            )
        problems.integer_in(
            "port",
            self.port,
            limits.MIN_PORT,
            limits.MAX_PORT,
            f"a port is an integer from {limits.MIN_PORT} to {limits.MAX_PORT}",
        )
        problems.raise_if_any()


class ExistingLoadBalancer(Construct, LoadBalancerReferences):
    """An existing load balancer's HTTPS listener, read through data sources (`dns_name`, `arn_suffix` and
    `https_listener_arn`: see `LoadBalancerReferences`).

    Children: `https_listener` (data aws_lb_listener) and `load_balancer` (data aws_lb). By ARN, the
    listener is read first and the load balancer from its `load_balancer_arn`; by name, the load balancer
    first and the listener by its ARN and `port`.
    """

    https_listener: DataAwsLbListener
    load_balancer: DataAwsLb

    def __init__(self, scope: Construct, id: str, props: ExistingLoadBalancerProps) -> None:
        props.check()
        super().__init__(scope, id)
        self.props = props
        if props.listener_arn is not None:
            self.https_listener = DataAwsLbListener(self, "listener", arn=props.listener_arn)
            self.load_balancer = DataAwsLb(self, "alb", arn=self.https_listener.load_balancer_arn)
        else:
            self.load_balancer = DataAwsLb(self, "alb", name=props.load_balancer_name)
            self.https_listener = DataAwsLbListener(
                self, "listener", load_balancer_arn=self.load_balancer.arn, port=props.port
            )


def existing_load_balancer(scope: Construct, id: str, load_balancer: LoadBalancer) -> ExistingLoadBalancer:
    """The `ExistingLoadBalancer` of a spec load balancer with an `existing_listener`."""
    listener = load_balancer.existing_listener
    if listener is None:
        raise ValueError(f"load balancer {load_balancer.name} has no existing_listener")
    if listener.arn is not None:
        props = ExistingLoadBalancerProps(listener_arn=listener.arn)
    else:
        props = ExistingLoadBalancerProps(load_balancer_name=listener.load_balancer_name, port=listener.port)
    return ExistingLoadBalancer(scope, id, props)
