"""The Benjamini-Hochberg correction of a family of p-values (one per candidate), controlling the false
discovery rate: `scipy.stats.false_discovery_control(method="bh")`.

With one candidate the adjusted p-value is the p-value. A test that could not run (None) is left out of
the family and stays None.

See: Benjamini and Hochberg, "Controlling the false discovery rate", J. R. Statist. Soc. B 57 (1995).
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import stats


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """The adjusted p-values, in the order given."""
    present = [p for p in p_values if p is not None]
    if not present:
        return [None for _ in p_values]
    adjusted = iter(float(p) for p in stats.false_discovery_control(present, method="bh"))
    return [next(adjusted) if p is not None else None for p in p_values]
