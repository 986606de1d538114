"""The change sequence applied to the example on the emulator, each change one `terraform apply`.

Two lines, one per environment of the example, run in parallel (each line in order): prod gets promote,
set-weights and remove an experiment; staging gets add a variant (override rules on), remove a variant,
change a variant's port, rename an experiment and add a load balancer. Each line then destroys its stack
(deletion protection turned off first, in its own apply). Each change edits the spec copy the way a user would: the rollout commands
for promote and set-weights, a round-trip YAML edit for the rest.

`KNOWN_FAILURES`: the changes the current constructs cannot apply in one go, with the AWS error they hit
(none today); their tests are marked xfail(strict). One that a second apply completes runs in its line, followed by that
second apply, so the line goes on from the intended state; the others run each on a fresh emulator (their
starting state applied from scratch) and the line goes on without them. Remove an entry when the
constructs apply that change in one go: it then runs in its line like the others and its test must pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from constructs_ab.emulator.spec_copy import edit_spec_file
from constructs_ab.rollout import cli as rollout_cli


@dataclass(frozen=True, kw_only=True)
class Change:
    """One step: `edit` changes the spec copy at the path it is given; `environment` is the stack it changes."""

    name: str
    environment: str
    summary: str
    edit: Callable[[Path], None]


@dataclass(frozen=True, kw_only=True)
class KnownFailure:
    """How a change fails today: the AWS error code and message Terraform prints, and whether a second
    `terraform apply` of the same configuration completes it."""

    code: str
    message: str
    second_apply_completes: bool

    @property
    def reason(self) -> str:
        return f"{self.code}: {self.message}; fixed by the one-apply layout"


def _rollout(command: str, *args: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        code = rollout_cli.main([*args, "--spec", str(path)], command=command)
        assert code == 0, f"{command} {' '.join(args)} exited {code}"

    return edit


def _tree(change: Callable[[Any], None]) -> Callable[[Path], None]:
    return lambda path: edit_spec_file(path, change)


def _experiment(tree: Any, environment: str, name: str) -> Any:
    return next(e for e in tree["environments"][environment]["experiments"] if e["name"] == name)


def _variant(experiment: Any, name: str) -> Any:
    return next(v for v in experiment["variants"] if v["name"] == name)


def _remove_variant(tree: Any) -> None:
    sentiment = _experiment(tree, "staging", "sentiment-abtest")
    sentiment["variants"] = [v for v in sentiment["variants"] if v["name"] != "sentiment-c"]
    _variant(sentiment, "sentiment-a")["weight"] = 80


def _rename_experiment(tree: Any) -> None:
    _experiment(tree, "staging", "sentiment-abtest")["name"] = "sentiment-ab"


def _remove_experiment(tree: Any) -> None:
    experiments = tree["environments"]["prod"]["experiments"]
    experiments.remove(_experiment(tree, "prod", "chat-llm"))


def _add_variant(tree: Any) -> None:
    sentiment = _experiment(tree, "staging", "sentiment-abtest")
    _variant(sentiment, "sentiment-a")["weight"] = 70
    sentiment["variants"].append(
        CommentedMap(
            name="sentiment-c",
            model=CommentedMap(id="sentiment", version="2.1.0-rc1"),
            weight=10,
            port=8080,
            health_check=CommentedMap(path="/health"),
        )
    )


def _change_port(tree: Any) -> None:
    _variant(_experiment(tree, "staging", "sentiment-abtest"), "sentiment-a")["port"] = 8081


def _add_load_balancer(tree: Any) -> None:
    staging = tree["environments"]["staging"]
    staging["load_balancers"]["gateway"] = CommentedMap(internal=True, idle_timeout=120)
    staging["experiments"].append(
        CommentedMap(
            name="summarize",
            load_balancer="gateway",
            priority=10,
            match=CommentedMap(paths=["/v1/summarize", "/v1/summarize/*"], methods=["POST"]),
            stickiness="30m",
            variants=[
                CommentedMap(
                    name="summarize-a",
                    model=CommentedMap(id="summarizer", version="1.0"),
                    weight=90,
                    port=9000,
                    health_check=CommentedMap(path="/ready", interval=10),
                ),
                CommentedMap(
                    name="summarize-b",
                    model=CommentedMap(id="summarizer", version="1.1"),
                    weight=10,
                    port=9000,
                ),
            ],
        )
    )


PROD_LINE = (
    Change(
        name="promote",
        environment="prod",
        summary="promote sentiment-abtest: sentiment-b 20% -> 50% (ramp stage 1 -> 2)",
        edit=_rollout("promote", "sentiment-abtest", "--env", "prod"),
    ),
    Change(
        name="set-weights",
        environment="prod",
        summary="set-weights chat-llm llama-8b=50 mistral-7b=30 qwen-7b=20",
        edit=_rollout(
            "set-weights", "chat-llm", "--env", "prod", "llama-8b=50", "mistral-7b=30", "qwen-7b=20"
        ),
    ),
    Change(
        name="remove-experiment",
        environment="prod",
        summary="remove experiment chat-llm (its rules, target groups and guardrails)",
        edit=_tree(_remove_experiment),
    ),
)

STAGING_LINE = (
    Change(
        name="add-variant",
        environment="staging",
        summary="add variant sentiment-c (10%) to sentiment-abtest, override rules on",
        edit=_tree(_add_variant),
    ),
    Change(
        name="remove-variant",
        environment="staging",
        summary="remove variant sentiment-c from sentiment-abtest (sentiment-a back to 80%)",
        edit=_tree(_remove_variant),
    ),
    Change(
        name="change-port",
        environment="staging",
        summary="change the port of sentiment-a from 8080 to 8081",
        edit=_tree(_change_port),
    ),
    Change(
        name="rename-experiment",
        environment="staging",
        summary="rename experiment sentiment-abtest to sentiment-ab",
        edit=_tree(_rename_experiment),
    ),
    Change(
        name="add-load-balancer",
        environment="staging",
        summary="add load balancer gateway (internal) with experiment summarize",
        edit=_tree(_add_load_balancer),
    ),
)

LINES = (PROD_LINE, STAGING_LINE)
CHANGES = {change.name: change for line in LINES for change in line}

#: Changes the constructs cannot apply in one go, by name, with the AWS error they hit. None today: the
#: layout (docs/layout.md) applies add-variant (was PriorityInUse), remove-variant and change-port (were
#: ResourceInUse on the target group) in one apply each.
KNOWN_FAILURES: dict[str, KnownFailure] = {}

#: Known failures that run on a fresh emulator of their own (a second apply does not complete them).
ISOLATED = frozenset(name for name, failure in KNOWN_FAILURES.items() if not failure.second_apply_completes)
