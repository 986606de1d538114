"""One discovery for the gate and the review: which files, which folders are skipped, how files group into
stacks and what the stacks are called."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_ab.gate.plan import plan_stacks
from constructs_ab.review.reader import load_traffic
from constructs_ab.tfjson.discovery import FileKind, discover
from constructs_ab.tfjson.errors import TerraformInputError

LISTENER = {
    "resource": {
        "aws_lb": {"lb": {"name": "lb"}},
        "aws_lb_listener": {
            "http": {
                "load_balancer_arn": "${aws_lb.lb.arn}",
                "port": 80,
                "default_action": {"type": "fixed-response", "fixed_response": {"status_code": "404"}},
            }
        },
    }
}


def cdktf_stack(name: str) -> dict:
    return {"//": {"metadata": {"stackName": name, "version": "0.21.0"}}, **LISTENER}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A checkout with cdktf output, a hand-written directory of two files, and folders to skip."""
    files = {
        "cdktf.out/manifest.json": {"version": "0.21.0", "stacks": {}},
        "cdktf.out/stacks/prod/cdk.tf.json": cdktf_stack("prod"),
        "cdktf.out/stacks/staging/cdk.tf.json": cdktf_stack("staging"),
        "infra/main.tf.json": LISTENER,
        "infra/variables.tf.json": {"variable": {"x": {}}},
        "infra/.terraform/modules/m/main.tf.json": LISTENER,
        "infra/__pycache__/x.tf.json": LISTENER,
        "node_modules/pkg/main.tf.json": LISTENER,
        ".hidden/main.tf.json": LISTENER,
    }
    for relative, document in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(json.dumps(document))
    (tmp_path / "infra" / "extra.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    return tmp_path


def test_stacks_are_cdktf_stack_files_and_directories(tree, monkeypatch):
    monkeypatch.chdir(tree)
    stacks = discover(["."])
    assert [(s.name, str(s.location), s.cdktf) for s in stacks] == [
        ("prod", "cdktf.out/stacks/prod", True),
        ("staging", "cdktf.out/stacks/staging", True),
        ("infra", "infra", False),
    ]
    infra = stacks[2]
    assert [(str(f.path), f.kind) for f in infra.files] == [
        ("infra/extra.tf", FileKind.HCL),
        ("infra/main.tf.json", FileKind.JSON),
        ("infra/variables.tf.json", FileKind.JSON),
    ]


def test_a_file_named_on_the_command_line_is_its_own_stack_named_by_the_file(tree, monkeypatch):
    monkeypatch.chdir(tree)
    (stack,) = discover(["infra/main.tf.json"])
    assert (stack.name, stack.files[0].kind) == ("main.tf.json", FileKind.JSON)
    (stack,) = discover(["cdktf.out/stacks/prod/cdk.tf.json"])
    assert stack.name == "prod"


def test_repeated_names_are_qualified_by_path_and_files_read_once(tree, monkeypatch):
    monkeypatch.chdir(tree)
    (tree / "copy").mkdir()
    (tree / "copy" / "cdk.tf.json").write_text(json.dumps(cdktf_stack("prod")))
    names = [s.name for s in discover(["cdktf.out", "copy", "cdktf.out/stacks/prod"])]
    assert names == ["prod (cdktf.out/stacks/prod)", "staging", "prod (copy)"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "missing: no such file or directory"),
        ("broken.tf.json", '{"resource": {', "invalid JSON at line 1, column 15"),
        ("list.json", "[1, 2]", "not a Terraform JSON configuration"),
        ("notes.txt", "hello", "not a Terraform file (expected *.tf, *.tf.json or a directory)"),
    ],
)
def test_unusable_paths_are_one_line_errors(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        Path(name).write_text(content)
    with pytest.raises(TerraformInputError) as error:
        discover([name])
    assert str(error.value).startswith(f"{name}: ") and message in str(error.value)


def test_the_gate_and_the_review_see_the_same_stacks(tree, monkeypatch):
    # the review shows the stacks that have listeners; the gate checks all of them, under the same names
    monkeypatch.chdir(tree)
    gate_names = [stack.name for stack in plan_stacks(["."])]
    review_names = [stack.name for stack in load_traffic(["."]).stacks]
    assert gate_names == ["prod", "staging", "infra"]
    assert review_names == ["infra", "prod", "staging"]
    assert load_traffic(["."]).stacks[0].sources == ("infra/main.tf.json", "infra/variables.tf.json")


def test_the_review_and_the_gate_read_a_float_weight_alike(tmp_path):
    # GIVEN a weighted forward whose weight is written 80.0
    document = {
        "resource": {
            "aws_lb_listener": {"l": {"port": 443, "protocol": "HTTPS"}},
            "aws_lb_listener_rule": {
                "r": {
                    "listener_arn": "${aws_lb_listener.l.arn}",
                    "priority": 1,
                    "action": {
                        "type": "forward",
                        "forward": {
                            "target_group": [{"arn": "a", "weight": 80.0}, {"arn": "b", "weight": 20}]
                        },
                    },
                }
            },
        }
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(document))
    # THEN the review does not show it as 80 (the gate's CKV_ABT_1 rejects it: not an integer)
    (rule,) = load_traffic([tmp_path]).stacks[0].load_balancers[0].listeners[0].rules
    assert [target.weight for target in rule.action.targets] == [None, 20]  # type: ignore[union-attr]
