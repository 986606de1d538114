"""The latency percentile path on real GetMetricData response shapes (botocore's Stubber): the emulator's
CloudWatch has no percentiles. The queries sent (TargetResponseTime p50, p90, p99 with both dimensions,
one-minute period, ascending), the pages followed, and a candidate slower at p99 rolled back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from constructs_ab.analysis.decide import Outcome, Verdict, decide
from constructs_ab.analysis.gather import gather
from constructs_ab.analysis.metric_queries import VariantTarget
from constructs_ab.analysis.roles import choose_roles
from constructs_ab.analysis.window import make_window
from constructs_ab.live.aws_errors import LiveError
from constructs_ab.spec.model import Analysis

WINDOW = make_window("30m", "2024-05-01T12:00Z")
START = WINDOW.start
LB = "app/prod-public/50dc6c495c0c9188"
TARGETS = (
    VariantTarget(
        name="sentiment-a", target_group="targetgroup/prod-sentiment-a/73e2d6bc24d8a067", load_balancer=LB
    ),
    VariantTarget(
        name="sentiment-b", target_group="targetgroup/prod-sentiment-b/8a4b2d6bc24d8a06", load_balancer=LB
    ),
)
MINUTES = [START + dt.timedelta(minutes=m) for m in range(30)]


def _query(query_id: str, target_group: str, metric: str, stat: str) -> dict[str, Any]:
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/ApplicationELB",
                "MetricName": metric,
                "Dimensions": [
                    {"Name": "TargetGroup", "Value": target_group},
                    {"Name": "LoadBalancer", "Value": LB},
                ],
            },
            "Period": 60,
            "Stat": stat,
        },
        "ReturnData": True,
    }


def _result(
    query_id: str, values: list[float], minutes: list[dt.datetime] = MINUTES, status: str = "Complete"
) -> dict[str, Any]:
    return {"Id": query_id, "Label": query_id, "Timestamps": minutes, "Values": values, "StatusCode": status}


def _counts_call(stub: Stubber) -> None:
    queries = []
    for index, target in enumerate(TARGETS):
        queries += [
            _query(f"r{index}", target.target_group, "RequestCount", "Sum"),
            _query(f"e{index}", target.target_group, "HTTPCode_Target_5XX_Count", "Sum"),
            _query(f"c{index}", target.target_group, "TargetConnectionErrorCount", "Sum"),
        ]
    requests = {0: 800.0, 1: 200.0}
    stub.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [_result(f"r{i}", [requests[i]] * 30) for i in (0, 1)]
            + [_result(f"e{i}", [requests[i] / 100] * 30) for i in (0, 1)]
            + [_result(f"c{i}", [], []) for i in (0, 1)],
            "Messages": [],
        },
        {
            "MetricDataQueries": queries,
            "StartTime": WINDOW.start,
            "EndTime": WINDOW.end,
            "ScanBy": "TimestampAscending",
        },
    )


def _latency_queries() -> list[dict[str, Any]]:
    return [
        _query(f"l{index}_{stat}", target.target_group, "TargetResponseTime", stat)
        for index, target in enumerate(TARGETS)
        for stat in ("p50", "p90", "p99")
    ]


def _client() -> Any:
    return boto3.client(
        "cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_percentiles_are_read_over_every_page_and_a_slower_p99_rolls_back() -> None:
    cloudwatch = _client()
    stub = Stubber(cloudwatch)
    _counts_call(stub)
    control = {"p50": 0.10, "p90": 0.20, "p99": 0.30}
    slower = {"p50": 0.10, "p90": 0.20, "p99": 0.45}
    wobble = [0.001 * (m % 3) for m in range(30)]  # the same small per-minute noise on both sides

    def values(base: float, extra: float = 0.0) -> list[float]:
        return [round(base + w + extra, 4) for w in wobble]

    # page 1: the first 20 minutes of every series, PartialData and a NextToken; page 2: the last 10
    first, rest = MINUTES[:20], MINUTES[20:]
    pages = []
    for minutes, part in ((first, slice(0, 20)), (rest, slice(20, 30))):
        results = []
        for stat in ("p50", "p90", "p99"):
            results.append(
                _result(
                    f"l0_{stat}",
                    values(control[stat])[part],
                    minutes,
                    "PartialData" if part.start == 0 else "Complete",
                )
            )
            jitter = [0.0005 if m % 2 else -0.0005 for m in range(30)]  # differences of both signs
            candidate = [v + j for v, j in zip(values(slower[stat]), jitter, strict=True)]
            results.append(
                _result(
                    f"l1_{stat}", candidate[part], minutes, "PartialData" if part.start == 0 else "Complete"
                )
            )
        pages.append(results)
    params = {
        "MetricDataQueries": _latency_queries(),
        "StartTime": WINDOW.start,
        "EndTime": WINDOW.end,
        "ScanBy": "TimestampAscending",
    }
    stub.add_response(
        "get_metric_data", {"MetricDataResults": pages[0], "NextToken": "page-2", "Messages": []}, params
    )
    stub.add_response(
        "get_metric_data", {"MetricDataResults": pages[1], "Messages": []}, {**params, "NextToken": "page-2"}
    )
    with stub:
        variants = gather(cloudwatch, TARGETS, {"sentiment-a": 80, "sentiment-b": 20}, WINDOW, latency=True)
    stub.assert_no_pending_responses()

    a, b = variants
    assert (a.total_requests, b.total_requests, a.total_errors, b.total_errors) == (24000, 6000, 240, 60)
    assert {p: len(s) for p, s in b.latency.items()} == {"p50": 30, "p90": 30, "p99": 30}
    assert a.latency["p99"][MINUTES[25]] == pytest.approx(0.301)

    decision = decide(
        variants,
        choose_roles([("sentiment-a", 80), ("sentiment-b", 20)], "sentiment-b"),
        Analysis(min_minutes=30),
        sticky=True,
        latency_measured=True,
        window_minutes=WINDOW.minutes,
    )
    (candidate,) = decision.candidates
    outcomes = {c.metric: c.outcome for c in candidate.comparisons}
    assert outcomes == {
        "error rate": Outcome.NO_DIFFERENCE,
        "latency p50": Outcome.NO_DIFFERENCE,
        "latency p90": Outcome.NO_DIFFERENCE,
        "latency p99": Outcome.WORSE,
    }
    assert candidate.verdict is Verdict.ROLLBACK
    assert candidate.reasons == (
        "worse on latency p99: median +0.150 s per minute, +49.8% over 30 paired minutes, adjusted p <0.0001 < 0.05",
    )


def test_a_query_cloudwatch_could_not_answer_is_one_line() -> None:
    cloudwatch = _client()
    stub = Stubber(cloudwatch)
    _counts_call(stub)
    stub.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {
                    **_result("l0_p99", [], []),
                    "StatusCode": "InternalError",
                    "Messages": [{"Code": "InternalError", "Value": "try again"}],
                }
            ],
            "Messages": [],
        },
        {
            "MetricDataQueries": _latency_queries(),
            "StartTime": WINDOW.start,
            "EndTime": WINDOW.end,
            "ScanBy": "TimestampAscending",
        },
    )
    with stub, pytest.raises(LiveError) as error:
        gather(cloudwatch, TARGETS, {"sentiment-a": 80, "sentiment-b": 20}, WINDOW)
    assert (
        str(error.value)
        == "CloudWatch answered InternalError for AWS/ApplicationELB TargetResponseTime p99: try again"
    )


def test_too_few_paired_minutes_hold_with_the_minutes_still_needed() -> None:
    cloudwatch = _client()
    stub = Stubber(cloudwatch)
    _counts_call(stub)
    results = [
        _result(f"l{i}_{stat}", [0.1] * 10, MINUTES[:10]) for i in (0, 1) for stat in ("p50", "p90", "p99")
    ]
    stub.add_response(
        "get_metric_data",
        {"MetricDataResults": results, "Messages": []},
        {
            "MetricDataQueries": _latency_queries(),
            "StartTime": WINDOW.start,
            "EndTime": WINDOW.end,
            "ScanBy": "TimestampAscending",
        },
    )
    with stub:
        variants = gather(cloudwatch, TARGETS, {"sentiment-a": 80, "sentiment-b": 20}, WINDOW)
    decision = decide(
        variants,
        choose_roles([("sentiment-a", 80), ("sentiment-b", 20)], "sentiment-b"),
        Analysis(min_minutes=30, minimum_detectable_effect=5),
        sticky=False,
        latency_measured=True,
        window_minutes=WINDOW.minutes,
    )
    (candidate,) = decision.candidates
    assert candidate.verdict is Verdict.HOLD
    assert candidate.reasons == tuple(
        f"not enough data on latency {p}: needs 20 more minutes with data for both"
        for p in ("p50", "p90", "p99")
    )
