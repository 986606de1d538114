"""`python -m constructs_ab clean` (what `make clean` runs) deletes a synth output only if it holds
nothing but synth's files: never Terraform's state, never a directory synth did not write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_ab.cli import clean
from constructs_ab.cli.output_target import MARKER_FILE, marker_text

from .tree_snapshot import snapshot_tree


@pytest.fixture
def output(tmp_path: Path) -> Path:
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "staging").mkdir(parents=True)
    (outdir / "stacks" / "staging" / "cdk.tf.json").write_text("{}")
    (outdir / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": {"staging": {}}}))
    (outdir / MARKER_FILE).write_text(marker_text())
    return outdir


def test_deletes_an_output_of_synths_files_only(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert clean.main(["--outdir", str(output)]) == 0
    assert capsys.readouterr().out == f"clean: deleted {output}\n"
    assert not output.exists()


def test_keeps_an_output_holding_terraform_state(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (output / "stacks" / "staging" / "terraform.staging.tfstate").write_text('{"version": 4}')
    (output / "stacks" / "staging" / ".terraform").mkdir()
    before = snapshot_tree(output)
    assert clean.main(["--outdir", str(output)]) == 1
    assert capsys.readouterr().err == (
        f"clean: kept {output}: it holds files synth did not write: stacks/staging: .terraform, "
        "terraform.staging.tfstate; delete them yourself once they are no longer needed (for state: once "
        "its resources are destroyed)\n"
    )
    assert snapshot_tree(output) == before


def test_refuses_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.py").write_text("print('mine')\n")
    monkeypatch.chdir(tmp_path)
    assert clean.main(["--outdir", "."]) == 2
    assert (
        capsys.readouterr().err
        == "clean: refusing to delete .: it is the root of the repository you are in\n"
    )
    assert (tmp_path / "main.py").exists()
