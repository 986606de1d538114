"""`python -m constructs_ab gate`: exit codes 0/1/2, one-line input errors, and every output format."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from constructs_ab.gate.cli import main

from .conftest import FIXTURES, HAND_MADE_EXAMPLE

REPO = Path(__file__).resolve().parents[2]

# The official SARIF 2.1.0 JSON schema (OASIS, rtm.5), as shipped in the npm package @microsoft/jest-sarif,
# a development dependency in package.json that `make test` installs with `npm ci`.
SARIF_SCHEMA = (
    REPO / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"
)


@pytest.fixture(scope="module")
def failing_stack(tmp_path_factory, example):
    """The example with one target group's health check removed (fails CKV2_ABT_1 and CKV_AWS_261)."""
    stacks, config = example
    root = tmp_path_factory.mktemp("failing")
    shutil.copytree(stacks, root, dirs_exist_ok=True)
    path = next(p for p in root.rglob("cdk.tf.json") if p.parent.name == "prod")
    document = json.loads(path.read_text())
    group = next(
        g
        for g in document["resource"]["aws_lb_target_group"].values()
        if g.get("tags", {}).get("variant") == "sentiment-b"
    )
    group.pop("health_check")
    path.write_text(json.dumps(document, indent=2))
    return root, group["//"]["metadata"]["path"], config


def gate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_passing_example_exits_0_with_a_summary_by_stack(capsys, example):
    stacks, config = example
    code, out, err = gate(capsys, "--config", str(config), str(stacks))
    assert (code, err) == (0, "")
    assert "stack prod (ours): " in out and "stack staging (ours): " in out and "FAILED" not in out
    assert "sentiment-a=80.0%, sentiment-b=20.0%" in out
    assert "llama-8b=60.0%, mistral-7b=30.0%, qwen-7b=10.0%" in out
    assert out.rstrip().endswith("gate: PASSED")


def test_hand_made_contract_fixture_passes(capsys):
    # a stack written by hand to our Terraform JSON contract, not by our synth: it carries our contract,
    # so it is held to our stacks' bar (our skips, nothing more)
    code, out, err = gate(capsys, str(HAND_MADE_EXAMPLE))
    assert (code, err) == (0, "")
    assert "sentiment-a=80.0%, sentiment-b=20.0%" in out
    assert out.rstrip().endswith("gate: PASSED")


def test_fails_with_exit_1_and_names_construct_check_and_fix(capsys, failing_stack):
    root, construct, config = failing_stack
    code, out, _ = gate(capsys, "--config", str(config), str(root))
    assert code == 1
    assert f"(construct {construct})" in out
    assert (
        "FAILED CKV2_ABT_1: Ensure every target group that receives weighted traffic has a health check"
        in out
    )
    assert "fix: Add a health_check block" in out
    assert out.rstrip().endswith("gate: FAILED")


def test_sarif_validates_and_lists_the_failure(capsys, failing_stack, tmp_path):
    output = tmp_path / "gate.sarif"
    code, _, _ = gate(
        capsys,
        "--config",
        str(failing_stack[2]),
        "--format",
        "sarif",
        "--output",
        str(output),
        str(failing_stack[0]),
    )
    assert code == 1
    sarif = json.loads(output.read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(sarif)
    assert "CKV2_ABT_1" in {result["ruleId"] for result in sarif["runs"][0]["results"]}


def test_junit_parses_and_has_a_failure_per_failed_check(capsys, failing_stack):
    code, out, _ = gate(capsys, "--config", str(failing_stack[2]), "--format", "junit", str(failing_stack[0]))
    assert code == 1
    tree = ElementTree.fromstring(out)
    failures = [case for case in tree.iter("testcase") if case.find("failure") is not None]
    assert any("CKV2_ABT_1" in (case.get("name") or "") for case in failures)


def test_json_has_construct_path_and_stack_for_each_result(capsys, failing_stack):
    root, construct, config = failing_stack
    code, out, _ = gate(capsys, "--config", str(config), "--format", "json", str(root))
    assert code == 1
    document = json.loads(out)
    failed = document["results"]["failed_checks"]
    entry = next(r for r in failed if r["check_id"] == "CKV2_ABT_1")
    assert entry["stack"] == "prod"
    assert entry["construct_path"] == construct
    prod = next(stack for stack in document["stacks"] if stack["name"] == "prod")
    assert prod["ours"] is True and prod["configuration"].endswith(
        "constructs_ab/gate/our_stacks.checkov.yaml"
    )
    assert prod["skipped_by_configuration"][0]["check_id"] == "CKV_AWS_378"
    assert document["summary"]["failed"] >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/dir"], "gate: no/such/dir: no such file or directory"),
        (["--format", "xml", "x"], "invalid choice: 'xml'"),
        (
            ["--config", "no-such.yaml", str(FIXTURES / "seed-classic")],
            "no-such.yaml: Checkov configuration file not found",
        ),
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
