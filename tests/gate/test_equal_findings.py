"""The gate finds exactly what plain Checkov finds: every speedup, the units, the worker processes and the
result cache (cold and warm) change how fast, never what.

Plain Checkov is `plain_checkov.py`: Checkov's Terraform runner in a process of its own, unpatched, one
run over every file, no cache. The gate runs here with everything on: its speedups, a unit per stack, two
worker processes, and the result cache, first empty, then full. Both run with no skips, on the example,
on a generated spec spread over several load balancers and on the example split per load balancer; the
findings are (check id, file, resource, result, details) of every result.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.specs import generated_spec, load_balancer_count
from constructs_ab.gate.config import GateConfig
from constructs_ab.gate.plan import GateStack, plan_stacks
from constructs_ab.gate.result_cache import ResultCache
from constructs_ab.gate.runner import DEFAULT_POLICIES_DIRECTORY, run_checkov
from tests.split_example import write_split_spec

from .conftest import REPOSITORY_ROOT

PLAIN_CHECKOV = Path(__file__).with_name("plain_checkov.py")
GENERATED_EXPERIMENTS = 20  # two load balancers' worth (16 experiments fill one)


def _synth(spec: Path, outdir: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "main.py", "--spec", str(spec), "--outdir", str(outdir)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, f"synth failed:\n{result.stdout}\n{result.stderr}"
    return outdir


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    assert load_balancer_count(GENERATED_EXPERIMENTS) >= 2
    folder = tmp_path_factory.mktemp("generated")
    spec = folder / "generated.yaml"
    spec.write_text(generated_spec(GENERATED_EXPERIMENTS))
    return _synth(spec, folder / "cdktf.out")


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> Path:
    """The example with prod split per load balancer (`tests.split_example`): alarms naming the topic of
    another stack by its ARN, and an auto-rollback key in a load balancer stack."""
    folder = tmp_path_factory.mktemp("split")
    return _synth(write_split_spec(folder), folder / "cdktf.out")


@pytest.fixture(scope="module", params=["example", "generated", "split"])
def output(request) -> Path:
    if request.param == "example":
        return request.getfixturevalue("example")[0]
    return request.getfixturevalue(request.param)


def test_the_example_has_several_stacks_so_the_workers_run_in_parallel(example):
    assert len(plan_stacks([str(example[0])])) >= 2


def _without_skips(stacks: tuple[GateStack, ...]) -> tuple[GateStack, ...]:
    return tuple(dataclasses.replace(stack, config=GateConfig()) for stack in stacks)


def _findings(report: Any) -> list[list[Any]]:
    sys.path.insert(0, str(PLAIN_CHECKOV.parent))
    from plain_checkov import findings

    return json.loads(json.dumps(findings(report)))


@pytest.fixture(scope="module")
def plain(output, tmp_path_factory) -> list[list[Any]]:
    files = sorted(str(path) for path in output.rglob("*.tf.json"))
    result_file = tmp_path_factory.mktemp("plain") / "findings.json"
    result = subprocess.run(
        [sys.executable, str(PLAIN_CHECKOV), str(result_file), str(DEFAULT_POLICIES_DIRECTORY), *files],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: list[list[Any]] = json.loads(result_file.read_text())
    assert any(row[3] == "passed" for row in found)
    return found


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> ResultCache:
    return ResultCache(tmp_path_factory.mktemp("gate-cache"))


def test_the_gate_with_every_speedup_and_a_cold_cache_finds_what_plain_checkov_finds(output, plain, cache):
    stacks = _without_skips(plan_stacks([str(output)]))
    run = run_checkov(stacks, jobs=2, cache=cache)
    assert run.cached_units == 0
    assert _findings(run.report) == plain


def test_the_gate_with_a_warm_cache_finds_what_plain_checkov_finds(output, plain, cache):
    stacks = _without_skips(plan_stacks([str(output)]))
    run = run_checkov(stacks, jobs=2, cache=cache)
    assert run.cached_units == run.units == len(stacks)
    assert _findings(run.report) == plain


def test_the_gate_in_one_process_without_a_cache_finds_what_plain_checkov_finds(output, plain):
    run = run_checkov(_without_skips(plan_stacks([str(output)])), jobs=1, cache=None)
    assert _findings(run.report) == plain
