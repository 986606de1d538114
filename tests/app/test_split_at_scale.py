"""A generated spec of 100 experiments (7 load balancers, about 3,400 resources) split per load balancer:
it synthesizes into an environment stack and 7 load balancer stacks, and a one-weight change then builds
exactly the stack of that experiment's load balancer, writing what one App building the whole spec writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bench.specs import EXPERIMENTS_PER_LOAD_BALANCER, generated_spec, load_balancer_count
from constructs_ab import app as app_module
from constructs_ab.cli.output_target import MARKER_FILE
from constructs_ab.cli.synth import synthesize
from constructs_ab.spec import parse_spec
from constructs_ab.spec.model import Spec

from .built_stacks import record_built_stacks
from .tree_snapshot import snapshot_tree

EXPERIMENTS = 100
CHANGED = 50  # exp050, on load balancer lb3
SPLIT = "per_load_balancer"


def _split(text: str) -> Spec:
    """`text` (a generated spec split per load balancer) loaded."""
    return parse_spec(text, source="generated.yaml")


def _one_weight_changed(text: str) -> str:
    """exp050's first two variants 40/30 -> 39/31."""
    first = re.compile(rf"(name: e{CHANGED:03d}-v0, [^\n]*weight: )40")
    second = re.compile(rf"(name: e{CHANGED:03d}-v1, [^\n]*weight: )30")
    changed = second.sub(r"\g<1>31", first.sub(r"\g<1>39", text, count=1), count=1)
    assert changed != text
    return changed


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("cold") / "cdktf.out"
    assert (
        synthesize(_split(generated_spec(EXPERIMENTS, stacks=SPLIT)), outdir, command="synth", reuse=False)
        == 0
    )
    return outdir


def test_a_hundred_experiments_split_into_an_environment_stack_and_one_per_load_balancer(cold: Path) -> None:
    lbs = load_balancer_count(EXPERIMENTS)
    assert lbs == 7
    assert sorted(p.name for p in (cold / "stacks").iterdir()) == [
        "bench",
        *(f"bench--lb{i}" for i in range(lbs)),
    ]


def test_a_one_weight_change_builds_the_stack_of_its_load_balancer_only(
    cold: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the cold output, and the spec with one weight of exp050 changed
    spec = _split(_one_weight_changed(generated_spec(EXPERIMENTS, stacks=SPLIT)))
    output = tmp_path / "cdktf.out"
    shutil.copytree(cold, output)
    built = record_built_stacks(monkeypatch)
    # WHEN it is synthesized into that output
    assert synthesize(spec, output, command="synth", reuse=True) == 0
    # THEN only its load balancer's stack was built, and the output is the whole spec's
    assert built == [f"bench--lb{CHANGED // EXPERIMENTS_PER_LOAD_BALANCER}"]
    monkeypatch.undo()
    app_module.build_app(spec, tmp_path / "one-app").synth()
    tree = snapshot_tree(output)
    del tree[MARKER_FILE]
    assert tree == snapshot_tree(tmp_path / "one-app")
