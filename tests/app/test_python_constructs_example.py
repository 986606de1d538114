"""examples/python_constructs.py and the README's "Using the constructs from Python" program synthesize the
80/20 experiment without a spec file."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from cdktf import TerraformStack
from cdktf import Testing as CdktfTesting

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python_constructs.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("python_constructs_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_python_example_synthesizes_the_classic_split_and_its_overrides() -> None:
    stack = TerraformStack(CdktfTesting.app(), "test")
    load_example().build(stack)
    document = json.loads(CdktfTesting.synth(stack))

    rules = document["resource"]["aws_lb_listener_rule"]
    (split,) = [rule for rule in rules.values() if rule["tags"]["ab-role"] == "split"]
    forward = split["action"][0]["forward"]
    assert [target["weight"] for target in forward["target_group"]] == [80, 20]
    assert forward["stickiness"] == {"enabled": True, "duration": 3600}
    overrides = sorted(
        (rule["priority"], rule["tags"]["variant"])
        for rule in rules.values()
        if rule["tags"]["ab-role"] == "override"
    )
    assert overrides == [(100, "model-a"), (101, "model-b")] and split["priority"] == 105
    health_paths = sorted(
        tg["health_check"]["path"] for tg in document["resource"]["aws_lb_target_group"].values()
    )
    assert health_paths == ["/health", "/ready"]


README = EXAMPLE.parents[1] / "README.md"


def readme_python_block() -> str:
    section = README.read_text().split("## Using the constructs from Python", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_program_runs_as_shown_and_writes_the_same_rules(tmp_path: Path) -> None:
    # GIVEN the README's program, run as a user would, from a directory of their own
    result = subprocess.run(
        [sys.executable, "-c", readme_python_block()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            **{key: value for key, value in os.environ.items() if key != "CHECKPOINT_DISABLE"},
            "PYTHONPATH": str(EXAMPLE.parents[1]),
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # offline, without CHECKPOINT_DISABLE: no error, no warning
    # THEN it writes the 80/20 split at 105 (P+5) after the override rules at 100 and 101
    document = json.loads((tmp_path / "cdktf.out" / "stacks" / "models" / "cdk.tf.json").read_text())
    rules = document["resource"]["aws_lb_listener_rule"].values()
    assert sorted((rule["priority"], rule["tags"]["ab-role"], rule["tags"]["variant"]) for rule in rules) == [
        (100, "override", "model-a"),
        (101, "override", "model-b"),
        (105, "split", "model-a model-b"),
    ]
