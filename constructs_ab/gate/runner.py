"""One in-process Checkov run over Terraform JSON and HCL files: built-in checks plus `policies/`.

`GateRunner` is Checkov's Terraform runner, taught to read Terraform JSON through
`constructs_ab.gate.terraform_json` (Checkov's Terraform runner reads only HCL when given files). All
files go into one graph, so the YAML graph policies and the whole-document policies (which read the
graph, see `policies/abt_document.py`) see every resource of every stack in the same run, and all
results land in one Checkov `Report` that every output format is written from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_ab.gate import quiet
from constructs_ab.gate.config import GateConfig
from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.inputs import GateInputs
from constructs_ab.gate.terraform_json import TerraformJsonFile, load_terraform_json

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POLICIES_DIRECTORY = REPOSITORY_ROOT / "policies"
RULES_QUOTA_ENVIRONMENT = "ABT_RULES_PER_LOAD_BALANCER"  # read by policies/abt_support.py

_loaded_external_directories: set[str] = set()


@dataclass(frozen=True, kw_only=True)
class GateRun:
    """The outcome of one Checkov run.

    report: Checkov's report (check type "terraform") with built-in and custom results.
    json_files: the parsed Terraform JSON files by absolute path (for construct paths and stack names).
    root: the folder that report file paths (`/stacks/prod/cdk.tf.json`) are relative to.
    """

    report: Any
    json_files: dict[str, TerraformJsonFile]
    root: Path


def run_checkov(
    inputs: GateInputs,
    *,
    config: GateConfig,
    policies_directory: Path = DEFAULT_POLICIES_DIRECTORY,
    rules_per_load_balancer: int | None = None,
) -> GateRun:
    """Run Checkov once, offline, on every input file; GateInputError when a file cannot be parsed.

    rules_per_load_balancer: the rule quota CKV_ABT_6 enforces; None keeps the AWS default (100).
    """
    quiet.prepare_environment()
    if rules_per_load_balancer is None:
        os.environ.pop(RULES_QUOTA_ENVIRONMENT, None)
    else:
        os.environ[RULES_QUOTA_ENVIRONMENT] = str(rules_per_load_balancer)
    json_files = {str(path): load_terraform_json(path) for path in inputs.json_files}

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
        skip_checks=config.skip_ids or None,
        download_external_modules=False,
        show_progress_bar=False,
    )
    external = []
    directory = str(policies_directory.resolve())
    if directory not in _loaded_external_directories:
        # Checkov appends YAML graph checks on every load; load each directory once per process.
        external.append(directory)
        _loaded_external_directories.add(directory)
    files = [str(path) for path in inputs.all_files]
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
    return GateRun(report=report, json_files=json_files, root=root)
