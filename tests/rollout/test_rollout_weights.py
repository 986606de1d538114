"""Weights that give a ramp candidate an exact share while the others keep their proportions."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ab import aws_limits
from constructs_ab.rollout.share import format_percent, share_percent
from constructs_ab.rollout.weights import split_proportionally, weights_for_share


def test_split_proportionally_uses_largest_remainders_and_ties_go_to_the_earlier_variant() -> None:
    assert split_proportionally(50, [80]) == [50]
    assert split_proportionally(10, [1, 1, 1]) == [4, 3, 3]
    assert split_proportionally(95, [60, 30, 10]) == [57, 29, 9]  # 57.0, 28.5, 9.5: the tie goes to b


def test_split_proportionally_splits_equally_when_every_weight_is_zero() -> None:
    assert split_proportionally(50, [0, 0]) == [25, 25]


def test_promote_80_20_to_50_percent_gives_percent_weights() -> None:
    chosen = weights_for_share({"a": 80, "b": 20}, "b", 50)
    assert chosen.weights == {"a": 50, "b": 50}
    assert not chosen.equal_split


def test_others_keep_their_proportions_on_the_percent_scale() -> None:
    # GIVEN three variants 60/30/10 where c is the candidate at 10%
    # WHEN c goes to 25%
    chosen = weights_for_share({"a": 60, "b": 30, "c": 10}, "c", 25)
    # THEN a and b keep 2:1 of the remaining 75
    assert chosen.weights == {"a": 50, "b": 25, "c": 25}


def test_paused_variant_stays_at_zero() -> None:
    assert weights_for_share({"a": 90, "p": 0, "c": 10}, "c", 50).weights == {"a": 50, "p": 0, "c": 50}


def test_at_100_percent_every_other_variant_gets_zero() -> None:
    assert weights_for_share({"a": 50, "b": 50}, "b", 100).weights == {"a": 0, "b": 100}


def test_at_0_percent_the_others_take_everything() -> None:
    assert weights_for_share({"a": 95, "b": 5}, "b", 0).weights == {"a": 100, "b": 0}


def test_others_all_at_zero_share_the_rest_equally_and_say_so() -> None:
    # GIVEN the candidate held 100% and the others were paused
    chosen = weights_for_share({"a": 0, "b": 0, "c": 100}, "c", 50)
    assert chosen.weights == {"a": 25, "b": 25, "c": 50}
    assert chosen.equal_split


def test_scale_grows_rather_than_starving_a_small_variant() -> None:
    # 999:1 of the rest 50% would round the small one to 0 on the 0..100 scale
    chosen = weights_for_share({"big": 999, "small": 1, "c": 10}, "c", 50)
    assert chosen.weights["small"] > 0
    assert Fraction(chosen.weights["c"], sum(chosen.weights.values())) == Fraction(1, 2)


def test_fails_for_a_percent_outside_0_to_100() -> None:
    with pytest.raises(ValueError, match="percent must be 0..100, got 101"):
        weights_for_share({"a": 1, "b": 1}, "b", 101)


@given(
    others=st.lists(st.integers(min_value=0, max_value=aws_limits.MAX_WEIGHT), min_size=1, max_size=4),
    candidate_weight=st.integers(min_value=0, max_value=aws_limits.MAX_WEIGHT),
    percent=st.integers(min_value=0, max_value=100),
)
def test_candidate_share_is_exact_and_no_variant_with_traffic_is_starved(
    others: list[int], candidate_weight: int, percent: int
) -> None:
    current = {f"v{i}": w for i, w in enumerate(others)} | {"cand": candidate_weight}
    weights = weights_for_share(current, "cand", percent).weights
    total = sum(weights.values())
    assert list(weights) == list(current)  # variant order kept
    assert all(aws_limits.MIN_WEIGHT <= w <= aws_limits.MAX_WEIGHT for w in weights.values())
    assert total > 0
    assert Fraction(weights["cand"] * 100, total) == percent  # exact, so any rounding agrees
    assert share_percent(weights["cand"], total) == percent
    if percent < 100:
        for name, before in current.items():
            if name != "cand" and before > 0:
                assert weights[name] > 0, f"{name} had weight {before} and was starved"


def test_share_percent_rounds_halves_up_and_format_percent_shows_one_decimal() -> None:
    assert share_percent(1, 8) == 13  # 12.5 -> 13
    assert share_percent(1, 3) == 33
    assert format_percent(Fraction(30)) == "30%"
    assert format_percent(Fraction(100, 3)) == "33.3%"
