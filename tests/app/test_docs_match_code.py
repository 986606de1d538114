"""What the README and the spec reference state, checked against the code: the reserved tag keys, the
README's links (none outside the repository) and CHECKPOINT_DISABLE wherever cdktf runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from constructs_ab import aws_limits
from constructs_ab.routing.contract import CONTRACT_TAG_KEYS
from constructs_ab.spec import formats

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
SPEC_REFERENCE = REPO / "docs" / "spec-reference.md"


def test_the_reserved_tag_keys_in_the_spec_reference_are_the_code_s() -> None:
    (row,) = [line for line in SPEC_REFERENCE.read_text().splitlines() if line.startswith("| `tags` |")]
    listed = re.search(r"not one of the reserved keys (.*?)\. ", row)
    assert listed is not None, row
    keys = re.findall(r"`([^`]+)`", listed.group(1))
    assert keys == list(CONTRACT_TAG_KEYS) == list(formats.RESERVED_TAG_KEYS)
    allowed = aws_limits.MAX_TAGS_PER_RESOURCE - len(keys)
    assert (
        f"At most {allowed} entries ({aws_limits.MAX_TAGS_PER_RESOURCE} per resource minus {len(keys)} reserved)"
        in row
    )


def _prose(markdown: str) -> str:
    """The text outside fenced code blocks and inline code."""
    without_blocks = re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`]*`", "", without_blocks)  # inline code may span lines


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors of the headings: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.*)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_the_readme_links_only_inside_the_repository() -> None:
    text = README.read_text()
    prose = _prose(text)
    assert re.findall(r"(?:https?|ftp)://\S+|www\.\S+", prose) == []
    targets = re.findall(r"\]\(([^)\s]+)\)", prose) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", prose, re.MULTILINE)
    assert targets, "the README links to files of the repository"
    for target in targets:
        path, _, anchor = target.partition("#")
        if not path:
            assert anchor in _anchors(text), target
            continue
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", path), target  # no scheme: mailto:, https:, ...
        found = (README.parent / path).resolve()
        assert found.is_relative_to(REPO) and found.exists(), target
        if anchor:
            assert anchor in _anchors(found.read_text()), target


def test_main_py_turns_off_cdktf_s_version_check_before_importing_anything_of_cdktf() -> None:
    tree = ast.parse((REPO / "main.py").read_text())
    statements = [ast.unparse(node) for node in tree.body]
    disable = statements.index("os.environ.setdefault('CHECKPOINT_DISABLE', '1')")
    first_import = next(i for i, s in enumerate(statements) if s.startswith("from constructs_ab"))
    assert disable < first_import


def test_the_makefile_and_the_readme_s_deploy_commands_turn_it_off() -> None:
    assert re.search(r"^export CHECKPOINT_DISABLE := 1$", (REPO / "Makefile").read_text(), re.MULTILINE)
    deploying = README.read_text().split("## Deploying", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = deploying.splitlines()
    disable = next(i for i, line in enumerate(lines) if line.startswith("export CHECKPOINT_DISABLE=1"))
    first_cdktf = next(i for i, line in enumerate(lines) if line.startswith("npx cdktf"))
    assert disable < first_cdktf


def test_the_readme_s_model_server_example_is_well_formed_terraform(tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    section = README.read_text().split("### Attaching model servers", 1)[1]
    block = section.split("```hcl\n", 1)[1].split("```", 1)[0]
    for output in ("variant-sentiment-b-target-group-arn", "lb-public-model-servers-security-group-id"):
        assert f'outputs["{output}"]' in block
    (tmp_path / "servers.tf").write_text(block)
    # THEN it parses and is formatted as `terraform fmt` writes it
    result = subprocess.run(
        [terraform, "fmt", "-check", "-diff", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
