"""Plain Checkov, the reference of the equal-findings test (tests/gate/test_equal_findings.py).

    python tests/gate/plain_checkov.py OUTPUT POLICIES_DIR FILE ...

Checkov's own Terraform runner, unpatched (this process never imports the gate's speedups), one run over
every file with `policies/` as external checks and no skips, no units, no workers, no cache: how the gate
ran Checkov before it had any of them. Terraform JSON is handed to the runner in the shape its HCL parser
produces, through the gate's reader (Checkov's Terraform runner reads only HCL when given files).
Writes the findings to OUTPUT as JSON: [check id, file, resource, result, details] for every result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from constructs_ab.gate import quiet  # noqa: E402

quiet.prepare_environment()

from checkov.runner_filter import RunnerFilter  # noqa: E402
from checkov.terraform.runner import Runner  # noqa: E402

from constructs_ab.gate.terraform_json import load_terraform_json  # noqa: E402


def findings(report: Any) -> list[list[Any]]:
    rows = []
    for result, records in (
        ("passed", report.passed_checks),
        ("failed", report.failed_checks),
        ("skipped", report.skipped_checks),
    ):
        for record in records:
            rows.append(
                [record.check_id, record.file_abs_path, record.resource, result, record.details or []]
            )
    return sorted(rows, key=json.dumps)


def main(output: str, policies: str, paths: list[str]) -> None:
    quiet.disable_platform_downloads()
    quiet.silence_checkov_logging()
    files = sorted(str(Path(path).resolve()) for path in paths)
    definitions = {
        file: load_terraform_json(Path(file)).definition for file in files if file.endswith(".json")
    }

    class JsonReadingRunner(Runner):  # type: ignore[misc]
        def parse_file(self, file: str) -> Any:
            if file in definitions:
                return file, definitions[file], {}
            return super().parse_file(file)

    report = JsonReadingRunner().run(
        root_folder=None,
        external_checks_dir=[str(Path(policies).resolve())],
        files=files,
        runner_filter=RunnerFilter(
            framework=["terraform"], download_external_modules=False, show_progress_bar=False
        ),
    )
    assert "constructs_ab.gate.checkov_speedups" not in sys.modules, "the reference must run unpatched"
    Path(output).write_text(json.dumps(findings(report)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
