"""Shared fixtures of the gate tests: one in-process Checkov run per test module (real runner, real checks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


EXAMPLE_SPEC = REPOSITORY_ROOT / "examples" / "ab-experiments.yaml"
REPOSITORY_CONFIG = REPOSITORY_ROOT / ".checkov.yaml"
#: A stack written by hand to our Terraform JSON contract (tags, construct paths), not by our synth: the
#: gate must know it as ours by its contract alone. Edit its JSON directly.
HAND_MADE_EXAMPLE = FIXTURES / "example"


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> tuple[Path, Path]:
    """(cdktf.out of the real example spec, the repository's .checkov.yaml): synthesized once per session
    with `main.py`, exactly as `make gate` does before it runs the gate."""
    outdir = tmp_path_factory.mktemp("example") / "cdktf.out"
    result = subprocess.run(
        [sys.executable, "main.py", "--spec", str(EXAMPLE_SPEC), "--outdir", str(outdir)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, f"synth of the example failed:\n{result.stdout}\n{result.stderr}"
    return outdir, REPOSITORY_CONFIG


def results_by(report, check_id: str, folder: Path) -> tuple[set[str], set[str]]:
    """(passing, failing) resource addresses of `check_id` for files under `folder`."""
    folder_text = str(folder.resolve()) + os.sep  # CKV_ABT_1/ is not a prefix of CKV_ABT_14/
    passed, failed = set(), set()
    for record in report.passed_checks:
        if record.check_id == check_id and str(record.file_abs_path).startswith(folder_text):
            passed.add(record.resource)
    for record in report.failed_checks:
        if record.check_id == check_id and str(record.file_abs_path).startswith(folder_text):
            failed.add(record.resource)
    return passed, failed
