"""The gate, the review and the policies read Terraform JSON through `constructs_ab.tfjson` only: no
second alias table, reference pattern or list of skipped folders elsewhere."""

from __future__ import annotations

import ast
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
READERS = [
    *sorted((REPOSITORY / "constructs_ab" / "gate").glob("*.py")),
    *sorted((REPOSITORY / "constructs_ab" / "review").glob("*.py")),
    *sorted((REPOSITORY / "policies").glob("*.py")),
]


def _code_strings(path: Path) -> list[str]:
    """Every string constant of a module except docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_reader_keeps_its_own_aliases_reference_pattern_or_skipped_folders():
    assert len(READERS) > 20
    offending = {}
    for path in READERS:
        found = [
            text
            for text in _code_strings(path)
            if text.startswith("aws_alb")
            or "node_modules" in text
            or "(?:arn|id)" in text
            or r"\.arn" in text
        ]
        if found:
            offending[str(path.relative_to(REPOSITORY))] = found
    assert offending == {}


def test_the_readers_import_the_shared_package():
    for module in ("constructs_ab/gate/plan.py", "constructs_ab/review/reader.py", "policies/abt_support.py"):
        assert "constructs_ab.tfjson" in (REPOSITORY / module).read_text(), module
