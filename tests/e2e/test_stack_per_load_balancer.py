"""An environment split into one stack per load balancer (`stacks: per_load_balancer`), on the emulator:
the environment stack `dev` applies first, then `dev--models` and `dev--gateway` (in parallel), one
`terraform apply` each, each with its own state; the listener rules and target groups of both load
balancers are live (boto3). A one-weight change changes one stack's JSON, only that stack is applied, and
afterwards no stack plans a change (but the emulator's own, see `planned_changes`). Deletion protection off changes the two load balancer stacks;
destroy goes in reverse (load balancer stacks, then the environment stack) and leaves nothing live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from constructs_ab.emulator.deployment import CheckResult, Deployment
from constructs_ab.emulator.server import Emulator
from constructs_ab.emulator.spec_copy import disable_deletion_protection, edit_spec_file
from constructs_ab.terraform.runner import RunResult
from constructs_ab.terraform.toolchain import Toolchain

pytestmark = pytest.mark.e2e

SPEC = Path(__file__).parent / "fixtures" / "per-load-balancer.yaml"
STACKS = ["dev", "dev--models", "dev--gateway"]
#: What every plan on the emulator shows: moto returns a security group rule that names another group
#: without its description, so Terraform plans to set it again (the same after any apply, either layout).
EMULATOR_DRIFT = re.compile(r"# aws_vpc_security_group_(?:in|e)gress_rule\.\S+ will be updated in-place$")


@dataclass
class Run:
    """What the module's one run saw."""

    stacks: list[str]
    applied: dict[str, RunResult]
    check: CheckResult
    before: dict[str, dict[str, bytes]]
    changed: tuple[str, ...]
    after: dict[str, dict[str, bytes]]
    change_applied: dict[str, RunResult]
    change_check: CheckResult
    plans: dict[str, RunResult]
    protection_changed: tuple[str, ...]
    protection_applied: dict[str, RunResult]
    destroyed: dict[str, RunResult]
    left: dict[str, int]
    topics_left: list[str]
    states: dict[str, bool]


def _set_weight(tree: Any) -> None:
    chat = next(e for e in tree["environments"]["dev"]["experiments"] if e["name"] == "chat")
    chat["variants"][0]["weight"], chat["variants"][1]["weight"] = 69, 31


@pytest.fixture(scope="module")
def run(emulator_toolchain: Toolchain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    workspace = tmp_path_factory.mktemp("per-load-balancer")
    with Emulator(log=workspace / "emulator.log") as endpoint:
        deployment = Deployment(emulator_toolchain, endpoint, SPEC, workspace / "deployment")
        deployment.prepare()
        stacks = deployment.stack_names()
        applied = deployment.apply()
        check = deployment.check()["dev"]
        before = {name: deployment.synthesized_files(name) for name in stacks}
        changed = deployment.change(lambda path: edit_spec_file(path, _set_weight))
        after = {name: deployment.synthesized_files(name) for name in stacks}
        change_applied = deployment.apply(changed_only=True)
        change_check = deployment.check()["dev"]
        plans = deployment.plan()
        protection_changed = deployment.change(lambda path: edit_spec_file(path, disable_deletion_protection))
        protection_applied = deployment.apply(changed_only=True)
        destroyed = deployment.destroy()
        sns = endpoint.client("sns", "eu-west-1")
        yield Run(
            stacks=stacks,
            applied=applied,
            check=check,
            before=before,
            changed=changed,
            after=after,
            change_applied=change_applied,
            change_check=change_check,
            plans=plans,
            protection_changed=protection_changed,
            protection_applied=protection_applied,
            destroyed=destroyed,
            left=dict(deployment.live_resources("dev")),
            topics_left=[t["TopicArn"] for t in sns.list_topics()["Topics"]],
            states={name: (deployment.stacks_dir / name / "terraform.tfstate").is_file() for name in stacks},
        )


def planned_changes(plan: RunResult) -> list[str]:
    """The resource changes a plan lists (`# <address> will be created`, `... must be replaced`), less the
    emulator's own (EMULATOR_DRIFT)."""
    lines = [line.strip() for line in plan.output.splitlines()]
    return [
        line
        for line in lines
        if line.startswith("# ")
        and (" will be " in line or " must be " in line)
        and not EMULATOR_DRIFT.search(line)
    ]


def _ok(results: dict[str, RunResult]) -> None:
    failed = {name: result.describe() for name, result in results.items() if not result.ok}
    assert failed == {}


def test_each_stack_applies_in_its_own_run_with_its_own_state(run: Run) -> None:
    assert run.stacks == STACKS
    assert list(run.applied) == STACKS  # the environment stack ran first (a wave of its own)
    _ok(run.applied)
    assert all(result.args[0] == "apply" for result in run.applied.values())
    assert run.states == dict.fromkeys(STACKS, True)
    assert "aws_sns_topic" in run.before["dev"]["cdk.tf.json"].decode()
    assert "aws_lb_listener_rule" not in run.before["dev"]["cdk.tf.json"].decode()


def test_both_load_balancers_rules_and_target_groups_are_live(run: Run) -> None:
    assert run.check.problems == ()
    live = run.check.live
    assert sorted(live.load_balancers) == ["dev-gateway", "dev-models"]
    assert len(live.target_groups) == 4
    assert all(lb.rules for lb in live.load_balancers.values())


def test_a_one_weight_change_changes_and_applies_one_stack(run: Run) -> None:
    assert run.changed == ("dev--gateway",)
    assert [name for name in STACKS if run.before[name] != run.after[name]] == ["dev--gateway"]
    assert list(run.change_applied) == ["dev--gateway"]
    _ok(run.change_applied)
    assert run.change_check.problems == ()
    chat = next(
        rule
        for rule in run.change_check.live.load_balancers["dev-gateway"].rules.values()
        if dict(rule.tags).get("ab-role") == "split"
    )
    assert [weight for _, weight in chat.forward] == [69, 31]
    # no stack, applied or not, plans a change
    assert list(run.plans) == STACKS and all(plan.returncode in (0, 2) for plan in run.plans.values())
    assert {name: planned_changes(plan) for name, plan in run.plans.items()} == dict.fromkeys(STACKS, [])


def test_destroy_goes_in_reverse_and_leaves_nothing(run: Run) -> None:
    assert run.protection_changed == ("dev--models", "dev--gateway")
    _ok(run.protection_applied)
    assert list(run.destroyed)[-1] == "dev"  # after both load balancer stacks
    _ok(run.destroyed)
    assert run.left == {"load balancers": 0, "target groups": 0}
    assert run.topics_left == []


def test_planned_changes_leaves_out_only_the_emulators_drift(tmp_path: Path) -> None:
    output = (
        "  # aws_vpc_security_group_egress_rule.lb_to-model-servers_6D663451 will be updated in-place\n"
        "  # aws_lb_listener_rule.split_ABC will be updated in-place\n"
        "  # aws_lb_target_group.a_DEF must be replaced\n"
    )
    plan = RunResult(args=("plan",), workdir=tmp_path, returncode=2, output=output, seconds=1.0)
    assert planned_changes(plan) == [
        "# aws_lb_listener_rule.split_ABC will be updated in-place",
        "# aws_lb_target_group.a_DEF must be replaced",
    ]
