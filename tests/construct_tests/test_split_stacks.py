"""`stacks: per_load_balancer`: the example's prod split into an environment stack and one stack per load
balancer (`public` with sentiment-abtest, `chat` with chat-llm and its auto-rollback), synthesized once by
`build_app` with two more environments in the same App: `one`, the same environment in one stack (its
resource addresses must be those of the split stacks together), and staging split without a `state`
block (local state per stack)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from constructs_ab.app import build_app
from constructs_ab.spec.model import Environment, Guardrails, Spec, StackLayout

from . import example_environments as example
from .synth_helpers import Doc, resources

CHAT_EMAIL = "chat-oncall@example.com"


def split_prod() -> Environment:
    prod = example.prod()
    public = prod.load_balancer("public")
    chat = dataclasses.replace(public, name="chat", default_action=type(public.default_action)())
    sentiment, chat_llm = prod.experiments
    chat_llm = dataclasses.replace(
        chat_llm,
        load_balancer="chat",
        auto_rollback=True,
        guardrails=dataclasses.replace(chat_llm.guardrails, alarm_email=CHAT_EMAIL),
    )
    assert isinstance(chat_llm.guardrails, Guardrails)
    return dataclasses.replace(
        prod,
        stacks=StackLayout.PER_LOAD_BALANCER,
        load_balancers=(public, chat),
        experiments=(sentiment, chat_llm),
    )


SPEC = Spec(
    environments=(
        split_prod(),
        dataclasses.replace(split_prod(), name="one", stacks=StackLayout.ONE),
        dataclasses.replace(example.staging(), stacks=StackLayout.PER_LOAD_BALANCER),
    )
)
SPLIT_STACKS = ("prod", "prod--public", "prod--chat")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("split") / "cdktf.out"
    build_app(SPEC, outdir).synth()
    return outdir


@pytest.fixture(scope="module")
def stacks(output: Path) -> dict[str, Doc]:
    return {
        folder.name: json.loads((folder / "cdk.tf.json").read_text())
        for folder in (output / "stacks").iterdir()
    }


def _types(doc: Doc) -> dict[str, int]:
    return {type_: len(instances) for type_, instances in doc.get("resource", {}).items()}


#: The construct id of a load balancer's 5xx alarm holds its AWS name, `<environment>-<load balancer>`.
_ELB_ALARM = re.compile(r"^load-balancer-alarms_(one|prod)-(?P<lb>.*)-elb-5xx_[0-9A-F]{8}$")


def _addresses(doc: Doc) -> set[str]:
    """`type.name` of every resource, a 5xx alarm's without its environment's name."""
    alarm = r"load-balancer-alarms_\g<lb>-elb-5xx"
    return {
        f"{type_}.{_ELB_ALARM.sub(alarm, name)}"
        for type_, instances in doc.get("resource", {}).items()
        for name in instances
    }


def test_each_environment_is_its_stacks_with_the_load_balancer_stacks_depending_on_the_environment_stack(
    output: Path,
) -> None:
    manifest = json.loads((output / "manifest.json").read_text())
    assert {name: stack["dependencies"] for name, stack in manifest["stacks"].items()} == {
        "prod": [],
        "prod--public": ["prod"],
        "prod--chat": ["prod"],
        "one": [],
        "staging": [],
        "staging--models": ["staging"],
    }


def _values(doc: Doc, type_: str, read: Callable[[Doc], str]) -> list[str]:
    return sorted(read(body) for body in resources(doc, type_).values())


def test_the_environment_stack_holds_the_alarm_topic_its_key_and_one_subscription_per_address(
    stacks: dict[str, Doc],
) -> None:
    prod = stacks["prod"]
    assert _types(prod) == {"aws_kms_key": 1, "aws_sns_topic": 1, "aws_sns_topic_subscription": 2}
    (topic,) = resources(prod, "aws_sns_topic").values()
    assert topic["name"] == "prod-guardrails"
    endpoints = sorted(s["endpoint"] for s in resources(prod, "aws_sns_topic_subscription").values())
    assert endpoints == sorted([example.ONCALL, CHAT_EMAIL])
    assert prod["provider"] == stacks["prod--public"]["provider"] == stacks["prod--chat"]["provider"]


def test_each_load_balancer_stack_holds_its_load_balancer_variants_experiments_and_alarms(
    stacks: dict[str, Doc],
) -> None:
    public, chat = stacks["prod--public"], stacks["prod--chat"]
    assert [lb["name"] for lb in resources(public, "aws_lb").values()] == ["prod-public"]
    assert [lb["name"] for lb in resources(chat, "aws_lb").values()] == ["prod-chat"]
    assert [
        _values(doc, "aws_lb_target_group", lambda g: g["tags"]["variant"]) for doc in (public, chat)
    ] == [
        ["sentiment-a", "sentiment-b"],
        ["llama-8b", "mistral-7b", "qwen-7b"],
    ]
    assert [
        _values(doc, "aws_cloudwatch_dashboard", lambda d: d["dashboard_name"]) for doc in (public, chat)
    ] == [
        ["prod-sentiment-abtest"],
        ["prod-chat-llm"],
    ]
    for doc in (public, chat):
        assert "aws_sns_topic" not in doc["resource"]  # the environment's topic is in the environment stack
    # the auto-rollback function and its key are in the stack of the experiment's load balancer only
    assert (
        len(resources(chat, "aws_lambda_function")) == 1 and "aws_lambda_function" not in public["resource"]
    )
    assert "auto-rollback-key" in resources(chat, "aws_kms_key")
    assert "auto-rollback-key" not in resources(public, "aws_kms_key")


def test_every_alarm_of_a_load_balancer_stack_notifies_the_environment_topic_by_its_arn(
    stacks: dict[str, Doc],
) -> None:
    for name in ("prod--public", "prod--chat"):
        doc = stacks[name]
        data = doc["data"]
        (partition,) = data["aws_partition"]
        (region,) = data["aws_region"]
        (caller,) = data["aws_caller_identity"]
        arn = (
            f"arn:${{data.aws_partition.{partition}.partition}}:sns:${{data.aws_region.{region}.name}}:"
            f"${{data.aws_caller_identity.{caller}.account_id}}:prod-guardrails"
        )
        alarms = resources(doc, "aws_cloudwatch_metric_alarm").values()
        assert alarms and all(alarm["alarm_actions"] == [arn] for alarm in alarms), name
        assert any(alarm.get("dimensions", {}).get("LoadBalancer") for alarm in alarms)  # its own 5xx alarm
        for subscription in resources(doc, "aws_sns_topic_subscription").values():
            assert subscription["topic_arn"] == arn
        assert "terraform_remote_state" not in json.dumps(doc)
    assert [
        s["protocol"] for s in resources(stacks["prod--chat"], "aws_sns_topic_subscription").values()
    ] == ["lambda"]


def test_each_stack_keeps_its_own_state(stacks: dict[str, Doc]) -> None:
    backends: dict[str, Any] = {name: doc["terraform"]["backend"] for name, doc in stacks.items()}
    assert {name: backends[name]["s3"]["key"] for name in SPLIT_STACKS} == {
        "prod": "ab-models/prod.tfstate",
        "prod--public": "ab-models/prod--public.tfstate",
        "prod--chat": "ab-models/prod--chat.tfstate",
    }
    assert {name: backends[name]["local"]["path"] for name in ("staging", "staging--models")} == {
        "staging": "terraform.staging.tfstate",
        "staging--models": "terraform.staging--models.tfstate",
    }


def test_the_split_stacks_hold_the_resources_of_one_stack_at_the_same_addresses(
    stacks: dict[str, Doc],
) -> None:
    split = [_addresses(stacks[name]) for name in SPLIT_STACKS]
    assert sum(len(addresses) for addresses in split) == len(set().union(*split))
    assert set().union(*split) == _addresses(stacks["one"])
