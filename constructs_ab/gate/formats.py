"""The gate's output formats (`GATE_FORMATS` of the command-line kit), all written from the one Checkov
report: cli (readable), json, sarif, junit."""

from __future__ import annotations

import json
from typing import Any

from constructs_ab.cli.kit.output_format import OutputFormat
from constructs_ab.gate.runner import GateRun
from constructs_ab.gate.summary import construct_path_of, display_path, render_summary, stack_counts


def render(run: GateRun, output_format: OutputFormat) -> str:
    """`output_format` is one of GATE_FORMATS."""
    if output_format is OutputFormat.CLI:
        return render_summary(run)
    if output_format is OutputFormat.JSON:
        return _json(run)
    if output_format is OutputFormat.SARIF:
        from checkov.common.output.sarif import Sarif

        return json.dumps(Sarif(reports=[run.report], tool="Checkov").json, indent=2) + "\n"
    if output_format is not OutputFormat.JUNIT:
        raise ValueError(f"the gate does not write {output_format.value}")
    from checkov.common.output.report import Report

    suite = run.report.get_test_suite()
    return Report.get_junit_xml_string([suite])


def _json(run: GateRun) -> str:
    """Checkov's JSON report, with `stack` and `construct_path` added to every check result, and `stacks`:
    each stack with its counts, whether it is ours, and the configuration applied to it."""
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
                result["stack"] = run.stack_of(record).name
                result["construct_path"] = construct_path_of(record, run)
    counts = stack_counts(run)
    document["stacks"] = [
        {
            "name": stack.name,
            "ours": stack.ours,
            "configuration": display_path(stack.config.source) if stack.config.source else None,
            "skipped_by_configuration": [
                {"check_id": check_id, "reason": reason} for check_id, reason in stack.config.skipped.items()
            ],
            "resources": counts[stack.name].resources,
            "passed": counts[stack.name].passed,
            "failed": counts[stack.name].failed,
            "skipped": counts[stack.name].skipped,
        }
        for stack in run.stacks
    ]
    return json.dumps(document, indent=2, default=str) + "\n"
