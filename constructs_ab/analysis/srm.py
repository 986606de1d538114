"""Sample ratio mismatch: do the variants get the requests their weights promise?

Pearson's chi-square goodness-of-fit test of the request counts against the shares the weights give
(`scipy.stats.chisquare`), flagged before anything else: a split that does not deliver its weights
(a broken rule, a variant failing part of its requests before the load balancer counts them, bots pinned
to one variant) makes every other comparison untrustworthy.

Stickiness. With group stickiness a client's requests all go to the variant it was first sent to, so
requests are not independent draws: counts vary more than the binomial model of the chi-square test
allows, and the plain test flags mismatches that are only clustering (it is anti-conservative). Two
guards, both applied:

1. A dispersion-adjusted chi-square (when stickiness is on): the dispersion factor phi is estimated from
   the per-minute counts as the chi-square statistic of homogeneity of the minutes x variants table
   (`scipy.stats.chi2_contingency`, which leaves a constant mismatch out of it) divided by its degrees of
   freedom, (minutes - 1) x (variants - 1), and floored at 1; the statistic is divided by phi before its
   p-value is read from the chi-square distribution (`scipy.stats.chi2.sf`): the quasi-likelihood
   correction for overdispersed counts (McCullagh and Nelder, Generalized Linear Models, 2nd ed., 1989,
   section 4.5). It captures clustering within a minute; clients that stay longer are only partly
   captured, hence the second guard.
2. A practical tolerance: a mismatch is flagged only when the p-value is below `srm_alpha` (default
   0.001, a usual threshold for this check) and some variant's share of requests is off its weight's
   share by at least `srm_tolerance` percentage points (default 1).

Without stickiness, phi is 1 (the plain test) and the tolerance still applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats

#: A chi-square test needs about 5 expected counts per cell to be trusted.
MIN_EXPECTED = 5.0


@dataclass(frozen=True, kw_only=True)
class SampleRatioResult:
    """The check's numbers.

    observed: requests per variant; expected_shares: each variant's weight / sum of weights.
    chi_square: Pearson's statistic (None when not tested); degrees_of_freedom: variants - 1.
    dispersion: phi (1 without stickiness or when it cannot be estimated).
    p_value: of chi_square / phi (None when not tested).
    max_deviation_points: the largest |observed share - expected share|, percentage points.
    mismatch: p_value < alpha and max_deviation_points >= tolerance_points.
    note: why it was not tested, when it was not.
    """

    observed: tuple[int, ...]
    expected_shares: tuple[float, ...]
    chi_square: float | None
    degrees_of_freedom: int
    dispersion: float
    p_value: float | None
    max_deviation_points: float
    alpha: float
    tolerance_points: float
    sticky: bool
    mismatch: bool
    note: str | None = None

    @property
    def total(self) -> int:
        return sum(self.observed)

    @property
    def observed_shares(self) -> tuple[float, ...]:
        total = self.total
        return tuple(count / total if total else 0.0 for count in self.observed)


def dispersion_factor(per_minute: Sequence[Sequence[float]]) -> float:
    """phi: the chi-square statistic of homogeneity of the minutes x variants table over its degrees of
    freedom, at least 1. Minutes without requests and variants without any are left out; 1 when fewer than
    two of either remain."""
    rows = [list(row) for row in per_minute if sum(row) > 0]
    if len(rows) < 2:
        return 1.0
    columns = [i for i in range(len(rows[0])) if sum(row[i] for row in rows) > 0]
    if len(columns) < 2:
        return 1.0
    table = [[row[i] for i in columns] for row in rows]
    result = stats.chi2_contingency(table, correction=False)
    dof = (len(table) - 1) * (len(columns) - 1)
    return max(1.0, float(result.statistic) / dof)


def sample_ratio_test(
    counts: Sequence[int],
    shares: Sequence[float],
    *,
    per_minute: Sequence[Sequence[float]] = (),
    sticky: bool = False,
    alpha: float = 0.001,
    tolerance_points: float = 1.0,
) -> SampleRatioResult:
    """The check for requests `counts` per variant against their weights' `shares` (which sum to 1).

    per_minute: requests per minute per variant (rows: minutes), used for phi when `sticky`.
    """
    total = sum(counts)
    observed_shares = [count / total if total else 0.0 for count in counts]
    deviation = max((abs(o - e) * 100 for o, e in zip(observed_shares, shares, strict=True)), default=0.0)
    base: dict[str, Any] = {
        "observed": tuple(int(c) for c in counts),
        "expected_shares": tuple(shares),
        "degrees_of_freedom": len(counts) - 1,
        "max_deviation_points": deviation,
        "alpha": alpha,
        "tolerance_points": tolerance_points,
        "sticky": sticky,
    }
    expected = [total * share for share in shares]
    if len(counts) < 2 or min(expected, default=0.0) < MIN_EXPECTED:
        return SampleRatioResult(
            **base,
            chi_square=None,
            dispersion=1.0,
            p_value=None,
            mismatch=False,
            note=f"not tested: a variant expects fewer than {MIN_EXPECTED:g} requests",
        )
    statistic = float(stats.chisquare(f_obs=list(counts), f_exp=expected).statistic)
    phi = dispersion_factor(per_minute) if sticky else 1.0
    p_value = float(stats.chi2.sf(statistic / phi, len(counts) - 1))
    return SampleRatioResult(
        **base,
        chi_square=statistic,
        dispersion=phi,
        p_value=p_value,
        mismatch=p_value < alpha and deviation >= tolerance_points,
    )
