"""The verdict rules on synthetic series: control choice, Benjamini-Hochberg across 3 to 5 variants,
rollback over hold over promote, require_improvement, and the window."""

from __future__ import annotations

import datetime as dt

import pytest

from constructs_ab.analysis.decide import Outcome, VariantSeries, Verdict, decide, describe_minutes, format_p
from constructs_ab.analysis.roles import choose_roles
from constructs_ab.analysis.window import Window, make_window
from constructs_ab.spec.model import Analysis

START = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)


def series(per_minute: float, minutes: int = 120) -> dict[dt.datetime, float]:
    return {START + dt.timedelta(minutes=m): per_minute for m in range(minutes)}


def variant(name: str, weight: int, requests: float, errors: float) -> VariantSeries:
    return VariantSeries(name=name, weight=weight, requests=series(requests), target_5xx=series(errors))


def test_the_control_is_the_largest_other_weight_with_a_ramp_else_the_first() -> None:
    assert choose_roles([("a", 30), ("b", 20), ("c", 50)], "c").control == "a"
    assert choose_roles([("a", 20), ("b", 60), ("c", 20)], "c").control == "b"
    assert choose_roles([("a", 40), ("b", 40), ("c", 20)], "c").control == "a"  # a tie: the first
    roles = choose_roles([("a", 60), ("b", 30), ("c", 10)])
    assert (roles.control, roles.candidates) == ("a", ("b", "c"))
    assert roles.reason == "the experiment's first variant that takes traffic (no ramp)"
    paused = choose_roles([("a", 0), ("b", 100)], "b")
    assert (paused.control, paused.candidates) == (None, ("b",))


def test_benjamini_hochberg_across_candidates_can_keep_a_borderline_one() -> None:
    # control a: 1.00 % of 48,000; b: 3 % (clearly worse); c: 1.175 % of 24,000, raw p 0.031 but 0.061 once
    # corrected for the 4 candidates; d and e: 1.00 % of 12,000
    variants = [
        variant("a", 40, 400, 4.0),
        variant("b", 20, 200, 6.0),
        variant("c", 20, 200, 2.35),
        variant("d", 10, 100, 1.0),
        variant("e", 10, 100, 1.0),
    ]
    decision = decide(
        variants,
        choose_roles([(v.name, v.weight) for v in variants]),
        Analysis(),
        sticky=False,
        latency_measured=False,
        window_minutes=120,
    )
    by_name = {c.variant: c for c in decision.candidates}
    c_errors = by_name["c"].comparisons[0]
    assert c_errors.p_value == pytest.approx(0.0305, abs=1e-4)
    assert c_errors.adjusted_p == pytest.approx(2 * c_errors.p_value)  # rank 2 of 4: p x 4 / 2
    assert c_errors.outcome is Outcome.NO_DIFFERENCE
    assert {name: d.verdict for name, d in by_name.items()} == {
        "b": Verdict.ROLLBACK,
        "c": Verdict.PROMOTE,
        "d": Verdict.PROMOTE,
        "e": Verdict.PROMOTE,
    }
    assert decision.required_requests == 7750


def test_without_a_control_every_candidate_holds() -> None:
    decision = decide(
        [variant("b", 100, 100, 1)],
        choose_roles([("a", 0), ("b", 100)], "b"),
        Analysis(),
        sticky=False,
        latency_measured=False,
        window_minutes=120,
    )
    (candidate,) = decision.candidates
    assert candidate.verdict is Verdict.HOLD
    assert candidate.reasons == (
        "no control to compare with: no variant besides the ramp candidate b takes traffic",
    )


def test_require_improvement_holds_an_equal_candidate_with_enough_data() -> None:
    variants = [variant("a", 50, 500, 5.0), variant("b", 50, 500, 5.0)]
    roles = choose_roles([("a", 50), ("b", 50)], "b")
    plain = decide(variants, roles, Analysis(), sticky=False, latency_measured=False, window_minutes=120)
    assert plain.candidates[0].verdict is Verdict.PROMOTE
    assert plain.candidates[0].reasons == (
        "enough data (60,000 and 60,000 requests, 7,750 needed) and not worse on anything",
        "no significant difference on error rate",
    )
    strict = decide(
        variants,
        roles,
        Analysis(require_improvement=True),
        sticky=False,
        latency_measured=False,
        window_minutes=120,
    )
    assert strict.candidates[0].verdict is Verdict.HOLD
    assert strict.candidates[0].reasons == (
        "not significantly better on anything, and the spec asks for an improvement (require_improvement)",
    )


def test_a_worse_candidate_is_rolled_back_even_during_a_sample_ratio_mismatch() -> None:
    variants = [variant("a", 80, 600, 6.0), variant("b", 20, 400, 20.0)]  # 60/40 for 80/20, and 5 % errors
    decision = decide(
        variants,
        choose_roles([("a", 80), ("b", 20)], "b"),
        Analysis(),
        sticky=False,
        latency_measured=False,
        window_minutes=120,
    )
    assert decision.srm.mismatch
    assert decision.candidates[0].verdict is Verdict.ROLLBACK


def test_format_helpers() -> None:
    assert (format_p(None), format_p(0.00001), format_p(0.0123456)) == ("n/a", "<0.0001", "0.0123")
    assert (describe_minutes(0.2), describe_minutes(89), describe_minutes(655), describe_minutes(4000)) == (
        "about 1 minute",
        "about 89 minutes",
        "about 10.9 hours",
        "about 2.8 days",
    )


def test_the_window_is_whole_minutes_ending_at_until() -> None:
    window = make_window("2h", "2024-05-01T12:00:59+02:00")
    assert window == Window(
        start=dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC), end=dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    )
    assert (window.minutes, window.describe()) == (120, "2024-05-01 08:00 to 10:00 UTC (120 minutes)")
    assert make_window("3600", "2024-05-01T12:00").minutes == 60
    assert (
        make_window("15d", "2024-05-16T00:00Z").describe()
        == "2024-05-01 00:00 to 2024-05-16 00:00 UTC (21600 minutes)"
    )
    with pytest.raises(ValueError):
        make_window("16d")
