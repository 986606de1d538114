"""A load balancer on an existing listener: how it is named, what it refuses, its quota with the rules
already there and the priorities those rules reserve."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from constructs_ab.spec import validate
from constructs_ab.spec.existing_listener import ExistingListener
from constructs_ab.spec.model import Waf
from constructs_ab.spec.priorities import PriorityRequest, assign_priorities, preferred_block

from .spec_builders import EXP, LB, base_spec, load, problems_of

ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/ml-serving/0123456789abcdef/0123456789abcdef"
BY_NAME = {"load_balancer_name": "ml-serving", "port": 443}
ONE_WAY = "existing_listener is {arn: <listener ARN>} or {load_balancer_name: <AWS name>, port: <port, default 443>}"


def spec(listener: Any = None, **fields: Any) -> dict[str, Any]:
    data = base_spec()
    lb: dict[str, Any] = {"existing_listener": BY_NAME if listener is None else listener, **fields}
    data["environments"]["prod"]["load_balancers"]["public"] = lb
    return data


def test_an_existing_listener_by_name_or_arn_loads() -> None:
    by_name = (
        load(spec(existing_rules=3, reserved_priorities=[200, "1-99"])).environments[0].load_balancers[0]
    )
    assert by_name.existing_listener == ExistingListener(load_balancer_name="ml-serving", port=443)
    assert (by_name.existing_rules, by_name.reserved_priorities) == (3, ((200, 200), (1, 99)))
    assert not by_name.waf.enabled  # nothing of the load balancer is ours
    by_arn = load(spec({"arn": ARN})).environments[0].load_balancers[0]
    assert by_arn.existing_listener is not None
    assert by_arn.existing_listener.aws_load_balancer_name == "ml-serving"


@pytest.mark.parametrize(
    ("listener", "path", "message"),
    [
        (
            {},
            f"{LB}.existing_listener",
            f"load balancer public: neither arn nor load_balancer_name is given; {ONE_WAY}",
        ),
        (
            {"arn": ARN, "load_balancer_name": "ml-serving"},
            f"{LB}.existing_listener",
            f"load balancer public: both arn and load_balancer_name are given; {ONE_WAY}, not both",
        ),
        (
            {"arn": ARN, "port": 443},
            f"{LB}.existing_listener.port",
            "load balancer public: port goes with load_balancer_name; the listener ARN names the listener "
            "already: leave port out",
        ),
        (
            {
                "arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/0123456789abcdef"
            },
            f"{LB}.existing_listener.arn",
            '"arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/0123456789abcdef" is not an '
            "Application Load Balancer listener ARN; arn is a listener ARN, arn:aws:elasticloadbalancing:<region>:"
            "<account>:listener/app/<load balancer>/<16 hex digits>/<16 hex digits>",
        ),
        (
            {"load_balancer_name": "ml-serving", "port": 0},
            f"{LB}.existing_listener.port",
            "0 is out of range; port is an integer from 1 to 65535",
        ),
    ],
)
def test_the_listener_is_named_one_way(listener: dict[str, Any], path: str, message: str) -> None:
    assert problems_of(spec(listener)) == [(path, message)]


def test_the_load_balancers_own_settings_are_refused_each_by_name() -> None:
    data = spec(
        internal=True,
        waf={"rate_limit": 100},
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        allowed_client_cidrs=["10.0.0.0/8"],
        access_logs={"bucket": "my-logs"},
        default_action="fixed-404",
    )
    found = problems_of(data)
    keys = ["internal", "access_logs", "waf", "default_action", "certificate_arn", "allowed_client_cidrs"]
    assert sorted(path for path, _ in found) == sorted(f"{LB}.{key}" for key in keys)
    assert dict(found)[f"{LB}.internal"] == (
        "load balancer public: internal does not apply to a load balancer with an existing_listener: that load "
        "balancer and its listener are managed elsewhere and only the experiments' target groups, rules and "
        "alarms are created here; leave internal out"
    )


def test_existing_rules_and_reserved_priorities_need_an_existing_listener() -> None:
    data = base_spec()
    data["environments"]["prod"]["load_balancers"]["public"] = {
        "existing_rules": 2,
        "reserved_priorities": [5],
    }
    assert [path for path, _ in problems_of(data)] == [f"{LB}.existing_rules", f"{LB}.reserved_priorities"]
    assert problems_of(data)[0][1].startswith(
        "load balancer public: existing_rules describes the rules of an existing listener, and this load "
        "balancer is created here; leave existing_rules out, or set existing_listener"
    )


def test_existing_rules_count_against_the_quota() -> None:
    # the experiment takes 3 rules (2 overrides and the split): 97 existing ones fit in 100, 98 do not
    assert problems_of(spec(existing_rules=97)) == []
    assert problems_of(spec(existing_rules=98)) == [
        (
            LB,
            "load balancer public needs 3 rules for its 1 experiments (override rules included) + 98 "
            "existing_rules already on it = 101, but its rule quota is 100; move experiments to another load "
            "balancer, turn overrides off, or set max_rules to the quota your account was granted",
        )
    ]
    assert problems_of(spec(existing_rules=98, max_rules=101)) == []
    assert problems_of(spec(existing_rules=-1)) == [
        (
            f"{LB}.existing_rules",
            "-1 is out of range; existing_rules is the number of listener rules already on the load balancer "
            "(not counting default rules), an integer from 0 to 50000",
        )
    ]


@pytest.mark.parametrize(
    ("reserved", "message"),
    [
        ("1-99", '"1-99" is text; reserved_priorities lists the priorities'),
        (["x"], '"x" is not a priority or a range low-high'),
        (["9-3"], '"9-3" is not a priority or a rising range from 1 to 50000'),
        ([0], '"0" is not a priority or a rising range from 1 to 50000'),
    ],
)
def test_reserved_priorities_are_priorities_or_rising_ranges(reserved: Any, message: str) -> None:
    (problem,) = problems_of(spec(reserved_priorities=reserved))
    assert problem[0].startswith(f"{LB}.reserved_priorities")
    assert message in problem[1]


def test_an_explicit_priority_in_a_reserved_range_is_refused() -> None:
    # the experiment reserves 100-105: 103 is the existing listener's
    assert problems_of(spec(reserved_priorities=[1, "103-110"])) == [
        (
            f"{EXP}.priority",
            "priority clash on load balancer public: experiment exp reserves priorities 100-105, and the existing "
            "listener's own rules use 103-110 (reserved_priorities); an experiment with override rules reserves "
            "6 priorities (its override rules from its priority, the split 5 above it), one without: give exp a "
            "priority outside reserved_priorities or leave it out to have one assigned",
        )
    ]
    assert problems_of(spec(reserved_priorities=["106-200"])) == []


def test_assigned_priorities_keep_off_reserved_ranges() -> None:
    preferred = 1000 + preferred_block("exp") * 10
    assert assign_priorities([PriorityRequest(name="exp", span=6)]) == [preferred]
    moved = assign_priorities(
        [PriorityRequest(name="exp", span=6)], reserved=[(preferred + 5, preferred + 5)]
    )
    assert moved == [preferred + 10]
    data = spec(reserved_priorities=[f"{preferred}-{preferred + 9}"])
    del data["environments"]["prod"]["experiments"][0]["priority"]
    assert load(data).environments[0].experiments[0].priority == preferred + 10


def test_a_spec_built_in_python_is_checked_the_same_way() -> None:
    environment = load(spec()).environments[0]
    lb = environment.load_balancers[0]
    fine = dataclasses.replace(lb, waf=Waf())  # the default of a LoadBalancer built in Python
    broken = dataclasses.replace(lb, idle_timeout=60, existing_listener=ExistingListener(arn=ARN, port=80))
    for load_balancer, paths in (
        (fine, []),
        (broken, [f"{LB}.existing_listener.port", f"{LB}.idle_timeout"]),
    ):
        built = dataclasses.replace(environment, load_balancers=(load_balancer,))
        found = [p.path for p in validate(dataclasses.replace(load(spec()), environments=(built,)))]
        assert sorted(found) == paths


def test_an_existing_load_balancer_makes_no_name_that_could_clash() -> None:
    # GIVEN environment prod with load balancer a-b on an existing listener, and environment prod-a whose
    # created load balancer b is called prod-a-b, the name prod's a-b would have if it were created
    data = spec()
    prod = data["environments"]["prod"]
    prod["load_balancers"] = {"a-b": prod["load_balancers"]["public"]}
    prod["experiments"][0]["load_balancer"] = "a-b"
    other = base_spec()["environments"]["prod"]
    other["load_balancers"] = {"b": {}}
    other["experiments"][0]["load_balancer"] = "b"
    data["environments"]["prod-a"] = other
    # THEN nothing clashes: neither prod's load balancer nor its own 5xx alarm is made
    assert problems_of(data) == []
