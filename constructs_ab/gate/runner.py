"""One in-process Checkov run over Terraform JSON and HCL files: built-in checks plus `policies/`.

`GateRunner` is Checkov's Terraform runner, taught to read Terraform JSON through
`constructs_ab.gate.terraform_json` (Checkov's Terraform runner reads only HCL when given files). All
files go into one graph, so the YAML graph policies and the whole-document policies (which read the
graph, see `policies/abt_document.py`) see every resource of every stack in the same run, and all
results land in one Checkov `Report` that every output format is written from.

Checkov runs with no skip list; then each stack's configuration is applied to that stack's results only
(a result of a check its configuration skips is removed, as Checkov's own `skip-check` would, and counted).
So one run over mixed inputs never applies one project's skips to another project's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.gate import quiet
from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.plan import GateStack
from constructs_ab.gate.terraform_json import TerraformJsonFile, load_terraform_json
from constructs_ab.tfjson.discovery import FileKind

_PACKAGE = Path(__file__).resolve().parents[1]
#: Our policies: inside the installed package (pyproject.toml installs policies/ as constructs_ab/policies),
#: else policies/ of this checkout.
DEFAULT_POLICIES_DIRECTORY = (
    _PACKAGE / "policies" if (_PACKAGE / "policies").is_dir() else _PACKAGE.parent / "policies"
)
RULES_QUOTA_ENVIRONMENT = "ABT_RULES_PER_LOAD_BALANCER"  # read by policies/abt_support.py

_loaded_external_directories: set[str] = set()


@dataclass(frozen=True, kw_only=True)
class GateRun:
    """The outcome of one Checkov run.

    report: Checkov's report (check type "terraform") with built-in and custom results, after each stack's
        configuration removed the results of the checks it skips.
    stacks: the stacks checked, in command line order.
    json_files: the parsed Terraform JSON files by absolute path (for construct paths).
    root: the folder that report file paths (`/stacks/prod/cdk.tf.json`) are relative to.
    skipped_by_configuration: per stack name, the results its configuration removed.
    resources: per stack name, the addresses of the resources that got any result (before skips).
    """

    report: Any
    stacks: tuple[GateStack, ...]
    json_files: dict[str, TerraformJsonFile]
    root: Path
    skipped_by_configuration: dict[str, int]
    resources: dict[str, frozenset[str]]
    stack_by_file: dict[str, GateStack]

    def stack_of(self, record: Any) -> GateStack:
        """The stack a Checkov record belongs to (by its file)."""
        return self.stack_by_file[os.path.normpath(str(record.file_abs_path))]


def run_checkov(
    stacks: tuple[GateStack, ...],
    *,
    policies_directory: Path = DEFAULT_POLICIES_DIRECTORY,
    rules_per_load_balancer: int | None = None,
) -> GateRun:
    """Run Checkov once, offline, on every file of `stacks`, then apply each stack's configuration to its
    own results; GateInputError when a file cannot be parsed.

    rules_per_load_balancer: the rule quota CKV_ABT_6 enforces; None keeps the AWS default (100).
    """
    quiet.prepare_environment()
    if rules_per_load_balancer is None:
        os.environ.pop(RULES_QUOTA_ENVIRONMENT, None)
    else:
        os.environ[RULES_QUOTA_ENVIRONMENT] = str(rules_per_load_balancer)
    stack_by_file: dict[str, GateStack] = {}
    json_files: dict[str, TerraformJsonFile] = {}
    for stack in stacks:
        for file in stack.stack.files:
            absolute = str(file.path.resolve())
            stack_by_file[absolute] = stack
            if file.kind is FileKind.JSON:
                json_files[absolute] = load_terraform_json(Path(absolute), document=file.document)

    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    from constructs_ab.gate import checkov_speedups

    quiet.disable_platform_downloads()
    quiet.silence_checkov_logging()
    checkov_speedups.install()

    class GateRunner(Runner):
        """Checkov's Terraform runner that also reads Terraform JSON files."""

        def parse_file(self, file: str) -> tuple[str, dict[str, Any] | None, dict[str, Exception]] | None:
            if file in json_files:
                return file, json_files[file].definition, {}
            return super().parse_file(file)

    runner_filter = RunnerFilter(
        framework=["terraform"],
        download_external_modules=False,
        show_progress_bar=False,
    )
    external = []
    directory = str(policies_directory.resolve())
    if directory not in _loaded_external_directories:
        # Checkov appends YAML graph checks on every load; load each directory once per process.
        external.append(directory)
        _loaded_external_directories.add(directory)
    files = sorted(stack_by_file)
    runner = GateRunner()
    report = runner.run(
        root_folder=None, external_checks_dir=external or None, files=files, runner_filter=runner_filter
    )
    if isinstance(report, list):
        report = report[0]
    if report.parsing_errors:
        first = sorted(report.parsing_errors)[0]
        raise GateInputError(f"{first}: cannot be parsed as Terraform (HCL syntax error)")
    root = Path(os.path.split(os.path.commonprefix(files))[0])  # what Checkov's runner uses for file paths
    resources: dict[str, set[str]] = {stack.name: set() for stack in stacks}
    for record in report.passed_checks + report.failed_checks + report.skipped_checks:
        resources[stack_by_file[os.path.normpath(record.file_abs_path)].name].add(record.resource)
    skipped = _apply_configurations(report, stack_by_file)
    return GateRun(
        report=report,
        stacks=stacks,
        json_files=json_files,
        root=root,
        skipped_by_configuration={stack.name: skipped.get(stack.name, 0) for stack in stacks},
        resources={name: frozenset(addresses) for name, addresses in resources.items()},
        stack_by_file=stack_by_file,
    )


def _apply_configurations(report: Any, stack_by_file: dict[str, GateStack]) -> dict[str, int]:
    """Remove from `report` each result whose check its stack's configuration skips; the count per stack."""
    removed: dict[str, int] = {}

    skips = {stack.name: set(stack.config.skip_ids) for stack in stack_by_file.values()}

    def kept(record: Any) -> bool:
        stack = stack_by_file[os.path.normpath(record.file_abs_path)]
        if record.check_id in skips[stack.name]:
            removed[stack.name] = removed.get(stack.name, 0) + 1
            return False
        return True

    report.passed_checks = [record for record in report.passed_checks if kept(record)]
    report.failed_checks = [record for record in report.failed_checks if kept(record)]
    return removed
