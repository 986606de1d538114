"""Names across environments: no two environments deployed to one account and Region (the account is the
certificate's) make the same AWS name; certificate ARNs and state Regions agree with the environment's
partition and Region. Exact paths and messages."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from constructs_ab import aws_names
from constructs_ab.spec import validate
from constructs_ab.spec.account_names import account_of, names_made
from constructs_ab.spec.context import Checks

from .spec_builders import base_spec, load, problems_of

CERT = "arn:aws:acm:eu-west-1:{account}:certificate/11111111-2222-3333-4444-555555555555"


def two_environments(
    first: str, second: str, *, account: str = "123456789012", region: str = "eu-west-1"
) -> dict[str, Any]:
    """The base spec's `prod` as environments `first` and `second`, the second in `account`/`region`."""
    data = base_spec()
    prod = data["environments"].pop("prod")
    data["environments"][first] = copy.deepcopy(prod)
    other = copy.deepcopy(prod)
    other["region"] = region
    other["certificate_arn"] = CERT.format(account=account).replace("eu-west-1", region)
    data["environments"][second] = other
    return data


def renamed_load_balancer(data: dict[str, Any], environment: str, name: str) -> dict[str, Any]:
    env = data["environments"][environment]
    env["load_balancers"] = {name: env["load_balancers"].pop("public")}
    for experiment in env["experiments"]:
        experiment["load_balancer"] = name
    return data


def test_the_account_of_an_environment_is_its_certificates() -> None:
    assert account_of(load(base_spec()).environments[0]) == "123456789012"


def test_two_environments_in_one_account_and_region_may_not_make_one_load_balancer_name() -> None:
    # GIVEN prod with load balancer eu-public and prod-eu with load balancer public, one account and Region
    data = renamed_load_balancer(two_environments("prod", "prod-eu"), "prod", "eu-public")
    data["environments"]["prod-eu"]["experiments"] = []
    # THEN the second is refused: both would be the load balancer prod-eu-public
    assert problems_of(data) == [
        (
            "environments.prod-eu.load_balancers.public",
            'load balancer public makes the load balancer name "prod-eu-public", which load balancer eu-public '
            "of environment prod makes too, in the same account 123456789012 and Region eu-west-1; AWS wants a "
            "load balancer name unique per account and Region: rename one of them (an AWS name joins the "
            "environment's name and the object's with a hyphen)",
        )
    ]


@pytest.mark.parametrize(
    ("account", "region"), [("210987654321", "eu-west-1"), ("123456789012", "eu-central-1")]
)
def test_the_same_names_in_another_account_or_region_are_fine(account: str, region: str) -> None:
    data = renamed_load_balancer(
        two_environments("prod", "prod-eu", account=account, region=region), "prod", "eu-public"
    )
    data["environments"]["prod-eu"]["experiments"] = []
    assert problems_of(data) == []


def test_target_groups_whose_stems_read_the_same_get_different_names() -> None:
    # GIVEN environment a with variant b-x and environment a-b with variant x, in one account and Region
    data = two_environments("a", "a-b")
    data["environments"]["a"]["experiments"][0]["variants"][0]["name"] = "b-x"
    data["environments"]["a-b"]["experiments"][0]["variants"][0]["name"] = "x"
    data["environments"]["a-b"]["experiments"][0]["name"] = "other"
    # THEN both stems read a-b-x, but the names end in a hash of environment, variant and settings
    assert problems_of(data) == []
    first = aws_names.target_group_name(
        "a", "b-x", port=8080, protocol="HTTP", target_type="ip", vpc_id="vpc-0a1b2c3d4e5f67890"
    )
    second = aws_names.target_group_name(
        "a-b", "x", port=8080, protocol="HTTP", target_type="ip", vpc_id="vpc-0a1b2c3d4e5f67890"
    )
    assert first[:6] == second[:6] == "a-b-x-" and first != second


def test_alarm_names_of_one_environment_may_not_clash() -> None:
    # GIVEN experiment e with variant b-c, and experiment e-b with variant c: alarms prod-e-b-c-5xx-rate, ...
    data = base_spec()
    experiments = data["environments"]["prod"]["experiments"]
    experiments[0]["name"] = "e"
    experiments[0]["variants"][0]["name"] = "b-c"
    second = copy.deepcopy(experiments[0])
    second.update(name="e-b", priority=200, match={"paths": ["/other"]})
    second["variants"] = [{"name": "c", "model": "m:3", "weight": 50}, {"name": "b", "weight": 50}]
    experiments.append(second)
    assert problems_of(data) == [
        (
            "environments.prod.experiments[1] (e-b).name",
            'experiment e-b (variant c) makes the CloudWatch alarm name "prod-e-b-c-5xx-rate", which experiment '
            "e (variant b-c) of this environment makes too; AWS wants a CloudWatch alarm name unique per "
            "account and Region: rename one of them (an AWS name joins the environment's name and the object's "
            "with a hyphen)",
        )
    ]


def test_validate_on_python_objects_finds_the_same_clash() -> None:
    # GIVEN the clash built in Python: a valid spec, then its second environment renamed prod-eu
    spec = load(renamed_load_balancer(two_environments("prod", "prod-x"), "prod", "eu-public"))
    renamed = dataclasses.replace(spec.environments[1], name="prod-eu", experiments=())
    problems = validate(dataclasses.replace(spec, environments=(spec.environments[0], renamed)))
    assert [p.path for p in problems] == ["environments.prod-eu.load_balancers.public"]


@pytest.mark.parametrize(
    ("region", "arn", "message"),
    [
        (
            "eu-west-1",
            "arn:aws-cn:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
            "the certificate's ARN is in partition aws-cn, but region eu-west-1 is in partition aws; an ARN in "
            "eu-west-1 starts with arn:aws:",
        ),
        (
            "us-gov-west-1",
            "arn:aws:acm:us-gov-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
            "the certificate's ARN is in partition aws, but region us-gov-west-1 is in partition aws-us-gov; an "
            "ARN in us-gov-west-1 starts with arn:aws-us-gov:",
        ),
        (
            "cn-north-1",
            "arn:aws-cn:acm:cn-north-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
            None,
        ),
    ],
)
def test_a_certificate_arn_is_in_the_partition_of_the_region(
    region: str, arn: str, message: str | None
) -> None:
    data = base_spec()
    data["environments"]["prod"].update(region=region, certificate_arn=arn)
    expected = [("environments.prod.certificate_arn", message)] if message else []
    assert problems_of(data) == expected


def test_a_state_bucket_is_in_the_partition_of_the_environment() -> None:
    data = base_spec()
    data["environments"]["prod"]["state"] = {"bucket": "state-bucket", "key": "k", "region": "cn-north-1"}
    assert problems_of(data) == [
        (
            "environments.prod.state.region",
            '"cn-north-1" is in partition aws-cn, but the environment\'s region eu-west-1 is in aws; the state '
            "bucket must be in the partition the credentials of the deploy are for: a region of the same "
            "partition",
        )
    ]


def test_an_environments_alarm_topic_may_not_be_named_like_an_experiments_of_another() -> None:
    # GIVEN prod with a topic per experiment (exp: prod-exp-guardrails) and prod-exp with its one topic
    data = two_environments("prod", "prod-exp")
    data["environments"]["prod"]["alarm_topic_per_experiment"] = True
    data["environments"]["prod-exp"]["experiments"][0]["name"] = "other"
    # THEN the second is refused: both would be the SNS topic prod-exp-guardrails
    assert problems_of(data) == [
        (
            "environments.prod-exp",
            'environment prod-exp (its guardrail alarm topic) makes the SNS topic name "prod-exp-guardrails", '
            "which experiment exp of environment prod makes too, in the same account 123456789012 and Region "
            "eu-west-1; AWS wants a SNS topic name unique per account and Region: rename one of them (an AWS "
            "name joins the environment's name and the object's with a hyphen)",
        )
    ]
    # AND with one topic per environment each, the names differ
    data["environments"]["prod"]["alarm_topic_per_experiment"] = False
    assert problems_of(data) == []


def test_alarm_topic_per_experiment_is_true_or_false() -> None:
    data = base_spec()
    data["environments"]["prod"]["alarm_topic_per_experiment"] = "yes"
    assert problems_of(data) == [
        (
            "environments.prod.alarm_topic_per_experiment",
            '"yes" is text; alarm_topic_per_experiment is true or false (true: an SNS topic and KMS key per '
            "experiment; false: one per environment)",
        )
    ]


def test_each_load_balancers_5xx_alarm_is_among_the_names_checked() -> None:
    # GIVEN the base spec (environment prod, load balancer public)
    spec = load(base_spec())
    made = list(names_made(Checks(), spec.environments[0]))
    # THEN the load balancer's own 5xx alarm is checked like every other alarm name, at the load balancer
    alarms = [m for m in made if m.kind == "CloudWatch alarm" and m.owner == "load balancer public"]
    assert [(m.name, str(m.path)) for m in alarms] == [
        ("prod-public-elb-5xx", "environments.prod.load_balancers.public")
    ]
