"""`drift` on the local AWS emulator: the example's prod environment created with boto3 as the constructs
make it, then changed out of band with boto3 (ModifyRule, DeleteRule, CreateRule, SetRulePriorities,
ModifyListener), and compared with the spec: exit 0 without drift, 1 with one line per difference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_emulator import ACCOUNT, Deployed, client, condition_to_api, deploy, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.routing.conditions import Condition
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"


def _prod() -> Deployed:
    spec = load_spec(EXAMPLE)
    return deploy(next(env for env in spec.environments if env.name == "prod"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["drift", "--spec", str(EXAMPLE), "--env", "prod", *args])
    out, err = capsys.readouterr()
    return code, out, without_spec_warnings(err)


def _rules(deployed: Deployed) -> dict[int, dict[str, object]]:
    elbv2 = client("elbv2")
    rules = elbv2.describe_rules(ListenerArn=deployed.listeners["prod-public"])["Rules"]
    return {int(r["Priority"]): r for r in rules if not r["IsDefault"]}


def _name(deployed: Deployed, key: str) -> str:
    """The AWS name of the target group the tests call `key` (`prod-sentiment-a`)."""
    return deployed.target_groups[key].split("/")[1]


def _forward(
    deployed: Deployed, weights: dict[str, int], sticky: int | None = 3600
) -> list[dict[str, object]]:
    groups = [
        {"TargetGroupArn": deployed.target_groups[name], "Weight": weight} for name, weight in weights.items()
    ]
    stickiness = {"Enabled": sticky is not None, "DurationSeconds": sticky or 1}
    return [
        {
            "Type": "forward",
            "ForwardConfig": {"TargetGroups": groups, "TargetGroupStickinessConfig": stickiness},
        }
    ]


def test_no_drift_right_after_the_deploy(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    _prod()
    code, out, err = run(capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"drift prod: account {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), Region eu-west-1",
        "load balancers: prod-public",
        "",
        "no drift: 7 rules of 2 experiments on prod-public match the spec",
    ]


def test_a_weight_changed_with_modify_rule_names_the_rule_and_both_weights(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    split = _rules(deployed)[105]
    client("elbv2").modify_rule(
        RuleArn=split["RuleArn"],
        Actions=_forward(deployed, {"prod-sentiment-a": 65, "prod-sentiment-b": 35}),
    )
    code, out, err = run(capsys)
    assert (code, err) == (1, "")
    assert out.splitlines()[3:] == [
        "2 differences from the spec:",
        "  experiment sentiment-abtest, variant sentiment-a: weight expected 80, live 65 (split rule, "
        "priority 105, load balancer prod-public)",
        "  experiment sentiment-abtest, variant sentiment-b: weight expected 20, live 35 (split rule, "
        "priority 105, load balancer prod-public)",
    ]
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["drift"] is True
    assert [(d["variant"], d["field"], d["expected"], d["live"]) for d in data["differences"]] == [
        ("sentiment-a", "weight", "80", "65"),
        ("sentiment-b", "weight", "20", "35"),
    ]
    code, out, _ = run(capsys, "--format", "markdown")
    assert code == 1
    assert (
        "| prod-public | sentiment-abtest | sentiment-b | split rule, priority 105 | weight | 20 | 35 |"
        in out.splitlines()
    )


def test_stickiness_a_target_group_conditions_and_priorities_changed_out_of_band(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    elbv2 = client("elbv2")
    rules = _rules(deployed)
    elbv2.modify_rule(
        RuleArn=rules[105]["RuleArn"],
        Actions=_forward(deployed, {"prod-sentiment-a": 80, "prod-qwen-7b": 20}, sticky=None),
    )
    elbv2.modify_rule(
        RuleArn=rules[100]["RuleArn"],
        Conditions=[
            condition_to_api(Condition.path_patterns("/abtest")),
            condition_to_api(Condition.http_header("X-Model-Variant", "sentiment-a")),
        ],
    )
    elbv2.set_rule_priorities(RulePriorities=[{"RuleArn": rules[101]["RuleArn"], "Priority": 150}])
    code, out, _ = run(capsys)
    assert code == 1
    assert out.splitlines()[3:] == [
        "5 differences from the spec:",
        "  experiment sentiment-abtest, variant sentiment-a: conditions expected path /abtest, /abtest/*; "
        "header X-Model-Variant: sentiment-a; source-ip 203.0.113.0/24, live path /abtest; header "
        "X-Model-Variant: sentiment-a "
        "(override-sentiment-a rule, priority 100, load balancer prod-public)",
        "  experiment sentiment-abtest: priority expected 101, live 150 (override-sentiment-b rule, "
        "priority 150, load balancer prod-public)",
        "  experiment sentiment-abtest, variant sentiment-b: target group expected "
        f"{_name(deployed, 'prod-sentiment-b')} (weight 20), live not in the forward (split rule, priority "
        "105, load balancer prod-public)",
        "  experiment sentiment-abtest, variant qwen-7b: target group expected not in the forward, live "
        f"{_name(deployed, 'prod-qwen-7b')} (weight 20) (split rule, priority 105, load balancer prod-public)",
        "  experiment sentiment-abtest: stickiness expected 3600 s, live off (split rule, priority 105, "
        "load balancer prod-public)",
    ]


def test_rules_missing_or_extra_and_the_default_action(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    elbv2 = client("elbv2")
    rules = _rules(deployed)
    elbv2.delete_rule(RuleArn=rules[101]["RuleArn"])
    elbv2.create_rule(  # someone else's rule takes the freed priority
        ListenerArn=deployed.listeners["prod-public"],
        Priority=101,
        Conditions=[condition_to_api(Condition.path_patterns("/hand-made"))],
        Actions=_forward(deployed, {"prod-sentiment-a": 1}, sticky=None),
    )
    elbv2.create_rule(  # a rule of an experiment the spec does not have
        ListenerArn=deployed.listeners["prod-public"],
        Priority=300,
        Conditions=[condition_to_api(Condition.path_patterns("/old"))],
        Actions=_forward(deployed, {"prod-sentiment-a": 1}, sticky=None),
        Tags=[{"Key": "experiment", "Value": "old-test"}, {"Key": "ab-role", "Value": "split"}],
    )
    elbv2.modify_listener(
        ListenerArn=deployed.listeners["prod-public"],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": deployed.target_groups["prod-sentiment-b"]}],
    )
    code, out, _ = run(capsys)
    assert code == 1
    assert out.splitlines()[3:] == [
        "3 differences from the spec:",
        "  load balancer prod-public: default action expected forward to "
        f"{_name(deployed, 'prod-sentiment-a')}, live forward to {_name(deployed, 'prod-sentiment-b')}",
        "  experiment sentiment-abtest, variant sentiment-b: rule expected priority 101, live not found "
        "(priority 101 holds a rule without our tags) (override-sentiment-b rule, load balancer prod-public)",
        "  experiment old-test: rule expected none (not in the spec here), live priority 300 (split rule, "
        "load balancer prod-public)",
    ]


def test_a_load_balancer_that_does_not_exist_is_drift(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys)
    assert (code, err) == (1, "")
    assert out.splitlines()[1:] == [
        "load balancers: none (not found: prod-public)",
        "",
        "1 difference from the spec:",
        "  load balancer prod-public: load balancer expected present, live not found",
    ]


def test_bad_input_is_one_line_and_exit_2(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--load-balancer", "nope")
    assert code == 2 and out == ""
    assert err.startswith("drift: --load-balancer: environment prod has no load balancer 'nope'")
    assert len(err.splitlines()) == 1
