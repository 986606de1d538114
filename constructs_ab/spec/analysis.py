"""How `analyze` decides on an experiment's candidates: significance, power, the minimum detectable
effect, the sample ratio check and the custom metrics the experiment is judged on too. Its model, rules,
reading and checks.

The statistics themselves are in `constructs_ab.analysis`; this module only says what the spec may ask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Fields, Node, Problems, child_of_map
from constructs_ab.spec.rules import (
    Boolean,
    Integer,
    Items,
    Number,
    Rule,
    Text,
    check_fields,
    defaults_of,
    keys_of,
    required_keys,
)
from constructs_ab.spec.values import describe, show

#: CloudWatch statistics a custom metric may be compared on: per-minute values that do not grow with a
#: variant's share of traffic (not Sum or SampleCount).
STATISTICS = ("Average", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(?P<value>\d{1,3}(?:\.\d{1,10})?)$")


@dataclass(frozen=True, kw_only=True)
class CustomMetric:
    """A business or model-quality metric that the variants publish to CloudWatch, compared per minute.

    namespace: its CloudWatch namespace, e.g. "Acme/Models".
    metric: its metric name, e.g. "AcceptedAnswerRate".
    variant_dimension: the dimension whose value is the variant's name, e.g. "Variant".
    higher_is_better: True when a larger value is better (an acceptance rate), False when smaller is
        (a cost per request).
    statistic: Average, Minimum, Maximum or a percentile such as p90. Default Average. Sum and
        SampleCount are not allowed: per minute they grow with a variant's share of traffic.
    dimensions: the metric's other dimensions, fixed (name, value) pairs, e.g. (("Environment", "prod"),).
        Default none.
    """

    namespace: str
    metric: str
    variant_dimension: str
    higher_is_better: bool
    statistic: str = "Average"
    dimensions: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """How reports name it: `Acme/Models AcceptedAnswerRate (Average)`."""
        return f"{self.namespace} {self.metric} ({self.statistic})"


@dataclass(frozen=True, kw_only=True)
class Analysis:
    """What `analyze` needs to decide between promote, hold and rollback.

    minimum_detectable_effect: the smallest change of a candidate's error rate worth detecting,
        percentage points (0.5: from 1.0 % to 1.5 %); it sets the minimum sample size. Default 0.5.
    alpha: the false positive rate of each comparison, after the Benjamini-Hochberg correction across
        candidates. Default 0.05.
    power: the chance of detecting an effect of `minimum_detectable_effect`. Default 0.8.
    srm_alpha: a sample ratio mismatch is flagged when its p-value is below this (and the share is off by
        `srm_tolerance`). Default 0.001.
    srm_tolerance: percentage points a variant's share of requests may differ from its weight's share
        before a significant difference counts as a mismatch. Default 1.
    min_minutes: minutes with data for both the candidate and the control before latency and custom
        metrics count. Default 30.
    require_improvement: promote only a candidate significantly better on something. Default False (not
        worse on anything, with enough data, is enough).
    custom_metrics: further metrics to compare. Default none.
    """

    minimum_detectable_effect: float = 0.5
    alpha: float = 0.05
    power: float = 0.8
    srm_alpha: float = 0.001
    srm_tolerance: float = 1.0
    min_minutes: int = 30
    require_improvement: bool = False
    custom_metrics: tuple[CustomMetric, ...] = field(default_factory=tuple)


MAX_CUSTOM_METRICS = 10
#: Dimensions a custom metric may fix besides the variant's.
MAX_FIXED_DIMENSIONS = aws_limits.MAX_CLOUDWATCH_DIMENSIONS_PER_METRIC - 1

RULES: dict[str, Rule] = {
    "minimum_detectable_effect": Number.positive(
        "minimum_detectable_effect", 100, of="percentage points of error rate", then=", e.g. 0.5"
    ),
    "alpha": Number.positive("alpha", 0.5, then=", e.g. 0.05"),
    "power": Number(low=0.5, high=0.99, allowed="power is a number from 0.5 to 0.99, e.g. 0.8"),
    "srm_alpha": Number.positive("srm_alpha", 0.05, then=", e.g. 0.001"),
    "srm_tolerance": Number(
        low=0, high=50, allowed="srm_tolerance is a number of percentage points from 0 to 50, e.g. 1"
    ),
    "min_minutes": Integer.between("min_minutes", 6, 10_080, "minutes with data for candidate and control"),
    "require_improvement": Boolean.named("require_improvement"),
}
KEYS = keys_of(Analysis)
DEFAULTS = defaults_of(Analysis)
CUSTOM_METRICS_ALLOWED = (
    f"custom_metrics is a list of at most {MAX_CUSTOM_METRICS} metrics, each {{namespace, metric, "
    "variant_dimension, higher_is_better} and optionally statistic and dimensions"
)
CUSTOM_METRICS = Items(item=None, allowed=CUSTOM_METRICS_ALLOWED, max_items=MAX_CUSTOM_METRICS)


def _statistic(value: str) -> str | None:
    if value in STATISTICS:
        return None
    if value in ("Sum", "SampleCount"):
        return (
            "grows with a variant's share of traffic, so variants with different weights cannot be compared"
        )
    match = PERCENTILE.match(value)
    if match and 0 < float(match["value"]) <= 100:
        return None
    return "is not a statistic this comparison takes"


METRIC_RULES: dict[str, Rule] = {
    "namespace": Text(
        allowed=f"namespace is a CloudWatch namespace of at most {aws_limits.MAX_CLOUDWATCH_NAMESPACE_LENGTH} "
        "characters, e.g. Acme/Models",
        test=formats.printable(aws_limits.MAX_CLOUDWATCH_NAMESPACE_LENGTH, "namespace"),
    ),
    "metric": Text(
        allowed=f"metric is a CloudWatch metric name of at most {aws_limits.MAX_CLOUDWATCH_METRIC_NAME_LENGTH} "
        "characters",
        test=formats.printable(aws_limits.MAX_CLOUDWATCH_METRIC_NAME_LENGTH, "metric name"),
    ),
    "variant_dimension": Text(
        allowed="variant_dimension is the name of the dimension whose value is the variant's name, of at most "
        f"{aws_limits.MAX_CLOUDWATCH_DIMENSION_NAME_LENGTH} characters, e.g. Variant",
        test=formats.printable(aws_limits.MAX_CLOUDWATCH_DIMENSION_NAME_LENGTH, "dimension name"),
    ),
    "higher_is_better": Boolean.named("higher_is_better", "true when a larger value is better"),
    "statistic": Text(
        allowed="statistic is Average, Minimum, Maximum or a percentile such as p90 (not Sum or SampleCount)",
        test=_statistic,
    ),
}
METRIC_KEYS = keys_of(CustomMetric)
METRIC_REQUIRED = required_keys(
    CustomMetric,
    {
        "namespace": "namespace is the metric's CloudWatch namespace, e.g. Acme/Models",
        "metric": "metric is the CloudWatch metric name",
        "variant_dimension": "variant_dimension names the dimension whose value is the variant's name",
        "higher_is_better": "higher_is_better is true or false (is a larger value better?)",
    },
)
METRIC_DEFAULTS = defaults_of(CustomMetric)
DIMENSIONS_ALLOWED = (
    f"dimensions maps at most {MAX_FIXED_DIMENSIONS} dimension names (up to "
    f"{aws_limits.MAX_CLOUDWATCH_DIMENSION_NAME_LENGTH} characters) to values (up to "
    f"{aws_limits.MAX_CLOUDWATCH_DIMENSION_VALUE_LENGTH} characters), e.g. {{Environment: prod}}"
)
DIMENSION_NAME = Text(
    allowed=DIMENSIONS_ALLOWED,
    test=formats.printable(aws_limits.MAX_CLOUDWATCH_DIMENSION_NAME_LENGTH, "dimension name"),
)
DIMENSION_VALUE = Text(
    allowed=DIMENSIONS_ALLOWED,
    test=formats.printable(aws_limits.MAX_CLOUDWATCH_DIMENSION_VALUE_LENGTH, "dimension value"),
)


def _read_dimensions(node: Node | None, problems: Problems) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not isinstance(node.value, Mapping):
        problems.add(node, f"{describe(node.value)}; {DIMENSIONS_ALLOWED}")
        return ()
    if len(node.value) > MAX_FIXED_DIMENSIONS:
        problems.add(node, f"{len(node.value)} dimensions given; {DIMENSIONS_ALLOWED}")
    found = []
    for key in node.value:
        if not isinstance(key, str):
            problems.add(node, f"the dimension name {show(key)} is not text; {DIMENSIONS_ALLOWED}")
            continue
        child = child_of_map(node, key)
        name = DIMENSION_NAME.problem(key)
        if name is not None:
            problems.add(child, name)
            continue
        value = DIMENSION_VALUE.read(child, problems)
        if value is not None:
            found.append((key, value))
    return tuple(found)


def _read_metric(node: Node, problems: Problems) -> CustomMetric | None:
    fields = Fields(node, problems, what="a custom metric", keys=METRIC_KEYS, required=METRIC_REQUIRED)
    if not fields.valid:
        return None
    values: dict[str, Any] = {
        key: fields.read(key, rule, METRIC_DEFAULTS.get(key, rule.fallback))
        for key, rule in METRIC_RULES.items()
    }
    values["dimensions"] = _read_dimensions(fields.get("dimensions"), problems)
    return CustomMetric(**values)


def read_analysis(node: Node | None, problems: Problems) -> Analysis:
    if node is None:
        return Analysis()
    fields = Fields(node, problems, what="analysis", keys=KEYS)
    if not fields.valid:
        return Analysis()
    values = fields.read_all(RULES, DEFAULTS)
    metrics = CUSTOM_METRICS.read_each(fields.get("custom_metrics"), problems, _read_metric)
    return Analysis(**values, custom_metrics=tuple(metrics))


def _identity(metric: CustomMetric) -> tuple[Any, ...]:
    return (metric.namespace, metric.metric, metric.statistic, tuple(sorted(metric.dimensions)))


def check_analysis(checks: Checks, analysis: Analysis, path: FieldPath) -> None:
    """The fields, each custom metric's fields, a variant dimension not also fixed, and no metric twice."""
    check_fields(checks, analysis, path, RULES)
    metrics_path = path.key("custom_metrics")
    CUSTOM_METRICS.check(checks, metrics_path, analysis.custom_metrics)
    seen: dict[tuple[Any, ...], int] = {}
    for index, metric in enumerate(analysis.custom_metrics):
        where = metrics_path.index(index)
        check_fields(checks, metric, where, METRIC_RULES)
        dimensions = where.key("dimensions")
        if len(metric.dimensions) > MAX_FIXED_DIMENSIONS and checks.valid(dimensions):
            checks.error(dimensions, f"{len(metric.dimensions)} dimensions given; {DIMENSIONS_ALLOWED}")
        for name, value in metric.dimensions:
            DIMENSION_VALUE.check(checks, dimensions.key(name), value)
            if name == metric.variant_dimension and checks.valid(dimensions.key(name)):
                checks.error(
                    dimensions.key(name),
                    f"{show(name)} is the variant_dimension, whose value is each variant's name; remove it "
                    "from dimensions",
                )
        if checks.blocked(where):
            continue
        key = _identity(metric)
        if key in seen:
            checks.error(
                where,
                f"{metric.label} is listed twice (also custom_metrics[{seen[key]}]); list each metric once",
            )
        else:
            seen[key] = index
