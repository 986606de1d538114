"""Who reaches a load balancer and how: its certificates (the default one and those served by name, SNI),
its client ranges and its IP address type, each checked against its environment.

A load balancer's own `certificate_arn` and `allowed_client_cidrs` replace the environment's (which are
their defaults). Every certificate must be in the environment's Region, partition and account (the
account of the environment's certificate). IPv6 client ranges need a dual-stack load balancer. An internal
load balancer does not inherit 0.0.0.0/0 or ::/0 from the environment (a public one beside it may need
them); when that leaves it no range, it must list its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_ab.spec.certificates import CertificateArn, placement_problem
from constructs_ab.spec.context import Checks
from constructs_ab.spec.load_balancer import WORLD_CIDRS, IpAddressType, LoadBalancer
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.values import listing, show

if TYPE_CHECKING:
    from constructs_ab.spec.environment import Environment


def check_client_access(
    checks: Checks, environment: Environment, load_balancer: LoadBalancer, path: FieldPath
) -> None:
    """The load balancer's certificates and client ranges, against its environment (`path`: where it is)."""
    _check_certificates(checks, environment, load_balancer, path)
    _check_client_cidrs(checks, environment, load_balancer, path)


def _check_certificates(
    checks: Checks, environment: Environment, load_balancer: LoadBalancer, path: FieldPath
) -> None:
    found = CertificateArn.parse(environment.certificate_arn)
    account = found.account if found is not None else None
    own = path.key("certificate_arn")
    if load_balancer.certificate_arn is not None and checks.valid(own):
        wrong = placement_problem(load_balancer.certificate_arn, environment.region, account)
        if wrong is not None:
            checks.error(own, wrong)
    default = load_balancer.certificate(environment.certificate_arn)
    for index, arn in enumerate(load_balancer.extra_certificates):
        where = path.key("extra_certificates").index(index)
        if not checks.valid(where):
            continue
        if arn == default:
            whose = (
                "the load balancer's" if load_balancer.certificate_arn is not None else "the environment's"
            )
            checks.error(
                where,
                f"{show(arn)} is already the listener's default certificate ({whose} certificate_arn); "
                "extra_certificates lists the other certificates it serves by name (SNI)",
            )
            continue
        wrong = placement_problem(arn, environment.region, account)
        if wrong is not None:
            checks.error(where, wrong)


def _check_client_cidrs(
    checks: Checks, environment: Environment, load_balancer: LoadBalancer, path: FieldPath
) -> None:
    own = path.key("allowed_client_cidrs")
    if load_balancer.allowed_client_cidrs is not None:
        if load_balancer.ip_address_type is IpAddressType.DUALSTACK:
            return
        for index, cidr in enumerate(load_balancer.allowed_client_cidrs):
            where = own.index(index)
            if ":" in cidr and checks.valid(where):
                checks.error(
                    where,
                    f"{show(cidr)} is an IPv6 range, but load balancer {load_balancer.name} has IPv4 addresses "
                    "only; set ip_address_type: dualstack to admit IPv6 clients, or remove the range",
                )
        return
    inherited = environment.allowed_client_cidrs
    environment_cidrs = checks.environment(environment.name).key("allowed_client_cidrs")
    if load_balancer.internal and inherited and not load_balancer.client_cidrs(inherited):
        if checks.blocked(environment_cidrs):
            return
        checks.error(
            path,
            f"internal load balancer {load_balancer.name} sets no allowed_client_cidrs, and the environment's "
            f"({listing(inherited)}) admit every address, which an internal load balancer does not inherit "
            f"({' and '.join(WORLD_CIDRS)} are left out): set allowed_client_cidrs on the load balancer, e.g. "
            "[10.0.0.0/8] (the VPC and the networks that reach it)",
        )
