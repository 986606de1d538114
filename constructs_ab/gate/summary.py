"""The readable gate summary: results grouped by stack and resource, each resource with its construct path.

Every stack's line counts its resources and its passed, failed and skipped results; the totals line is
the sum of the stack lines. Then each stack's configuration (ours, the project's, or none) is named.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.gate.config import GateConfig
from constructs_ab.gate.plan import GateStack
from constructs_ab.gate.runner import GateRun


def construct_path_of(record: Any, run: GateRun) -> str | None:
    """The cdktf construct path (`prod/public/alb`) of a record's resource, or None (HCL, hand-written JSON)."""
    paths = run.construct_paths.get(os.path.normpath(str(record.file_abs_path)))
    return paths.get(record.resource) if paths is not None else None


@dataclass(frozen=True, kw_only=True)
class StackCounts:
    """One stack's line: resources with any result, and results passed, failed, and skipped (by its
    configuration or by a suppression comment in the file)."""

    resources: int
    passed: int
    failed: int
    skipped: int


def stack_counts(run: GateRun) -> dict[str, StackCounts]:
    """The counts of every stack checked, by stack name (the totals are their sums)."""
    passed: Counter[str] = Counter(run.stack_of(record).name for record in run.report.passed_checks)
    failed: Counter[str] = Counter(run.stack_of(record).name for record in run.report.failed_checks)
    suppressed: Counter[str] = Counter(run.stack_of(record).name for record in run.report.skipped_checks)
    return {
        stack.name: StackCounts(
            resources=len(run.resources.get(stack.name, ())),
            passed=passed[stack.name],
            failed=failed[stack.name],
            skipped=suppressed[stack.name] + run.skipped_by_configuration.get(stack.name, 0),
        )
        for stack in run.stacks
    }


def configuration_line(stack: GateStack) -> str:
    """Which configuration applied to `stack`: `stack prod (ours): skips from <file>`, `stack x:
    configuration <file>` or `stack x: no Checkov configuration found`."""
    source = stack.config.source
    if stack.ours:
        return f"stack {stack.label}: skips from {display_path(source)}"
    if source is None:
        return f"stack {stack.label}: no Checkov configuration found"
    return f"stack {stack.label}: configuration {display_path(source)}"


def render_summary(run: GateRun) -> str:
    """Per stack: its counts and failed checks grouped by resource (with guideline and details); the traffic
    shares; which configuration applied to which stack and what it skipped; then the totals."""
    report = run.report
    lines: list[str] = []
    failed: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for record in report.failed_checks:
        failed[run.stack_of(record).name][record.resource].append(record)
    counts = stack_counts(run)
    stacks = sorted(run.stacks, key=lambda stack: stack.name)
    for stack in stacks:
        count = counts[stack.name]
        lines.append(
            f"stack {stack.label}: {count.resources} resources, {count.passed} passed, {count.failed} failed, "
            f"{count.skipped} skipped"
        )
        failures = failed.get(stack.name, {})
        for resource in sorted(failures):
            records = failures[resource]
            construct = construct_path_of(records[0], run)
            where = f"{display_path(Path(records[0].file_abs_path))}:{records[0].file_line_range[0]}"
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
    lines.extend(configuration_line(stack) for stack in stacks)
    configs: dict[Path, GateConfig] = {}
    for stack in stacks:
        if stack.config.source is not None and stack.config.skipped:
            configs.setdefault(stack.config.source, stack.config)
    for source, config in configs.items():
        lines.append(f"skipped by {display_path(source)}:")
        lines.extend(
            f"  {check_id}: {reason or '(no reason given)'}" for check_id, reason in config.skipped.items()
        )
    total = StackCounts(
        resources=sum(count.resources for count in counts.values()),
        passed=sum(count.passed for count in counts.values()),
        failed=sum(count.failed for count in counts.values()),
        skipped=sum(count.skipped for count in counts.values()),
    )
    lines.append(
        f"gate: {total.passed} passed, {total.failed} failed, {total.skipped} skipped, "
        f"{total.resources} resources in {len(stacks)} stack(s)"
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
                        f"{run.stack_of(record).name} {record.resource}: {detail[len('shares: ') :]}"
                    )
    return sorted(lines)


def display_path(path: Path | None) -> str:
    """A file as the user would name it: relative to the current directory when below it, else absolute."""
    if path is None:
        return "(none)"
    absolute = os.path.normpath(str(path.resolve()))
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative
