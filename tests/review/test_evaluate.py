"""The what-if evaluator against a table of requests with known answers (ALB rule semantics)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from constructs_ab.review.evaluate import Outcome, Request, evaluate, probabilities
from constructs_ab.review.reader import load_traffic
from constructs_ab.review.traffic import TrafficModel

from .conftest import BASE, HANDWRITTEN, Run


@pytest.fixture(scope="module")
def prod() -> TrafficModel:
    return load_traffic([BASE / "stacks" / "prod" / "cdk.tf.json"])


@pytest.fixture(scope="module")
def handwritten() -> TrafficModel:
    return load_traffic([HANDWRITTEN])


def outcome_on(model: TrafficModel, listener: str, request: Request) -> Outcome:
    (found,) = [o for o in evaluate(model, request) if o.listener.label == listener]
    return found


SPLIT_80_20 = [("sentiment-a", 0.8), ("sentiment-b", 0.2)]
DEFAULT_A = [("sentiment-a", 1.0)]

PROD_TABLE = [
    # (request line, headers, host, expected priority or None for the default action, probabilities)
    ("GET /abtest", [], None, 102, SPLIT_80_20),
    ("GET /abtest/x", ["X-Model-Variant: sentiment-b"], None, 101, [("sentiment-b", 1.0)]),
    ("GET /abtest/x", ["x-model-variant: SENTIMENT-B"], None, 101, [("sentiment-b", 1.0)]),
    ("GET /abtest/x", ["X-Model-Variant: sentiment-c"], None, 102, SPLIT_80_20),
    ("GET /abtest/x", ["X-Model-Variant: sentiment-?"], None, 102, SPLIT_80_20),
    ("GET /ABTEST", [], None, None, DEFAULT_A),  # path-pattern is case-sensitive
    ("GET /abtest?x=1", [], None, 102, SPLIT_80_20),  # the query string is not part of the path
    ("GET /abtestx", [], None, None, DEFAULT_A),
    ("GET /abtest/", [], None, 102, SPLIT_80_20),  # * matches nothing
    ("GET /", [], None, None, DEFAULT_A),
    (
        "POST /summarize/doc",
        [],
        "api.example.com",
        203,
        [("summarize-a", 0.6), ("summarize-b", 0.4), ("summarize-c", 0.0)],
    ),
    (
        "POST /summarize",
        [],
        "API.Example.COM",
        203,
        [("summarize-a", 0.6), ("summarize-b", 0.4), ("summarize-c", 0.0)],
    ),  # host is case-insensitive
    ("GET /summarize/doc", [], "api.example.com", None, DEFAULT_A),  # method must match
    ("post /summarize/doc", [], "api.example.com", None, DEFAULT_A),  # method is case-sensitive
    ("POST /summarize/doc", [], None, None, DEFAULT_A),  # no Host header
    ("POST /summarize/doc", [], "other.example.com", None, DEFAULT_A),
    (
        "POST /summarize/x",
        ["X-Model-Variant: summarize-c", "Host: api.example.com"],
        None,
        202,
        [("summarize-c", 1.0)],
    ),
]


@pytest.mark.parametrize(("line", "headers", "host", "priority", "expected"), PROD_TABLE)
def test_prod_https_listener_routes_known_requests(
    prod: TrafficModel,
    line: str,
    headers: list[str],
    host: str | None,
    priority: int | None,
    expected: list[tuple[str, float]],
) -> None:
    outcome = outcome_on(prod, "HTTPS:443", Request.parse(line, headers=headers, host=host))
    assert (outcome.rule.priority if outcome.rule else None) == priority
    assert probabilities(outcome) == pytest.approx(expected)


def test_http_listener_redirects_every_request(prod: TrafficModel) -> None:
    outcome = outcome_on(prod, "HTTP:80", Request.parse("GET /abtest"))
    assert outcome.rule is None
    assert outcome.action is not None and outcome.action.describe() == "redirect to HTTPS:443 (HTTP_301)"
    assert outcome.destinations == ()


HANDWRITTEN_TABLE = [
    # (request line, headers, host, query, source ip, expected rule name or None, probabilities)
    ("GET /abtest/x?beta=TRUE", [], None, [], "10.1.2.3", "beta_users", [("mb-*", 1.0)]),
    ("GET /abtest/x?beta=truex", [], None, [], "10.1.2.3", "abtest", [("a", 0.8), ("mb-*", 0.2)]),
    ("GET /abtestfoo", [], None, ["flag=CANARY"], "2001:db8::1", "beta_users", [("mb-*", 1.0)]),
    ("GET /abtest?beta=true", [], None, [], "192.168.0.1", "abtest", [("a", 0.8), ("mb-*", 0.2)]),
    ("GET /abtest?beta=true", [], None, [], None, "abtest", [("a", 0.8), ("mb-*", 0.2)]),
    (
        "HEAD /x",
        [],
        "api.legacy.example.com",
        [],
        None,
        "legacy",
        [("${data.aws_lb_target_group.legacy.arn}", 1.0)],
    ),
    ("HEAD /x", [], "legacy.example.com", [], None, None, [("a", 1.0)]),
    ("PUT /x", [], "api.legacy.example.com", [], None, None, [("a", 1.0)]),
    ("GET /x", ["X-Canary: ON"], None, [], None, "variable_weight", [("a", None), ("mb-*", None)]),
]


@pytest.mark.parametrize(
    ("line", "headers", "host", "query", "source_ip", "rule", "expected"), HANDWRITTEN_TABLE
)
def test_handwritten_listener_routes_known_requests(
    handwritten: TrafficModel,
    line: str,
    headers: list[str],
    host: str | None,
    query: list[str],
    source_ip: str | None,
    rule: str | None,
    expected: list[tuple[str, float | None]],
) -> None:
    request = Request.parse(line, headers=headers, host=host, query=query, source_ip=source_ip)
    outcome = outcome_on(handwritten, "HTTP:80", request)
    assert (outcome.rule.address.split(".")[1] if outcome.rule else None) == rule
    assert probabilities(outcome) == expected


@pytest.mark.parametrize(
    ("line", "headers", "message"),
    [
        ("GET", [], "the path must start with '/'"),
        ("GET /a b", [], "expected 'METHOD /path'"),
        ("GET /a", ["X-Model-Variant"], "expected 'Name: value'"),
    ],
)
def test_fails_on_malformed_request_text(line: str, headers: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Request.parse(line, headers=headers)


def test_whatif_command_prints_the_matching_rule_and_probabilities(
    run_cli: Callable[..., Run], snapshot: object
) -> None:
    result = run_cli("report", BASE, "--request", "GET /abtest/x", "--header", "X-Model-Variant: sentiment-b")
    assert result.code == 0 and result.err == ""
    assert (
        "prod / prod-public / HTTPS:443: rule sentiment-abtest override sentiment-b (priority 101) matched"
        in result.out
    )
    assert result.out == snapshot


def test_whatif_markdown(run_cli: Callable[..., Run], snapshot: object) -> None:
    result = run_cli(
        "report",
        BASE,
        "--request",
        "POST /summarize/doc?lang=en",
        "--host",
        "api.example.com",
        "--format",
        "markdown",
    )
    assert result.code == 0
    assert "| summarize-a | 60.0% | summarizer:3.1.0 |" in result.out
    assert result.out == snapshot


def test_whatif_json_values(run_cli: Callable[..., Run]) -> None:
    result = run_cli("report", BASE, "--request", "GET /abtest?debug=1", "--format", "json")
    data = json.loads(result.out)
    assert data["request"] == {
        "method": "GET",
        "path": "/abtest",
        "query": [["debug", "1"]],
        "headers": [],
        "host": None,
        "source_ip": None,
    }
    https = [o for o in data["outcomes"] if o["stack"] == "prod" and o["listener"] == "HTTPS:443"][0]
    assert https["rule"]["priority"] == 102
    assert [(p["target_group"], p["probability"]) for p in https["probabilities"]] == [
        ("sentiment-a", 0.8),
        ("sentiment-b", 0.2),
    ]
    staging = [o for o in data["outcomes"] if o["stack"] == "staging" and o["listener"] == "HTTPS:443"][0]
    assert staging["rule"]["priority"] == 4219


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--request", "GET abtest"], "report: request 'GET abtest': the path must start with '/'"),
        (["--request", "GET /", "--source-ip", "10.0.0.300"], "report: source IP '10.0.0.300': expected"),
        (
            ["--header", "X-Model-Variant: b"],
            "report: --header, --host, --query and --source-ip need --request",
        ),
        (["--request", "GET /", "--query", "novalue"], "report: query 'novalue': expected key=value"),
    ],
)
def test_fails_on_bad_whatif_options_with_exit_2_and_one_line(
    run_cli: Callable[..., Run], args: list[str], message: str
) -> None:
    result = run_cli("report", BASE, *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(message)
    assert result.err.count("\n") == 1
