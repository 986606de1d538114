"""The time window `analyze` reads: whole minutes, in UTC, ending at `--until` (default: now) and
starting `--since` before it (default 2 hours).

Load balancer metrics have one data point per minute, kept at that resolution for 15 days; so the window
is at least 10 minutes and at most 15 days. Choose `--since` so that the window starts after the
experiment's last weight change: requests before it followed other weights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from constructs_ab import aws_limits

DEFAULT_SINCE = "2h"
MIN_WINDOW_SECONDS = 600
MAX_WINDOW_SECONDS = aws_limits.MAX_ONE_MINUTE_METRIC_AGE_SECONDS
_DURATION = re.compile(r"^\s*(?P<amount>\d+)\s*(?P<unit>[smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
SINCE_ALLOWED = "--since is a duration such as 30m, 2h or 1d (seconds without a unit), from 10m to 15d"
UNTIL_ALLOWED = "--until is a UTC time such as 2024-05-01T12:00Z (ISO 8601; a time without offset is UTC)"


class WindowError(ValueError):
    """A bad --since or --until; the message is one line."""


@dataclass(frozen=True, kw_only=True)
class Window:
    """[start, end): whole minutes, UTC."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def describe(self) -> str:
        """`2024-05-01 10:00 to 12:00 UTC (120 minutes)`."""
        end = self.end.strftime("%H:%M" if self.end.date() == self.start.date() else "%Y-%m-%d %H:%M")
        return f"{self.start:%Y-%m-%d %H:%M} to {end} UTC ({self.minutes} minutes)"


def parse_since(text: str) -> int:
    """Seconds in `30m`, `2h`, `1d` or `3600`; WindowError outside 10 minutes to 15 days."""
    match = _DURATION.match(text)
    if match is None:
        raise WindowError(f"--since: {text!r} is not a duration; {SINCE_ALLOWED}")
    seconds = int(match["amount"]) * _UNITS[match["unit"]]
    if not MIN_WINDOW_SECONDS <= seconds <= MAX_WINDOW_SECONDS:
        raise WindowError(f"--since: {text!r} is out of range ({seconds} s); {SINCE_ALLOWED}")
    return seconds


def parse_until(text: str) -> datetime:
    """A UTC time from ISO 8601 (`Z` or an offset; none means UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise WindowError(f"--until: {text!r} is not a time; {UNTIL_ALLOWED}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def floor_minute(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def make_window(
    since: str = DEFAULT_SINCE, until: str | None = None, *, now: datetime | None = None
) -> Window:
    """The window ending at `until` (default `now`, default the clock) floored to the minute."""
    seconds = parse_since(since)
    end = floor_minute(parse_until(until) if until is not None else (now or datetime.now(UTC)))
    return Window(start=end - timedelta(seconds=seconds // 60 * 60), end=end)
