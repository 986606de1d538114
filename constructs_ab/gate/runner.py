"""The gate's Checkov runs over all stacks of a command line, merged into one report.

The stacks are checked unit by unit (`units.py`: a stack, or stacks that share a folder), each by its own
Checkov run (`checkov_run.py`): from the result cache when it holds the unit's result (`result_cache.py`),
else in worker processes, up to `jobs` at a time (`workers.py`). The unit reports are merged and their
results sorted (by file, resource, check), so the report (and every output format written from it) is
the same whichever units ran, in which processes, or came from the cache.

Checkov runs with no skip list; then each stack's configuration is applied to that stack's results only
(a result of a check its configuration skips is removed, as Checkov's own `skip-check` would, and counted).
So one run over mixed inputs never applies one project's skips to another project's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from constructs_ab.gate import quiet
from constructs_ab.gate.plan import GateStack
from constructs_ab.gate.result_cache import ResultCache, RunFingerprint, file_digests, unit_key
from constructs_ab.gate.units import CheckUnit, group_units
from constructs_ab.gate.workers import run_tasks
from constructs_ab.tfjson.cdktf import construct_paths
from constructs_ab.tfjson.discovery import FileKind

_PACKAGE = Path(__file__).resolve().parents[1]
#: Our policies: inside the installed package (pyproject.toml installs policies/ as constructs_ab/policies),
#: else policies/ of this checkout.
DEFAULT_POLICIES_DIRECTORY = (
    _PACKAGE / "policies" if (_PACKAGE / "policies").is_dir() else _PACKAGE.parent / "policies"
)
RULES_QUOTA_ENVIRONMENT = "ABT_RULES_PER_LOAD_BALANCER"  # read by policies/abt_support.py


@dataclass(frozen=True, kw_only=True)
class GateRun:
    """The outcome of the gate's Checkov runs.

    report: Checkov's report (check type "terraform") with built-in and custom results of every stack,
        after each stack's configuration removed the results of the checks it skips.
    stacks: the stacks checked, in command line order.
    construct_paths: per absolute file path, resource address -> cdktf construct path (JSON files).
    root: the folder that report file paths (`/stacks/prod/cdk.tf.json`) are relative to.
    skipped_by_configuration: per stack name, the results its configuration removed.
    resources: per stack name, the addresses of the resources that got any result (before skips).
    cached_units: how many units' results came from the cache (of `units`).
    """

    report: Any
    stacks: tuple[GateStack, ...]
    construct_paths: dict[str, dict[str, str]]
    root: Path
    skipped_by_configuration: dict[str, int]
    resources: dict[str, frozenset[str]]
    stack_by_file: dict[str, GateStack]
    units: int = 0
    cached_units: int = 0

    def stack_of(self, record: Any) -> GateStack:
        """The stack a Checkov record belongs to (by its file)."""
        return self.stack_by_file[os.path.normpath(str(record.file_abs_path))]


def run_checkov(
    stacks: tuple[GateStack, ...],
    *,
    policies_directory: Path = DEFAULT_POLICIES_DIRECTORY,
    rules_per_load_balancer: int | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
) -> GateRun:
    """Check every file of `stacks` (offline), then apply each stack's configuration to its own results;
    GateInputError when a file cannot be parsed.

    rules_per_load_balancer: the rule quota CKV_ABT_6 enforces; None keeps the AWS default (100).
    jobs: worker processes for the units that are not cached (1: all in this process).
    cache: where unit results are looked up and stored; None: no cache.
    """
    quiet.prepare_environment()
    set_rules_quota(rules_per_load_balancer)  # before any worker is forked
    units = group_units(stacks)
    stack_by_file = {file: stack for unit in units for stack in unit.stacks for file in _files(stack)}
    files = sorted(stack_by_file)
    root = os.path.split(os.path.commonprefix(files))[0]  # what Checkov's runner would use for file paths

    reports: list[Any] = [None] * len(units)
    keys: list[str | None] = [None] * len(units)
    digests: list[tuple[str, ...] | None] = [None] * len(units)
    if cache is not None:
        fingerprint = RunFingerprint.of(
            root=root, policies_directory=policies_directory, rules_per_load_balancer=rules_per_load_balancer
        )
        for index, unit in enumerate(units):
            try:
                digests[index] = file_digests(unit)
            except OSError:
                continue  # checked below, where Checkov reports what is wrong
            keys[index] = unit_key(fingerprint, unit, digests[index] or ())
            reports[index] = cache.load(keys[index] or "")
    missing = [index for index, report in enumerate(reports) if report is None]
    if missing:
        from constructs_ab.gate.checkov_run import check_unit, prepare_checkov

        prepare_checkov(policies_directory)  # once here, inherited by every worker
        sizes = {index: units[index].size() for index in missing}
        fresh = run_tasks(
            partial(check_unit, root=root, policies_directory=policies_directory),
            [units[index] for index in missing],
            jobs=jobs,
            start_order=sorted(range(len(missing)), key=lambda i: -sizes[missing[i]]),
            describe=lambda unit: unit.label,
            last_here=True,  # as with --jobs 1, checking a unit here leaves nothing that changes the next
        )
        for index, report in zip(missing, fresh, strict=True):
            reports[index] = report
            key = keys[index]
            if cache is not None and key is not None and _unchanged(units[index], digests[index]):
                cache.store(key, report)
    report = _merged(reports)
    resources: dict[str, set[str]] = {stack.name: set() for stack in stacks}
    for record in report.passed_checks + report.failed_checks + report.skipped_checks:
        resources[stack_by_file[os.path.normpath(record.file_abs_path)].name].add(record.resource)
    skipped = _apply_configurations(report, stack_by_file)
    return GateRun(
        report=report,
        stacks=stacks,
        construct_paths=_construct_paths(stacks),
        root=Path(root),
        skipped_by_configuration={stack.name: skipped.get(stack.name, 0) for stack in stacks},
        resources={name: frozenset(addresses) for name, addresses in resources.items()},
        stack_by_file=stack_by_file,
        units=len(units),
        cached_units=len(units) - len(missing),
    )


def set_rules_quota(rules_per_load_balancer: int | None) -> None:
    """The rule quota CKV_ABT_6 enforces (policies read it from the environment); None: the AWS default."""
    if rules_per_load_balancer is None:
        os.environ.pop(RULES_QUOTA_ENVIRONMENT, None)
    else:
        os.environ[RULES_QUOTA_ENVIRONMENT] = str(rules_per_load_balancer)


def _files(stack: GateStack) -> list[str]:
    return [str(file.path.resolve()) for file in stack.stack.files]


def _unchanged(unit: CheckUnit, digests: tuple[str, ...] | None) -> bool:
    """Whether the unit's files still hold what their key was made of (none changed during the run)."""
    try:
        return digests is not None and file_digests(unit) == digests
    except OSError:
        return False


def _merged(reports: list[Any]) -> Any:
    """One report of the units' reports, its results in a canonical order: Checkov's own order is not
    deterministic (it runs the graph checks in threads, and lists some keys from sets, whose order follows
    the process's hash seed); the gate's output is."""
    from checkov.common.output.report import Report, merge_reports

    merged = Report("terraform")
    for report in reports:
        merge_reports(merged, report)
    for records in (merged.passed_checks, merged.failed_checks, merged.skipped_checks):
        records.sort(key=_record_order)
        for record in records:
            result = record.check_result
            if isinstance(result, dict) and isinstance(result.get("evaluated_keys"), list):
                # built from a set by Checkov: its order changes with the process's hash seed
                result["evaluated_keys"] = sorted(result["evaluated_keys"], key=str)
    return merged


def _record_order(record: Any) -> tuple[str, str, str, str, str]:
    return (
        str(record.file_path),
        str(record.resource),
        str(record.check_id),
        str(record.file_line_range),
        str(record.details),
    )


def _construct_paths(stacks: tuple[GateStack, ...]) -> dict[str, dict[str, str]]:
    paths: dict[str, dict[str, str]] = {}
    for stack in stacks:
        for file in stack.stack.files:
            if file.kind is FileKind.JSON and file.document is not None:
                paths[os.path.normpath(str(file.path.resolve()))] = construct_paths(file.document)
    return paths


def _apply_configurations(report: Any, stack_by_file: dict[str, GateStack]) -> dict[str, int]:
    """Remove from `report` each result whose check its stack's configuration skips; the count per stack."""
    removed: dict[str, int] = {}

    skips = {stack.name: set(stack.config.skipped) for stack in stack_by_file.values()}

    def kept(record: Any) -> bool:
        stack = stack_by_file[os.path.normpath(record.file_abs_path)]
        if record.check_id in skips[stack.name]:
            removed[stack.name] = removed.get(stack.name, 0) + 1
            return False
        return True

    report.passed_checks = [record for record in report.passed_checks if kept(record)]
    report.failed_checks = [record for record in report.failed_checks if kept(record)]
    return removed
