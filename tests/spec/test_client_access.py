"""Per load balancer certificates, SNI certificates, client ranges and dual-stack: what is read, the
defaults from the environment, and exact messages."""

from __future__ import annotations

from typing import Any

from constructs_ab.spec import IpAddressType

from .spec_builders import LB, base_spec, changed, load, problems_of

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
OTHER = "arn:aws:acm:eu-west-1:123456789012:certificate/22222222-2222-3333-4444-555555555555"
THIRD = "arn:aws:acm:eu-west-1:123456789012:certificate/33333333-2222-3333-4444-555555555555"
ENV_CIDRS = "environments.prod.allowed_client_cidrs"


def _with_lb(**settings: Any) -> dict[str, Any]:
    return changed(_no_override(), "environments.prod.load_balancers.public", settings)


def _no_override() -> dict[str, Any]:
    """The base spec with its experiment's override rules off: a load balancer open to every client
    needs them limited (another check)."""
    return changed(base_spec(), "environments.prod.experiments.0.override", False)


def _public() -> Any:
    return load(_with_lb(**{})).environments[0].load_balancers[0]


def test_the_environment_s_values_are_the_defaults() -> None:
    lb = _public()
    assert (lb.certificate_arn, lb.allowed_client_cidrs, lb.extra_certificates, lb.ip_address_type) == (
        None,
        None,
        (),
        IpAddressType.IPV4,
    )
    assert lb.certificate(CERT) == CERT
    assert lb.client_cidrs(("10.0.0.0/8",)) == ("10.0.0.0/8",)


def test_a_load_balancer_s_own_settings_replace_the_environment_s() -> None:
    spec = _with_lb(
        certificate_arn=OTHER,
        extra_certificates=[THIRD, CERT],
        allowed_client_cidrs=["0.0.0.0/0", "::/0"],
        ip_address_type="dualstack",
    )
    lb = load(spec).environments[0].load_balancers[0]
    assert lb.certificate(CERT) == OTHER
    assert lb.extra_certificates == (THIRD, CERT)
    assert lb.client_cidrs(("10.0.0.0/8",)) == ("0.0.0.0/0", "::/0")
    assert lb.ip_address_type is IpAddressType.DUALSTACK


def test_an_internal_load_balancer_does_not_inherit_the_world() -> None:
    # GIVEN an environment open to the internet (for its public load balancer) and to 10.0.0.0/8
    spec = changed(_no_override(), ENV_CIDRS, ["0.0.0.0/0", "10.0.0.0/8"])
    spec = changed(spec, "environments.prod.load_balancers.models", {"internal": True})
    environment = load(spec).environments[0]
    public, internal = environment.load_balancer("public"), environment.load_balancer("models")
    # THEN the public one admits both, the internal one 10.0.0.0/8 only
    assert public.client_cidrs(environment.allowed_client_cidrs) == ("0.0.0.0/0", "10.0.0.0/8")
    assert internal.client_cidrs(environment.allowed_client_cidrs) == ("10.0.0.0/8",)


def test_an_internal_load_balancer_left_with_no_range_must_list_its_own() -> None:
    spec = changed(_no_override(), ENV_CIDRS, ["0.0.0.0/0"])
    spec = changed(spec, "environments.prod.load_balancers.models", {"internal": True})
    assert problems_of(spec) == [
        (
            "environments.prod.load_balancers.models",
            "internal load balancer models sets no allowed_client_cidrs, and the environment's (0.0.0.0/0) admit "
            "every address, which an internal load balancer does not inherit (0.0.0.0/0 and ::/0 are left out): "
            "set allowed_client_cidrs on the load balancer, e.g. [10.0.0.0/8] (the VPC and the networks that "
            "reach it)",
        )
    ]
    listed = changed(
        spec,
        "environments.prod.load_balancers.models",
        {"internal": True, "allowed_client_cidrs": ["10.0.0.0/8"]},
    )
    assert problems_of(listed) == []


def test_ipv6_client_ranges_need_a_dual_stack_load_balancer() -> None:
    assert problems_of(_with_lb(allowed_client_cidrs=["10.0.0.0/8", "2001:db8::/32"])) == [
        (
            f"{LB}.allowed_client_cidrs[1]",
            '"2001:db8::/32" is an IPv6 range, but load balancer public has IPv4 addresses only; set '
            "ip_address_type: dualstack to admit IPv6 clients, or remove the range",
        )
    ]
    assert problems_of(_with_lb(allowed_client_cidrs=["2001:db8::/32"], ip_address_type="dualstack")) == []


def test_the_environment_s_ranges_stay_ipv4() -> None:
    assert problems_of(changed(base_spec(), ENV_CIDRS, ["::/0"])) == [
        (
            f"{ENV_CIDRS}[0]",
            '"::/0" is not an IPv4 CIDR block; allowed_client_cidrs lists IPv4 CIDR blocks with no host bits '
            "set, e.g. [10.0.0.0/8] (0.0.0.0/0 for a public API)",
        )
    ]


def test_wrong_values_name_the_field_and_what_is_allowed() -> None:
    assert problems_of(
        _with_lb(
            certificate_arn="arn:aws:acm:eu-west-1:123456789012:cert/x",
            extra_certificates=[OTHER, OTHER],
            allowed_client_cidrs=["10.0.0.1/8"],
            ip_address_type="ipv6",
        )
    ) == [
        (
            f"{LB}.allowed_client_cidrs[0]",
            '"10.0.0.1/8" has host bits set (the network is 10.0.0.0/8); allowed_client_cidrs lists IPv4 CIDR '
            "blocks with no host bits set, and IPv6 ones on a dual-stack load balancer, e.g. [10.0.0.0/8] or "
            "[0.0.0.0/0, ::/0]",
        ),
        (
            f"{LB}.certificate_arn",
            '"arn:aws:acm:eu-west-1:123456789012:cert/x" is not an ACM certificate ARN; certificate_arn is an ACM '
            "certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>",
        ),
        (
            f"{LB}.extra_certificates[1]",
            f'"{OTHER}" is listed twice (first at line 32); list it once',
        ),
        (
            f"{LB}.ip_address_type",
            '"ipv6" is not an IP address type; ip_address_type is ipv4 or dualstack (IPv4 and IPv6 clients)',
        ),
    ]


def test_certificates_must_be_in_the_environment_s_region_and_account() -> None:
    elsewhere = "arn:aws:acm:us-east-1:123456789012:certificate/44444444-2222-3333-4444-555555555555"
    foreign = "arn:aws:acm:eu-west-1:999999999999:certificate/55555555-2222-3333-4444-555555555555"
    assert problems_of(_with_lb(certificate_arn=elsewhere, extra_certificates=[foreign])) == [
        (
            f"{LB}.certificate_arn",
            "the certificate is in region us-east-1, not in eu-west-1; a load balancer needs an ACM certificate "
            "of its own region",
        ),
        (
            f"{LB}.extra_certificates[0]",
            "the certificate is in account 999999999999, not in 123456789012 (the account of the environment's "
            "certificate_arn); a load balancer needs an ACM certificate of its own account",
        ),
    ]


def test_the_default_certificate_is_not_an_extra_one() -> None:
    assert problems_of(_with_lb(extra_certificates=[CERT])) == [
        (
            f"{LB}.extra_certificates[0]",
            f"\"{CERT}\" is already the listener's default certificate (the environment's certificate_arn); "
            "extra_certificates lists the other certificates it serves by name (SNI)",
        )
    ]


def test_at_most_25_extra_certificates() -> None:
    many = [
        f"arn:aws:acm:eu-west-1:123456789012:certificate/{n:08d}-2222-3333-4444-555555555555"
        for n in range(26)
    ]
    assert problems_of(_with_lb(extra_certificates=many)) == [
        (
            f"{LB}.extra_certificates",
            "26 items given; extra_certificates lists ACM certificate ARNs served by name (SNI) besides "
            "certificate_arn, at most 25",
        )
    ]
