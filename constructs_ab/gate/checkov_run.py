"""One in-process Checkov run over one unit of stacks (Terraform JSON and HCL): built-in checks plus `policies/`.

`GateRunner` is Checkov's Terraform runner, taught to read Terraform JSON through
`constructs_ab.gate.terraform_json` (Checkov's Terraform runner reads only HCL when given files). All files
of the unit go into one graph, so the YAML graph policies and the whole-document policies (which read the
graph, see `policies/abt_document.py`) see every resource of the unit.

Checkov runs with no skip list: each stack's configuration is applied to the merged results afterwards
(`runner.py`). File paths in the results (`/stacks/prod/cdk.tf.json`) are relative to `root`, the folder
of all the files of the whole gate run, whichever unit they belong to, so a unit's results read the same
whether it ran alone, beside others or came from the cache.

Import this module only after `quiet.prepare_environment()` (it imports Checkov).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checkov.common.checks_infra.registry import get_graph_checks_registry
from checkov.common.output.report import Report
from checkov.common.typing import LibraryGraph
from checkov.runner_filter import RunnerFilter
from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph
from checkov.terraform.runner import Runner

from constructs_ab.gate import checkov_speedups, collector, quiet
from constructs_ab.gate.errors import GateInputError
from constructs_ab.gate.terraform_json import load_terraform_json
from constructs_ab.gate.units import CheckUnit
from constructs_ab.tfjson.discovery import FileKind

_loaded_external_directories: set[str] = set()


def prepare_checkov(policies_directory: Path) -> None:
    """What every run needs, done once per process (and inherited by forked workers): quiet and offline
    Checkov, the speedups, the built-in graph checks and the checks of `policies_directory`."""
    quiet.disable_platform_downloads()
    quiet.silence_checkov_logging()
    checkov_speedups.install()
    directory = str(policies_directory.resolve())
    if directory not in _loaded_external_directories:
        # Checkov appends YAML graph checks on every load; load each directory once per process.
        Runner().load_external_checks([directory])
        _loaded_external_directories.add(directory)
    get_graph_checks_registry("terraform").load_checks()


class GateRunner(Runner):
    """Checkov's Terraform runner that also reads Terraform JSON files and reports paths relative to `root`."""

    def __init__(self, *, definitions: dict[str, dict[str, Any]], root: str) -> None:
        super().__init__()
        self._json_definitions = definitions
        self._root = root

    def parse_file(self, file: str) -> tuple[str, dict[str, Any] | None, dict[str, Exception]] | None:
        if file in self._json_definitions:
            return file, self._json_definitions[file], {}
        return super().parse_file(file)

    # Checkov derives the root from the files it is given: the gate's is that of all units.
    def _update_definitions_and_breadcrumbs(
        self, local_graphs: list[tuple[str | None, TerraformLocalGraph]], report: Report, root_folder: str
    ) -> None:
        super()._update_definitions_and_breadcrumbs(local_graphs, report, self._root)

    def check_tf_definition(
        self,
        report: Report,
        root_folder: str | None,
        runner_filter: RunnerFilter,
        collect_skip_comments: bool = True,
    ) -> None:
        super().check_tf_definition(report, self._root, runner_filter, collect_skip_comments)

    def get_graph_checks_report(
        self, root_folder: str | None, runner_filter: RunnerFilter, graph: LibraryGraph | None = None
    ) -> Report:
        return super().get_graph_checks_report(self._root, runner_filter, graph)


def check_unit(unit: CheckUnit, *, root: str, policies_directory: Path) -> Any:
    """Checkov's report (check type "terraform") for the files of `unit`, before any configuration is
    applied; GateInputError when a file cannot be parsed. The rule quota is read from the environment
    (`runner.set_rules_quota`)."""
    prepare_checkov(policies_directory)
    checkov_speedups.new_run()
    with collector.paused():
        return _check(unit, root=root)


def _check(unit: CheckUnit, *, root: str) -> Any:
    definitions: dict[str, dict[str, Any]] = {}
    for stack in unit.stacks:
        for file in stack.stack.files:
            if file.kind is FileKind.JSON:
                absolute = str(file.path.resolve())
                definitions[absolute] = load_terraform_json(Path(absolute), document=file.document).definition
    runner_filter = RunnerFilter(
        framework=["terraform"], download_external_modules=False, show_progress_bar=False
    )
    runner = GateRunner(definitions=definitions, root=root)
    report = runner.run(root_folder=None, files=list(unit.files), runner_filter=runner_filter)
    if isinstance(report, list):
        report = report[0]
    if report.parsing_errors:
        first = sorted(report.parsing_errors)[0]
        raise GateInputError(f"{first}: cannot be parsed as Terraform (HCL syntax error)")
    return report
