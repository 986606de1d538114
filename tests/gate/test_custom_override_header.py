"""A spec whose override rules use another header (`override: {header: X-Force-Model}`, as the README
documents) passes its own gate: CKV_ABT_7 reads the header from the split rule's `ab-override-header` tag
instead of assuming X-Model-Variant."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from constructs_ab.gate.cli import main

from .conftest import EXAMPLE_SPEC, REPOSITORY_CONFIG, REPOSITORY_ROOT


@pytest.fixture(scope="module")
def custom_header_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # GIVEN the example spec with sentiment-abtest's override rules on X-Force-Model, synthesized as
    # `make synth` does
    root = tmp_path_factory.mktemp("custom-header")
    yaml = YAML()
    data = yaml.load(EXAMPLE_SPEC.read_text())
    experiment = data["environments"]["prod"]["experiments"][0]
    assert experiment["name"] == "sentiment-abtest"
    experiment["override"]["header"] = "X-Force-Model"  # its source_ips kept
    spec = root / "spec.yaml"
    with spec.open("w") as stream:
        yaml.dump(data, stream)
    outdir = root / "cdktf.out"
    result = subprocess.run(
        [sys.executable, "main.py", "--spec", str(spec), "--outdir", str(outdir)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return outdir


def test_the_override_rules_match_the_custom_header(custom_header_output: Path) -> None:
    document = json.loads((custom_header_output / "stacks" / "prod" / "cdk.tf.json").read_text())
    rules = [
        rule
        for rule in document["resource"]["aws_lb_listener_rule"].values()
        if rule["tags"]["experiment"] == "sentiment-abtest"
    ]
    headers = {
        condition["http_header"]["http_header_name"]
        for rule in rules
        for condition in rule["condition"]
        if "http_header" in condition
    }
    assert headers == {"X-Force-Model"}
    (split,) = [rule for rule in rules if rule["tags"]["ab-role"] == "split"]
    assert split["tags"]["ab-override-header"] == "X-Force-Model"


def test_the_custom_header_spec_passes_the_gate_and_ckv_abt_7_checks_its_override_rules(
    custom_header_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # WHEN the gate checks the output with the repository's configuration
    code = main(["--config", str(REPOSITORY_CONFIG), "--format", "json", str(custom_header_output)])
    report = json.loads(capsys.readouterr().out)
    # THEN it passes, and CKV_ABT_7 passed every override rule of both experiments (not UNKNOWN)
    assert code == 0
    assert [r for r in report["results"]["failed_checks"] if r["check_id"] == "CKV_ABT_7"] == []
    passed = [r["resource"] for r in report["results"]["passed_checks"] if r["check_id"] == "CKV_ABT_7"]
    # the override rules (named by load balancer and priority): sentiment's 2 in prod and staging, chat's 3
    assert len(passed) == len(set(passed)) == 2 * 2 + 3
    assert all(re.fullmatch(r"aws_lb_listener_rule\.lb-[a-z]+_rule-[0-9]+", name) for name in passed)
