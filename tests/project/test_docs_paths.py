"""The documents name only files that exist: every repository path in backticks and every relative link
in docs/*.md and the README resolves; the architecture map links nothing outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted((REPOSITORY / "docs").glob("*.md")) + [REPOSITORY / "README.md"]
#: Where a path in backticks starts when it names a file of this repository.
TOP = ("constructs_ab/", "policies/", "tests/", "docs/", "examples/", "bench/", "scripts/")
TOP_FILES = {"README.md", "Makefile", "main.py", "pyproject.toml", "Pipfile", "Pipfile.lock", "cdktf.json"}
BACKTICKED = re.compile(r"`([^`\s]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def named_paths(text: str) -> set[str]:
    """Repository paths in backticks, but patterns and placeholders (`*`, `<env>`, `{json,hcl}`)."""
    return {
        token.rstrip("/.,:;")
        for token in BACKTICKED.findall(text)
        if (token.startswith(TOP) or token in TOP_FILES) and not re.search(r"[*<>{}$]", token)
    }


def linked_paths(text: str) -> set[str]:
    """Relative link targets, without their anchor (code spans are not links)."""
    targets = {target.split("#", 1)[0] for target in LINK.findall(BACKTICKED.sub("", text))}
    return {t for t in targets if t and not re.match(r"^[a-z][a-z0-9+.-]*:", t)}


def test_a_path_pattern_is_not_taken_for_a_path() -> None:
    assert named_paths("`tests/gate/fixtures/policies/{json,hcl}/<id>/` `cdktf.out/stacks` `main.py`") == {
        "main.py"
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_path_a_document_names_exists(document: Path) -> None:
    text = document.read_text()
    missing = sorted(p for p in named_paths(text) if not (REPOSITORY / p).exists())
    missing += sorted(p for p in linked_paths(text) if not (document.parent / p).exists())
    assert missing == []


def test_the_architecture_map_links_nothing_outside_the_repository() -> None:
    text = (REPOSITORY / "docs" / "architecture.md").read_text()
    assert "://" not in text
    assert "../shared" not in text
    assert len(linked_paths(text)) > 50
