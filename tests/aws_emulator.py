"""The local AWS emulator for tests: moto's server on 127.0.0.1 and a free port, reached through the
standard `AWS_ENDPOINT_URL`, with fake credentials and no shared AWS config; plus a deployer that creates
an environment's load balancers, target groups and rules with boto3 the way the constructs make them
(names, tags, priorities, conditions, weights, stickiness)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from constructs_ab.aws_names import target_group_name
from constructs_ab.routing.condition_kinds import KINDS, Shape
from constructs_ab.routing.conditions import Condition
from constructs_ab.routing.contract import ENVIRONMENT_TAG, EXPERIMENT_TAG, MODEL_TAG, OWNER_TAG, VARIANT_TAG
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.spec.model import DefaultActionKind, Environment

ACCOUNT = "123456789012"  # moto's default account


def start_moto() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def use_emulator(monkeypatch: pytest.MonkeyPatch, endpoint: str, tmp_path: Any) -> None:
    """Point boto3's standard chain at the emulator: endpoint, fake keys, no profile, no config files;
    and start from an empty emulator."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()


def client(service: str, region: str = "eu-west-1") -> Any:
    return boto3.client(service, region_name=region)


def condition_to_api(condition: Condition) -> dict[str, Any]:
    """A routing condition in the ELBv2 API's form (the inverse of `live.api_conditions`)."""
    kind = KINDS[condition.field]
    if kind.shape is Shape.QUERY:
        values = [
            {**({"Key": p.key} if p.key is not None else {}), "Value": p.value} for p in condition.query
        ]
        return {"Field": condition.field.value, kind.api_config: {"Values": values}}
    if kind.shape is Shape.HEADER:
        return {
            "Field": condition.field.value,
            kind.api_config: {"HttpHeaderName": condition.header_name, "Values": list(condition.values)},
        }
    return {"Field": condition.field.value, kind.api_config: {"Values": list(condition.values)}}


def _tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


@dataclass
class Deployed:
    """ARNs of what `deploy` made: load balancers and target groups by AWS name."""

    load_balancers: dict[str, str] = field(default_factory=dict)
    listeners: dict[str, str] = field(default_factory=dict)
    target_groups: dict[str, str] = field(default_factory=dict)


def deploy(environment: Environment) -> Deployed:
    """Create the environment's load balancers (HTTPS listener on 443, fixed 404 default), one target group
    per variant (named as the constructs name it, `aws_names.target_group_name`; `target_groups` is keyed
    by `<env>-<variant>`) and every experiment's rules, tagged as the constructs tag them."""
    ec2 = client("ec2", environment.region)
    elbv2 = client("elbv2", environment.region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{environment.region}{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in ((1, "a"), (2, "b"))
    ]
    certificate = client("acm", environment.region).request_certificate(DomainName="api.example.com")[
        "CertificateArn"
    ]
    base = {ENVIRONMENT_TAG: environment.name, OWNER_TAG: environment.owner}
    done = Deployed()
    for variant in environment.variants:
        experiments = " ".join(
            e.name for e in environment.experiments if any(w.variant.name == variant.name for w in e.variants)
        )
        name = f"{environment.name}-{variant.name}"  # the key tests use; AWS gets the constructs' name
        done.target_groups[name] = elbv2.create_target_group(
            Name=target_group_name(
                environment.name,
                variant.name,
                port=variant.port,
                protocol=variant.protocol,
                target_type=variant.target_type,
                vpc_id=environment.vpc_id,
            ),
            Protocol=variant.protocol.value,
            Port=variant.port,
            VpcId=vpc,
            TargetType=variant.target_type.value,
            HealthCheckPath=variant.health_check.path,
            HealthCheckIntervalSeconds=variant.health_check.interval,
            HealthCheckTimeoutSeconds=variant.health_check.timeout,
            HealthyThresholdCount=variant.health_check.healthy_threshold,
            UnhealthyThresholdCount=variant.health_check.unhealthy_threshold,
            Matcher={"HttpCode": variant.health_check.matcher},
            Tags=_tags(
                {**base, VARIANT_TAG: variant.name, MODEL_TAG: variant.model, EXPERIMENT_TAG: experiments}
            ),
        )["TargetGroups"][0]["TargetGroupArn"]
    for balancer in environment.load_balancers:
        name = f"{environment.name}-{balancer.name}"
        lb_arn = elbv2.create_load_balancer(
            Name=name,
            Subnets=subnets,
            Scheme="internal" if balancer.internal else "internet-facing",
            Type="application",
            Tags=_tags(base),
        )["LoadBalancers"][0]["LoadBalancerArn"]
        done.load_balancers[name] = lb_arn
        default = balancer.default_action
        listener = elbv2.create_listener(
            LoadBalancerArn=lb_arn,
            Protocol="HTTPS",
            Port=443,
            Certificates=[{"CertificateArn": certificate}],
            SslPolicy=balancer.ssl_policy,
            DefaultActions=[
                {
                    "Type": "forward",
                    "TargetGroupArn": done.target_groups[f"{environment.name}-{default.variant}"],
                }
                if default.kind is DefaultActionKind.FORWARD
                else {
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "404", "ContentType": "application/json"},
                }
            ],
        )["Listeners"][0]["ListenerArn"]
        done.listeners[name] = listener
        for experiment in environment.experiments:
            if experiment.load_balancer != balancer.name:
                continue
            for rule in rules_of(experiment):
                groups = [
                    {
                        "TargetGroupArn": done.target_groups[f"{environment.name}-{t.variant}"],
                        "Weight": t.weight,
                    }
                    for t in rule.targets
                ]
                sticky = rule.stickiness_to_terraform()
                elbv2.create_rule(
                    ListenerArn=listener,
                    Priority=rule.priority,
                    Conditions=[condition_to_api(c) for c in rule.conditions],
                    Actions=[
                        {
                            "Type": "forward",
                            "ForwardConfig": {
                                "TargetGroups": groups,
                                "TargetGroupStickinessConfig": {
                                    "Enabled": sticky.enabled,
                                    "DurationSeconds": sticky.duration,
                                },
                            },
                        }
                    ],
                    Tags=_tags({**base, **rule.tags}),
                )
    return done


def register_targets(target_group_arn: str, *ips: str, region: str = "eu-west-1") -> None:
    client("elbv2", region).register_targets(
        TargetGroupArn=target_group_arn, Targets=[{"Id": ip, "Port": 8080} for ip in ips]
    )


def arn_suffix(arn: str) -> str:
    """`app/<name>/<id>` or `targetgroup/<name>/<id>`: the CloudWatch dimension value of an ELBv2 ARN."""
    return arn.split(":", 5)[-1].removeprefix("loadbalancer/")


def put_alb_minutes(
    load_balancer_arn: str,
    target_group_arn: str,
    start: Any,
    counts: list[tuple[float, float, float]],
    region: str = "eu-west-1",
) -> None:
    """Publish one minute each of RequestCount, HTTPCode_Target_5XX_Count and TargetConnectionErrorCount
    (the tuples, in order) for a target group, from `start` on, as the load balancer would."""
    import datetime as dt

    dimensions = [
        {"Name": "TargetGroup", "Value": arn_suffix(target_group_arn)},
        {"Name": "LoadBalancer", "Value": arn_suffix(load_balancer_arn)},
    ]
    names = ("RequestCount", "HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount")
    data = [
        {
            "MetricName": name,
            "Dimensions": dimensions,
            "Timestamp": start + dt.timedelta(minutes=minute),
            "Value": value,
            "Unit": "Count",
        }
        for minute, values in enumerate(counts)
        for name, value in zip(names, values, strict=True)
        if value
    ]
    cloudwatch = client("cloudwatch", region)
    for index in range(0, len(data), 500):
        cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data[index : index + 500])


def without_spec_warnings(err: str) -> str:
    """stderr without the spec's warnings (the example warns about its default action)."""
    return "".join(line for line in err.splitlines(keepends=True) if ": warning: " not in line)
