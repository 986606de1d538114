"""`preflight` for a load balancer on an existing listener, on the local AWS emulator: the load balancer
`ml-serving` made with boto3 (an HTTPS listener with one rule of its own, an HTTP one), then checked
before experiments go onto it: the listener exists and is HTTPS, its own rules count in the quota and hold
no priority the spec needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from aws_emulator import client, register_targets, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.aws_limits import RULES_PER_LOAD_BALANCER_LIMIT_NAME
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.drift import variant_target_group_name
from constructs_ab.live.elbv2_reader import read_load_balancers
from constructs_ab.live.picture import build_picture
from constructs_ab.live.preflight import EXISTING, QUOTA, PreflightInput, preflight
from constructs_ab.spec import Spec, parse_spec


def spec_data(
    listener: dict[str, Any], priority: int | None = None, vpc: str = "vpc-0f9e8d7c6b5a43210"
) -> dict[str, Any]:
    experiment: dict[str, Any] = {
        "name": "chat",
        "load_balancer": "serving",
        "match": {"paths": ["/chat"]},
        "variants": [
            {"name": "a", "model": {"id": "m", "version": "1"}, "weight": 50, "port": 8080},
            {"name": "b", "model": {"id": "m", "version": "2"}, "weight": 50, "port": 8080},
        ],
    }
    if priority is not None:
        experiment["priority"] = priority
    return {
        "version": 1,
        "environments": {
            "prod": {
                "region": "eu-west-1",
                "vpc_id": vpc,
                "subnet_ids": ["subnet-0f9e8d7c6b5a40001", "subnet-0f9e8d7c6b5a40002"],
                "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/"
                "66666666-7777-8888-9999-000000000000",
                "allowed_client_cidrs": ["10.0.0.0/8"],
                "owner": "ml-platform",
                "load_balancers": {"serving": {"existing_listener": listener, "existing_rules": 1}},
                "experiments": [experiment],
            }
        },
    }


def existing_load_balancer(rules: int = 1) -> dict[str, str]:
    """`ml-serving` with an HTTPS listener on 443 holding `rules` rules of its own (priorities 10, 11, ...)
    and an HTTP listener on 80; the ARNs of both listeners."""
    ec2, elbv2 = client("ec2"), client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for i, zone in ((1, "a"), (2, "b"))
    ]
    lb = elbv2.create_load_balancer(Name="ml-serving", Subnets=subnets, Type="application")
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    certificate = client("acm").request_certificate(DomainName="api.example.com")["CertificateArn"]
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]
    https = elbv2.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=fixed,
    )["Listeners"][0]["ListenerArn"]
    http = elbv2.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=fixed)[
        "Listeners"
    ][0]["ListenerArn"]
    for index in range(rules):
        elbv2.create_rule(
            ListenerArn=https,
            Priority=10 + index,
            Conditions=[{"Field": "path-pattern", "Values": [f"/legacy-{index}"]}],
            Actions=fixed,
        )
    # the variants' target groups, with a healthy target each: only the existing-listener checks remain
    environment = load_spec_data(spec_data({"load_balancer_name": "ml-serving"}, vpc=vpc)).environments[0]
    for variant in ("a", "b"):
        group = elbv2.create_target_group(
            Name=variant_target_group_name(environment, variant), Protocol="HTTP", Port=8080, VpcId=vpc
        )["TargetGroups"][0]["TargetGroupArn"]
        register_targets(group, f"10.0.1.{20 + ord(variant)}")
    return {"https": https, "http": http, "vpc": vpc}


def load_spec_data(data: dict[str, Any]) -> Spec:
    return parse_spec(yaml.safe_dump(data, sort_keys=False))


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, data: dict[str, Any]) -> tuple[int, list[str]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    code = main(["preflight", "--spec", str(spec), "--env", "prod"])
    out, err = capsys.readouterr()
    assert without_spec_warnings(err) == ""
    return code, out.splitlines()


def test_nothing_blocks_on_an_existing_https_listener(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listeners = existing_load_balancer()
    for listener in ({"load_balancer_name": "ml-serving"}, {"arn": listeners["https"]}):
        code, lines = run(capsys, tmp_path, spec_data(listener, vpc=listeners["vpc"]))
        assert code == 0, lines
        assert lines[1] == "load balancers: ml-serving"
        assert lines[2].endswith("existing listeners: present, HTTPS, in the VPC, their rules' priorities")
        assert lines[4] == "nothing blocks the deploy"


def test_a_missing_load_balancer_or_listener_blocks(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, lines = run(capsys, tmp_path, spec_data({"load_balancer_name": "ml-serving"}))
    assert code == 1
    assert (
        "  existing listener: load balancer serving (existing_listener): load balancer ml-serving does not "
        "exist; existing_listener names a load balancer managed elsewhere, which the stack reads and does not "
        "create: check its name, the account and --region"
    ) in lines
    vpc = existing_load_balancer()["vpc"]
    code, lines = run(
        capsys, tmp_path, spec_data({"load_balancer_name": "ml-serving", "port": 8443}, vpc=vpc)
    )
    assert code == 1
    assert (
        "  existing listener: load balancer serving (existing_listener): load balancer ml-serving has no "
        "listener on port 8443 (its listeners: 80 (HTTP), 443 (HTTPS)); name its HTTPS listener"
    ) in lines


def test_an_http_listener_blocks(emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    listeners = existing_load_balancer()
    code, lines = run(capsys, tmp_path, spec_data({"arn": listeners["http"]}, vpc=listeners["vpc"]))
    assert code == 1
    assert (
        f"  existing listener: load balancer serving (existing_listener): the listener {listeners['http']} of "
        "ml-serving is HTTP; the experiments' rules need an HTTPS listener"
    ) in lines


def test_a_load_balancer_in_another_vpc_blocks(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vpc = existing_load_balancer()["vpc"]
    code, lines = run(capsys, tmp_path, spec_data({"load_balancer_name": "ml-serving"}))
    assert code == 1
    (reason,) = [line for line in lines if line.startswith("  existing listener:")]
    assert reason == (
        f"  existing listener: load balancer serving (existing_listener): load balancer ml-serving is in VPC "
        f"{vpc}, but the environment's vpc_id, where the experiments' target groups are made, is "
        f"vpc-0f9e8d7c6b5a43210; a load balancer forwards only to target groups of its own VPC: set vpc_id to {vpc}"
    )


def test_a_priority_held_by_a_rule_already_there_blocks(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vpc = existing_load_balancer()["vpc"]
    code, lines = run(capsys, tmp_path, spec_data({"load_balancer_name": "ml-serving"}, priority=5, vpc=vpc))
    assert code == 1
    (reason,) = [line for line in lines if line.startswith("  existing listener:")]
    assert reason.startswith(
        "  existing listener: experiment chat: its split rule needs priority 10 on ml-serving, which a rule "
        "already there holds (arn:aws:elasticloadbalancing:eu-west-1:"
    )
    assert reason.endswith(
        "list that priority in reserved_priorities of load balancer serving (assigned priorities skip them) or "
        "give the experiment another priority"
    )


def test_the_rules_already_there_count_against_the_quota(emulator: str, tmp_path: Path) -> None:
    # GIVEN 2 rules of its own; the experiment adds 3 (2 overrides and the split)
    vpc = existing_load_balancer(rules=2)["vpc"]
    environment = load_spec_data(spec_data({"load_balancer_name": "ml-serving"}, vpc=vpc)).environments[0]
    read = read_load_balancers(client("elbv2"), ["ml-serving"])
    identity = CallerIdentity(
        account="123456789012", arn="arn:aws:sts::123456789012:user/moto", region="eu-west-1"
    )
    picture = build_picture(identity=identity, environment="prod", load_balancers=read.load_balancers)

    def findings(quota: int) -> list[tuple[str, str]]:
        given = PreflightInput(
            environment=environment,
            base=None,
            read=read,
            picture=picture,
            groups={},
            limits={RULES_PER_LOAD_BALANCER_LIMIT_NAME: quota},
        )
        return [(f.check, f.message) for f in preflight(given) if f.check in (QUOTA, EXISTING)]

    # THEN 5 rules fit a quota of 5, not of 4
    assert findings(5) == []
    assert findings(4) == [
        (
            QUOTA,
            "load balancer ml-serving: 3 rules of the spec + 2 other rules already there = 5, above its rule "
            "quota of 4 (the account's, from DescribeAccountLimits)",
        )
    ]
