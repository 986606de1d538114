"""The gate's output formats, all written from the one Checkov report: cli (readable), json, sarif, junit."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from constructs_ab.gate.config import GateConfig
from constructs_ab.gate.runner import GateRun
from constructs_ab.gate.summary import construct_path_of, render_summary, stack_of


class OutputFormat(str, Enum):
    CLI = "cli"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


def render(run: GateRun, config: GateConfig, output_format: OutputFormat) -> str:
    if output_format is OutputFormat.CLI:
        return render_summary(run, config)
    if output_format is OutputFormat.JSON:
        return _json(run, config)
    if output_format is OutputFormat.SARIF:
        from checkov.common.output.sarif import Sarif

        return json.dumps(Sarif(reports=[run.report], tool="Checkov").json, indent=2) + "\n"
    from checkov.common.output.report import Report

    suite = run.report.get_test_suite()
    return Report.get_junit_xml_string([suite])


def _json(run: GateRun, config: GateConfig) -> str:
    """Checkov's JSON report, with `stack` and `construct_path` added to every check result."""
    document: dict[str, Any] = run.report.get_dict(is_quiet=False)
    document.pop("url", None)  # an advertisement for the vendor's platform, not a result
    records = {
        (record.check_id, record.resource, record.file_path): record
        for record in run.report.passed_checks + run.report.failed_checks + run.report.skipped_checks
    }
    for key in ("passed_checks", "failed_checks", "skipped_checks"):
        for result in document.get("results", {}).get(key, []):
            record = records.get((result["check_id"], result["resource"], result["file_path"]))
            if record is not None:
                result["stack"] = stack_of(record.file_path, run)
                result["construct_path"] = construct_path_of(record, run)
    document["skipped_by_configuration"] = [
        {"check_id": skip.check_id, "reason": skip.reason} for skip in config.skipped
    ]
    return json.dumps(document, indent=2, default=str) + "\n"
