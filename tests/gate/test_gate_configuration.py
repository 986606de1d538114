"""Which Checkov configuration the gate applies: our skips to our synthesized stacks only, wherever the gate
runs; any other Terraform gets its own project's configuration (or --config). Mixed inputs are checked
with each configuration on its own stacks, the output names the configuration of every stack, the stack
lines add up to the totals, and stacks with the same name are reported apart."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from constructs_ab.cli.output_target import marker_text
from constructs_ab.gate.cli import main
from constructs_ab.gate.config import OUR_STACKS_CONFIG, find_project_config, load_config
from constructs_ab.gate.our_stacks import SYNTH_MARKER_FILE, is_our_stack
from constructs_ab.tfjson.discovery import discover

from .conftest import REPOSITORY_CONFIG

# A hand-written public HTTP service: port 80 open to the world (CKV_AWS_260) and an HTTP listener in front
# of an HTTP target group (CKV_AWS_378). Both checks are skipped for our stacks, never for this.
HTTP_LISTENER = """
resource "aws_security_group" "web" {
  name        = "web"
  description = "Clients of the web service"
  vpc_id      = "vpc-0123456789abcdef0"
  ingress {
    description = "HTTP from anywhere"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "web" {
  name               = "web"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.web.id]
  subnets            = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = "vpc-0123456789abcdef0"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
"""
STACK_LINE = re.compile(
    r"^stack (?P<name>.+): (?P<r>\d+) resources, (?P<p>\d+) passed, (?P<f>\d+) failed, (?P<s>\d+) skipped$"
)
TOTAL_LINE = re.compile(
    r"^gate: (?P<p>\d+) passed, (?P<f>\d+) failed, (?P<s>\d+) skipped, (?P<r>\d+) resources in (?P<n>\d+) stack\(s\)$"
)


def gate(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def failed_ids(out: str) -> set[str]:
    return set(re.findall(r"FAILED (CKV2?_[A-Z]+_\d+):", out))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Someone else's Terraform project (a git repository) with the hand-written HTTP service."""
    root = tmp_path / "their-project"
    (root / ".git").mkdir(parents=True)
    (root / "infra").mkdir()
    (root / "infra" / "main.tf").write_text(HTTP_LISTENER)
    return root


def test_hand_written_http_listener_reports_the_checks_our_stacks_skip(capsys, project, monkeypatch):
    # GIVEN a project with no Checkov configuration, gated from this repository (which has a .checkov.yaml)
    monkeypatch.chdir(REPOSITORY_CONFIG.parent)
    code, out, err = gate(capsys, project / "infra")
    # THEN the checks our stacks skip are run and reported, and the output says no configuration applied
    assert (code, err) == (1, "")
    assert {"CKV_AWS_260", "CKV_AWS_378"} <= failed_ids(out)
    assert "stack infra: no Checkov configuration found" in out.splitlines()
    assert "skipped by" not in out


def test_the_projects_own_configuration_applies_from_its_git_root(capsys, project, tmp_path):
    # GIVEN the project's own .checkov.yaml at its root, and another one above the git root (not theirs)
    (project / ".checkov.yml").write_text("skip-check:\n  - CKV_AWS_260  # the project's own reason\n")
    (tmp_path / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_378\n")
    code, out, _ = gate(capsys, project / "infra")
    # THEN only the project's skip applies, with its reason, and the file is named
    assert code == 1
    assert "CKV_AWS_260" not in failed_ids(out) and "CKV_AWS_378" in failed_ids(out)
    assert f"stack infra: configuration {project / '.checkov.yml'}" in out.splitlines()
    assert "  CKV_AWS_260: the project's own reason" in out.splitlines()


def test_config_option_replaces_the_projects_configuration(capsys, project, tmp_path):
    (project / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_260\n")
    chosen = tmp_path / "chosen.yaml"
    chosen.write_text("skip-check:\n  - CKV_AWS_378  # chosen on the command line\n")
    code, out, _ = gate(capsys, "--config", chosen, project / "infra")
    assert code == 1
    assert "CKV_AWS_260" in failed_ids(out) and "CKV_AWS_378" not in failed_ids(out)
    assert f"stack infra: configuration {chosen}" in out.splitlines()


def test_find_project_config_looks_in_the_path_then_parents_up_to_the_git_root(project, tmp_path):
    assert find_project_config(project / "infra" / "main.tf") is None
    (tmp_path / ".checkov.yaml").write_text("skip-check: []\n")
    assert find_project_config(project / "infra") is None  # above the git root: not the project's
    (project / ".checkov.yaml").write_text("skip-check: []\n")
    assert find_project_config(project / "infra" / "main.tf") == project / ".checkov.yaml"
    (project / "infra" / ".checkov.yml").write_text("skip-check: []\n")
    assert find_project_config(project / "infra") == project / "infra" / ".checkov.yml"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, example) -> Path:
    """Two copies of our synthesized example (each a cdktf.out with prod and staging) and a hand-written
    project, side by side."""
    stacks, _ = example
    root = tmp_path_factory.mktemp("mixed")
    for team in ("team-a", "team-b"):
        shutil.copytree(stacks, root / team / "cdktf.out")
    (root / "theirs").mkdir()
    (root / "theirs" / "main.tf").write_text(HTTP_LISTENER)
    return root


def test_mixed_inputs_apply_each_configuration_to_its_own_stacks(capsys, mixed, monkeypatch):
    monkeypatch.chdir(mixed)
    code, out, _ = gate(capsys, "team-a/cdktf.out", "theirs")
    lines = out.splitlines()
    assert code == 1
    assert f"stack prod (ours): skips from {OUR_STACKS_CONFIG}" in lines
    assert f"stack staging (ours): skips from {OUR_STACKS_CONFIG}" in lines
    assert "stack theirs: no Checkov configuration found" in lines
    # the failures are the hand-written project's only: our skips did not reach it, nor it ours
    failing_stacks = {
        line.split(":")[0] for line in lines if STACK_LINE.match(line) and " 0 failed" not in line
    }
    assert failing_stacks == {"stack theirs"}
    assert {"CKV_AWS_260", "CKV_AWS_378"} <= failed_ids(out)


def test_stack_lines_add_up_to_the_totals(capsys, mixed, monkeypatch):
    monkeypatch.chdir(mixed)
    code, out, _ = gate(capsys, "team-a/cdktf.out", "theirs")
    stacks = [STACK_LINE.match(line) for line in out.splitlines() if STACK_LINE.match(line)]
    (total,) = [TOTAL_LINE.match(line) for line in out.splitlines() if TOTAL_LINE.match(line)]
    assert len(stacks) == int(total["n"]) == 3
    for key in ("r", "p", "f", "s"):
        assert sum(int(match[key]) for match in stacks) == int(total[key]), key
    assert int(total["f"]) == len(re.findall(r"^    FAILED ", out, re.MULTILINE))
    # AND the JSON output agrees with Checkov's own summary of the same results
    code, out, _ = gate(capsys, "--format", "json", "team-a/cdktf.out", "theirs")
    document = json.loads(out)
    for key in ("passed", "failed"):
        assert sum(stack[key] for stack in document["stacks"]) == document["summary"][key]
    assert sum(stack["resources"] for stack in document["stacks"]) == int(total["r"])


def test_stacks_with_the_same_name_are_reported_apart(capsys, mixed, monkeypatch):
    monkeypatch.chdir(mixed)
    _, single, _ = gate(capsys, "team-a/cdktf.out")
    code, out, _ = gate(capsys, "team-a/cdktf.out", "team-b/cdktf.out")
    assert code == 0
    stacks = {m["name"]: m for m in map(STACK_LINE.match, out.splitlines()) if m}
    assert sorted(stacks) == [
        "prod (team-a/cdktf.out/stacks/prod) (ours)",
        "prod (team-b/cdktf.out/stacks/prod) (ours)",
        "staging (team-a/cdktf.out/stacks/staging) (ours)",
        "staging (team-b/cdktf.out/stacks/staging) (ours)",
    ]
    alone = {m["name"]: m for m in map(STACK_LINE.match, single.splitlines()) if m}
    for team in ("team-a", "team-b"):
        # each copy is counted in full, exactly as when it is gated alone
        assert stacks[f"prod ({team}/cdktf.out/stacks/prod) (ours)"].group("r", "p", "s") == alone[
            "prod (ours)"
        ].group("r", "p", "s")
    shares = [line for line in out.splitlines() if "sentiment-a=80.0%, sentiment-b=20.0%" in line]
    assert {line.split(" aws_")[0].strip() for line in shares} >= {
        "prod (team-a/cdktf.out/stacks/prod)",
        "prod (team-b/cdktf.out/stacks/prod)",
    }


def test_our_stacks_are_recognized_by_cdktf_metadata_and_our_contract_or_marker(example, tmp_path):
    stacks, _ = example
    prod = json.loads((stacks / "stacks" / "prod" / "cdk.tf.json").read_text())

    def ours(document: dict, *, marker: bool = False, cdktf_layout: bool = True) -> bool:
        root = tmp_path / f"case-{len(list(tmp_path.iterdir()))}"
        folder = root / "stacks" / "prod" if cdktf_layout else root
        folder.mkdir(parents=True)
        (folder / "cdk.tf.json").write_text(json.dumps(document))
        if marker:
            (root / SYNTH_MARKER_FILE).write_text(marker_text())
        (stack,) = discover([root])
        return is_our_stack(stack)

    no_contract = json.loads(json.dumps(prod))
    for rule in no_contract["resource"]["aws_lb_listener_rule"].values():
        rule["tags"].pop("ab-role")
    no_metadata = json.loads(json.dumps(prod))
    no_metadata.pop("//")
    assert ours(prod)  # cdktf metadata and our rules' contract tags
    assert ours(prod, cdktf_layout=False)
    assert not ours(no_contract)  # cdktf, but nothing only our constructs write
    assert ours(no_contract, marker=True)  # ... unless our synth's marker is at the output root
    assert not ours(no_metadata, marker=True)  # not a cdktf stack at all
    # a file of that name that another tool wrote is not our marker
    other = tmp_path / "other"
    (other / "stacks" / "prod").mkdir(parents=True)
    (other / "stacks" / "prod" / "cdk.tf.json").write_text(json.dumps(no_contract))
    (other / SYNTH_MARKER_FILE).write_text('{"tool": "someone else"}')
    assert not is_our_stack(discover([other])[0])


def test_shipped_skips_and_the_repository_checkov_yaml_agree():
    # plain `checkov -d cdktf.out --external-checks-dir policies` reads the repository's file
    shipped, repository = (
        load_config(OUR_STACKS_CONFIG, required=True),
        load_config(REPOSITORY_CONFIG, required=True),
    )
    assert shipped.skipped and list(shipped.skipped.items()) == list(repository.skipped.items())
    assert all(len(reason) > 20 for reason in shipped.skipped.values())


def test_our_skips_apply_wherever_the_gate_runs(capsys, example, tmp_path, monkeypatch):
    stacks, _ = example
    monkeypatch.chdir(tmp_path)  # no .checkov.yaml here or above
    code, out, _ = gate(capsys, stacks)
    assert code == 0, out
    assert f"stack prod (ours): skips from {OUR_STACKS_CONFIG}" in out.splitlines()
