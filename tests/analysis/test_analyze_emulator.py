"""`analyze` on the local AWS emulator: the example's staging environment created with boto3 as the
constructs make it (80/20 split of sentiment-a and sentiment-b, ramp candidate sentiment-b at stage 1 of
[5, 20, 50], stickiness 1 h), one-minute load balancer metrics put with `put_metric_data`, then read back
through the standard chain and AWS_ENDPOINT_URL. The emulator's CloudWatch has no percentiles, so these
runs pass --skip-latency (the percentile path is tested on Stubber responses in test_percentiles.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import Deployed, arn_suffix, client, deploy, put_alb_minutes, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"
START = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
UNTIL = "2024-05-01T12:00Z"
MINUTES = 120


def every(n: int, value: float) -> list[float]:
    """`value` every n-th minute, 0 otherwise (whole errors at a fractional rate)."""
    return [value if minute % n == 0 else 0.0 for minute in range(MINUTES)]


def staging(spec: Path = EXAMPLE) -> Deployed:
    return deploy(next(env for env in load_spec(spec).environments if env.name == "staging"))


def put(
    deployed: Deployed, variant: str, requests: float, errors: list[float], connection: float = 0
) -> None:
    put_alb_minutes(
        deployed.load_balancers["staging-models"],
        deployed.target_groups[f"staging-{variant}"],
        START,
        [(requests, errors[minute], connection) for minute in range(MINUTES)],
    )


def analyze(capsys: pytest.CaptureFixture[str], *args: str, spec: Path = EXAMPLE) -> tuple[int, str, str]:
    code = main(
        [
            "analyze",
            "sentiment-abtest",
            "--env",
            "staging",
            "--spec",
            str(spec),
            "--until",
            UNTIL,
            "--skip-latency",
            *args,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, without_spec_warnings(err)


def as_json(capsys: pytest.CaptureFixture[str], *args: str, spec: Path = EXAMPLE) -> dict[str, Any]:
    code, out, err = analyze(capsys, "--format", "json", *args, spec=spec)
    assert (code, err) == (0, ""), err
    data: dict[str, Any] = json.loads(out)
    return data


def test_a_clearly_worse_candidate_is_rolled_back(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    deployed = staging()
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)  # 1 % of 96,000
    put(deployed, "sentiment-b", 200, [5.0] * MINUTES, connection=1)  # 3 % of 24,000
    code, out, err = analyze(capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "analyze sentiment-abtest (staging): account 123456789012 (arn:aws:sts::123456789012:user/moto), "
        "Region eu-west-1",
        "window 2024-05-01 10:00 to 12:00 UTC (120 minutes); control sentiment-a (the largest weight besides the "
        "ramp candidate sentiment-b)",
        "alpha 0.05 per comparison (Benjamini-Hochberg across candidates), power 0.8, minimum detectable effect "
        "0.5 points of error rate: 7,750 requests per variant",
    ]
    assert lines[4].startswith(
        "sample ratio: no mismatch (chi-square 0.00, 1 df; stickiness on: divided by dispersion 1.00;"
    )
    assert lines[5:8] == [
        "  variant                weight  expected  requests  observed  errors",
        "  sentiment-a (control)      80     80.0%    96,000     80.0%     960",
        "  sentiment-b                20     20.0%    24,000     20.0%     720",
    ]
    assert "sentiment-b against sentiment-a: ROLLBACK" in lines
    assert (
        "  - worse on error rate: 3.00% vs 1.00% (+2.00 points, 95% CI +1.78 to +2.22), adjusted p <0.0001 < 0.05"
    ) in lines
    assert lines[-1] == "verdicts: sentiment-b rollback"


def test_an_equal_candidate_with_too_few_requests_holds_and_says_how_many_more(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = staging()
    put(deployed, "sentiment-a", 40, every(10, 4.0))  # 4,800 requests, 1 %
    put(deployed, "sentiment-b", 10, every(10, 1.0))  # 1,200 requests, 1 %
    data = as_json(capsys)
    (candidate,) = data["candidates"]
    assert candidate["verdict"] == "hold"
    assert (candidate["missing_requests"], candidate["control_missing_requests"]) == (6550, 2950)
    assert candidate["more_experiment_requests"] == 32750  # 6,550 / 20 % of the experiment's requests
    assert candidate["more_minutes"] == pytest.approx(655.0)  # at 50 requests per minute
    assert candidate["reasons"] == [
        "not enough data: needs 6,550 more requests on sentiment-b and 2,950 more on the control sentiment-a "
        "(7,750 each, to detect 0.5 points of error rate at alpha 0.05 and power 0.8); about 32,750 more "
        "experiment requests, about 10.9 hours at the current 50 requests per minute"
    ]
    assert candidate["comparisons"][0]["outcome"] == "no significant difference"
    assert data["required_requests_per_variant"] == 7750


def test_a_better_candidate_with_enough_data_is_promoted(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = staging()
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)  # 1 %
    put(deployed, "sentiment-b", 200, every(5, 2.0))  # 48 of 24,000: 0.2 %
    data = as_json(capsys)
    (candidate,) = data["candidates"]
    assert candidate["verdict"] == "promote"
    assert (
        candidate["reasons"][0]
        == "enough data (24,000 and 96,000 requests, 7,750 needed) and not worse on anything"
    )
    assert candidate["reasons"][1].startswith("better on error rate: 0.20% vs 1.00% (-0.80 points")
    assert data["sample_ratio"]["mismatch"] is False


def test_a_sample_ratio_mismatch_is_flagged_first_and_blocks_promote(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = staging()
    put(deployed, "sentiment-a", 700, [7.0] * MINUTES)  # 70 % of the requests for weight 80
    put(deployed, "sentiment-b", 300, [3.0] * MINUTES)  # 30 % for weight 20; same 1 % error rate
    code, out, _ = analyze(capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[4].startswith(
        "sample ratio: MISMATCH (chi-square 7500.00, 1 df; stickiness on: divided by dispersion 1.00; p <0.0001; largest share deviation 10.00 points"
    )
    assert "sentiment-b against sentiment-a: HOLD" in lines
    reasons = [line for line in lines if line.startswith("  - ")]
    assert reasons[0] == (
        "  - sample ratio mismatch: requests are off the weights by up to 10.00 points (p <0.0001); fix the split "
        "before trusting any comparison"
    )


# --- custom metrics ---------------------------------------------------------------------------


def test_a_custom_metric_worse_in_its_declared_direction_rolls_back(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        EXAMPLE.read_text().replace(
            "          stages: [5, 20, 50]\n          stage: 1\n",
            "          stages: [5, 20, 50]\n          stage: 1\n        analysis:\n          custom_metrics:\n"
            "            - {namespace: Acme/Models, metric: AcceptedRate, variant_dimension: Variant,\n"
            "               higher_is_better: true, dimensions: {Environment: staging}}\n",
            1,
        )
    )
    deployed = staging(spec)
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)
    put(deployed, "sentiment-b", 200, [2.0] * MINUTES)  # same 1 % error rate
    accepted = {
        "sentiment-a": [0.60 + 0.01 * (m % 5) for m in range(MINUTES)],
        "sentiment-b": [0.55 + 0.01 * (m % 5) for m in range(MINUTES)],
    }
    client("cloudwatch").put_metric_data(
        Namespace="Acme/Models",
        MetricData=[
            {
                "MetricName": "AcceptedRate",
                "Dimensions": [
                    {"Name": "Environment", "Value": "staging"},
                    {"Name": "Variant", "Value": variant},
                ],
                "Timestamp": START + dt.timedelta(minutes=minute),
                "Value": value,
            }
            for variant, values in accepted.items()
            for minute, value in enumerate(values)
        ],
    )
    data = as_json(capsys, spec=spec)
    (candidate,) = data["candidates"]
    assert candidate["verdict"] == "rollback"
    custom = candidate["comparisons"][1]
    assert (custom["metric"], custom["outcome"]) == ("Acme/Models AcceptedRate (Average)", "worse")
    assert custom["effect"] == "mean 0.57 vs 0.62 (-0.05, -8.1%) over 120 and 120 minutes"
    assert candidate["comparisons"][0]["outcome"] == "no significant difference"


# --- --apply ----------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    spec = tmp_path / "spec.yaml"
    shutil.copyfile(EXAMPLE, spec)
    return spec


def test_apply_promotes_through_the_locked_validated_write(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _copy(tmp_path)
    deployed = staging(spec)
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)
    put(deployed, "sentiment-b", 200, every(5, 2.0))
    code, out, _ = analyze(capsys, "--apply", spec=spec)
    assert code == 0
    assert "verdicts: sentiment-b promote" in out
    assert (
        "promote sentiment-abtest (staging): stage 1 (20%) -> stage 2 (50%) of stages [5, 20, 50], candidate sentiment-b"
        in out
    )
    assert out.rstrip().endswith(f"wrote {spec}")
    staging_experiment = next(e for e in load_spec(spec).environments if e.name == "staging").experiments[0]
    assert [w.weight for w in staging_experiment.variants] == [50, 50]
    assert staging_experiment.ramp is not None and staging_experiment.ramp.stage == 2
    changed = [line for line in spec.read_text().splitlines() if line not in EXAMPLE.read_text().splitlines()]
    assert changed == ["            weight: 50", "            weight: 50", "          stage: 2"]


def test_apply_rolls_back_and_json_carries_the_rollout_output(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _copy(tmp_path)
    deployed = staging(spec)
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)
    put(deployed, "sentiment-b", 200, [5.0] * MINUTES, connection=1)
    data = as_json(capsys, "--apply", spec=spec)
    assert data["candidates"][0]["verdict"] == "rollback"
    applied = data["applied"]
    assert (applied["command"], applied["exit_code"], applied["errors"]) == ("rollback", 0, "")
    assert applied["output"].startswith(
        "rollback sentiment-abtest (staging): stage 1 (20%) -> stage 0 (5%) of stages [5, 20, 50], candidate sentiment-b"
    )
    ramp = next(e for e in load_spec(spec).environments if e.name == "staging").experiments[0].ramp
    assert ramp is not None and ramp.stage == 0


def test_apply_on_hold_writes_nothing(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _copy(tmp_path)
    deployed = staging(spec)
    put(deployed, "sentiment-a", 40, every(10, 4.0))
    put(deployed, "sentiment-b", 10, every(10, 1.0))
    before = spec.read_bytes()
    code, out, _ = analyze(capsys, "--apply", spec=spec)
    assert code == 0
    assert out.rstrip().endswith(f"apply: sentiment-b holds; {spec} is not changed")
    assert spec.read_bytes() == before


def test_apply_is_refused_when_the_spec_is_not_what_is_live(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _copy(tmp_path)
    deployed = staging(spec)  # 80/20 live
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)
    put(deployed, "sentiment-b", 200, every(5, 2.0))
    assert (
        main(["promote", "sentiment-abtest", "--env", "staging", "--spec", str(spec)]) == 0
    )  # 50/50, not deployed
    capsys.readouterr()
    before = spec.read_bytes()
    code, _, err = analyze(capsys, "--apply", spec=spec)
    assert code == 2
    assert err.splitlines()[-1] == (
        "analyze: the spec's weights are not the live ones (a change not deployed yet): the data measured another "
        "split; deploy the spec, analyse again, then apply; nothing written"
    )
    assert spec.read_bytes() == before


def test_apply_without_a_ramp_is_refused_before_reading_aws(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "chat-llm", "--env", "prod", "--spec", str(EXAMPLE), "--apply"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines()[-1] == (
        "analyze: --apply moves a ramp's candidate, and experiment 'chat-llm' (prod) has no ramp; use set-weights"
    )


def test_promote_if_stage_refuses_a_spec_that_moved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = _copy(tmp_path)
    before = spec.read_bytes()
    code = main(["promote", "sentiment-abtest", "--env", "staging", "--spec", str(spec), "--if-stage", "0"])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "promote: experiment 'sentiment-abtest' (staging) is at stage 1 (20%), not stage 0 as --if-stage says "
        "(the spec changed since); nothing written"
    )
    assert spec.read_bytes() == before


# --- errors -----------------------------------------------------------------------------------


def test_the_emulators_missing_percentiles_are_one_line_pointing_at_skip_latency(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = staging()
    put(deployed, "sentiment-a", 800, [8.0] * MINUTES)
    put(deployed, "sentiment-b", 200, [2.0] * MINUTES)
    client("cloudwatch").put_metric_data(  # a response time the emulator keeps, but cannot take a p99 of
        Namespace="AWS/ApplicationELB",
        MetricData=[
            {
                "MetricName": "TargetResponseTime",
                "Dimensions": [
                    {
                        "Name": "TargetGroup",
                        "Value": arn_suffix(deployed.target_groups["staging-sentiment-a"]),
                    },
                    {"Name": "LoadBalancer", "Value": arn_suffix(deployed.load_balancers["staging-models"])},
                ],
                "Timestamp": START,
                "Value": 0.2,
                "Unit": "Seconds",
            }
        ],
    )
    code = main(["analyze", "sentiment-abtest", "--env", "staging", "--spec", str(EXAMPLE), "--until", UNTIL])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    line = err.splitlines()[-1]
    assert line.startswith("analyze: reading CloudWatch metrics (account 123456789012, Region eu-west-1): ")
    assert line.endswith(
        "(the latency percentiles p50, p90, p99; a CloudWatch without percentiles, such as an emulator's, needs "
        "--skip-latency)"
    )


def test_an_experiment_that_is_not_deployed_is_one_line(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = analyze(capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "analyze: load balancer "
        "staging-models of experiment sentiment-abtest is not in account 123456789012 "
        "(arn:aws:sts::123456789012:user/moto), Region eu-west-1; is it deployed?"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "5m"],
            "analyze: --since: '5m' is out of range (300 s); --since is a duration such as 30m, 2h or 1d (seconds without a unit), from 10m to 15d",
        ),
        (
            ["--since", "two hours"],
            "analyze: --since: 'two hours' is not a duration; --since is a duration such as 30m, 2h or 1d (seconds without a unit), from 10m to 15d",
        ),
        (
            ["--until", "noon"],
            "analyze: --until: 'noon' is not a time; --until is a UTC time such as 2024-05-01T12:00Z (ISO 8601; a time without offset is UTC)",
        ),
    ],
)
def test_a_bad_window_is_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "sentiment-abtest", "--env", "staging", "--spec", str(EXAMPLE), *args])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == message
