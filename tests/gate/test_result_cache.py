"""The gate's result cache: what it is keyed by, that it changes nothing the user sees, and that it is safe
(damaged entries, concurrent runs, bounded size, `--no-cache`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab.gate import result_cache
from constructs_ab.gate.cli import main
from constructs_ab.gate.plan import plan_stacks
from constructs_ab.gate.result_cache import ResultCache, RunFingerprint
from constructs_ab.gate.runner import DEFAULT_POLICIES_DIRECTORY, run_checkov

from .conftest import FIXTURES, REPOSITORY_ROOT

FORMATS = ("cli", "json", "sarif", "junit")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(result_cache.CACHE_DIRECTORY_ENVIRONMENT, str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def _outputs(capsys, tmp_path: Path, label: str, stacks: Path, *options: str) -> dict[str, bytes]:
    outputs = {}
    for output_format in FORMATS:
        target = tmp_path / f"{label}.{output_format}"
        main(["--format", output_format, "--output", str(target), *options, str(stacks)])
        capsys.readouterr()
        outputs[output_format] = target.read_bytes()
    return outputs


def test_every_output_format_is_the_same_without_the_cache_cold_and_warm(
    capsys, tmp_path, cache_dir, example
):
    stacks, _ = example
    uncached = _outputs(capsys, tmp_path, "uncached", stacks, "--no-cache")
    assert _entries(cache_dir) == []  # --no-cache writes nothing
    cold = _outputs(capsys, tmp_path, "cold", stacks)
    assert len(_entries(cache_dir)) == 2  # one entry per stack
    warm = _outputs(capsys, tmp_path, "warm", stacks)
    assert cold == uncached and warm == uncached
    # a new process, another hash seed: the same bytes again
    for output_format in FORMATS:
        target = tmp_path / f"process.{output_format}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "constructs_ab",
                "gate",
                "--format",
                output_format,
                "--output",
                str(target),
                str(stacks),
            ],
            cwd=REPOSITORY_ROOT,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
        )
        assert target.read_bytes() == uncached[output_format], output_format


def test_a_warm_run_reads_every_unchanged_stack_and_checks_only_the_changed_one(tmp_path, example):
    stacks, _ = example
    copy = tmp_path / "out"
    shutil.copytree(stacks, copy)
    cache = ResultCache(tmp_path / "cache")
    first = run_checkov(plan_stacks([str(copy)]), cache=cache)
    assert (first.units, first.cached_units) == (2, 0)
    assert run_checkov(plan_stacks([str(copy)]), cache=cache).cached_units == 2
    staging = copy / "stacks" / "staging" / "cdk.tf.json"
    document = json.loads(staging.read_text())
    group = next(iter(document["resource"]["aws_lb_target_group"].values()))
    group["health_check"]["path"] = "/changed"
    staging.write_text(json.dumps(document, indent=2))
    changed = run_checkov(plan_stacks([str(copy)]), cache=cache)
    assert changed.cached_units == 1  # prod from the cache, staging checked again
    assert any(
        record.file_abs_path.endswith("staging/cdk.tf.json") for record in changed.report.passed_checks
    )


def test_the_configuration_applies_to_cached_results(capsys, tmp_path, cache_dir):
    """Skips are applied after the cache: another configuration gives its own output from a warm cache."""
    seed = FIXTURES / "seed-classic"
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("skip-check: []\n")
    skipping = tmp_path / "skipping.yaml"
    skipping.write_text("skip-check:\n  - CKV2_ABT_1  # not today\n")
    uncached = {
        config.name: _outputs(
            capsys, tmp_path, f"uncached-{config.stem}", seed, "--no-cache", "--config", str(config)
        )
        for config in (nothing, skipping)
    }
    assert uncached["nothing.yaml"]["cli"] != uncached["skipping.yaml"]["cli"]
    for config in (nothing, skipping, nothing, skipping):  # the cache filled by the first, read by the others
        assert _outputs(capsys, tmp_path, "cached", seed, "--config", str(config)) == uncached[config.name]
    assert len(_entries(cache_dir)) == 1


def _fingerprint(
    policies: Path = DEFAULT_POLICIES_DIRECTORY, quota: int | None = None, root: str = "/r"
) -> str:
    return RunFingerprint.of(root=root, policies_directory=policies, rules_per_load_balancer=quota).digest


def test_the_key_changes_with_the_policies_the_quota_the_versions_the_code_the_settings_and_the_folders(
    tmp_path, monkeypatch
):
    base = _fingerprint()
    assert _fingerprint() == base  # stable

    policies = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICIES_DIRECTORY, policies, ignore=shutil.ignore_patterns("__pycache__"))
    copied = _fingerprint(policies)
    assert copied == base  # by content, not by where the folder is
    (policies / "RulePrioritiesUniquePerListener.py").write_text(
        (policies / "RulePrioritiesUniquePerListener.py").read_text() + "\n# changed\n"
    )
    assert _fingerprint(policies) != base
    (policies / "NewCheck.yaml").write_text("metadata: {}\n")
    assert _fingerprint(policies) not in (base, copied)

    assert _fingerprint(quota=50) != base
    assert _fingerprint(root="/other") != base

    monkeypatch.setenv("CHECKOV_RENDER_MAX_LEN", "5")
    assert _fingerprint() != base
    monkeypatch.delenv("CHECKOV_RENDER_MAX_LEN")
    monkeypatch.setenv("UNRELATED_SETTING", "x")
    assert _fingerprint() == base

    real_version = result_cache.metadata.version
    monkeypatch.setattr(
        result_cache.metadata, "version", lambda name: "9.9.9" if name == "checkov" else real_version(name)
    )
    assert _fingerprint() != base
    monkeypatch.setattr(result_cache.metadata, "version", real_version)

    code = tmp_path / "code"
    shutil.copytree(result_cache.PACKAGE_ROOT, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(result_cache, "PACKAGE_ROOT", code)
    same_code = _fingerprint()
    assert same_code == base
    (code / "gate" / "summary.py").write_text((code / "gate" / "summary.py").read_text() + "\n# changed\n")
    assert _fingerprint() != base

    monkeypatch.chdir(tmp_path)
    assert _fingerprint() not in (base, same_code)


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path, example):
    stacks, _ = example
    cache = ResultCache(tmp_path / "cache")
    expected = run_checkov(plan_stacks([str(stacks)]), cache=cache)
    for entry in _entries(cache.directory):
        entry.write_bytes(b"not a pickle")
    again = run_checkov(plan_stacks([str(stacks)]), cache=cache)
    assert again.cached_units == 0
    assert len(again.report.passed_checks) == len(expected.report.passed_checks)
    assert all(entry.read_bytes() != b"not a pickle" for entry in _entries(cache.directory))


def test_a_stack_that_changes_while_it_is_checked_is_not_stored(tmp_path, example, monkeypatch):
    stacks, _ = example
    copy = tmp_path / "out"
    shutil.copytree(stacks, copy)
    from constructs_ab.gate import checkov_run

    original = checkov_run.check_unit

    def check_and_touch(unit, **options):
        report = original(unit, **options)
        for file in unit.files:
            Path(file).write_text(Path(file).read_text() + "\n")
        return report

    monkeypatch.setattr(checkov_run, "check_unit", check_and_touch)
    cache = ResultCache(tmp_path / "cache")
    run_checkov(plan_stacks([str(copy)]), cache=cache)
    assert _entries(cache.directory) == []


def test_the_cache_stays_under_its_size_and_removes_the_least_recently_used(tmp_path):
    cache = ResultCache(tmp_path / "cache", max_bytes=10_000)
    for number in range(8):
        cache.store(f"{number:064x}", "x" * 3_000)
        os.utime(cache._path(f"{number:064x}"), (number, number))  # older first
    remaining = _entries(cache.directory)
    assert sum(path.stat().st_size for path in remaining) <= 10_000
    assert cache._path(f"{7:064x}") in remaining and cache._path(f"{0:064x}") not in remaining


def test_a_cache_folder_that_cannot_be_written_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    cache = ResultCache(blocker / "cache")
    cache.store("0" * 64, {"report": 1})  # no exception
    assert cache.load("0" * 64) is None


def test_concurrent_runs_on_an_empty_cache_agree_and_leave_valid_entries(tmp_path, example):
    stacks, _ = example
    environment = {**os.environ, result_cache.CACHE_DIRECTORY_ENVIRONMENT: str(tmp_path / "cache")}
    command = [sys.executable, "-m", "constructs_ab", "gate", "--format", "json", str(stacks)]
    processes = [
        subprocess.Popen(
            command, cwd=REPOSITORY_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=600) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0]
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    cache = ResultCache(tmp_path / "cache")
    entries = _entries(cache.directory)
    assert len(entries) == 2 and all(cache.load(entry.stem) is not None for entry in entries)
    assert not list(cache.directory.glob("*.tmp"))


def test_the_cache_folder_is_the_setting_else_the_projects_else_the_users(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "infra").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.ab-models]\nspec = "spec.yaml"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(result_cache.CACHE_DIRECTORY_ENVIRONMENT, str(tmp_path / "chosen"))
    assert result_cache.default_cache_directory(project / "infra") == tmp_path / "chosen"
    monkeypatch.delenv(result_cache.CACHE_DIRECTORY_ENVIRONMENT)
    assert (
        result_cache.default_cache_directory(project / "infra") == project / ".cache" / "ab-models" / "gate"
    )
    assert result_cache.default_cache_directory(elsewhere) == tmp_path / "xdg" / "ab-models" / "gate"
