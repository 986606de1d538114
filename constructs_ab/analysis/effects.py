"""The numbers behind a comparison as the verdict's reasons show them: rates, differences, p-values and
durations.
"""

from __future__ import annotations

from constructs_ab.analysis.paired_minutes import PairedComparison
from constructs_ab.analysis.two_proportions import ProportionComparison
from constructs_ab.analysis.welch import MeanComparison


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


def _points(fraction: float) -> str:
    return f"{fraction * 100:+.2f}"


def error_effect(result: ProportionComparison) -> str:
    text = f"{_percent(result.rate)} vs {_percent(result.control_rate)} ({_points(result.difference)} points"
    if result.ci_low is not None and result.ci_high is not None:
        text += f", 95% CI {_points(result.ci_low)} to {_points(result.ci_high)}"
    return text + ")"


def _relative(value: float | None) -> str:
    return f", {value * 100:+.1f}%" if value is not None else ""


def latency_effect(result: PairedComparison) -> str:
    if result.median_difference is None:
        return "no minute with data for both"
    return (
        f"median {result.median_difference:+.3f} s per minute{_relative(result.relative)} "
        f"over {result.pairs} paired minutes"
    )


def custom_effect(result: MeanComparison) -> str:
    if result.mean is None or result.control_mean is None or result.difference is None:
        return f"{result.count} vs {result.control_count} minutes with data"
    return (
        f"mean {result.mean:.4g} vs {result.control_mean:.4g} ({result.difference:+.4g}{_relative(result.relative)}) "
        f"over {result.count} and {result.control_count} minutes"
    )


def format_p(value: float | None) -> str:
    """`0.0123`, `<0.0001`, or `n/a`."""
    if value is None:
        return "n/a"
    return "<0.0001" if value < 0.0001 else f"{value:.4f}"


def describe_minutes(minutes: float) -> str:
    """`about 1 minute`, `about 40 minutes`, `about 3.5 hours`, `about 2.1 days`."""
    if minutes < 90:
        rounded = max(1, round(minutes))
        return f"about {rounded} minute{'s' if rounded != 1 else ''}"
    if minutes < 48 * 60:
        return f"about {minutes / 60:.1f} hours"
    return f"about {minutes / 1440:.1f} days"
