"""Shared fixtures of the gate tests: one in-process Checkov run per test module (real runner, real checks)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = FIXTURES / "example.checkov.yaml"


def example_stack_directory() -> tuple[Path, Path]:
    """The example's synthesized stacks and the Checkov configuration to check them with.

    Uses the hand-made fixture (fixtures/example, written to the brief's Terraform JSON contract) and its
    configuration; see test_example_gate.py for the real synthesized example.
    """
    return FIXTURES / "example", EXAMPLE_CONFIG


def results_by(report, check_id: str, folder: Path) -> tuple[set[str], set[str]]:
    """(passing, failing) resource addresses of `check_id` for files under `folder`."""
    folder_text = str(folder.resolve())
    passed, failed = set(), set()
    for record in report.passed_checks:
        if record.check_id == check_id and str(record.file_abs_path).startswith(folder_text):
            passed.add(record.resource)
    for record in report.failed_checks:
        if record.check_id == check_id and str(record.file_abs_path).startswith(folder_text):
            failed.add(record.resource)
    return passed, failed
