"""The seed's classic configuration (plain HTTP listener, no health check on B, no access logs, no deletion
protection, stickiness not declared, 80/20 on /abtest) fails the gate with the expected ids."""

from __future__ import annotations

import pytest

from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.runner import run_checkov

from .conftest import FIXTURES

EXPECTED_FAILURES = {
    # built-in
    ("CKV_AWS_2", "aws_lb_listener.http"),  # listener protocol is HTTP
    ("CKV2_AWS_20", "aws_lb.classic"),  # HTTP is not redirected to HTTPS
    ("CKV_AWS_91", "aws_lb.classic"),  # no access logs
    ("CKV_AWS_150", "aws_lb.classic"),  # no deletion protection
    ("CKV_AWS_131", "aws_lb.classic"),  # invalid header fields not dropped
    ("CKV2_AWS_28", "aws_lb.classic"),  # no WAF on a public load balancer
    ("CKV_AWS_261", "aws_lb_target_group.model_b"),  # no health check on B
    # ours
    ("CKV2_ABT_1", "aws_lb_target_group.model_b"),  # B receives 20% without a health check
    ("CKV2_ABT_2", "aws_lb_listener_rule.abtest"),  # the split hangs off the HTTP listener
    ("CKV_ABT_3", "aws_lb_listener_rule.abtest"),  # stickiness not declared
    ("CKV_ABT_9", "aws_lb_target_group.model_a"),  # A and B take weighted traffic with no guardrail alarms
    ("CKV_ABT_9", "aws_lb_target_group.model_b"),
    ("CKV_ABT_19", "aws_lb.classic"),  # a public load balancer without a rate-limiting web ACL
}


#: What our policies pass on it (every other resource of theirs is UNKNOWN or not of their type).
EXPECTED_OURS_PASSING = {
    ("CKV2_ABT_1", "aws_lb_target_group.model_a"),
    ("CKV_ABT_1", "aws_lb_listener_rule.abtest"),
    ("CKV_ABT_10", "aws_lb_target_group.model_a"),
    ("CKV_ABT_12", "aws_lb.classic"),
    ("CKV_ABT_12", "aws_lb_target_group.model_a"),
    ("CKV_ABT_12", "aws_lb_target_group.model_b"),
    ("CKV_ABT_14", "aws_lb_listener_rule.abtest"),
    ("CKV_ABT_2", "aws_lb_listener_rule.abtest"),
    ("CKV_ABT_20", "aws_lb_listener_rule.abtest"),  # its only rule: nothing shadows it
    ("CKV_ABT_4", "aws_lb_listener_rule.abtest"),
    ("CKV_ABT_4", "aws_lb_target_group.model_a"),
    ("CKV_ABT_4", "aws_lb_target_group.model_b"),
    ("CKV_ABT_5", "aws_lb_listener_rule.abtest"),
    ("CKV_ABT_6", "aws_lb.classic"),
}


def ours(results: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {result for result in results if "_ABT_" in result[0]}


@pytest.fixture(scope="module")
def report():
    return run_checkov(plan_stacks([str(FIXTURES / "seed-classic")])).report


@pytest.fixture(scope="module")
def failures(report):
    return {(record.check_id, record.resource) for record in report.failed_checks}


def test_fails_the_seed_classic_configuration_with_the_expected_ids(failures):
    assert EXPECTED_FAILURES <= failures, sorted(EXPECTED_FAILURES - failures)


def test_our_policies_fail_and_pass_exactly_the_expected_resources(report, failures):
    # built-in checks come and go with Checkov's versions; ours are held to exact sets both ways
    passing = {(record.check_id, record.resource) for record in report.passed_checks}
    assert ours(failures) == ours(EXPECTED_FAILURES)
    assert ours(passing) == EXPECTED_OURS_PASSING


def test_the_classic_split_itself_is_within_aws_limits(failures):
    # 80/20 over two target groups is a valid weighted forward: CKV_ABT_1 and CKV_ABT_2 do not fire
    assert not {f for f in failures if f[0] in ("CKV_ABT_1", "CKV_ABT_2")}
