"""`status` on the local AWS emulator: the example's prod environment created with boto3 as the constructs
make it, targets registered, then read back through the standard credential chain and AWS_ENDPOINT_URL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from aws_emulator import ACCOUNT, Deployed, deploy, register_targets, without_spec_warnings

from constructs_ab.__main__ import main
from constructs_ab.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ab-experiments.yaml"


def _prod() -> Deployed:
    spec = load_spec(EXAMPLE)
    deployed = deploy(next(env for env in spec.environments if env.name == "prod"))
    register_targets(deployed.target_groups["prod-sentiment-a"], "10.0.1.10", "10.0.1.11")
    register_targets(deployed.target_groups["prod-sentiment-b"], "10.0.1.20")
    return deployed


def name(deployed: Deployed, key: str) -> str:
    """The AWS name of the target group the emulator helper made for `key` (`<env>-<variant>`)."""
    return deployed.target_groups[key].split(":targetgroup/")[1].split("/")[0]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["status", "--spec", str(EXAMPLE), *args])
    out, err = capsys.readouterr()
    return code, out, without_spec_warnings(err)


def test_text_shows_who_was_read_the_split_and_the_health_of_each_variant(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    a, b = name(deployed, "prod-sentiment-a"), name(deployed, "prod-sentiment-b")
    code, out, err = run(capsys, "--env", "prod", "--load-balancer", "public")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:7] == [
        f"status prod: account {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), Region eu-west-1",
        "load balancers: prod-public",
        "",
        "experiment sentiment-abtest on prod-public HTTPS:443: split priority 105, overrides 100, 101, "
        "stickiness on, 3600 s",
        "  variant      weight  share  healthy  unhealthy  draining  initial  unused  unavailable  "
        "target group                       health check",
        "  sentiment-a      80  80.0%        2          0         0        0       0            0  "
        f"{a} HTTP:8080  HTTP /health 200 every 15 s (timeout 5 s, 2 up, 3 down)",
        "  sentiment-b      20  20.0%        1          0         0        0       0            0  "
        f"{b} HTTP:8080  HTTP /health 200 every 15 s (timeout 5 s, 2 up, 3 down)",
    ]
    assert "  ! chat-llm: qwen-7b takes 10.0% of the traffic with no healthy target (no targets)" in lines
    assert "  ! sentiment-abtest" not in out
    routing = lines[lines.index("routing:") + 1 :]
    assert routing[:3] == [
        "stack prod",
        "  load balancer prod-public (internet-facing)",
        "    listener HTTPS:443, TLS policy ELBSecurityPolicy-TLS13-1-2-2021-06",
    ]
    split = routing.index("      priority 105  sentiment-abtest (split)")
    assert routing[split + 1 : split + 6] == [
        "        if path /abtest, /abtest/*",
        "        forward:",
        "          sentiment-a  weight 80  80.0%  target group prod-sentiment-a-782398, model sentiment:1.4.2",
        "          sentiment-b  weight 20  20.0%  target group prod-sentiment-b-826e74, model sentiment:2.0.0",
        "          stickiness on, 3600 s",
    ]
    assert "      priority 18705  chat-llm (split)" in routing
    assert "        if path /v1/chat/*; host api.example.com; method POST" in routing
    assert routing[-3:] == [
        "      default action: forward:",
        "        sentiment-a  weight 1  100.0%  target group prod-sentiment-a-782398, model sentiment:1.4.2",
        "        stickiness not declared (off)",
    ]


def test_json_carries_identity_weights_shares_stickiness_and_target_states(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    code, out, _ = run(capsys, "--env", "prod", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["account"], data["region"], data["environment"]) == (ACCOUNT, "eu-west-1", "prod")
    assert [lb["name"] for lb in data["load_balancers"]] == ["prod-public"]
    assert data["load_balancers"][0]["arn_suffix"].startswith("app/prod-public/")
    experiment = next(e for e in data["experiments"] if e["name"] == "sentiment-abtest")
    assert experiment["split_priority"] == 105
    assert experiment["override_priorities"] == [100, 101]
    assert experiment["stickiness"] == {"enabled": True, "duration": 3600}
    variants = {v["name"]: v for v in experiment["variants"]}
    assert {n: (v["weight"], v["share_percent"], v["healthy"]) for n, v in variants.items()} == {
        "sentiment-a": (80, 80.0, 2),
        "sentiment-b": (20, 20.0, 1),
    }
    group = variants["sentiment-a"]["target_group"]
    assert group["arn"] == deployed.target_groups["prod-sentiment-a"]
    assert group["arn_suffix"].startswith(f"targetgroup/{name(deployed, 'prod-sentiment-a')}/")
    assert (group["protocol"], group["port"], group["health_check"]["path"]) == ("HTTP", 8080, "/health")
    assert group["tags"]["variant"] == "sentiment-a" and group["tags"]["model"] == "sentiment:1.4.2"
    assert group["targets"] == {
        "healthy": 2,
        "unhealthy": 0,
        "draining": 0,
        "initial": 0,
        "unused": 0,
        "unavailable": 0,
    }
    assert sorted(t["target"] for t in group["target_details"]) == ["10.0.1.10:8080", "10.0.1.11:8080"]
    rules = data["routing"]["stacks"][0]["load_balancers"][0]["listeners"][0]["rules"]
    assert [(r["priority"], r["experiment"], r["role"]) for r in rules][:3] == [
        (100, "sentiment-abtest", "override"),
        (101, "sentiment-abtest", "override"),
        (105, "sentiment-abtest", "split"),
    ]


def test_markdown_has_a_table_per_experiment_and_the_routing_of_report(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deployed = _prod()
    b = name(deployed, "prod-sentiment-b")
    code, out, _ = run(capsys, "--env", "prod", "--format", "markdown")
    assert code == 0
    assert out.startswith(
        f"# Live status: prod\n\naccount {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), Region eu-west-1.\n"
    )
    assert "## Experiment `sentiment-abtest` (prod-public, HTTPS:443)" in out
    assert (
        f"| sentiment-b | 20 | 20.0% | 1 | 0 | 0 | 0 | 0 | 0 | {b} HTTP:8080 | "
        "HTTP /health 200 every 15 s (timeout 5 s, 2 up, 3 down) |"
    ) in out
    assert "## Routing\n\n### Stack `prod`" in out
    assert "```mermaid" in out


def test_a_load_balancer_not_in_the_environment_is_one_line_and_exit_2(
    emulator: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--env", "prod", "--load-balancer", "publik")
    assert (code, out) == (2, "")
    assert err == (
        "status: --load-balancer: environment prod has no load balancer 'publik'; did you mean 'public'? "
        "(load balancers: public (prod-public))\n"
    )


def test_an_unknown_environment_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--env", "prd")
    assert (code, out) == (2, "")
    assert (
        err
        == "status: --env: unknown environment 'prd'; did you mean 'prod'? (environments: staging, prod)\n"
    )


def test_nothing_deployed_is_one_line_and_exit_2(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--env", "staging")
    assert (code, out) == (2, "")
    assert err == (
        f"status: no load balancer of environment staging exists in account {ACCOUNT} "
        f"(arn:aws:sts::{ACCOUNT}:user/moto), Region eu-west-1: staging-models not found; is it deployed, "
        "and are --profile and --region right?\n"
    )


def test_a_missing_load_balancer_is_listed_when_another_one_exists(
    emulator: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = EXAMPLE.read_text().replace(
        "    load_balancers:\n      public:\n",
        # prod admits 0.0.0.0/0 (its public API), which an internal load balancer does not inherit
        "    load_balancers:\n      batch:\n        internal: true\n        allowed_client_cidrs: [10.0.0.0/8]\n"
        "      public:\n",
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    _prod()
    code = main(["status", "--spec", str(spec), "--env", "prod"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "load balancers: prod-public (not found: prod-batch)" in out.splitlines()
    assert f"  ! load balancer prod-batch not found in account {ACCOUNT}" in out


def test_the_region_option_is_the_region_read(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    _prod()  # in eu-west-1
    code, _, err = run(capsys, "--env", "prod", "--region", "us-east-2")
    assert code == 2
    assert "Region us-east-2: prod-public not found" in err


# --- credentials and endpoints -------------------------------------------------------------------


def test_no_credentials_is_one_line_and_exit_2(
    emulator: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, out, err = run(capsys, "--env", "prod")
    assert (code, out) == (2, "")
    assert err == (
        "status: connecting to AWS: no AWS credentials found (Unable to locate credentials); pass --profile, "
        "set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available\n"
    )


def test_an_unknown_profile_is_one_line_and_exit_2(emulator: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--env", "prod", "--profile", "nobody")
    assert (code, out) == (2, "")
    assert err == (
        "status: connecting to AWS: AWS profile 'nobody' is not in the AWS config or credentials file; "
        "pass an existing --profile or unset AWS_PROFILE\n"
    )


def test_a_profile_from_the_shared_files_is_used(
    emulator: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _prod()
    credentials = tmp_path / "no-aws-credentials"  # the file the emulator fixture points boto3 at
    credentials.write_text("[reader]\naws_access_key_id = AKIDREADER\naws_secret_access_key = secret\n")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, out, _ = run(capsys, "--env", "prod", "--profile", "reader")
    assert code == 0
    assert out.startswith(f"status prod: account {ACCOUNT} ")


class _ExpiredTokenHandler(BaseHTTPRequestHandler):
    """Answers every AWS query call as STS does for expired credentials."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = (
            b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            b"<Code>ExpiredToken</Code><Message>The security token included in the request is expired"
            b"</Message></Error><RequestId>1</RequestId></ErrorResponse>"
        )
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def expired_endpoint() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _ExpiredTokenHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_expired_credentials_are_one_line_and_exit_2(
    emulator: str, expired_endpoint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", expired_endpoint)
    code, out, err = run(capsys, "--env", "prod")
    assert (code, out) == (2, "")
    assert err == (
        "status: connecting to AWS: the AWS credentials are expired (ExpiredToken on GetCallerIdentity); "
        "refresh them (for SSO: aws sso login) and run again\n"
    )


def test_an_unreachable_endpoint_fails_as_a_process_with_one_line_and_exit_2(
    emulator: str, tmp_path: Path
) -> None:
    import os
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    env = {**os.environ, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed}"}
    result = subprocess.run(
        [sys.executable, "-m", "constructs_ab", "status", "--spec", str(EXAMPLE), "--env", "prod"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    stderr = without_spec_warnings(result.stderr)
    assert (result.returncode, result.stdout) == (2, "")
    assert stderr.count("\n") == 1
    assert stderr.startswith(
        f"status: connecting to AWS: cannot reach http://127.0.0.1:{closed}/ (Could not connect to the endpoint URL: "
    )
    assert stderr.endswith("check the network, --region and AWS_ENDPOINT_URL\n")
