"""The example applied to the emulator, then one change per `terraform apply`, each checked live with boto3
against what the spec declares (rules with priorities, conditions, weights and stickiness; target groups
with port, protocol and health check), then destroyed. Every change completes in its one apply (the
layout: docs/layout.md); a change that would not goes into changes.KNOWN_FAILURES with the AWS error
it hits, and its test gets `pytest.mark.xfail(strict=True, raises=StepFailed)`.

Target groups are named `<environment>-<variant>-<hash of the settings that replace them>`; the tests
compare the `<environment>-<variant>` stem (`stem`), and the live check of every step compares the full
names with the spec's."""

from __future__ import annotations

import pytest

from constructs_ab.emulator.routing_state import EnvironmentState, RuleState, TargetGroupState
from constructs_ab.routing.conditions import Condition
from tests.e2e.changes import CHANGES, ISOLATED, KNOWN_FAILURES, LINES
from tests.e2e.scenario import Scenario, StepOutcome

pytestmark = pytest.mark.e2e


class StepFailed(AssertionError):
    """The step's apply failed or the live state differs from the spec."""


def passed(scenario: Scenario, name: str) -> StepOutcome:
    """The step's outcome, once its apply succeeded and the live state matched the spec."""
    outcome = scenario.step(name)
    assert outcome.error is None, outcome.error  # the harness itself failed: never an expected failure
    assert outcome.synth_untouched, f"{name}: a terraform run changed the synthesized stack files"
    if not outcome.passed:
        raise StepFailed(f"{name}: {outcome.failure()}")
    return outcome


def stem(name: str) -> str:
    """A target group's AWS name without its replacement hash: `<environment>-<variant>`."""
    return name.rsplit("-", 1)[0]


def forward(rule: RuleState) -> tuple[tuple[str, int], ...]:
    return tuple((stem(name), weight) for name, weight in rule.forward)


def groups(live: EnvironmentState) -> list[str]:
    return sorted(stem(name) for name in live.target_groups)


def group(live: EnvironmentState, name: str) -> TargetGroupState:
    (found,) = [g for full, g in live.target_groups.items() if stem(full) == name]
    return found


def rules_of(live: EnvironmentState, load_balancer: str) -> dict[int, RuleState]:
    return live.load_balancers[load_balancer].rules


def by_experiment(rules: dict[int, RuleState], experiment: str) -> dict[int, RuleState]:
    return {p: r for p, r in rules.items() if dict(r.tags).get("experiment") == experiment}


def split(rules: dict[int, RuleState], experiment: str) -> RuleState:
    (rule,) = [r for r in by_experiment(rules, experiment).values() if dict(r.tags)["ab-role"] == "split"]
    return rule


def test_the_example_applies_and_matches_the_spec_live(scenario: Scenario) -> None:
    prod = passed(scenario, "apply-example:prod").live
    staging = passed(scenario, "apply-example:staging").live
    assert prod is not None and staging is not None
    # prod: 2 experiments (2 + 3 variants, override on) on prod-public, 5 target groups
    rules = rules_of(prod, "prod-public")
    assert sorted(rules)[:3] == [100, 101, 105] and len(rules) == 7
    assert forward(rules[105]) == (("prod-sentiment-a", 80), ("prod-sentiment-b", 20))
    assert rules[105].stickiness == 3600
    assert rules[105].conditions == (Condition.path_patterns("/abtest", "/abtest/*"),)
    assert forward(rules[101]) == (("prod-sentiment-b", 1),) and rules[101].stickiness is None
    assert Condition.http_header("X-Model-Variant", "sentiment-b") in rules[101].conditions
    chat = split(rules, "chat-llm")
    assert forward(chat) == (("prod-llama-8b", 60), ("prod-mistral-7b", 30), ("prod-qwen-7b", 10))
    assert chat.stickiness == 86400
    assert Condition.http_request_methods("POST") in chat.conditions
    assert groups(prod) == [
        "prod-llama-8b",
        "prod-mistral-7b",
        "prod-qwen-7b",
        "prod-sentiment-a",
        "prod-sentiment-b",
    ]
    llama = group(prod, "prod-llama-8b")
    assert (llama.port, llama.protocol, llama.deregistration_delay, llama.slow_start) == (
        8000,
        "HTTP",
        120,
        300,
    )
    assert (llama.health_check.path, llama.health_check.interval, llama.health_check.unhealthy_threshold) == (
        "/health",
        10,
        2,
    )
    assert stem(prod.load_balancers["prod-public"].default_action) == "forward:prod-sentiment-a"
    # staging: one experiment, internal load balancer, default 404
    assert len(rules_of(staging, "staging-models")) == 3
    assert staging.load_balancers["staging-models"].internal
    assert staging.load_balancers["staging-models"].default_action == "fixed-404"


def test_emulator_settings_live_only_in_the_working_copies(scenario: Scenario) -> None:
    deployment = scenario.main_deployment
    assert deployment is not None
    for name in ("prod", "staging"):
        synthesized = deployment.synth_dir / "stacks" / name
        working = deployment.stacks_dir / name
        assert not list(synthesized.glob("*_override.tf.json"))
        assert sorted(p.name for p in working.glob("*_override.tf.json")) == [
            "emulator_override.tf.json",
            "local_backend_override.tf.json",
        ]
        assert (working / "terraform.tfstate").is_file() and not (synthesized / "terraform.tfstate").exists()


def test_promote_moves_the_split_to_50_50(scenario: Scenario) -> None:
    live = passed(scenario, "promote").live
    assert live is not None
    rules = rules_of(live, "prod-public")
    assert forward(rules[105]) == (("prod-sentiment-a", 50), ("prod-sentiment-b", 50))
    assert rules[105].stickiness == 3600


def test_set_weights_sets_every_weight(scenario: Scenario) -> None:
    live = passed(scenario, "set-weights").live
    assert live is not None
    chat = split(rules_of(live, "prod-public"), "chat-llm")
    assert forward(chat) == (("prod-llama-8b", 50), ("prod-mistral-7b", 30), ("prod-qwen-7b", 20))


def test_remove_variant_removes_its_rule_and_target_group(scenario: Scenario) -> None:
    live = passed(scenario, "remove-variant").live
    assert live is not None
    rules = rules_of(live, "staging-models")
    assert forward(split(rules, "sentiment-abtest")) == (
        ("staging-sentiment-a", 80),
        ("staging-sentiment-b", 20),
    )
    assert len(rules) == 3 and "staging-sentiment-c" not in groups(live)


def _before(scenario: Scenario, name: str, environment: str) -> EnvironmentState:
    """The live state a change started from: what the last earlier change run in its line left (after its
    second apply for a known failure), else the example's."""
    line = next(line for line in LINES if line[0].environment == environment)
    earlier = [c.name for c in line[: [c.name for c in line].index(name)] if c.name not in ISOLATED]
    live = (
        scenario.step(earlier[-1]).live_after
        if earlier
        else passed(scenario, f"apply-example:{environment}").live
    )
    assert live is not None
    return live


def test_rename_experiment_replaces_its_rules(scenario: Scenario) -> None:
    before = _before(scenario, "rename-experiment", "staging")
    live = passed(scenario, "rename-experiment").live
    assert live is not None
    old = by_experiment(rules_of(before, "staging-models"), "sentiment-abtest")
    rules = rules_of(live, "staging-models")
    assert by_experiment(rules, "sentiment-abtest") == {}
    renamed = by_experiment(rules, "sentiment-ab")
    assert len(renamed) == len(old) == len(rules)
    assert set(renamed).isdisjoint(old)  # no explicit priority: a new block, from the new name's hash
    assert forward(split(rules, "sentiment-ab")) == forward(split(old, "sentiment-abtest"))
    assert sorted(live.target_groups) == sorted(before.target_groups)  # full names: none replaced


def test_remove_experiment_removes_its_rules_and_target_groups(scenario: Scenario) -> None:
    live = passed(scenario, "remove-experiment").live
    assert live is not None
    rules = rules_of(live, "prod-public")
    assert sorted(rules) == [100, 101, 105] and by_experiment(rules, "chat-llm") == {}
    assert groups(live) == ["prod-sentiment-a", "prod-sentiment-b"]


def test_add_variant_with_override_rules(scenario: Scenario) -> None:
    live = passed(scenario, "add-variant").live
    assert live is not None
    rules = rules_of(live, "staging-models")
    assert len(rules) == 4
    assert forward(split(rules, "sentiment-abtest")) == (
        ("staging-sentiment-a", 70),
        ("staging-sentiment-b", 20),
        ("staging-sentiment-c", 10),
    )
    assert group(live, "staging-sentiment-c").port == 8080


def test_change_port_moves_the_target_group_and_its_rules(scenario: Scenario) -> None:
    before = _before(scenario, "change-port", "staging")
    live = passed(scenario, "change-port").live
    assert live is not None
    assert group(live, "staging-sentiment-a").port == 8081
    new_name = group(live, "staging-sentiment-a").name
    assert new_name not in before.target_groups  # a new group, created before the old one was deleted
    rules = rules_of(live, "staging-models")
    assert ("staging-sentiment-a", 80) in forward(split(rules, "sentiment-abtest"))  # by name: the live group


def test_add_load_balancer_creates_it_with_its_rules(scenario: Scenario) -> None:
    before = _before(scenario, "add-load-balancer", "staging")
    live = passed(scenario, "add-load-balancer").live
    assert live is not None
    assert live.load_balancers["staging-models"] == before.load_balancers["staging-models"]
    gateway = live.load_balancers["staging-gateway"]
    assert gateway.internal and gateway.idle_timeout == 120
    assert sorted(gateway.rules) == [10, 11, 15]  # override rules from 10, the split at 10 + 5
    assert forward(gateway.rules[15]) == (("staging-summarize-a", 90), ("staging-summarize-b", 10))
    assert gateway.rules[15].stickiness == 1800
    assert group(live, "staging-summarize-a").health_check.path == "/ready"


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_destroy_after_turning_deletion_protection_off(scenario: Scenario, environment: str) -> None:
    live = passed(scenario, f"deletion-protection-off:{environment}").live
    assert live is not None and len(live.load_balancers) == {"prod": 1, "staging": 2}[environment]
    assert not any(lb.deletion_protection for lb in live.load_balancers.values())
    passed(scenario, f"destroy:{environment}")


def test_known_failures_fail_with_the_recorded_aws_error(scenario: Scenario) -> None:
    for name, failure in KNOWN_FAILURES.items():
        outcome = scenario.step(name)
        assert outcome.error is None, outcome.error
        assert outcome.apply is not None
        if outcome.passed:
            continue  # fixed: its xfail(strict) test reports it; remove the entry
        assert any(failure.code in error for error in outcome.apply.errors), (name, outcome.apply.errors)
        if outcome.second_apply is None:
            assert name in ISOLATED  # run in a line, it is always followed by its second apply
            continue  # on its own emulator: AB_E2E_SECOND_APPLY=1 runs the second apply
        completed = outcome.second_apply_completed
        assert completed == failure.second_apply_completes, (
            name,
            outcome.second_apply.describe(),
            outcome.second_problems,
        )


#: Changes that create or delete listener rules or target groups: their plans have pairs of operations to
#: order (promote and set-weights only update a split in place).
ORDERED = ("add-variant", "remove-variant", "change-port", "rename-experiment", "remove-experiment")


def test_no_change_leaves_a_request_between_rule_sets(scenario: Scenario) -> None:
    # GIVEN each change's saved plan and its apply graph (terraform show -json, terraform graph -plan)
    for name in CHANGES:
        outcome = scenario.step(name)
        assert outcome.order is not None, f"{name}: the apply order was not read"
        # THEN Terraform deletes target groups after the rules stop forwarding to them, rules after the
        # new ones are in place, and updates a split after its override rules
        assert outcome.order.gaps == [], name
        if name in ORDERED:
            assert outcome.order.pairs > 0, f"{name}: nothing was ordered"


def test_every_change_is_covered(scenario: Scenario) -> None:
    assert set(CHANGES) <= set(scenario.steps)
    assert set(KNOWN_FAILURES) <= set(CHANGES)
