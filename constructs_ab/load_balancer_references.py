"""What an environment's experiments, alarms and outputs read of a load balancer, whether the stack makes
it (`ModelLoadBalancer`) or reads an existing one (`ExistingLoadBalancer`): Terraform references, each
read from jsii once.
"""

from __future__ import annotations

import functools

from constructs_ab.provider import DataAwsLb, DataAwsLbListener, Lb, LbListener


class LoadBalancerReferences:
    """Mixin of a load balancer construct that has `load_balancer` (the `aws_lb` resource or data source)
    and `https_listener` (the listener the experiments' rules attach to, resource or data source)."""

    load_balancer: Lb | DataAwsLb
    https_listener: LbListener | DataAwsLbListener

    @functools.cached_property
    def dns_name(self) -> str:
        return self.load_balancer.dns_name

    @functools.cached_property
    def arn_suffix(self) -> str:
        """The load balancer's ARN suffix, the `LoadBalancer` dimension of its CloudWatch metrics."""
        return self.load_balancer.arn_suffix

    @functools.cached_property
    def https_listener_arn(self) -> str:
        """ARN of the HTTPS listener, which the experiments' rules attach to."""
        return self.https_listener.arn
