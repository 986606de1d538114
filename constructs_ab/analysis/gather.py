"""Read the experiment's metrics from CloudWatch into one `VariantSeries` per variant that takes traffic.

Latency percentiles are read in a call of their own, after the counts: an emulator whose CloudWatch has
no percentiles (moto) then fails with a line that says so, and `--skip-latency` leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from constructs_ab.analysis.cloudwatch_reader import Series, read_series
from constructs_ab.analysis.decision import VariantSeries
from constructs_ab.analysis.metric_queries import (
    COUNTS,
    Kind,
    MetricQuery,
    VariantTarget,
    custom_queries,
    latency_queries,
    traffic_queries,
)
from constructs_ab.analysis.window import Window
from constructs_ab.live.aws_errors import LiveError, describe_aws_error, one_line
from constructs_ab.spec.model import CustomMetric


def _series(
    found: dict[str, Series], queries: Sequence[MetricQuery], variant: int, kind: Kind
) -> dict[Any, Series]:
    return {q.detail: found.get(q.id, {}) for q in queries if q.variant == variant and q.kind is kind}


def gather(
    cloudwatch: Any,
    targets: Sequence[VariantTarget],
    weights: dict[str, int],
    window: Window,
    custom_metrics: Sequence[CustomMetric] = (),
    *,
    latency: bool = True,
    where: str = "",
) -> list[VariantSeries]:
    """The series of each target (a variant taking traffic), in the order given."""
    counts = traffic_queries(targets) + custom_queries(targets, custom_metrics)
    doing = f"reading CloudWatch metrics ({where})" if where else "reading CloudWatch metrics"
    try:
        found = read_series(cloudwatch, counts, window)
    except (BotoCoreError, ClientError) as error:
        raise LiveError(describe_aws_error(error, doing=doing)) from error
    percentiles = latency_queries(targets) if latency else []
    if percentiles:
        try:
            found.update(read_series(cloudwatch, percentiles, window))
        except (BotoCoreError, ClientError, ResponseParserError) as error:
            detail = (
                f"{doing}: {one_line(error).split(' Further retries')[0]}"
                if isinstance(error, ResponseParserError)
                else describe_aws_error(error, doing=doing)
            )
            raise LiveError(
                f"{detail} (the latency percentiles p50, p90, p99; a CloudWatch without percentiles, such as "
                "an emulator's, needs --skip-latency)"
            ) from error
    queries = counts + percentiles
    variants = []
    for index, target in enumerate(targets):
        simple = {kind: _series(found, queries, index, kind).get(None, {}) for kind in COUNTS}
        custom = _series(found, queries, index, Kind.CUSTOM)
        variants.append(
            VariantSeries(
                name=target.name,
                weight=weights[target.name],
                requests=simple[Kind.REQUESTS],
                target_5xx=simple[Kind.TARGET_5XX],
                connection_errors=simple[Kind.CONNECTION_ERRORS],
                latency={str(p): s for p, s in _series(found, queries, index, Kind.LATENCY).items()},
                custom=tuple(custom.get(number, {}) for number in range(len(custom_metrics))),
            )
        )
    return variants
