"""Experiments on an existing listener, on the emulator: a load balancer `ml-serving` made with boto3 (an
HTTPS listener with one rule of its own), a spec naming it applied with Terraform, checked live with
boto3, then destroyed: our rules and target groups come and go, the load balancer, its listener and its
own rule stay as they were."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from constructs_ab.emulator.deployment import Deployment
from constructs_ab.emulator.server import Emulator
from constructs_ab.routing.contract import ENVIRONMENT_TAG, EXPERIMENT_TAG, VARIANT_TAG
from constructs_ab.routing.from_spec import rules_of
from constructs_ab.terraform.runner import RunResult
from constructs_ab.terraform.toolchain import Toolchain

pytestmark = pytest.mark.e2e

SPEC = Path(__file__).parent / "fixtures" / "existing-listener.yaml"
OWN_RULE_PATH = "/legacy/*"


@dataclass
class Run:
    """What the module's one run saw: the existing load balancer before, after apply and after destroy."""

    listener: str
    own_rule: dict[str, Any]
    applied: RunResult
    after_apply: dict[str, Any]
    destroyed: RunResult
    after_destroy: dict[str, Any]
    expected_priorities: list[int]


def _listener_state(elbv2: Any, listener: str) -> dict[str, Any]:
    rules = elbv2.describe_rules(ListenerArn=listener)["Rules"]
    arns = [rule["RuleArn"] for rule in rules if not rule["IsDefault"]]
    tags = {
        entry["ResourceArn"]: {t["Key"]: t["Value"] for t in entry["Tags"]}
        for entry in (elbv2.describe_tags(ResourceArns=arns)["TagDescriptions"] if arns else [])
    }
    groups = elbv2.describe_target_groups()["TargetGroups"]
    group_tags = {
        entry["ResourceArn"]: {t["Key"]: t["Value"] for t in entry["Tags"]}
        for entry in (
            elbv2.describe_tags(ResourceArns=[g["TargetGroupArn"] for g in groups])["TagDescriptions"]
            if groups
            else []
        )
    }
    return {
        "load_balancers": [lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]],
        "listeners": [
            (listener_["Port"], listener_["Protocol"])
            for lb in elbv2.describe_load_balancers()["LoadBalancers"]
            for listener_ in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        ],
        "rules": [rule for rule in rules if not rule["IsDefault"]],
        "rule_tags": tags,
        "target_groups": {g["TargetGroupName"]: group_tags.get(g["TargetGroupArn"], {}) for g in groups},
    }


@pytest.fixture(scope="module")
def run(emulator_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    workspace = tmp_path_factory.mktemp("existing-listener")
    with Emulator(log=workspace / "emulator.log") as endpoint:
        deployment = Deployment(emulator_toolchain, endpoint, SPEC, workspace / "deployment")
        deployment.prepare()  # the network, the spec copy naming it, synth, terraform init
        network = deployment.networks["dev"]
        elbv2 = endpoint.client("elbv2", network.region)
        # GIVEN the existing load balancer, with an HTTPS listener and one rule of its own
        lb = elbv2.create_load_balancer(
            Name="ml-serving", Subnets=list(network.subnet_ids), Type="application"
        )
        listener = elbv2.create_listener(
            LoadBalancerArn=lb["LoadBalancers"][0]["LoadBalancerArn"],
            Protocol="HTTPS",
            Port=443,
            Certificates=[{"CertificateArn": network.certificate_arn}],
            DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
        )["Listeners"][0]["ListenerArn"]
        own_rule = elbv2.create_rule(
            ListenerArn=listener,
            Priority=10,
            Conditions=[{"Field": "path-pattern", "Values": [OWN_RULE_PATH]}],
            Actions=[
                {
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "410", "ContentType": "text/plain"},
                }
            ],
        )["Rules"][0]
        (experiment,) = deployment.spec().environments[0].experiments
        # WHEN the spec naming it is applied, then destroyed
        applied = deployment.apply()["dev"]
        after_apply = _listener_state(elbv2, listener)
        destroyed = deployment.destroy()["dev"]
        after_destroy = _listener_state(elbv2, listener)
        yield Run(
            listener=listener,
            own_rule=own_rule,
            applied=applied,
            after_apply=after_apply,
            destroyed=destroyed,
            after_destroy=after_destroy,
            expected_priorities=sorted(rule.priority for rule in rules_of(experiment)),
        )


def _own(state: dict[str, Any], own_rule: dict[str, Any]) -> dict[str, Any]:
    (rule,) = [r for r in state["rules"] if r["RuleArn"] == own_rule["RuleArn"]]
    return rule


def _comparable(rule: dict[str, Any]) -> tuple[Any, ...]:
    conditions = [
        (c["Field"], sorted(c.get("Values") or c["PathPatternConfig"]["Values"])) for c in rule["Conditions"]
    ]
    actions = [(a["Type"], a.get("FixedResponseConfig", {}).get("StatusCode")) for a in rule["Actions"]]
    return rule["Priority"], conditions, actions


def test_apply_creates_our_rules_and_target_groups_on_the_existing_listener(run: Run) -> None:
    assert run.applied.ok, run.applied.describe() + "\n" + run.applied.output[-3000:]
    state = run.after_apply
    ours = [
        r
        for r in state["rules"]
        if state["rule_tags"].get(r["RuleArn"], {}).get(EXPERIMENT_TAG) == "summarize"
    ]
    assert sorted(int(r["Priority"]) for r in ours) == run.expected_priorities == [100, 101, 105]
    assert all(state["rule_tags"][r["RuleArn"]][ENVIRONMENT_TAG] == "dev" for r in ours)
    variants = sorted(tags.get(VARIANT_TAG, "") for tags in state["target_groups"].values())
    assert variants == ["summarize-a", "summarize-b"]
    # nothing of the load balancer was made: one load balancer, one listener
    assert (state["load_balancers"], state["listeners"]) == (["ml-serving"], [(443, "HTTPS")])


def test_the_existing_rule_is_untouched_by_apply(run: Run) -> None:
    assert _comparable(_own(run.after_apply, run.own_rule)) == _comparable(run.own_rule)
    assert run.after_apply["rule_tags"].get(run.own_rule["RuleArn"], {}) == {}
    assert len(run.after_apply["rules"]) == 4  # its own and our three


def test_destroy_removes_ours_and_leaves_the_load_balancer_listener_and_rule(run: Run) -> None:
    assert run.destroyed.ok, run.destroyed.describe() + "\n" + run.destroyed.output[-3000:]
    state = run.after_destroy
    assert (state["load_balancers"], state["listeners"]) == (["ml-serving"], [(443, "HTTPS")])
    assert [r["RuleArn"] for r in state["rules"]] == [run.own_rule["RuleArn"]]
    assert _comparable(state["rules"][0]) == _comparable(run.own_rule)
    assert state["target_groups"] == {}
