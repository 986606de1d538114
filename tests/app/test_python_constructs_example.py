"""examples/python_constructs.py, the README's "use the constructs from Python" example, synthesizes the
80/20 experiment without a spec file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from cdktf import Testing as CdktfTesting
from cdktf import TerraformStack

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
    assert overrides == [(100, "model-a"), (101, "model-b")] and split["priority"] == 102
    health_paths = sorted(
        tg["health_check"]["path"] for tg in document["resource"]["aws_lb_target_group"].values()
    )
    assert health_paths == ["/health", "/ready"]
