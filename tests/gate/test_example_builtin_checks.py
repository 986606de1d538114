"""The real example passes the gate, and the set of built-in Checkov checks that run on it is pinned: a new
Checkov version, a new resource or a changed skip list shows up here as a reviewed diff."""

from __future__ import annotations

import pytest

from constructs_ab.gate.config import OUR_STACKS_CONFIG
from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import run_checkov

BUILT_IN_CHECKS_ON_THE_EXAMPLE = [
    "CKV2_AWS_20",
    "CKV2_AWS_28",
    "CKV2_AWS_31",
    "CKV2_AWS_40",
    "CKV2_AWS_6",
    "CKV2_AWS_61",
    "CKV2_AWS_64",
    "CKV2_AWS_65",
    "CKV2_AWS_74",
    "CKV2_AWS_76",
    "CKV_AWS_1",
    "CKV_AWS_103",
    "CKV_AWS_107",
    "CKV_AWS_108",
    "CKV_AWS_109",
    "CKV_AWS_110",
    "CKV_AWS_111",
    "CKV_AWS_131",
    "CKV_AWS_150",
    "CKV_AWS_158",
    "CKV_AWS_175",
    "CKV_AWS_19",
    "CKV_AWS_192",
    "CKV_AWS_2",
    "CKV_AWS_20",
    "CKV_AWS_21",
    "CKV_AWS_227",
    "CKV_AWS_23",
    "CKV_AWS_24",
    "CKV_AWS_25",
    "CKV_AWS_26",
    "CKV_AWS_261",
    "CKV_AWS_277",
    "CKV_AWS_283",
    "CKV_AWS_300",
    "CKV_AWS_328",
    "CKV_AWS_319",
    "CKV_AWS_33",
    "CKV_AWS_338",
    "CKV_AWS_342",
    "CKV_AWS_356",
    "CKV_AWS_358",
    "CKV_AWS_382",
    "CKV_AWS_41",
    "CKV_AWS_49",
    "CKV_AWS_53",
    "CKV_AWS_54",
    "CKV_AWS_55",
    "CKV_AWS_56",
    "CKV_AWS_57",
    "CKV_AWS_66",
    "CKV_AWS_7",
    "CKV_AWS_91",
    "CKV_AWS_93",
]
CUSTOM_CHECKS = [f"CKV_ABT_{n}" for n in range(1, 21)] + ["CKV2_ABT_1", "CKV2_ABT_2"]


@pytest.fixture(scope="module")
def run(example):
    stacks, _ = example
    planned = plan_stacks([str(stacks)])
    assert [(stack.name, stack.ours, stack.config.source) for stack in planned] == [
        ("prod", True, OUR_STACKS_CONFIG),
        ("staging", True, OUR_STACKS_CONFIG),
    ]
    return run_checkov(planned), planned[0].config


def test_the_example_passes_every_check_that_runs(run):
    gate_run, _ = run
    assert [(r.check_id, r.resource) for r in gate_run.report.failed_checks] == []
    assert gate_run.report.parsing_errors == []


def test_pins_the_built_in_checks_that_run_on_the_example(run):
    gate_run, _ = run
    ran = {r.check_id for r in gate_run.report.passed_checks + gate_run.report.failed_checks}
    assert sorted(ran - set(CUSTOM_CHECKS)) == sorted(BUILT_IN_CHECKS_ON_THE_EXAMPLE)


def test_every_custom_check_applies_to_the_example(run):
    gate_run, _ = run
    ran = {r.check_id for r in gate_run.report.passed_checks}
    assert set(CUSTOM_CHECKS) <= ran


def test_every_configured_skip_has_a_reason_and_is_not_run(run):
    gate_run, config = run
    assert config.skipped, "our stacks' configuration skips checks"
    ran = {r.check_id for r in gate_run.report.passed_checks + gate_run.report.failed_checks}
    for check_id, reason in config.skipped.items():
        assert len(reason) > 20, check_id
        assert check_id not in ran
