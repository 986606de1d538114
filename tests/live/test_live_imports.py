"""The live layer reads the AWS API with boto3 and never imports cdktf, jsii or the constructs (nor the
analysis, when it exists, which reads the same way)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import constructs_ab

PACKAGE = Path(constructs_ab.__file__).parent
LAYERS = ("live", "analysis")
NEVER = ("cdktf", "cdktf_cdktf_provider_aws", "jsii", "constructs", "constructs_ab.provider")


def imports_of(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_live_or_analysis_module_imports_cdktf() -> None:
    files = [path for layer in LAYERS for path in sorted((PACKAGE / layer).glob("*.py"))]
    assert len(files) >= 30
    found = {
        path.name: [m for m in imports_of(path) if any(m == n or m.startswith(n + ".") for n in NEVER)]
        for path in files
    }
    assert {name: modules for name, modules in found.items() if modules} == {}
    assert any("boto3" in imports_of(path) for path in files)


def test_running_the_live_commands_and_analyze_loads_no_cdktf_or_jsii() -> None:
    script = """
import sys, contextlib, io
from constructs_ab.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    for command in ("status", "drift", "preflight", "analyze"):
        try:
            main([command, "--help"])
        except SystemExit:
            pass
import constructs_ab.live.status_cli, constructs_ab.live.elbv2_reader, constructs_ab.live.drift_cli, constructs_ab.live.preflight_cli
import constructs_ab.analysis.analyze_cli, constructs_ab.analysis.run, constructs_ab.analysis.apply_verdict
print(sorted(m for m in sys.modules if m.split(".")[0] in ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws")))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    assert result.stdout.strip() == "[]"
