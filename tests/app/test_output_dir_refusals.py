"""`python main.py --outdir X` replaces X only if it is new, empty or a previous synth output; anything
else is refused with exit 2 and one line naming the path and why, and the whole tree is left
byte-identical (no lock, staging directory or output written anywhere)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_ab.cli.output_target import (
    MARKER_FILE,
    OutputRefused,
    check_target,
    holds_only_synth_output,
    marker_text,
)

from .spec_warnings import without_spec_warnings
from .tree_snapshot import snapshot_tree

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"
ADVICE = "; choose a new or empty directory, or a previous synth output"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """tmp_path/repo: a repository (its `.git`, sources, a notes folder, a file); tmp_path/home: a home
    directory; symbolic links to the repository root and to the notes folder beside them."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / "README.md").write_text("# my project\n")
    (repo / "notes").mkdir()
    (repo / "notes" / "todo.txt").write_text("keep me\n")
    (repo / "plan.txt").write_text("not a directory\n")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".bashrc").write_text("export EDITOR=vi\n")
    (tmp_path / "link-to-repo").symlink_to(repo)
    (repo / "link-to-notes").symlink_to("notes")
    return tmp_path


def synth(workspace: Path, outdir: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CDKTF_OUTDIR", "AB_SPEC")}
    env["HOME"] = str(workspace / "home")
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--spec", str(EXAMPLE), "--outdir", outdir],
        cwd=workspace / "repo",
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("outdir", "reason"),
    [
        (".", "it is the root of the repository you are in"),
        ("..", "it contains the repository you are in ({workspace}/repo)"),
        ("plan.txt", "it is a file, not a directory"),
        ("notes", "it holds files synth did not write (todo.txt)"),
        (
            "link-to-notes",
            "it holds files synth did not write (todo.txt) (it resolves to {workspace}/repo/notes)",
        ),
        (
            "../link-to-repo",
            "it is the root of the repository you are in (it resolves to {workspace}/repo)",
        ),
        ("{workspace}/home", "it is your home directory"),
        ("/", "it is the root of the file system"),
    ],
)
def test_refuses_with_one_line_and_touches_nothing(workspace: Path, outdir: str, reason: str) -> None:
    # GIVEN a repository, a home directory and their neighbours
    outdir = outdir.format(workspace=workspace)
    before = snapshot_tree(workspace)

    # WHEN the user synthesizes into one of them
    result = synth(workspace, outdir)

    # THEN exit 2 and one line naming the path and why
    assert (result.returncode, result.stdout) == (2, "")
    expected = f"synth: refusing to write to {outdir}: {reason.format(workspace=workspace)}{ADVICE}\n"
    assert without_spec_warnings(result.stderr) == expected
    # AND nothing was written anywhere: no output, lock file or staging directory
    assert snapshot_tree(workspace) == before


def test_a_previous_synth_output_with_its_marker_is_replaceable(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (output / "stacks" / "prod").mkdir(parents=True)
    (output / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": {}}))
    (output / MARKER_FILE).write_text(marker_text())
    (output / "stacks" / "prod" / ".terraform").mkdir()
    assert check_target(output) == output.resolve()
    # a foreign file at the top level of a marked output is not synth's, but the output is: it stays
    (output / "notes.txt").write_text("mine\n")
    assert check_target(output) == output.resolve()
    assert not holds_only_synth_output(output)


def test_an_output_from_before_the_marker_is_accepted_only_if_it_is_exactly_cdktfs(tmp_path: Path) -> None:
    output = tmp_path / "cdktf.out"
    (output / "stacks" / "staging").mkdir(parents=True)
    (output / "stacks" / "staging" / "cdk.tf.json").write_text("{}")
    (output / "manifest.json").write_text(json.dumps({"version": "0.20.0", "stacks": {"staging": {}}}))
    assert check_target(output) == output.resolve()

    (output / "deploy.sh").write_text("#!/bin/sh\n")
    with pytest.raises(OutputRefused) as refused:
        check_target(output)
    assert refused.value.reason == "it holds files synth did not write (deploy.sh, manifest.json, stacks)"

    (output / "deploy.sh").unlink()
    (output / "manifest.json").write_text("[]")  # not a cdktf manifest
    with pytest.raises(OutputRefused):
        check_target(output)


def test_a_forged_or_incomplete_marker_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / MARKER_FILE).write_text('{"tool": "something else"}')
    (output / "manifest.json").write_text('{"stacks": {}}')
    (output / "stacks").mkdir()
    with pytest.raises(OutputRefused) as refused:
        check_target(output)
    assert refused.value.reason == f"its {MARKER_FILE} is not a synth marker"

    (output / MARKER_FILE).write_text(marker_text())
    shutil.rmtree(output / "stacks")
    with pytest.raises(OutputRefused) as refused:
        check_target(output)
    assert refused.value.reason == "it has a synth marker but no valid manifest.json and stacks/ directory"


def test_new_and_empty_directories_are_replaceable(tmp_path: Path) -> None:
    assert check_target(tmp_path / "new" / "out") == (tmp_path / "new" / "out").resolve()
    (tmp_path / "empty").mkdir()
    assert check_target(tmp_path / "empty") == (tmp_path / "empty").resolve()
    assert not (tmp_path / "new").exists()
