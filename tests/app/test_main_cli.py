"""`python main.py` as a user runs it: a good spec synthesizes every environment, a bad one exits 2 with
one line per problem, no traceback, and the previous output left exactly as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"


def run_main(*args: str, cwd: Path = REPO, optimize: bool = False) -> subprocess.CompletedProcess[str]:
    """Run main.py as a user does; `optimize` adds -O, as `make synth` and `make gate` do."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDKTF_OUTDIR", "AB_SPEC")}
    python = [sys.executable, "-O"] if optimize else [sys.executable]
    return subprocess.run(
        [*python, str(REPO / "main.py"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def snapshot_tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    outdir = tmp_path_factory.mktemp("synth") / "cdktf.out"
    result = run_main("--spec", str(EXAMPLE), "--outdir", str(outdir))
    return outdir, result


def test_synth_writes_every_environment_of_the_example(synthesized) -> None:
    outdir, result = synthesized
    assert result.returncode == 0, result.stderr
    stacks = sorted(p.name for p in (outdir / "stacks").iterdir())
    assert stacks == ["prod", "staging"]
    assert "Node 20 is end-of-life" not in result.stderr


def test_synth_of_prod_has_the_80_20_split_on_abtest_and_its_overrides(synthesized) -> None:
    outdir, _ = synthesized
    stack = json.loads((outdir / "stacks" / "prod" / "cdk.tf.json").read_text())
    rules = stack["resource"]["aws_lb_listener_rule"].values()
    splits = [
        r for r in rules if r["tags"]["ab-role"] == "split" and r["tags"]["experiment"] == "sentiment-abtest"
    ]
    assert len(splits) == 1
    (split,) = splits
    (action,) = split["action"]
    weights = [tg["weight"] for tg in action["forward"]["target_group"]]
    assert weights == [80, 20]
    assert action["forward"]["stickiness"] == {"enabled": True, "duration": 3600}
    paths = [c["path_pattern"]["values"] for c in split["condition"] if "path_pattern" in c]
    assert paths == [["/abtest", "/abtest/*"]]
    overrides = [
        r
        for r in rules
        if r["tags"]["ab-role"] == "override" and r["tags"]["experiment"] == "sentiment-abtest"
    ]
    assert sorted(r["tags"]["variant"] for r in overrides) == ["sentiment-a", "sentiment-b"]
    assert all(r["priority"] < split["priority"] for r in overrides)


def test_fails_on_a_bad_spec_with_exit_2_one_line_per_problem_and_no_traceback(
    tmp_path: Path, synthesized
) -> None:
    # GIVEN a previous, complete synth output
    good_outdir, _ = synthesized
    outdir = tmp_path / "cdktf.out"
    subprocess.run(["cp", "-a", str(good_outdir), str(outdir)], check=True)
    before = snapshot_tree(outdir)
    # AND a spec with two mistakes
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text().replace("weight: 80", "weight: 1000").replace("stickiness: 1d", "stickiness: 8d")
    )

    # WHEN the user synthesizes it
    result = run_main("--spec", str(bad), "--outdir", str(outdir))

    # THEN exit 2, one line per problem naming the field, no traceback, output untouched
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "jsii" not in result.stderr.lower()
    lines = result.stderr.strip().splitlines()
    weight_lines = [line for line in lines if "weight" in line and "1000" in line]
    stickiness_lines = [line for line in lines if "stickiness" in line and "8d" in line]
    # weight 80 appears in both environments: one line each, naming environment, experiment and variant
    assert len(weight_lines) == 2
    assert ["environments.staging." in weight_lines[0], "environments.prod." in weight_lines[1]] == [
        True,
        True,
    ]
    assert all(
        "sentiment-abtest" in line and "sentiment-a" in line and "0 to 999" in line for line in weight_lines
    )
    assert (
        len(stickiness_lines) == 1 and "chat-llm" in stickiness_lines[0] and "7 days" in stickiness_lines[0]
    )
    assert lines[-1].endswith("nothing was written.")
    assert snapshot_tree(outdir) == before


def test_fails_on_a_missing_spec_file_with_one_line(tmp_path: Path) -> None:
    result = run_main("--spec", str(tmp_path / "nope.yaml"), "--outdir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "nope.yaml" in result.stderr
    assert not (tmp_path / "out").exists()


def test_gate_flag_synthesizes_then_passes_the_gate_on_the_example(tmp_path: Path, synthesized) -> None:
    # WHEN `make gate` runs (python -O main.py --gate) from the repository, with its .checkov.yaml
    result = run_main("--spec", str(EXAMPLE), "--outdir", str(tmp_path / "out"), "--gate", optimize=True)
    # THEN the synth lines come first, then the gate's summary, and the exit code is the gate's
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("synth: staging:") and lines[1].startswith("synth: prod:")
    assert lines[-1] == "gate: PASSED"
    # AND -O (no runtime type checks in the provider bindings) writes exactly what the plain run wrote
    plain_outdir, _ = synthesized
    for stack in ("prod", "staging"):
        stack_file = Path("stacks") / stack / "cdk.tf.json"
        assert (tmp_path / "out" / stack_file).read_bytes() == (plain_outdir / stack_file).read_bytes()


def test_gate_flag_applies_our_skips_from_any_working_directory(tmp_path: Path) -> None:
    # GIVEN a working directory without .checkov.yaml: our stacks still get the skips shipped for them
    result = run_main("--spec", str(EXAMPLE), "--outdir", str(tmp_path / "out"), "--gate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stack prod (ours): skips from " in result.stdout
    assert result.stdout.splitlines()[-1] == "gate: PASSED"


def test_gate_flag_returns_the_gates_failure(tmp_path: Path) -> None:
    # GIVEN a valid spec that turns deletion protection off (allowed, e.g. before a destroy)
    spec = tmp_path / "no-protection.yaml"
    spec.write_text(
        EXAMPLE.read_text().replace(
            "        idle_timeout: 300\n",
            "        idle_timeout: 300\n        deletion_protection: false\n",
            1,
        )
    )
    result = run_main("--spec", str(spec), "--outdir", str(tmp_path / "out"), "--gate", cwd=tmp_path)
    # THEN the gate fails with exit code 1, naming the check, and no traceback
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED CKV_AWS_150" in result.stdout and result.stdout.splitlines()[-1] == "gate: FAILED"
    assert "Traceback" not in result.stderr


def test_gate_flag_does_not_run_the_gate_after_a_bad_spec(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("weight: 80", "weight: 1000"))
    result = run_main("--spec", str(bad), "--outdir", str(tmp_path / "out"), "--gate")
    assert result.returncode == 2
    assert "gate:" not in result.stdout + result.stderr
