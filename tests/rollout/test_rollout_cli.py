"""`promote`, `rollback` and `set-weights` end to end: the spec file before and after, the printed diff,
the refusals (exit 2, one line per problem, file untouched), --dry-run and the atomic write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from constructs_ab.rollout import cli
from constructs_ab.spec import SpecError, parse_spec
from constructs_ab.spec.errors import Problem

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"

SPEC = """\
# Rollout test spec: comments, flow and block styles, odd spacing must all survive.
version: 1

environments:
  prod:
    region: eu-west-1
    vpc_id: vpc-0f9e8d7c6b5a43210
    subnet_ids: [subnet-0f9e8d7c6b5a40001, subnet-0f9e8d7c6b5a40002]
    certificate_arn: arn:aws:acm:eu-west-1:210987654321:certificate/66666666-7777-8888-9999-000000000000
    allowed_client_cidrs: [10.0.0.0/8]
    owner: ml-platform
    load_balancers:
      public: {internal: true}

    experiments:
      # The classic, ramping model B up.
      - name: sentiment-abtest
        load_balancer: public
        priority: 100
        match:
          paths: ["/abtest", "/abtest/*"]
        variants:
          - name: sentiment-a
            model: {id: sentiment, version: "1.4.2"}
            weight:   80        # the incumbent
            health_check: {path: /health}
          - name: sentiment-b
            model: {id: sentiment, version: "2.0.0"}
            weight: 20          # the candidate
        ramp:
          candidate: sentiment-b
          stages: [5, 20, 50, 100]   # percent of traffic for sentiment-b
          stage: 1
          max_step: 25

      # No ramp: weights only.
      - name: chat-llm
        load_balancer: public
        priority: 200
        match: {paths: ["/v1/chat/*"]}
        variants:
          - {name: llama-8b, model: {id: llama, version: "3.1"}, weight: 60}
          - {name: mistral-7b, model: {id: mistral, version: "0.3"}, weight: 40}
"""


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], command: str, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args), command=command)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_test_spec_is_valid() -> None:
    parse_spec(SPEC, "spec.yaml")


# --- promote --------------------------------------------------------------------------------------


def test_promote_edits_only_weights_and_stage_and_prints_the_diff(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # WHEN the candidate is promoted from 20% to 50%
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    # THEN the file differs in exactly the three values, comments and spacing kept
    assert (code, err) == (0, "")
    assert spec_file.read_text(encoding="utf-8") == (
        SPEC.replace("weight:   80        # the incumbent", "weight:   50        # the incumbent")
        .replace("weight: 20          # the candidate", "weight: 50          # the candidate")
        .replace("stage: 1\n", "stage: 2\n")
    )
    # AND the output names the move, the weights, and the diff flags the 30-point jump over max_step 25
    assert out == (
        "promote sentiment-abtest (prod): stage 1 (20%) -> stage 2 (50%) of stages [5, 20, 50, 100], "
        "candidate sentiment-b\n"
        "  sentiment-a  weight 80 -> 50\n"
        "  sentiment-b  weight 20 -> 50\n"
        "\n" + _diff_text(spec_file, SPEC) + "\n\n"
        f"wrote {spec_file}\n"
    )
    assert "sentiment-b: 20.0% -> 50.0% on sentiment-abtest (/abtest, /abtest/*)" in out
    assert "share jump of 30.0 points exceeds the ramp step of 25 points" in out


def _diff_text(spec_file: Path, before_text: str) -> str:
    """The review renderer's text for the change from `before_text` to the file's content now."""
    from constructs_ab.review import diff_render
    from constructs_ab.review.diff import diff_traffic
    from constructs_ab.rollout.traffic_adapter import traffic_model_of

    before = parse_spec(before_text, "before").environments[0]
    after = parse_spec(spec_file.read_text(encoding="utf-8"), "after").environments[0]
    return diff_render.render(diff_traffic(traffic_model_of(before), traffic_model_of(after)), "text").rstrip(
        "\n"
    )


def test_promote_to_100_pauses_the_other_variant(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))[0] == 0
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, err) == (0, "")
    assert "  note: paused sentiment-a at weight 0: the candidate 'sentiment-b' takes all traffic\n" in out
    assert spec_file.read_text(encoding="utf-8") == (
        SPEC.replace(
            "weight:   80        # the incumbent\n",
            "weight:   0        # the incumbent\n            paused: true\n",
        )
        .replace("weight: 20          # the candidate", "weight: 100          # the candidate")
        .replace("stage: 1\n", "stage: 3\n")
    )
    # AND the result is a valid spec with the candidate at 100%
    experiment = parse_spec(spec_file.read_text(encoding="utf-8"), "x").environments[0].experiments[0]
    assert [(v.variant.name, v.weight, v.paused) for v in experiment.variants] == [
        ("sentiment-a", 0, True),
        ("sentiment-b", 100, False),
    ]


def test_fails_to_promote_at_the_last_stage_and_leaves_the_file(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        assert run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))[0] == 0
    before = spec_file.read_bytes()
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert err == (
        "promote: experiment 'sentiment-abtest' (prod) is at its last ramp stage, stage 3 (100%) of "
        "stages [5, 20, 50, 100]; nothing to promote\n"
    )
    assert spec_file.read_bytes() == before


# --- rollback -------------------------------------------------------------------------------------


def test_rollback_twice_reaches_not_started_with_the_candidate_paused_then_refuses(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "rollback", "sentiment-abtest", "--spec", str(spec_file))[0] == 0
    code, out, err = run(capsys, "rollback", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, err) == (0, "")
    assert out.startswith(
        "rollback sentiment-abtest (prod): stage 0 (5%) -> stage -1 (0%, not started) of stages "
        "[5, 20, 50, 100], candidate sentiment-b\n"
        "  sentiment-a  weight 95 -> 100\n"
        "  sentiment-b  weight 5 -> 0 paused\n"
        "  note: paused the candidate 'sentiment-b' at weight 0 (ramp not started)\n"
    )
    assert spec_file.read_text(encoding="utf-8") == (
        SPEC.replace("weight:   80        # the incumbent", "weight:   100        # the incumbent")
        .replace(
            "weight: 20          # the candidate\n",
            "weight: 0          # the candidate\n            paused: true\n",
        )
        .replace("stage: 1\n", "stage: -1\n")
    )
    before = spec_file.read_bytes()
    code, out, err = run(capsys, "rollback", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert err == (
        "rollback: experiment 'sentiment-abtest' (prod) is at stage -1 (0%, not started): "
        "the candidate 'sentiment-b' takes no traffic; nothing to roll back\n"
    )
    assert spec_file.read_bytes() == before


def test_promote_after_not_started_removes_paused_and_restores_the_text(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN rolled back twice (20% -> 5% -> 0%, paused) WHEN promoted twice THEN the file is as at first
    for command in ("rollback", "rollback", "promote", "promote"):
        assert run(capsys, command, "sentiment-abtest", "--spec", str(spec_file))[0] == 0
    assert spec_file.read_text(encoding="utf-8") == SPEC


# --- set-weights ----------------------------------------------------------------------------------


def test_set_weights_on_an_experiment_without_ramp_keeps_flow_style(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "set-weights", "chat-llm", "mistral-7b=70", "llama-8b=0", "--spec", str(spec_file)
    )
    assert (code, err) == (0, "")
    assert spec_file.read_text(encoding="utf-8") == SPEC.replace(
        'version: "3.1"}, weight: 60}', 'version: "3.1"}, weight: 0, paused: true}'
    ).replace("weight: 40}", "weight: 70}")
    assert "  note: paused llama-8b at weight 0\n" in out


def test_set_weights_to_a_stage_share_moves_the_stage(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "set-weights", "sentiment-abtest", "sentiment-a=19", "sentiment-b=1", "--spec", str(spec_file)
    )
    assert (code, err) == (0, "")
    assert spec_file.read_text(encoding="utf-8") == (
        SPEC.replace("weight:   80 ", "weight:   19 ")
        .replace("weight: 20 ", "weight: 1 ")
        .replace("stage: 1\n", "stage: 0\n")
    )
    assert "stage 1 (20%) -> stage 0 (5%)" in out.splitlines()[0]


def test_fails_for_a_share_that_is_not_a_stage(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "set-weights",
        "sentiment-abtest",
        "sentiment-a=70",
        "sentiment-b=30",
        "--spec",
        str(spec_file),
    )
    assert (code, out) == (2, "")
    assert err == (
        "set-weights: the ramp candidate 'sentiment-b' of experiment 'sentiment-abtest' (prod) "
        "would get 30% (weight 30 of 100); with a ramp the candidate's share must be one of its stages "
        "5%, 20%, 50%, 100%, or 0% with weight 0 (stage -1); use promote or rollback to move between stages\n"
    )
    assert spec_file.read_text(encoding="utf-8") == SPEC


def test_fails_for_unknown_missing_and_malformed_variants_all_at_once(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "set-weights", "chat-llm", "lama-8b=50", "mistral-7b=1e3", "--spec", str(spec_file)
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "set-weights: experiment 'chat-llm' (prod) has no variant 'lama-8b'; did you mean 'llama-8b'? "
        "(variants: llama-8b, mistral-7b)",
        "set-weights: variant 'mistral-7b' weight '1e3' is not a whole number; "
        "a weight is an integer from 0 to 999",
        "set-weights: no weight for 'llama-8b' of experiment 'chat-llm' (prod); "
        "name every variant exactly once: llama-8b=<weight> mistral-7b=<weight>",
    ]
    assert spec_file.read_text(encoding="utf-8") == SPEC


# --- finding the experiment, refusals -------------------------------------------------------------


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    path = tmp_path / "ab-experiments.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def test_fails_without_env_when_the_experiment_is_in_several_environments(
    example_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(example_copy))
    assert (code, out) == (2, "")
    assert err == (
        "promote: experiment 'sentiment-abtest' is in several environments (staging, prod); "
        "choose one with --env\n"
    )
    assert example_copy.read_bytes() == EXAMPLE.read_bytes()


def test_fails_for_an_unknown_experiment_with_did_you_mean(
    example_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "rollback", "sentiment-abtset", "--spec", str(example_copy))
    assert (code, out) == (2, "")
    assert err == (
        "rollback: unknown experiment 'sentiment-abtset'; did you mean 'sentiment-abtest'? "
        "(experiments: sentiment-abtest, chat-llm)\n"
    )


def test_fails_to_promote_an_experiment_without_ramp(
    example_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "promote", "chat-llm", "--spec", str(example_copy))
    assert (code, out) == (2, "")
    assert err == (
        "promote: experiment 'chat-llm' (prod) has no ramp; add "
        "`ramp: {candidate: <variant>, stages: [...], stage: -1}` to it, or use set-weights\n"
    )
    assert example_copy.read_bytes() == EXAMPLE.read_bytes()


def test_fails_for_a_missing_spec_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "promote", "x", "--spec", str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, "")
    assert err == f"promote: cannot read spec {tmp_path / 'nope.yaml'}: No such file or directory\n"


def test_fails_for_an_invalid_spec_before_any_change(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_file.write_text(SPEC.replace("weight: 20 ", "weight: 1000 "), encoding="utf-8")
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert err.startswith(f"{spec_file}:29: environments.prod.experiments[0] (sentiment-abtest).variants[1]")
    assert "1000 is out of range" in err
    assert err.endswith(f"\npromote: 1 problem in {spec_file}; nothing was written.\n")


def test_fails_when_the_result_does_not_validate_and_leaves_the_file(
    spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a validator rule the planner does not know about, which rejects the edited text
    def strict_parse(text: str, source: str = "<spec>") -> object:
        if text != SPEC:
            raise SpecError(
                [Problem(path="environments.prod", message="rejected on purpose", line=5)], source=source
            )
        return parse_spec(text, source)

    monkeypatch.setattr(cli, "parse_spec", strict_parse)
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert (
        err == f"promote: the change would make the spec invalid: {spec_file}:5: "
        "environments.prod: rejected on purpose\n"
    )
    assert spec_file.read_text(encoding="utf-8") == SPEC


# --- dry run, atomic write, formats ---------------------------------------------------------------


def test_dry_run_prints_the_diff_and_writes_nothing(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stat_before = spec_file.stat()
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--dry-run", "--spec", str(spec_file))
    assert (code, err) == (0, "")
    assert "sentiment-b: 20.0% -> 50.0% on sentiment-abtest (/abtest, /abtest/*)" in out
    assert out.endswith(f"\ndry run: {spec_file} not changed\n")
    assert spec_file.read_text(encoding="utf-8") == SPEC
    assert spec_file.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert sorted(p.name for p in spec_file.parent.iterdir()) == ["spec.yaml"]


def test_fails_when_the_write_breaks_midway_and_leaves_the_file(
    spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    spec_file.chmod(0o640)
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert err == f"promote: cannot write {spec_file}: No space left on device; the file is unchanged\n"
    assert spec_file.read_text(encoding="utf-8") == SPEC
    assert sorted(p.name for p in spec_file.parent.iterdir()) == ["spec.yaml"]


def test_the_written_file_keeps_its_mode(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec_file.chmod(0o640)
    assert run(capsys, "promote", "sentiment-abtest", "--spec", str(spec_file))[0] == 0
    assert spec_file.stat().st_mode & 0o777 == 0o640


def test_markdown_format(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "promote", "sentiment-abtest", "--format", "markdown", "--spec", str(spec_file)
    )
    assert (code, err) == (0, "")
    assert out.startswith(
        "### promote sentiment-abtest (prod): stage 1 (20%) → stage 2 (50%) of stages [5, 20, 50, 100], "
        "candidate sentiment-b\n\n"
        "- `sentiment-a`: weight 80 -> 50\n"
        "- `sentiment-b`: weight 20 -> 50\n"
    )
    assert "| sentiment-b: 20.0% -> 50.0% on sentiment-abtest (/abtest, /abtest/*) |" in out


def test_command_line_usage_errors_exit_2_without_traceback(example_copy: Path) -> None:
    # GIVEN the real command line, as a user runs it
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "constructs_ab",
            "set-weights",
            "sentiment-abtest",
            "--env",
            "prod",
            "sentiment-a=80",
            "--format",
            "html",
            "--spec",
            str(example_copy),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "argument --format: invalid choice: 'html' (choose from 'text', 'markdown')" in result.stderr
    assert "Traceback" not in result.stderr
    assert example_copy.read_bytes() == EXAMPLE.read_bytes()


def test_rollout_never_imports_cdktf() -> None:
    code = textwrap.dedent(
        """
        import sys
        from constructs_ab.rollout import cli
        args = ["sentiment-abtest", "--env", "prod", "--dry-run", "--spec", sys.argv[1]]
        cli.main(args, command="promote")
        heavy = ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws")
        print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE)], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "loaded: []"
    assert f"dry run: {EXAMPLE} not changed" in result.stdout


def test_set_weights_to_the_current_weights_writes_nothing(
    spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stat_before = spec_file.stat()
    code, out, err = run(
        capsys, "set-weights", "chat-llm", "llama-8b=60", "mistral-7b=40", "--spec", str(spec_file)
    )
    assert (code, err) == (0, "")
    assert out.endswith(f"no change: {spec_file} already has these weights\n")
    assert spec_file.stat().st_mtime_ns == stat_before.st_mtime_ns
