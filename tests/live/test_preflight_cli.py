"""`preflight` on the local AWS emulator: the example's prod environment created with boto3 as the
constructs make it, targets registered (or not), then checked before a change: healthy targets, drift from
a base spec, quotas, a sticky split's variant moved to weight 0."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aws_emulator import ACCOUNT, Deployed, client, deploy, register_targets, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.live.aws_session import CallerIdentity
from constructs_ab.live.elbv2_reader import read_load_balancers
from constructs_ab.live.picture import build_picture
from constructs_ab.live.preflight import QUOTA, PreflightInput, preflight
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"
VARIANTS = ("sentiment-a", "sentiment-b", "llama-8b", "mistral-7b", "qwen-7b")


def _prod(*, healthy: tuple[str, ...] = VARIANTS) -> Deployed:
    spec = load_spec(EXAMPLE)
    deployed = deploy(next(env for env in spec.environments if env.name == "prod"))
    for index, variant in enumerate(healthy):
        register_targets(deployed.target_groups[f"prod-{variant}"], f"10.0.1.{10 + index}")
    return deployed


def run(capsys: pytest.CaptureFixture[str], *args: str, spec: Path = EXAMPLE) -> tuple[int, str, str]:
    code = main(["preflight", "--spec", str(spec), "--env", "prod", *args])
    out, err = capsys.readouterr()
    return code, out, without_spec_warnings(err)


def _name(deployed: Deployed, key: str) -> str:
    return deployed.target_groups[key].split("/")[1]


def test_nothing_blocks_when_every_variant_with_traffic_has_a_healthy_target(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _prod()
    code, out, err = run(capsys, "--base", str(EXAMPLE))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"preflight prod: account {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), Region eu-west-1",
        "load balancers: prod-public",
        f"checked: at least 1 healthy target per variant with traffic; drift from {EXAMPLE}; rule and target "
        "group quotas; sticky splits moved to weight 0",
        "",
        "nothing blocks the deploy",
    ]
    code, out, _ = run(capsys)
    assert code == 0
    assert out.splitlines()[-2:] == [
        "notes:",
        "  drift: drift not checked: pass --base with the spec deployed last (e.g. the previous commit's) "
        "to check that the live rules are what it declares",
    ]


def test_a_variant_without_healthy_targets_blocks_the_deploy(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod(healthy=("sentiment-a", "llama-8b", "mistral-7b", "qwen-7b"))
    group = deployed.target_groups["prod-qwen-7b"]
    client("elbv2").deregister_targets(TargetGroupArn=group, Targets=[{"Id": "10.0.1.13", "Port": 8080}])
    code, out, err = run(capsys, "--base", str(EXAMPLE))
    assert (code, err) == (1, "")
    reasons = out.splitlines()[4:]
    assert reasons[0] == "the deploy is blocked: 2 reasons:"
    assert reasons[1] == (
        "  healthy targets: experiment sentiment-abtest, variant sentiment-b: 0 healthy targets in "
        f"{_name(deployed, 'prod-sentiment-b')} (no targets), at least 1 needed for its 20.0% of the traffic"
    )
    assert reasons[2].startswith(
        "  healthy targets: experiment chat-llm, variant qwen-7b: 0 healthy targets in "
        f"{_name(deployed, 'prod-qwen-7b')} ("
    )
    assert reasons[2].endswith("), at least 1 needed for its 10.0% of the traffic")
    code, out, _ = run(capsys, "--base", str(EXAMPLE), "--format", "json")
    data = json.loads(out)
    assert (code, data["blocked"]) == (1, True)
    assert [r["check"] for r in data["reasons"]] == ["healthy targets", "healthy targets"]


def test_min_healthy_raises_the_bar(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    deployed = _prod()
    code, out, _ = run(capsys, "--base", str(EXAMPLE), "--min-healthy", "2", "--format", "markdown")
    assert code == 1
    assert "❌ The deploy is blocked: 6 reasons." in out
    assert (
        "- **healthy targets**: experiment sentiment-abtest, variant sentiment-a: 1 healthy target in "
        f"{_name(deployed, 'prod-sentiment-a')} (1 healthy), at least 2 needed for its 80.0% of the traffic"
    ) in out.splitlines()
    assert out.splitlines()[-1] == (
        "- **healthy targets**: load balancer public, default action to variant sentiment-a: 1 healthy target "
        f"in {_name(deployed, 'prod-sentiment-a')} (1 healthy), at least 2 needed for the traffic it takes"
    )
    code, _, err = run(capsys, "--min-healthy", "0")
    assert code == 2 and "--min-healthy: 0 targets; at least 1" in err


def test_drift_from_the_base_blocks_the_deploy(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    deployed = _prod()
    elbv2 = client("elbv2")
    rules = elbv2.describe_rules(ListenerArn=deployed.listeners["prod-public"])["Rules"]
    split = next(r for r in rules if r["Priority"] == "105")
    elbv2.set_rule_priorities(RulePriorities=[{"RuleArn": split["RuleArn"], "Priority": 110}])
    code, out, _ = run(capsys, "--base", str(EXAMPLE))
    assert code == 1
    assert out.splitlines()[4:] == [
        "the deploy is blocked: 1 reason:",
        "  drift: live differs from the base spec: experiment sentiment-abtest: priority expected 105, live "
        "110 (split rule, priority 110, load balancer prod-public)",
    ]


def test_a_sticky_split_moving_a_variant_to_weight_0_is_flagged(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    deployed = _prod()
    change = tmp_path / "ab-experiments.yaml"
    shutil.copy(EXAMPLE, change)
    edit = ["set-weights", "chat-llm", "llama-8b=60", "mistral-7b=40", "qwen-7b=0"]
    assert main([*edit, "--spec", str(change), "--env", "prod"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--base", str(EXAMPLE), spec=change)
    assert code == 1
    assert out.splitlines()[4:] == [
        "the deploy is blocked: 1 reason:",
        "  sticky split: experiment chat-llm, variant qwen-7b: weight 10 moved to weight 0 on a sticky split "
        f"(stickiness 86400 s): clients holding the cookie keep going to {_name(deployed, 'prod-qwen-7b')} "
        "for up to 86400 s; keep its targets registered that long",
    ]
    code, out, _ = run(capsys, "--base", str(EXAMPLE), "--allow-sticky-drain", spec=change)
    assert code == 0
    assert out.splitlines()[4:6] == ["nothing blocks the deploy", "notes:"]


def test_quotas_count_the_rules_and_target_groups_already_there(emulator: str) -> None:
    deployed = _prod()
    spec = load_spec(EXAMPLE)
    prod = next(env for env in spec.environments if env.name == "prod")
    elbv2 = client("elbv2")
    elbv2.create_rule(  # someone else's rule on the same listener
        ListenerArn=deployed.listeners["prod-public"],
        Priority=40000,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/other"]}}],
        Actions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )
    read = read_load_balancers(elbv2, ["prod-public"])
    identity = CallerIdentity(account=ACCOUNT, arn="arn", region="eu-west-1")
    picture = build_picture(identity=identity, environment="prod", load_balancers=read.load_balancers)
    groups = {g.name: g for g in read.load_balancers[0].target_groups}

    def quota_findings(limits: dict[str, int]) -> list[str]:
        given = PreflightInput(
            environment=prod, base=None, read=read, picture=picture, groups=groups, limits=limits
        )
        return [f.message for f in preflight(given) if f.check == QUOTA]

    assert quota_findings({"rules-per-application-load-balancer": 100}) == []
    assert quota_findings(
        {
            "rules-per-application-load-balancer": 7,
            "target-groups-per-application-load-balancer": 4,
            "target-groups-per-action-on-application-load-balancer": 2,
        }
    ) == [
        "experiment chat-llm: its split rule forwards to 3 target groups; a forward takes at most 2",
        "load balancer prod-public: 7 rules of the spec + 1 other rules already there = 8, above its rule "
        "quota of 7 (the account's, from DescribeAccountLimits)",
        "load balancer prod-public: 5 target groups of the spec + 0 others already there = 5, above the 4 "
        "target groups a load balancer serves",
    ]


def test_the_base_spec_s_warnings_are_not_printed(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # GIVEN a base spec with the same warning as the spec (the example's default action)
    _prod()
    base = tmp_path / "base.yaml"
    shutil.copy(EXAMPLE, base)
    # WHEN preflight compares with it
    code = main(["preflight", "--spec", str(EXAMPLE), "--env", "prod", "--base", str(base)])
    _, err = capsys.readouterr()
    # THEN the warning is printed once, the spec's: the base's warnings are the deployed spec's
    assert code == 0
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{EXAMPLE}:66: warning: "), err
