"""The readable gate summary: results grouped by stack and resource, each resource with its construct path."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from constructs_ab.gate.config import GateConfig
from constructs_ab.gate.runner import GateRun


def stack_of(file_path: str, run: GateRun) -> str:
    """The stack name of a report file path: cdktf's `stackName`, else the folder under `stacks/`, else the file."""
    absolute = os.path.normpath(str(run.root) + file_path)
    parsed = run.json_files.get(absolute)
    if parsed is not None and parsed.stack:
        return parsed.stack
    parts = Path(file_path).parts
    if "stacks" in parts and parts.index("stacks") + 1 < len(parts) - 1:
        return parts[parts.index("stacks") + 1]
    return file_path.lstrip("/")


def construct_path_of(record: Any, run: GateRun) -> str | None:
    """The cdktf construct path (`prod/public/alb`) of a record's resource, or None (HCL, hand-written JSON)."""
    parsed = run.json_files.get(os.path.normpath(str(run.root) + record.file_path))
    return parsed.construct_paths.get(record.resource) if parsed is not None else None


def render_summary(run: GateRun, config: GateConfig) -> str:
    """Failed checks grouped by stack and resource (with guideline and details), then the totals."""
    report = run.report
    lines: list[str] = []
    failed: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for record in report.failed_checks:
        failed[stack_of(record.file_path, run)][record.resource].append(record)
    resources_by_stack: dict[str, set[str]] = defaultdict(set)
    for record in report.passed_checks + report.failed_checks + report.skipped_checks:
        resources_by_stack[stack_of(record.file_path, run)].add(record.resource)
    for stack in sorted(resources_by_stack):
        failures = failed.get(stack, {})
        status = (
            f"{sum(len(v) for v in failures.values())} failed check(s)" if failures else "all checks passed"
        )
        lines.append(f"stack {stack}: {len(resources_by_stack[stack])} resources, {status}")
        for resource in sorted(failures):
            records = failures[resource]
            construct = construct_path_of(records[0], run)
            where = f"{_display_path(records[0].file_path, run)}:{records[0].file_line_range[0]}"
            lines.append(f"  {resource}" + (f"  (construct {construct})" if construct else "") + f"  {where}")
            for record in sorted(records, key=lambda r: r.check_id):
                lines.append(f"    FAILED {record.check_id}: {record.check_name}")
                for detail in record.details or []:
                    lines.append(f"      {detail}")
                if record.guideline:
                    lines.append(f"      fix: {record.guideline}")
    shares = _variant_shares(run)
    if shares:
        lines.append("traffic shares of weighted rules (CKV_ABT_2):")
        lines.extend(f"  {line}" for line in shares)
    if config.skipped:
        lines.append(f"skipped by {config.source}:")
        lines.extend(f"  {skip.check_id}: {skip.reason or '(no reason given)'}" for skip in config.skipped)
    summary = report.get_summary()
    lines.append(
        f"gate: {summary['passed']} passed, {summary['failed']} failed, {len(config.skipped)} check(s) skipped by "
        f"configuration, {summary['resource_count']} resources in {len(resources_by_stack)} stack(s)"
    )
    lines.append("gate: FAILED" if report.failed_checks else "gate: PASSED")
    return "\n".join(lines) + "\n"


def _variant_shares(run: GateRun) -> list[str]:
    lines = []
    for record in run.report.passed_checks + run.report.failed_checks:
        if record.check_id == "CKV_ABT_2":
            for detail in record.details or []:
                if detail.startswith("shares: "):
                    lines.append(
                        f"{stack_of(record.file_path, run)} {record.resource}: {detail[len('shares: ') :]}"
                    )
    return sorted(lines)


def _display_path(file_path: str, run: GateRun) -> str:
    """The file as the user would name it: relative to the current directory when below it."""
    absolute = os.path.normpath(str(run.root) + file_path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative
