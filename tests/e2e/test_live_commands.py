"""`status`, `drift` and `preflight` against the example's prod stack applied by Terraform to the emulator
(its own emulator, one apply for the module): the 80/20 split and target health after the apply; a weight
changed out of band with boto3 (`modify_rule`) is drift, exit 1, naming the rule and both weights;
deregistered targets fail preflight. The commands run as a user runs them: `python -m constructs_ab` with
the standard `AWS_ENDPOINT_URL` and credentials in the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from constructs_ab.emulator.deployment import Deployment
from constructs_ab.emulator.server import ACCESS_KEY_ID, SECRET_ACCESS_KEY, Emulator, EmulatorEndpoint
from constructs_ab.terraform.toolchain import Toolchain
from tests.e2e.scenario import EXAMPLE, REPOSITORY

pytestmark = pytest.mark.e2e
REGION = "eu-west-1"


@dataclass
class Applied:
    deployment: Deployment
    endpoint: EmulatorEndpoint

    def elbv2(self) -> Any:
        return self.endpoint.client("elbv2", REGION)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL=self.endpoint.url,
            AWS_ACCESS_KEY_ID=ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY=SECRET_ACCESS_KEY,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        command = [sys.executable, "-m", "constructs_ab", args[0], "--spec", str(self.deployment.spec_path)]
        return subprocess.run(
            [*command, *args[1:]], capture_output=True, text=True, env=env, cwd=REPOSITORY, check=False
        )

    def groups(self) -> dict[str, str]:
        """Target group ARNs by `variant` tag."""
        elbv2 = self.elbv2()
        arns = [g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]]
        found = {}
        for description in elbv2.describe_tags(ResourceArns=arns)["TagDescriptions"]:
            tags = {t["Key"]: t["Value"] for t in description["Tags"]}
            found[tags["variant"]] = description["ResourceArn"]
        return found

    def split_rule(self, experiment: str) -> dict[str, Any]:
        elbv2 = self.elbv2()
        balancer = elbv2.describe_load_balancers(Names=["prod-public"])["LoadBalancers"][0]
        listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
        listener = next(item for item in listeners if item["Protocol"] == "HTTPS")  # not the HTTP:80 redirect
        rules = [
            r
            for r in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
            if not r["IsDefault"]
        ]
        descriptions = elbv2.describe_tags(ResourceArns=[r["RuleArn"] for r in rules])["TagDescriptions"]
        tags = {d["ResourceArn"]: {t["Key"]: t["Value"] for t in d["Tags"]} for d in descriptions}
        for rule in rules:  # by ARN: the tag descriptions need not come in the rules' order
            found = tags.get(rule["RuleArn"], {})
            if found.get("experiment") == experiment and found.get("ab-role") == "split":
                return rule
        raise AssertionError(f"no split rule of {experiment}")


@pytest.fixture(scope="module")
def applied(emulator_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Applied]:
    workspace = tmp_path_factory.mktemp("live-commands")
    with Emulator(log=workspace / "emulator.log") as endpoint:
        deployment = Deployment(emulator_toolchain, endpoint, EXAMPLE, workspace / "work", ["prod"])
        deployment.prepare()
        result = deployment.apply()["prod"]
        assert result.ok, "\n".join(result.errors) or result.output[-2000:]
        live = Applied(deployment=deployment, endpoint=endpoint)
        groups = live.groups()
        for index, variant in enumerate(
            ("sentiment-a", "sentiment-a", "sentiment-b", "llama-8b", "mistral-7b")
        ):
            live.elbv2().register_targets(
                TargetGroupArn=groups[variant], Targets=[{"Id": f"10.0.1.{10 + index}"}]
            )
        yield live


def test_status_shows_the_80_20_split_and_the_target_health(applied: Applied) -> None:
    run = applied.run("status", "--env", "prod", "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    experiment = next(e for e in data["experiments"] if e["name"] == "sentiment-abtest")
    assert [(v["name"], v["weight"], v["share_percent"], v["healthy"]) for v in experiment["variants"]] == [
        ("sentiment-a", 80, 80.0, 2),
        ("sentiment-b", 20, 20.0, 1),
    ]
    assert experiment["stickiness"] == {"enabled": True, "duration": 3600}
    text = applied.run("status", "--env", "prod").stdout
    assert "  ! chat-llm: qwen-7b takes 10.0% of the traffic with no healthy target (no targets)" in text


def test_drift_is_none_after_the_apply_and_a_modify_rule_is_drift(applied: Applied) -> None:
    run = applied.run("drift", "--env", "prod")
    assert (run.returncode, run.stdout.splitlines()[-1]) == (
        0,
        "no drift: 7 rules of 2 experiments on prod-public match the spec",
    ), run.stdout + run.stderr
    split = applied.split_rule("sentiment-abtest")
    groups = applied.groups()
    forward = split["Actions"][0]["ForwardConfig"]

    def weights(a: int, b: int) -> list[dict[str, Any]]:
        targets = [
            {"TargetGroupArn": groups["sentiment-a"], "Weight": a},
            {"TargetGroupArn": groups["sentiment-b"], "Weight": b},
        ]
        config = {
            "TargetGroups": targets,
            "TargetGroupStickinessConfig": forward["TargetGroupStickinessConfig"],
        }
        return [{"Type": "forward", "ForwardConfig": config}]

    applied.elbv2().modify_rule(RuleArn=split["RuleArn"], Actions=weights(50, 50))
    try:
        run = applied.run("drift", "--env", "prod")
        assert run.returncode == 1
        priority = split["Priority"]
        assert run.stdout.splitlines()[3:] == [
            "2 differences from the spec:",
            "  experiment sentiment-abtest, variant sentiment-a: weight expected 80, live 50 (split rule, "
            f"priority {priority}, load balancer prod-public)",
            "  experiment sentiment-abtest, variant sentiment-b: weight expected 20, live 50 (split rule, "
            f"priority {priority}, load balancer prod-public)",
        ]
    finally:
        applied.elbv2().modify_rule(RuleArn=split["RuleArn"], Actions=weights(80, 20))
    assert applied.run("drift", "--env", "prod").returncode == 0


def test_deregistered_targets_fail_preflight(applied: Applied) -> None:
    base = str(applied.deployment.spec_path)
    run = applied.run("preflight", "--env", "prod", "--base", base)
    assert run.returncode == 1  # qwen-7b has no target
    assert run.stdout.splitlines()[4:] == [
        "the deploy is blocked: 1 reason:",
        f"  healthy targets: experiment chat-llm, variant qwen-7b: 0 healthy targets in "
        f"{applied.groups()['qwen-7b'].split('/')[1]} (no targets), at least 1 needed for its 10.0% of the "
        "traffic",
    ]
    groups = applied.groups()
    applied.elbv2().register_targets(TargetGroupArn=groups["qwen-7b"], Targets=[{"Id": "10.0.1.30"}])
    run = applied.run("preflight", "--env", "prod", "--base", base)
    assert (run.returncode, run.stdout.splitlines()[4]) == (0, "nothing blocks the deploy"), run.stdout
    applied.elbv2().deregister_targets(TargetGroupArn=groups["sentiment-b"], Targets=[{"Id": "10.0.1.12"}])
    run = applied.run("preflight", "--env", "prod", "--base", base)
    assert run.returncode == 1
    assert run.stdout.splitlines()[5].startswith(
        "  healthy targets: experiment sentiment-abtest, variant sentiment-b: 0 healthy targets in "
    )
