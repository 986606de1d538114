"""Per load balancer certificates, SNI certificates, client ranges and dual-stack, synthesized from a spec:
a public dual-stack load balancer with its own certificate and two SNI certificates, and an internal one
that inherits the environment's ranges without 0.0.0.0/0."""

from __future__ import annotations

import json

import pytest
from cdktf import Testing as CdktfTesting

from constructs_ab import aws_names
from constructs_ab.environment_stack import EnvironmentStack
from constructs_ab.spec import parse_spec

from .synth_helpers import Doc, resources

ENV_CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
OWN_CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/22222222-2222-3333-4444-555555555555"
SNI_1 = "arn:aws:acm:eu-west-1:123456789012:certificate/33333333-2222-3333-4444-555555555555"
SNI_2 = "arn:aws:acm:eu-west-1:123456789012:certificate/44444444-2222-3333-4444-555555555555"

SPEC = f"""
version: 1
environments:
  prod:
    region: eu-west-1
    vpc_id: vpc-0a1b2c3d4e5f67890
    subnet_ids: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    certificate_arn: {ENV_CERT}
    allowed_client_cidrs: [0.0.0.0/0, 10.0.0.0/8]
    owner: ml-platform
    load_balancers:
      public:
        certificate_arn: {OWN_CERT}
        extra_certificates: [{SNI_1}, {SNI_2}]
        ip_address_type: dualstack
        allowed_client_cidrs: [0.0.0.0/0, "::/0"]
      models:
        internal: true
    experiments:
      - name: exp
        load_balancer: public
        priority: 100
        override: {{source_ips: [203.0.113.0/24]}}   # QA's network: the load balancer admits everyone
        match: {{paths: [/abtest]}}
        variants:
          - {{name: a, model: "m:1", weight: 50}}
          - {{name: b, model: "m:2", weight: 50}}
      - name: inner
        load_balancer: models
        priority: 100
        match: {{paths: [/inner]}}
        variants:
          - {{name: c, model: "m:1", weight: 50}}
          - {{name: d, model: "m:2", weight: 50}}
"""


@pytest.fixture(scope="module")
def doc() -> Doc:
    (environment,) = parse_spec(SPEC, source="client-access.yaml").environments
    stack = EnvironmentStack(CdktfTesting.app(), environment)
    return json.loads(CdktfTesting.synth(stack))


def _by_name(doc: Doc, type_: str) -> dict[str, tuple[str, Doc]]:
    return {conf["name"]: (key, conf) for key, conf in resources(doc, type_).items() if "name" in conf}


def _lb_key(doc: Doc, lb: str) -> str:
    return _by_name(doc, "aws_lb")[aws_names.load_balancer_name("prod", lb)][0]


def test_the_public_load_balancer_is_dual_stack_the_internal_one_ipv4_by_default(doc: Doc) -> None:
    lbs = {conf["name"]: conf.get("ip_address_type") for conf in resources(doc, "aws_lb").values()}
    assert lbs == {
        aws_names.load_balancer_name("prod", "public"): "dualstack",
        aws_names.load_balancer_name("prod", "models"): None,  # AWS's default, ipv4
    }


def test_each_https_listener_has_its_certificate(doc: Doc) -> None:
    https = {
        conf["load_balancer_arn"]: conf["certificate_arn"]
        for conf in resources(doc, "aws_lb_listener").values()
        if conf["protocol"] == "HTTPS"
    }
    assert https == {
        "${aws_lb." + _lb_key(doc, "public") + ".arn}": OWN_CERT,
        "${aws_lb." + _lb_key(doc, "models") + ".arn}": ENV_CERT,
    }


def test_extra_certificates_attach_to_the_public_https_listener_through_sni(doc: Doc) -> None:
    public_https = next(
        key
        for key, conf in resources(doc, "aws_lb_listener").items()
        if conf["protocol"] == "HTTPS"
        and conf["load_balancer_arn"] == "${aws_lb." + _lb_key(doc, "public") + ".arn}"
    )
    attached = sorted(
        (conf["listener_arn"], conf["certificate_arn"])
        for conf in resources(doc, "aws_lb_listener_certificate").values()
    )
    listener = "${aws_lb_listener." + public_https + ".arn}"
    assert attached == [(listener, SNI_1), (listener, SNI_2)]


def test_client_ranges_per_load_balancer(doc: Doc) -> None:
    groups = {key: conf["name"] for key, conf in resources(doc, "aws_security_group").items()}
    admitted: dict[str, set[tuple[int, str]]] = {}
    for rule in resources(doc, "aws_vpc_security_group_ingress_rule").values():
        cidr = rule.get("cidr_ipv4") or rule.get("cidr_ipv6")
        if cidr is None:
            continue  # from the load balancer to the model servers
        group = groups[rule["security_group_id"].removeprefix("${aws_security_group.").removesuffix(".id}")]
        admitted.setdefault(group, set()).add((rule["from_port"], cidr))

    def lb_group(lb: str) -> str:
        name = aws_names.load_balancer_name("prod", lb)
        return aws_names.security_group_name(name, aws_names.LOAD_BALANCER_SECURITY_GROUP)

    # THEN the public load balancer admits IPv4 and IPv6 clients; the internal one only 10.0.0.0/8
    assert admitted == {
        lb_group("public"): {(443, "0.0.0.0/0"), (80, "0.0.0.0/0"), (443, "::/0"), (80, "::/0")},
        lb_group("models"): {(443, "10.0.0.0/8"), (80, "10.0.0.0/8")},
    }
    ipv6 = [r for r in resources(doc, "aws_vpc_security_group_ingress_rule").values() if r.get("cidr_ipv6")]
    assert {(r["cidr_ipv6"], "cidr_ipv4" in r) for r in ipv6} == {("::/0", False)}
