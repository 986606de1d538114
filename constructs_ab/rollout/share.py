"""A variant's traffic share as the spec validator computes it: weight / sum of weights, in percent."""

from __future__ import annotations

from fractions import Fraction


def share_percent(weight: int, total: int) -> int:
    """weight / total * 100 rounded to a whole percent, halves up (exact, no float error).

    total: the sum of the experiment's weights, positive.
    """
    return int(Fraction(weight * 100, total) + Fraction(1, 2))


def format_percent(share: Fraction) -> str:
    """`30%` for a whole percent, else one decimal: `33.3%`."""
    if share.denominator == 1:
        return f"{share.numerator}%"
    return f"{float(share):.1f}%"
