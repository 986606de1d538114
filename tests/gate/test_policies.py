"""Every custom policy, run through Checkov itself (the gate's in-process runner) on pass and fail
scenarios, in Terraform JSON and in HCL: exact check id, exact passing and failing resource addresses."""

from __future__ import annotations

import pytest

from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import run_checkov

from .conftest import FIXTURES, results_by
from .policy_scenarios import scenarios

POLICY_FIXTURES = FIXTURES / "policies"
RULES_QUOTA_FOR_FIXTURES = 3  # CKV_ABT_6's scenario: 3 rules pass, 4 fail


@pytest.fixture(scope="module")
def report():
    # GIVEN every scenario folder, JSON and HCL; WHEN Checkov runs once over all of them
    run = run_checkov(plan_stacks([str(POLICY_FIXTURES)]), rules_per_load_balancer=RULES_QUOTA_FOR_FIXTURES)
    assert run.report.parsing_errors == []
    return run.report


def expected(check_id: str) -> tuple[set[str], set[str]]:
    passing, failing = set(), set()
    for resource_type, resources in scenarios()[check_id]["resource"].items():
        for name in resources:
            if name.startswith("pass_"):
                passing.add(f"{resource_type}.{name}")
            elif name.startswith("fail_"):
                failing.add(f"{resource_type}.{name}")
    return passing, failing


@pytest.mark.parametrize("syntax", ["json", "hcl"])
@pytest.mark.parametrize("check_id", sorted(scenarios()))
def test_policy_passes_and_fails_exactly_the_named_scenarios(report, check_id, syntax):
    passing, failing = expected(check_id)
    assert failing, "every policy has a failing scenario"
    passed, failed = results_by(report, check_id, POLICY_FIXTURES / syntax / check_id)
    # THEN exactly the fail_ resources fail and exactly the pass_ resources pass (the others are UNKNOWN)
    assert failed == failing
    assert passed == passing


def test_fixtures_on_disk_match_the_scenarios():
    import json

    for check_id, document in scenarios().items():
        on_disk = json.loads((POLICY_FIXTURES / "json" / check_id / "main.tf.json").read_text())
        assert on_disk == document, f"rerun `python -m tests.gate.policy_scenarios` ({check_id})"


def test_every_custom_policy_has_a_guideline_and_an_ensure_name(report):
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    python_checks = {check.id: check for _, check in resource_registry.all_checks() if "_ABT_" in check.id}
    graph_checks = {
        check.id: check for check in get_graph_checks_registry("terraform").checks if "_ABT_" in check.id
    }
    assert sorted(python_checks) == sorted(f"CKV_ABT_{n}" for n in range(1, 21))
    assert sorted(graph_checks) == ["CKV2_ABT_1", "CKV2_ABT_2"]
    for check in [*python_checks.values(), *graph_checks.values()]:
        assert check.name.startswith("Ensure "), check.id
        assert check.guideline and len(check.guideline) > 30, check.id
