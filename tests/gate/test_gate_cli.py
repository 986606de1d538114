"""`python -m constructs_ab gate`: exit codes 0/1/2, one-line input errors, and every output format."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest

from constructs_ab.gate.cli import main

from .conftest import FIXTURES, example_stack_directory

# The official SARIF 2.1.0 JSON schema is not on this machine (neither Checkov nor jsonschema ships it, and it
# cannot be downloaded here), so this is a hand-written subset: the properties SARIF 2.1.0 requires of a log,
# a run, a tool driver, a result and its location, which code scanning needs to show a finding on a line.
SARIF_2_1_0_REQUIRED_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string"},
                        "rules": {"type": "array", "items": {"type": "object", "required": ["id"]}},
                    }},
                }},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["ruleId", "message", "locations"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "locations": {"type": "array", "items": {
                            "type": "object", "required": ["physicalLocation"], "properties": {
                                "physicalLocation": {"type": "object", "required": ["artifactLocation", "region"], "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"]},
                                    "region": {"type": "object", "required": ["startLine"],
                                               "properties": {"startLine": {"type": "integer", "minimum": 1}}},
                                }},
                            }}},
                    },
                }},
            },
        }},
    },
}


@pytest.fixture(scope="module")
def failing_stack(tmp_path_factory):
    """The example with one target group's health check removed (fails CKV2_ABT_1 and CKV_AWS_261)."""
    stacks, _ = example_stack_directory()
    root = tmp_path_factory.mktemp("failing")
    shutil.copytree(stacks, root, dirs_exist_ok=True)
    path = next(root.rglob("cdk.tf.json"))
    document = json.loads(path.read_text())
    group = next(g for g in document["resource"]["aws_lb_target_group"].values() if g.get("tags", {}).get("variant") == "sentiment-b")
    group.pop("health_check")
    path.write_text(json.dumps(document, indent=2))
    return root


def gate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_passing_example_exits_0_with_a_summary_by_stack(capsys):
    stacks, config = example_stack_directory()
    code, out, err = gate(capsys, "--config", str(config), str(stacks))
    assert (code, err) == (0, "")
    assert "stack prod:" in out and "all checks passed" in out
    assert "sentiment-a=80.0%, sentiment-b=20.0%" in out
    assert out.rstrip().endswith("gate: PASSED")


def test_fails_with_exit_1_and_names_construct_check_and_fix(capsys, failing_stack):
    _, config = example_stack_directory()
    code, out, _ = gate(capsys, "--config", str(config), str(failing_stack))
    assert code == 1
    assert "(construct prod/sentiment-abtest/sentiment-b/target-group)" in out
    assert "FAILED CKV2_ABT_1: Ensure every target group that receives weighted traffic has a health check" in out
    assert "fix: Add a health_check block" in out
    assert out.rstrip().endswith("gate: FAILED")


def test_sarif_validates_and_lists_the_failure(capsys, failing_stack, tmp_path):
    _, config = example_stack_directory()
    output = tmp_path / "gate.sarif"
    code, _, _ = gate(capsys, "--config", str(config), "--format", "sarif", "--output", str(output), str(failing_stack))
    assert code == 1
    sarif = json.loads(output.read_text())
    jsonschema.validate(sarif, SARIF_2_1_0_REQUIRED_SUBSET)
    assert "CKV2_ABT_1" in {result["ruleId"] for result in sarif["runs"][0]["results"]}


def test_junit_parses_and_has_a_failure_per_failed_check(capsys, failing_stack):
    _, config = example_stack_directory()
    code, out, _ = gate(capsys, "--config", str(config), "--format", "junit", str(failing_stack))
    assert code == 1
    tree = ElementTree.fromstring(out)
    failures = [case for case in tree.iter("testcase") if case.find("failure") is not None]
    assert any("CKV2_ABT_1" in (case.get("name") or "") for case in failures)


def test_json_has_construct_path_and_stack_for_each_result(capsys, failing_stack):
    _, config = example_stack_directory()
    code, out, _ = gate(capsys, "--config", str(config), "--format", "json", str(failing_stack))
    assert code == 1
    document = json.loads(out)
    failed = document["results"]["failed_checks"]
    entry = next(r for r in failed if r["check_id"] == "CKV2_ABT_1")
    assert entry["stack"] == "prod"
    assert entry["construct_path"] == "prod/sentiment-abtest/sentiment-b/target-group"
    assert document["skipped_by_configuration"][0]["check_id"] == "CKV_AWS_378"
    assert document["summary"]["failed"] >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/dir"], "error: no/such/dir: no such file or directory"),
        (["--format", "xml", "x"], "invalid choice: 'xml'"),
        (["--config", "no-such.yaml", str(FIXTURES / "seed-classic")], "no-such.yaml: Checkov configuration file not found"),
        (["--rules-quota", "0", "x"], "--rules-quota: 0 is not allowed"),
    ],
)
def test_fails_with_exit_2_and_one_line_on_usage_errors(capsys, args, message):
    code, out, err = gate(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.tf.json", '{"resource": {', "invalid JSON at line 1, column 15"),
        ("not-terraform.json", '{"name": "x"}', "not a Terraform JSON configuration"),
        ("broken.tf", 'resource "aws_lb" "x" {\n', "cannot be parsed as Terraform"),
        ("notes.txt", "hello", "not a Terraform file"),
    ],
)
def test_fails_with_exit_2_on_input_that_is_not_terraform(capsys, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    code, out, err = gate(capsys, "--config", "/dev/null", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_output_file_is_not_written_on_input_error(capsys, tmp_path):
    output = tmp_path / "out.sarif"
    code, _, _ = gate(capsys, "--format", "sarif", "--output", str(output), str(tmp_path / "missing"))
    assert code == 2 and not output.exists()
