"""The review package reads Terraform JSON only: it never imports cdktf, jsii or the spec package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import constructs_ab.review

from .conftest import BASE, HEAD

REVIEW = Path(constructs_ab.review.__file__).parent
FORBIDDEN = ("cdktf", "cdktf_cdktf_provider_aws", "jsii", "constructs", "constructs_ab.spec")


def _is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


def test_no_module_of_the_review_package_imports_cdktf_jsii_or_the_spec() -> None:
    imported: dict[str, list[str]] = {}
    for path in sorted(REVIEW.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            imported.setdefault(path.name, []).extend(n for n in names if _is_forbidden(n))
    assert {name: found for name, found in imported.items() if found} == {}
    assert len(imported) >= 10  # the walk did see the package's modules


def test_running_report_and_diff_loads_no_cdktf_jsii_or_spec_module() -> None:
    script = f"""
import sys, io, contextlib
from constructs_ab.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    codes = [main(["report", {str(BASE)!r}, "--format", "markdown"]),
             main(["report", {str(BASE)!r}, "--request", "GET /abtest"]),
             main(["diff", {str(BASE)!r}, {str(HEAD)!r}, "--format", "json"])]
forbidden = {FORBIDDEN!r}
loaded = sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden))
print(codes, loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REVIEW.parent.parent
    )
    assert result.stdout.strip() == "[0, 0, 0] []"


def test_fails_as_a_real_process_with_exit_2_one_line_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "main.tf.json"
    broken.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "report", str(broken)],
        capture_output=True,
        text=True,
        cwd=REVIEW.parent.parent,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"report: {broken}: invalid JSON at line 1, column 2: "
        "Expecting property name enclosed in double quotes\n"
    )
