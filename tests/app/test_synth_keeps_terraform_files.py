"""A new synth into a previous output keeps what Terraform put there: `.terraform/` (moved, not copied),
the lock file, local state and plan files of every stack, and a whole stack directory whose environment
left the spec while it still holds state. Leftovers of a killed run are removed if they hold only
synth's files. Ctrl-C stops a synth with one line and exit 130, the previous output untouched."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from constructs_ab.cli.output_target import MARKER_FILE

from .spec_warnings import without_spec_warnings
from .tree_snapshot import snapshot_tree

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"
PROVIDER = ".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/provider"
TERRAFORMS_FILES = {
    PROVIDER: b"\x7fELF a provider binary",
    ".terraform/terraform.tfstate": b'{"version": 3, "backend": {"type": "local"}}',
    ".terraform.lock.hcl": b'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n}\n',
    "terraform.staging.tfstate": b'{"version": 4, "serial": 7, "resources": [{"type": "aws_lb"}]}',
    "terraform.staging.tfstate.backup": b'{"version": 4, "serial": 6}',
    "plan": b"a saved plan",
}


def run_synth(outdir: Path, *, full: bool = False, **popen: object) -> subprocess.Popen[str]:
    """main.py on the example; `full`: build every stack (else unchanged stacks are reused)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDKTF_OUTDIR", "AB_SPEC")}
    return subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "--spec", str(EXAMPLE), "--outdir", str(outdir)]
        + (["--full"] if full else []),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,  # type: ignore[call-overload]
    )


def synth(outdir: Path) -> tuple[int, str, str]:
    process = run_synth(outdir)
    out, err = process.communicate()
    return process.returncode, out, err


@dataclass(frozen=True)
class Resynth:
    outdir: Path
    code: int
    stdout: str
    stderr: str
    inodes: dict[str, int]


@pytest.fixture(scope="module")
def resynth(tmp_path_factory: pytest.TempPathFactory) -> Resynth:
    # GIVEN a synth output
    outdir = tmp_path_factory.mktemp("deployed") / "cdktf.out"
    code, _, err = synth(outdir)
    assert code == 0, err
    stacks = outdir / "stacks"
    # AND Terraform's files in the staging stack, as `terraform init` and `cdktf deploy` leave them
    for name, content in TERRAFORMS_FILES.items():
        (stacks / "staging" / name).parent.mkdir(parents=True, exist_ok=True)
        (stacks / "staging" / name).write_bytes(content)
    inodes = {name: (stacks / "staging" / name).stat().st_ino for name in (".terraform", PROVIDER)}
    (stacks / "staging" / "cdk.tf.json").write_text("{}")  # stale: the new synth must replace it
    # AND a deployed environment since removed from the spec, and an undeployed one
    (stacks / "canary").mkdir()
    (stacks / "canary" / "cdk.tf.json").write_text('{"//": {"metadata": {}}, "resource": {}}')
    (stacks / "canary" / "terraform.canary.tfstate").write_text('{"version": 4}')
    (stacks / "scratch").mkdir()
    (stacks / "scratch" / "cdk.tf.json").write_text("{}")
    # AND what two killed runs left: synth's files only, and Terraform's files mid-move
    dead_staging = outdir.parent / ".cdktf.out.synth-staging-k1ll3d"
    shutil.copytree(outdir / "stacks" / "prod", dead_staging / "stacks" / "prod")
    shutil.copy(outdir / "manifest.json", dead_staging / "manifest.json")
    dead_retired = outdir.parent / ".cdktf.out.synth-retired-k1ll3d"
    (dead_retired / "stacks" / "prod" / ".terraform").mkdir(parents=True)

    # WHEN the user synthesizes again
    code, out, err = synth(outdir)
    return Resynth(outdir=outdir, code=code, stdout=out, stderr=err, inodes=inodes)


def test_the_new_synth_succeeds_and_says_what_it_kept(resynth: Resynth) -> None:
    assert resynth.code == 0, resynth.stderr
    canary, retired = (
        resynth.outdir / "stacks" / "canary",
        resynth.outdir.parent / ".cdktf.out.synth-retired-k1ll3d",
    )
    assert without_spec_warnings(resynth.stderr).splitlines() == [
        f"synth: left {retired} in place: a synth into {resynth.outdir} stopped part-way and it holds files "
        f"synth did not write; move them back into {resynth.outdir}, then delete it",
        f"synth: kept {canary}: environment canary is no longer in the spec, but the directory holds "
        "Terraform state (terraform.canary.tfstate) that may still describe live resources; destroy them "
        f"(terraform -chdir={canary} destroy), then delete the directory",
    ]


def test_terraforms_files_survive_and_terraform_is_moved_not_copied(resynth: Resynth) -> None:
    staging = resynth.outdir / "stacks" / "staging"
    for name, content in TERRAFORMS_FILES.items():
        assert (staging / name).read_bytes() == content, name
    assert {name: (staging / name).stat().st_ino for name in resynth.inodes} == resynth.inodes


def test_synths_own_files_are_new(resynth: Resynth) -> None:
    stack = json.loads((resynth.outdir / "stacks" / "staging" / "cdk.tf.json").read_text())
    assert stack["terraform"]["backend"] == {"local": {"path": "terraform.staging.tfstate"}}
    assert json.loads((resynth.outdir / MARKER_FILE).read_text())["tool"] == "constructs_ab synth"


def test_a_removed_environment_with_state_is_kept_and_stays_in_the_manifest(resynth: Resynth) -> None:
    stacks = resynth.outdir / "stacks"
    assert sorted(p.name for p in stacks.iterdir()) == ["canary", "prod", "staging"]
    assert (stacks / "canary" / "terraform.canary.tfstate").read_text() == '{"version": 4}'
    # listed, so the cdktf CLI (which deletes stack directories missing from the manifest) keeps it
    manifest = json.loads((resynth.outdir / "manifest.json").read_text())
    assert sorted(manifest["stacks"]) == ["canary", "prod", "staging"]
    assert manifest["stacks"]["canary"]["synthesizedStackPath"] == "stacks/canary/cdk.tf.json"


def test_leftovers_of_killed_runs_go_only_if_they_hold_nothing_but_synths_files(resynth: Resynth) -> None:
    beside = sorted(p.name for p in resynth.outdir.parent.iterdir())
    assert beside == [".cdktf.out.synth-lock", ".cdktf.out.synth-retired-k1ll3d", "cdktf.out"]


@pytest.mark.parametrize("whom", ["process group", "python process"])
def test_ctrl_c_prints_one_line_exits_130_and_leaves_the_output(
    resynth: Resynth, tmp_path: Path, whom: str
) -> None:
    # GIVEN a previous output with Terraform's files
    outdir = tmp_path / "out"
    shutil.copytree(resynth.outdir, outdir, symlinks=True)
    before = snapshot_tree(tmp_path)

    # WHEN Ctrl-C arrives while the new output is being synthesized (the terminal sends it to the whole
    # process group, Node.js included; `kill -INT` to the python process alone)
    process = run_synth(outdir, full=True, start_new_session=True)  # reusing nothing: jsii runs
    wait_for_synthesis(process, tmp_path)
    if whom == "process group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate()

    # THEN one line, exit 130, no traceback, and everything as it was (but the lock file beside it)
    assert (process.returncode, out, without_spec_warnings(err)) == (
        130,
        "",
        f"synth: interrupted; {outdir} was left as it was\n",
    )
    after = snapshot_tree(tmp_path)
    assert after.pop(".out.synth-lock")[0] == "file"
    assert after == before


def wait_for_synthesis(process: subprocess.Popen[str], beside: Path) -> None:
    """Return once the synth writes its staging directory and runs its Node.js child (jsii)."""
    while process.poll() is None:
        staging = [p for p in beside.iterdir() if p.name.startswith(".out.") and p.is_dir()]
        if staging and child_processes(process.pid):
            return
        time.sleep(0.01)
    pytest.fail(f"synth ended before it could be interrupted: {process.communicate()}")


def child_processes(pid: int) -> list[str]:
    children: list[str] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            pass
    return children
