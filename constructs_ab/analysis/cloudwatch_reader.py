"""Run GetMetricData queries: at most 500 queries a call, every page of each call (boto3's paginator
follows NextToken), timestamps ascending, one value per minute in UTC.

A query CloudWatch could not answer (`StatusCode` InternalError or Forbidden) fails the read with one line
naming the metric. Minutes without a data point are absent from a series: for counts that means none.

See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.analysis.metric_queries import MetricQuery
from constructs_ab.analysis.window import Window
from constructs_ab.live.aws_errors import LiveError, one_line

#: One variant's metric over the window: minute (UTC) -> value.
Series = dict[datetime, float]


def read_series(cloudwatch: Any, queries: Sequence[MetricQuery], window: Window) -> dict[str, Series]:
    """The series of each query, by query id (botocore errors propagate: wrap in `aws_errors`)."""
    found: dict[str, Series] = {query.id: {} for query in queries}
    by_id = {query.id: query for query in queries}
    size = aws_limits.MAX_QUERIES_PER_GET_METRIC_DATA
    for start in range(0, len(queries), size):
        batch = queries[start : start + size]
        pages = cloudwatch.get_paginator("get_metric_data").paginate(
            MetricDataQueries=[query.to_api() for query in batch],
            StartTime=window.start,
            EndTime=window.end,
            ScanBy="TimestampAscending",
        )
        for page in pages:
            for result in page.get("MetricDataResults", []):
                status = result.get("StatusCode", "Complete")
                if status in ("InternalError", "Forbidden"):
                    query = by_id[result["Id"]]
                    messages = "; ".join(one_line(m.get("Value", "")) for m in result.get("Messages", []))
                    raise LiveError(
                        f"CloudWatch answered {status} for {query.namespace} {query.metric} {query.statistic}"
                        + (f": {messages}" if messages else "")
                    )
                series = found.setdefault(result["Id"], {})
                for timestamp, value in zip(
                    result.get("Timestamps", []), result.get("Values", []), strict=False
                ):
                    series[_minute(timestamp)] = float(value)
    return found


def _minute(timestamp: datetime) -> datetime:
    moment = timestamp if timestamp.tzinfo is not None else timestamp.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(second=0, microsecond=0)
