"""`python -m constructs_ab report`: exact text and markdown (snapshots), JSON values, input errors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import BASE, HANDWRITTEN, Run


def test_report_text_of_our_synth_output(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli("report", BASE)
    assert result.code == 0 and result.err == ""
    assert "      priority 102  sentiment-abtest (split)\n" in result.out
    assert (
        "          sentiment-a  weight 80  80.0%  target group prod-sentiment-a, model sentiment:1.4.2\n"
        in result.out
    )
    assert result.out == snapshot


def test_report_markdown_has_a_mermaid_flowchart_per_listener(
    run_cli: Callable[..., Run], snapshot: object
) -> None:
    result = run_cli("report", BASE, "--format", "markdown")
    assert result.code == 0
    assert result.out.count("```mermaid\nflowchart LR\n") == 4  # 2 stacks x (HTTP, HTTPS)
    assert '  R3 -->|"80.0%"| T1\n' in result.out
    assert (
        "| 102 | sentiment-abtest (split) | path /abtest, /abtest/* | sentiment-a | sentiment:1.4.2 | 80 "
        "| 80.0% | on, 3600 s |" in result.out
    )
    assert result.out == snapshot


def test_report_of_handwritten_terraform(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli("report", HANDWRITTEN)
    assert result.code == 0
    assert "          ${data.aws_lb_target_group.legacy.arn}  weight 1  100.0%\n" in result.out
    assert result.out == snapshot
    assert run_cli("report", HANDWRITTEN, "--format", "markdown").out == snapshot


def test_report_json_values(run_cli: Callable[..., Run]) -> None:
    result = run_cli("report", BASE, "--format", "json")
    data = json.loads(result.out)
    assert [s["name"] for s in data["stacks"]] == ["prod", "staging"]
    https = data["stacks"][0]["load_balancers"][0]["listeners"][1]
    assert (https["port"], https["protocol"]) == (443, "HTTPS")
    split = https["rules"][2]
    assert (split["priority"], split["experiment"], split["role"]) == (102, "sentiment-abtest", "split")
    assert split["conditions"] == [{"field": "path-pattern", "values": ["/abtest", "/abtest/*"]}]
    assert split["action"]["stickiness"] == {"enabled": True, "duration": 3600}
    assert [
        (t["variant"], t["model"], t["weight"], t["share_percent"]) for t in split["action"]["target_groups"]
    ] == [("sentiment-a", "sentiment:1.4.2", 80, 80.0), ("sentiment-b", "sentiment:2.0.0-rc1", 20, 20.0)]
    summarize = https["rules"][6]
    assert summarize["paused_variants"] == ["summarize-c"]
    assert https["default_action"]["target_groups"][0]["variant"] == "sentiment-a"


def test_report_is_deterministic(run_cli: Callable[..., Run]) -> None:
    assert (
        run_cli("report", BASE, "--format", "markdown").out
        == run_cli("report", BASE, "--format", "markdown").out
    )


def test_report_defaults_to_cdktf_out(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = run_cli("report")
    assert (missing.code, missing.err) == (2, "report: cdktf.out: no such file or directory\n")
    os.symlink(BASE, tmp_path / "cdktf.out")
    assert run_cli("report").out == run_cli("report", BASE).out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or directory"),
        ('{"resource": {', "invalid JSON at line 1, column 15"),
        (
            '{"resource": {"aws_s3_bucket": {"b": {}}}}',
            "no aws_lb_listener or aws_lb_listener_rule resources",
        ),
    ],
)
def test_fails_on_bad_input_with_exit_2_and_one_line(
    run_cli: Callable[..., Run], tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "main.tf.json"
    if content is not None:
        path.write_text(content)
    result = run_cli("report", path)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"report: {path}: ") and message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
