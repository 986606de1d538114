"""The statistics of `analyze` against published reference values. Each test names its source; values
are compared at the precision the source prints them."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from constructs_ab.analysis.fdr import benjamini_hochberg
from constructs_ab.analysis.paired_minutes import compare_paired
from constructs_ab.analysis.sample_size import minimum_sample_size, power_of, required_per_group
from constructs_ab.analysis.srm import dispersion_factor, sample_ratio_test
from constructs_ab.analysis.two_proportions import compare_proportions
from constructs_ab.analysis.welch import compare_means

# --- chi-square goodness of fit (the sample ratio check) ----------------------------------------


def test_chi_square_of_mendels_peas() -> None:
    """Mendel's dihybrid cross: 315 round yellow, 108 round green, 101 wrinkled yellow, 32 wrinkled green
    against 9:3:3:1. Published: chi-square = 0.47 with 3 degrees of freedom, p = 0.925 (e.g. Sokal and Rohlf,
    Biometry, and most genetics texts)."""
    result = sample_ratio_test(
        [315, 108, 101, 32], [9 / 16, 3 / 16, 3 / 16, 1 / 16], alpha=0.05, tolerance_points=0
    )
    assert result.chi_square is not None and result.p_value is not None
    assert round(result.chi_square, 2) == 0.47
    assert result.degrees_of_freedom == 3
    assert round(result.p_value, 3) == 0.925
    assert not result.mismatch


def test_chi_square_of_the_scipy_documentation_example() -> None:
    """SciPy's `chisquare` documentation: observed [16, 18, 16, 14, 12, 12] against expected
    [16, 16, 16, 16, 16, 8] gives statistic 3.5 and p-value 0.62338762774958223."""
    total = 88
    result = sample_ratio_test([16, 18, 16, 14, 12, 12], [16 / total] * 5 + [8 / total], tolerance_points=0)
    assert result.chi_square == pytest.approx(3.5)
    assert result.p_value == pytest.approx(0.62338762774958223, rel=1e-12)


def test_a_clear_mismatch_is_flagged_and_a_tiny_one_with_huge_counts_is_not() -> None:
    flagged = sample_ratio_test([8400, 1600], [0.8, 0.2])  # 84/16 for an 80/20 split
    assert flagged.mismatch and flagged.max_deviation_points == pytest.approx(4.0)
    within_tolerance = sample_ratio_test([8_050_000, 1_950_000], [0.8, 0.2])  # 80.5/19.5: p tiny, 0.5 point
    assert within_tolerance.p_value is not None and within_tolerance.p_value < 1e-6
    assert not within_tolerance.mismatch


def test_stickiness_divides_the_statistic_by_the_dispersion_of_the_minutes() -> None:
    # 10 minutes of an 80/20 split whose per-minute shares swing (clients arriving in sticky clusters)
    minutes = [
        [9000, 1000],
        [7000, 3000],
        [8500, 1500],
        [7500, 2500],
        [9500, 500],
        [6500, 3500],
        [8000, 2000],
        [7800, 2200],
        [8800, 1200],
        [6400, 3600],
    ]  # 79.0% / 21.0% overall: 1 point off, p < 1e-14 for independent requests
    counts = [sum(m[0] for m in minutes), sum(m[1] for m in minutes)]
    plain = sample_ratio_test(counts, [0.8, 0.2], per_minute=minutes, sticky=False, tolerance_points=0)
    sticky = sample_ratio_test(counts, [0.8, 0.2], per_minute=minutes, sticky=True, tolerance_points=0)
    phi = float(stats.chi2_contingency(minutes, correction=False).statistic) / 9
    assert sticky.dispersion == pytest.approx(phi) and phi > 1
    assert plain.chi_square == sticky.chi_square
    assert sticky.p_value == pytest.approx(float(stats.chi2.sf(plain.chi_square / phi, 1)))
    assert plain.mismatch and not sticky.mismatch
    assert dispersion_factor([[80, 20], [80, 20]]) == 1.0  # no extra variation: floored at 1


def test_too_few_requests_are_not_tested() -> None:
    result = sample_ratio_test([3, 1], [0.8, 0.2])
    assert (result.p_value, result.mismatch) == (None, False)
    assert result.note == "not tested: a variant expects fewer than 5 requests"


# --- two proportions --------------------------------------------------------------------------


def test_two_proportions_on_the_physicians_health_study() -> None:
    """Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), chapter 2: myocardial
    infarction in 189 of 11034 physicians on placebo and 104 of 11037 on aspirin. Published: proportions
    0.0171 and 0.0094, difference 0.0077 with 95% confidence interval (0.005, 0.011), and Pearson's
    X^2 = 25.01 for the table (so z = 5.00)."""
    result = compare_proportions(189, 11034, 104, 11037)
    assert (round(result.rate, 4), round(result.control_rate, 4)) == (0.0171, 0.0094)
    assert round(result.difference, 4) == 0.0077
    assert result.ci_low is not None and result.ci_high is not None
    assert (round(result.ci_low, 3), round(result.ci_high, 3)) == (0.005, 0.011)
    assert result.z is not None and round(result.z**2, 2) == 25.01 and round(result.z, 2) == 5.00
    assert result.p_value is not None and result.p_value < 1e-6
    # the z-test's square is the 2x2 table's chi-square (SciPy, without continuity correction)
    table = [[189, 11034 - 189], [104, 11037 - 104]]
    assert result.z**2 == pytest.approx(float(stats.chi2_contingency(table, correction=False).statistic))


def test_no_errors_on_either_side_is_no_difference() -> None:
    result = compare_proportions(0, 1000, 0, 4000)
    assert (result.z, result.p_value, result.difference) == (0.0, 1.0, 0.0)
    assert compare_proportions(1, 0, 1, 10).p_value is None


# --- Benjamini-Hochberg -----------------------------------------------------------------------


def test_benjamini_hochberg_on_the_papers_example() -> None:
    """Benjamini and Hochberg (1995), section 4.2 (also SciPy's `false_discovery_control` example): the 15
    p-values of the thrombolysis trial; at q = 0.05 the procedure rejects the four smallest (Bonferroni
    only three)."""
    ps = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.000,
    ]
    adjusted = benjamini_hochberg(ps)
    assert [p is not None and p <= 0.05 for p in adjusted] == [True] * 4 + [False] * 11
    assert sum(p * len(ps) <= 0.05 for p in ps) == 3


def test_benjamini_hochberg_adjusted_values() -> None:
    """R's `p.adjust(c(0.008, 0.03, 0.123, 0.6, 0.2), "BH")` (as documented by stdlib-js's padjust):
    0.04, 0.075, 0.205, 0.6, 0.25. A test that did not run stays out of the family."""
    adjusted = benjamini_hochberg([0.008, None, 0.03, 0.123, 0.6, 0.2])
    assert adjusted[1] is None
    assert [round(p, 3) for p in adjusted if p is not None] == [0.04, 0.075, 0.205, 0.6, 0.25]
    assert benjamini_hochberg([0.03]) == [pytest.approx(0.03)]


# --- sample size ------------------------------------------------------------------------------


def test_sample_size_and_power_match_rs_power_prop_test() -> None:
    """R's `power.prop.test` documentation (stats package) examples:
    `power.prop.test(p1 = .50, p2 = .75, power = .90)` gives n = 76.7 per group, and
    `power.prop.test(n = 50, p1 = .50, p2 = .75)` gives power = 0.740 (alpha 0.05, two-sided)."""
    assert round(required_per_group(0.50, 0.25, alpha=0.05, power=0.90), 1) == 76.7
    assert minimum_sample_size(0.50, 0.25, alpha=0.05, power=0.90) == 77
    assert round(power_of(50, 0.50, 0.75, alpha=0.05), 3) == 0.740
    assert power_of(required_per_group(0.01, 0.005), 0.01, 0.015) == pytest.approx(0.8)


def test_sample_size_for_an_error_rate_near_one_looks_below_it() -> None:
    assert required_per_group(0.999, 0.01) == pytest.approx(required_per_group(0.989, 0.01))
    with pytest.raises(ValueError):
        required_per_group(0.01, 0)


# --- Wilcoxon signed-rank (latency per minute) --------------------------------------------------


def test_wilcoxon_on_darwins_plants() -> None:
    """Darwin's cross- and self-fertilized Zea mays, as analysed in Fisher's The Design of Experiments and
    in SciPy's `wilcoxon` documentation: differences [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60,
    -67, 75] give statistic 24 and exact two-sided p-value 0.041259765625."""
    differences = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    control = {minute: 100.0 for minute in range(15)}
    candidate = {minute: 100.0 + d for minute, d in enumerate(differences)}
    result = compare_paired(candidate, control)  # type: ignore[arg-type]  # any ordered keys pair up
    assert (result.pairs, result.statistic, result.median_difference) == (15, 24.0, 24)
    assert result.p_value == pytest.approx(0.041259765625, rel=1e-12)


def test_only_minutes_with_both_values_are_paired() -> None:
    result = compare_paired({1: 2.0, 2: 3.0, 3: 9.0}, {2: 1.0, 3: 1.0, 4: 5.0})  # type: ignore[arg-type]
    assert (result.pairs, result.median_difference, result.control_median) == (2, 5.0, 1.0)
    same = compare_paired({1: 1.0, 2: 1.0}, {1: 1.0, 2: 1.0})  # type: ignore[arg-type]
    assert (same.p_value, same.median_difference) == (1.0, 0.0)
    assert compare_paired({}, {1: 1.0}).p_value is None  # type: ignore[arg-type]


# --- Welch's t-test (custom metrics) -------------------------------------------------------------


def test_welch_on_the_textbook_examples() -> None:
    """The two examples of the Wikipedia article "Welch's t-test" (unequal variances, unequal sizes):
    A1 (15 values) vs A2 (15 values): t = -2.46, p = 0.021; and A1 (10 values) vs A2 (20 values):
    t = -1.57, nu = 9.9, p = 0.149."""
    a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    first = compare_means(a1, a2)
    assert first.t is not None and first.p_value is not None
    assert (round(first.t, 2), round(first.p_value, 3)) == (-2.46, 0.021)
    b1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8]
    b2 = [
        21.5,
        22.8,
        21.0,
        23.0,
        21.6,
        23.6,
        22.5,
        20.7,
        23.4,
        21.8,
        20.7,
        21.7,
        21.5,
        22.5,
        23.6,
        21.5,
        22.5,
        23.5,
        21.5,
        21.8,
    ]
    second = compare_means(b1, b2)
    assert second.t is not None and second.p_value is not None and second.degrees_of_freedom is not None
    assert (round(second.t, 2), round(second.degrees_of_freedom, 1), round(second.p_value, 3)) == (
        -1.57,
        9.9,
        0.149,
    )


def test_constant_values_and_too_few_values() -> None:
    assert compare_means([1.0, 1.0], [1.0, 1.0]).p_value == 1.0
    different = compare_means([2.0, 2.0], [1.0, 1.0])
    assert different.p_value == 0.0 and different.t == math.inf
    assert compare_means([1.0], [1.0, 2.0]).p_value is None
