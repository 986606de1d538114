"""The experiment's `analysis` block: its defaults, what it reads, and one exact message per bound, the
same whether the mistake is in a file or in a spec built in Python (`validate`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from constructs_ab.spec import validate
from constructs_ab.spec.model import Analysis, CustomMetric

from .spec_builders import EXP, base_spec, changed, load, problems_of

WHERE = "environments.prod.experiments.0.analysis"
A = EXP + ".analysis"
METRIC = {
    "namespace": "Acme/Models",
    "metric": "AcceptedRate",
    "variant_dimension": "Variant",
    "higher_is_better": True,
}

MDE = "minimum_detectable_effect is a number of percentage points of error rate more than 0 and at most 100, e.g. 0.5"
ALPHA = "alpha is a number more than 0 and at most 0.5, e.g. 0.05"
POWER = "power is a number from 0.5 to 0.99, e.g. 0.8"
SRM_ALPHA = "srm_alpha is a number more than 0 and at most 0.05, e.g. 0.001"
SRM_TOLERANCE = "srm_tolerance is a number of percentage points from 0 to 50, e.g. 1"
MIN_MINUTES = "min_minutes is an integer from 6 to 10080 (minutes with data for candidate and control)"
STATISTIC = "statistic is Average, Minimum, Maximum or a percentile such as p90 (not Sum or SampleCount)"

#: (the analysis block, the problem's path, its message)
BOUNDS: list[tuple[dict[str, Any], str, str]] = [
    ({"minimum_detectable_effect": 0}, A + ".minimum_detectable_effect", f"0 is out of range; {MDE}"),
    ({"minimum_detectable_effect": 100.5}, A + ".minimum_detectable_effect", f"100.5 is out of range; {MDE}"),
    ({"minimum_detectable_effect": "1%"}, A + ".minimum_detectable_effect", f'"1%" is text; {MDE}'),
    ({"alpha": 0}, A + ".alpha", f"0 is out of range; {ALPHA}"),
    ({"alpha": 0.51}, A + ".alpha", f"0.51 is out of range; {ALPHA}"),
    ({"power": 0.49}, A + ".power", f"0.49 is out of range; {POWER}"),
    ({"power": 1}, A + ".power", f"1 is out of range; {POWER}"),
    ({"srm_alpha": 0}, A + ".srm_alpha", f"0 is out of range; {SRM_ALPHA}"),
    ({"srm_alpha": 0.06}, A + ".srm_alpha", f"0.06 is out of range; {SRM_ALPHA}"),
    ({"srm_tolerance": -0.1}, A + ".srm_tolerance", f"-0.1 is out of range; {SRM_TOLERANCE}"),
    ({"srm_tolerance": 51}, A + ".srm_tolerance", f"51 is out of range; {SRM_TOLERANCE}"),
    ({"min_minutes": 5}, A + ".min_minutes", f"5 is out of range; {MIN_MINUTES}"),
    ({"min_minutes": 10081}, A + ".min_minutes", f"10081 is out of range; {MIN_MINUTES}"),
    ({"min_minutes": 30.5}, A + ".min_minutes", f"30.5 is a decimal number; {MIN_MINUTES}"),
    (
        {"require_improvement": "yes"},
        A + ".require_improvement",
        '"yes" is text; require_improvement is true or false',
    ),
    (
        {"custom_metrics": [{**METRIC, "metric": f"m{i}"} for i in range(11)]},
        A + ".custom_metrics",
        "11 items given; custom_metrics is a list of at most 10 metrics, each {namespace, metric, "
        "variant_dimension, higher_is_better} and optionally statistic and dimensions",
    ),
    (
        {"custom_metrics": [{**METRIC, "statistic": "Sum"}]},
        A + ".custom_metrics[0].statistic",
        '"Sum" grows with a variant\'s share of traffic, so variants with different weights cannot be compared; '
        + STATISTIC,
    ),
    (
        {"custom_metrics": [{**METRIC, "statistic": "p0"}]},
        A + ".custom_metrics[0].statistic",
        f'"p0" is not a statistic this comparison takes; {STATISTIC}',
    ),
    (
        {"custom_metrics": [{**METRIC, "statistic": "p100.5"}]},
        A + ".custom_metrics[0].statistic",
        f'"p100.5" is not a statistic this comparison takes; {STATISTIC}',
    ),
    (
        {"custom_metrics": [{**METRIC, "namespace": "N" * 256}]},
        A + ".custom_metrics[0].namespace",
        f'"{"N" * 256}" is 256 characters long; namespace is a CloudWatch namespace of at most 255 characters, '
        "e.g. Acme/Models",
    ),
    (
        {"custom_metrics": [{**METRIC, "higher_is_better": "up"}]},
        A + ".custom_metrics[0].higher_is_better",
        '"up" is text; higher_is_better is true or false (true when a larger value is better)',
    ),
    (
        {"custom_metrics": [{**METRIC, "dimensions": {"Variant": "a"}}]},
        A + ".custom_metrics[0].dimensions.Variant",
        '"Variant" is the variant_dimension, whose value is each variant\'s name; remove it from dimensions',
    ),
    (
        {"custom_metrics": [METRIC, METRIC]},
        A + ".custom_metrics[1]",
        "Acme/Models AcceptedRate (Average) is listed twice (also custom_metrics[0]); list each metric once",
    ),
]


@pytest.mark.parametrize(("block", "path", "message"), BOUNDS, ids=[str(b)[:60] for b, _, _ in BOUNDS])
def test_each_bound_has_its_exact_message(block: dict[str, Any], path: str, message: str) -> None:
    assert problems_of(changed(base_spec(), WHERE, block)) == [(path, message)]


@pytest.mark.parametrize(
    "block",
    [
        {
            "minimum_detectable_effect": 100,
            "alpha": 0.5,
            "power": 0.99,
            "srm_alpha": 0.05,
            "srm_tolerance": 50,
        },
        {
            "minimum_detectable_effect": 0.01,
            "alpha": 0.001,
            "power": 0.5,
            "srm_alpha": 1e-6,
            "srm_tolerance": 0,
        },
        {
            "min_minutes": 6,
            "custom_metrics": [{**METRIC, "statistic": "p99.9"}, {**METRIC, "statistic": "p100"}],
        },
        {
            "min_minutes": 10080,
            "custom_metrics": [{**METRIC, "statistic": "Minimum", "dimensions": {"Env": "prod"}}],
        },
    ],
)
def test_the_edges_of_each_range_are_accepted(block: dict[str, Any]) -> None:
    assert problems_of(changed(base_spec(), WHERE, block)) == []


def test_defaults_and_what_is_read() -> None:
    assert load(base_spec()).environments[0].experiments[0].analysis == Analysis(
        minimum_detectable_effect=0.5,
        alpha=0.05,
        power=0.8,
        srm_alpha=0.001,
        srm_tolerance=1.0,
        min_minutes=30,
        require_improvement=False,
        custom_metrics=(),
    )
    block = {
        "minimum_detectable_effect": 1,
        "require_improvement": True,
        "custom_metrics": [{**METRIC, "statistic": "p90", "dimensions": {"Environment": "prod"}}],
    }
    analysis = load(changed(base_spec(), WHERE, block)).environments[0].experiments[0].analysis
    assert analysis.minimum_detectable_effect == 1.0 and analysis.require_improvement
    assert analysis.custom_metrics == (
        CustomMetric(
            namespace="Acme/Models",
            metric="AcceptedRate",
            variant_dimension="Variant",
            higher_is_better=True,
            statistic="p90",
            dimensions=(("Environment", "prod"),),
        ),
    )


@pytest.mark.parametrize(
    ("analysis", "path", "message"),
    [
        (Analysis(alpha=0.51), A + ".alpha", f"0.51 is out of range; {ALPHA}"),
        (Analysis(min_minutes=5), A + ".min_minutes", f"5 is out of range; {MIN_MINUTES}"),
        (
            Analysis(custom_metrics=(CustomMetric(**METRIC, statistic="SampleCount"),)),
            A + ".custom_metrics[0].statistic",
            '"SampleCount" grows with a variant\'s share of traffic, so variants with different weights cannot be '
            f"compared; {STATISTIC}",
        ),
        (
            Analysis(custom_metrics=(CustomMetric(**METRIC, dimensions=(("Variant", "a"),)),)),
            A + ".custom_metrics[0].dimensions.Variant",
            '"Variant" is the variant_dimension, whose value is each variant\'s name; remove it from dimensions',
        ),
    ],
)
def test_a_spec_built_in_python_gets_the_same_messages(analysis: Analysis, path: str, message: str) -> None:
    spec = load(base_spec())
    environment = spec.environments[0]
    experiment = dataclasses.replace(environment.experiments[0], analysis=analysis)
    spec = dataclasses.replace(
        spec, environments=(dataclasses.replace(environment, experiments=(experiment,)),)
    )
    assert [(p.path, p.message) for p in validate(spec) if p.is_error] == [(path, message)]
